"""The Ministry's call programmes with lots (issue 15).

A programme is national data (the Ministry's); each lot is for one municipality or for a county. Opening the
programme makes every lot a draft call of each council that runs it (a county lot: one call per active
municipality of the county), linked by ``GrantLotCall``: the council adds its criteria and opens its call,
and applications, scoring and awards work unchanged and stay in that municipality. A county lot's budget
is a cap shared by its calls, checked when awarding (``check_lot_cap``). The Ministry sees totals per lot
(calls, applications, awards, amounts), never an applicant's data."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..errors import Conflict, ValidationFailed
from ..extensions import db
from ..municipalities.models import County, Municipality
from ..tenancy import read_across_tenants, tenant
from ..timeutil import utcnow
from .models import GrantApplication, GrantAward, GrantCall, GrantLot, GrantLotCall, GrantProgramme


def list_programmes(*, public: bool = False) -> list[GrantProgramme]:
    query = select(GrantProgramme).order_by(GrantProgramme.year.desc(), GrantProgramme.id.desc())
    if public:
        query = query.where(GrantProgramme.status == "open")
    return list(db.session.execute(query).scalars())


def get_programme(programme_id: int) -> GrantProgramme | None:
    return db.session.get(GrantProgramme, programme_id)


def create_programme(data: dict, *, user_id: int | None) -> GrantProgramme:
    errors = {}
    if not (data.get("title") or "").strip():
        errors["title"] = _("Enter the title.")
    if not data.get("year"):
        errors["year"] = _("Enter the year.")
    if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
        errors["closes_on"] = _("The closing date comes before the opening date.")
    if errors:
        raise ValidationFailed(errors)
    programme = GrantProgramme(title=data["title"].strip(), description=data.get("description") or "",
                               year=data["year"], opens_on=data["opens_on"], closes_on=data["closes_on"],
                               status="draft", created_by_id=user_id)
    db.session.add(programme)
    db.session.flush()
    return programme


def add_lot(programme: GrantProgramme, data: dict) -> GrantLot:
    """A lot for one municipality (``municipality_id``) or for a county (``county_id``), not both."""
    if programme.status != "draft":
        raise Conflict({"status": _("Lots are added while the programme is a draft.")})
    errors = {}
    if not (data.get("title") or "").strip():
        errors["title"] = _("Enter the title.")
    if bool(data.get("municipality_id")) == bool(data.get("county_id")):
        errors["place"] = _("Choose one municipality or one county for the lot.")
    elif data.get("municipality_id") and db.session.get(Municipality, data["municipality_id"]) is None:
        errors["place"] = _("Choose one municipality or one county for the lot.")
    elif data.get("county_id") and db.session.get(County, data["county_id"]) is None:
        errors["place"] = _("Choose one municipality or one county for the lot.")
    if not data.get("budget") or data["budget"] <= 0:
        errors["budget"] = _("Enter an amount greater than zero.")
    if not data.get("max_per_grant") or data["max_per_grant"] <= 0 or data["max_per_grant"] > (data.get("budget") or 0):
        errors["max_per_grant"] = _("The most per grant is more than zero and at most the lot's budget.")
    if errors:
        raise ValidationFailed(errors)
    lot = GrantLot(programme_id=programme.id, title=data["title"].strip(),
                   target_municipality_id=data.get("municipality_id") or None, county_id=data.get("county_id") or None,
                   budget=data["budget"], max_per_grant=data["max_per_grant"])
    db.session.add(lot)
    db.session.flush()
    db.session.refresh(programme)
    return lot


def lot_municipalities(lot: GrantLot) -> list[Municipality]:
    if lot.target_municipality_id:
        return [db.session.get(Municipality, lot.target_municipality_id)]
    return list(db.session.execute(
        select(Municipality).where(Municipality.county_id == lot.county_id, Municipality.active.is_(True))
        .order_by(Municipality.name)).scalars())


def open_programme(programme: GrantProgramme, *, user_id: int | None) -> list[GrantCall]:
    """Publish the programme: every lot becomes a draft call of each council that runs it."""
    if programme.status != "draft":
        raise Conflict({"status": _("This programme is already open.")})
    if not programme.lots:
        raise ValidationFailed({"lots": _("Add at least one lot before opening the programme.")})
    calls = []
    for lot in programme.lots:
        for municipality in lot_municipalities(lot):
            with tenant(municipality.id):
                call = GrantCall(title=f"{programme.title} — {lot.title}", objectives=programme.description,
                                 budget=lot.budget, max_per_grant=lot.max_per_grant, cofinancing_percent=0,
                                 opens_on=programme.opens_on, closes_on=programme.closes_on, status="draft",
                                 created_by_id=user_id)
                db.session.add(call)
                db.session.flush()
                db.session.add(GrantLotCall(lot_id=lot.id, call_id=call.id))
                db.session.flush()
                calls.append(call)
    programme.status, programme.opened_at = "open", utcnow()
    db.session.flush()
    return calls


def lot_of(call: GrantCall) -> GrantLot | None:
    link = db.session.execute(select(GrantLotCall).where(GrantLotCall.call_id == call.id)).scalar_one_or_none()
    return db.session.get(GrantLot, link.lot_id) if link else None


def _awarded_in_lot(lot: GrantLot) -> int:
    """The amount awarded by all the lot's calls (across the county's municipalities: a total only)."""
    ids = [m.id for m in lot_municipalities(lot)]
    with read_across_tenants(ids):
        return db.session.execute(
            select(func.coalesce(func.sum(GrantAward.amount), 0))
            .join(GrantLotCall, GrantLotCall.call_id == GrantAward.call_id)
            .where(GrantLotCall.lot_id == lot.id)).scalar_one()


def check_lot_cap(call: GrantCall, amount: int) -> None:
    """A county lot's budget is shared: an award that would take the lot's awards past it is refused."""
    lot = lot_of(call)
    if lot is None:
        return
    awarded = _awarded_in_lot(lot)
    if awarded + amount > lot.budget:
        from .services import money

        raise ValidationFailed({"amount": _(
            "The lot \"%(lot)s\" has %(left)s left of its budget of %(budget)s (shared by its municipalities).",
            lot=lot.title, left=money(max(lot.budget - awarded, 0)), budget=money(lot.budget))})


def _places(lots: list[GrantLot]) -> dict[int, dict]:
    """Each lot's place: its municipality's or county's name and slug, in two queries for all the lots."""
    municipalities = {m.id: m for m in db.session.execute(select(Municipality).where(
        Municipality.id.in_({lot.target_municipality_id for lot in lots if lot.target_municipality_id}))).scalars()}
    counties = {c.id: c for c in db.session.execute(select(County).where(
        County.id.in_({lot.county_id for lot in lots if lot.county_id}))).scalars()}
    places = {}
    for lot in lots:
        where = municipalities[lot.target_municipality_id] if lot.target_municipality_id else counties[lot.county_id]
        places[lot.id] = {"place": where.name, "municipality": where.slug if lot.target_municipality_id else None,
                          "county": where.slug if lot.county_id else None}
    return places


def programme_lots(programme: GrantProgramme) -> list[dict]:
    """The lots with their place, for the public page (no council's data is read)."""
    places = _places(programme.lots)
    return [{"lot": lot, **places[lot.id]} for lot in programme.lots]


def programme_totals(programme: GrantProgramme) -> list[dict]:
    """Per lot: its place, budget, the calls opened by councils, applications, awards and the amount awarded.
    Set-wise: three grouped queries for all the lots, read across the municipalities that run them."""
    lots = programme.lots
    lot_ids = [lot.id for lot in lots]
    ids = {m.id for lot in lots for m in lot_municipalities(lot)}
    calls, applications, awards = {}, {}, {}
    if lot_ids:
        with read_across_tenants(ids):
            calls = {row.lot_id: row for row in db.session.execute(
                select(GrantLotCall.lot_id, func.count().label("calls"),
                       func.count().filter(GrantCall.status != "draft").label("open"))
                .join(GrantCall, GrantCall.id == GrantLotCall.call_id)
                .where(GrantLotCall.lot_id.in_(lot_ids)).group_by(GrantLotCall.lot_id))}
            applications = dict(db.session.execute(
                select(GrantLotCall.lot_id, func.count())
                .join(GrantApplication, GrantApplication.call_id == GrantLotCall.call_id)
                .where(GrantLotCall.lot_id.in_(lot_ids), GrantApplication.status != "draft")
                .group_by(GrantLotCall.lot_id)).all())
            awards = {row.lot_id: row for row in db.session.execute(
                select(GrantLotCall.lot_id, func.count().label("awards"),
                       func.coalesce(func.sum(GrantAward.amount), 0).label("amount"))
                .join(GrantAward, GrantAward.call_id == GrantLotCall.call_id)
                .where(GrantLotCall.lot_id.in_(lot_ids)).group_by(GrantLotCall.lot_id))}
    places = _places(lots)
    rows = []
    for lot in lots:
        amount = awards[lot.id].amount if lot.id in awards else 0
        rows.append({"lot": lot, **places[lot.id],
                     "calls": calls[lot.id].calls if lot.id in calls else 0,
                     "open": calls[lot.id].open if lot.id in calls else 0,
                     "applications": applications.get(lot.id, 0),
                     "awards": awards[lot.id].awards if lot.id in awards else 0, "amount": amount,
                     "left": lot.budget - amount})
    return rows
