"""Consultation tables: the Prefect records a table, its participants, the themes discussed, its
recommendations (to the county's municipalities and to national bodies, each with a due date) and
its funding requests; each recommendation to a municipality is written into that municipality
(tenant-owned) and followed up there.

A table's county decides everything: participants and addressees must be municipalities of that
county, and the Prefecture reads the follow-up only across its county's municipality ids. Input goes
through the marshmallow schemas below, for the pages and the API alike: a value too long or missing
is refused with a translated message, never cut."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import pgettext
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema
from sqlalchemy import select

from ..errors import ValidationFailed
from ..extensions import db
from ..municipalities.models import County, Municipality
from ..schemas import length
from ..tenancy import read_across_tenants, tenant
from ..timeutil import local_today, utcnow
from .models import (
    FOLLOW_UP_STATUSES,
    FUNDING_ANSWERS,
    PENDING_STATUSES,
    ConsultationParticipant,
    ConsultationRecommendation,
    ConsultationTable,
    ConsultationTheme,
    FundingRequest,
    NationalBody,
    NationalRecommendation,
    NationalRecommendationFollowUp,
    RecommendationFollowUp,
)

STATUS_LABELS = {"open": _l("Open"), "in_progress": _l("In progress"), "done": _l("Done"),
                 "not_accepted": _l("Not accepted")}
FUNDING_LABELS = {"pending": _l("Awaiting an answer"), "granted": _l("Granted"),
                  "partly_granted": _l("Partly granted"), "refused": _l("Refused")}
CURRENCIES = ("ALL", "EUR", "USD")

# The national bodies the Fier table of 9 May 2024 addressed; migration 0025 writes the same list.
DEFAULT_BODIES = (
    ("QPKMR", "Qendra për Parandalimin e Kriminalitetit të të Miturve dhe të Rinjve",
     "Centre for the Prevention of Juvenile and Youth Crime"),
    ("ASHDMF", "Agjencia Shtetërore për të Drejtat dhe Mbrojtjen e Fëmijëve",
     "State Agency for the Rights and Protection of Children"),
    ("DPPSH", "Drejtoria e Përgjithshme e Policisë së Shtetit", "General Directorate of the State Police"),
    ("MAS", "Ministria e Arsimit dhe Sportit", "Ministry of Education and Sport"),
)


def status_label(status: str) -> str:
    if status == "open":  # the status, not "open" as in an open consultation
        return pgettext("follow-up status", "Open")
    return str(STATUS_LABELS.get(status, status))


def funding_label(status: str) -> str:
    return str(FUNDING_LABELS.get(status, status))


# --- the schemas: one contract for the pages and the API ----------------------------------------

def _length(max_: int, message, min_: int = 0):
    return validate.Length(min=min_, max=max_, error=message)


def _optional_text(max_: int | None = None, **metadata):
    kwargs = {"load_default": None, "allow_none": True, "metadata": metadata}
    if max_:
        kwargs["validate"] = length(max_)
    return fields.String(**kwargs)


def _required_text(max_: int | None, message, **metadata):
    return fields.String(required=True, validate=_length(max_ or 100_000, message, 1),
                         error_messages={"required": message, "null": message}, metadata=metadata)


def _optional_id(message, **metadata):
    return fields.Integer(load_default=None, allow_none=True, strict=False,
                          error_messages={"invalid": message}, metadata=metadata)


def _date(message, *, required=False, **metadata):
    if required:
        return fields.Date(required=True, error_messages={"required": message, "invalid": message, "null": message},
                           metadata=metadata)
    return fields.Date(load_default=None, allow_none=True, error_messages={"invalid": message}, metadata=metadata)


DATE_MESSAGE = _l("Enter the date as YYYY-MM-DD.")


class TableSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = _required_text(300, _l("Enter the table's title (at most 300 characters)."))
    held_on = _date(DATE_MESSAGE, required=True, description="The day the table was held")
    theme = _optional_text(description="The table's overall theme")
    location = _optional_text(200)
    chaired_by = _optional_text(200)
    agenda = _optional_text()
    minutes = _optional_text()


class ParticipantSchema(Schema):
    name = _required_text(200, _l("Enter the participant's name (at most 200 characters)."))
    position = _optional_text(200)
    organisation = _optional_text(200)
    municipality_id = _optional_id(_l("Choose one of the county's municipalities."))


class ThemeSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = _required_text(300, _l("Enter the theme (at most 300 characters)."))
    presented_by = _optional_text(300, description="Who presented it")
    summary = _optional_text(description="What was said")
    position = fields.Integer(load_default=None, allow_none=True,
                              validate=validate.Range(min=1, max=999, error=_l("Enter a number from 1 to 999.")))


class RecommendationSchema(Schema):
    text = _required_text(None, _l("Enter the recommendation."))
    due_on = _date(DATE_MESSAGE, description="By when it should be acted on")
    theme_id = _optional_id(_l("Choose one of the table's themes."), description="The theme it comes from")
    municipality_ids = fields.List(fields.Integer(error_messages={
        "invalid": _l("Choose one of the county's municipalities.")}), load_default=list,
        metadata={"description": "The county's municipalities it is addressed to"})
    body_ids = fields.List(fields.Integer(error_messages={
        "invalid": _l("Choose one of the national bodies.")}), load_default=list,
        metadata={"description": "The national bodies it is addressed to (see national-bodies)"})

    @validates_schema(skip_on_field_errors=False)
    def _someone(self, data, **_kw):
        if not data.get("municipality_ids") and not data.get("body_ids"):
            raise ValidationError(_("Address the recommendation to one or more of the county's municipalities or "
                                    "national bodies."), "municipality_ids")


class FollowUpSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(FOLLOW_UP_STATUSES, error=_l(
        "Choose a follow-up status.")), error_messages={"required": _l("Choose a follow-up status.")},
        metadata={"description": "open, in_progress, done, not_accepted"})
    note = _optional_text(4000, description="What was done, or why it is not accepted")
    noted_on = _date(DATE_MESSAGE, description="The day the note speaks of (default: today); not in the future")

    @validates("noted_on")
    def _not_in_future(self, value, **_kw):
        if value is not None and value > local_today():
            raise ValidationError(_("The date cannot be in the future."))

    @validates_schema(skip_on_field_errors=False)
    def _why_not(self, data, **_kw):
        if data.get("status") == "not_accepted" and not data.get("note"):
            raise ValidationError(_("Say why the recommendation is not accepted."), "note")


class CouncilFollowUpSchema(FollowUpSchema):
    risk_id = _optional_id(_l("Choose one of the council's risks."))
    agenda_item_id = _optional_id(_l("Choose an item of one of the council's meeting agendas."),
                                  description="The council meeting's agenda item that takes it up")
    plan_activity_id = _optional_id(_l("Choose an activity of the council's plan."),
                                    description="The plan activity that takes it up")


class LinkSchema(Schema):
    """What the Prefecture may set on a recommendation it addressed: the due date and the links."""
    due_on = _date(DATE_MESSAGE)
    agenda_item_id = _optional_id(_l("Choose an item of one of the council's meeting agendas."))
    plan_activity_id = _optional_id(_l("Choose an activity of the council's plan."))


def _cents(value) -> bool:
    """At most two decimals: an amount is never rounded behind the writer's back."""
    return value.as_tuple().exponent >= -2 or value == value.quantize(Decimal("0.01"))


AMOUNT_MESSAGE = _l("Enter an amount greater than zero, such as 1500000 or 1500000.50.")


class FundingRequestSchema(Schema):
    amount = fields.Decimal(required=True,
                            error_messages={"required": AMOUNT_MESSAGE, "invalid": AMOUNT_MESSAGE,
                                            "special": AMOUNT_MESSAGE},
                            metadata={"description": "greater than zero, at most two decimals"})
    currency = fields.String(load_default="ALL", validate=validate.OneOf(CURRENCIES, error=_l(
        "Choose the currency.")))
    body_id = _optional_id(_l("Choose one of the national bodies."), description="From a national body, or")
    requested_from = _optional_text(200, description="from someone else (a donor), in words")
    purpose = _required_text(None, _l("Say what the funds are for."))

    @validates("amount")
    def _positive(self, value, **_kw):
        if not 0 < value < 10**12 or not _cents(value):
            raise ValidationError(str(AMOUNT_MESSAGE))

    @validates_schema(skip_on_field_errors=False)
    def _from_whom(self, data, **_kw):
        if not data.get("body_id") and not data.get("requested_from"):
            raise ValidationError(_("Say from whom the funds are requested."), "requested_from")


class FundingAnswerSchema(Schema):
    answer_status = fields.String(required=True, validate=validate.OneOf(FUNDING_ANSWERS, error=_l(
        "Choose the answer.")), error_messages={"required": _l("Choose the answer.")})
    answer = _optional_text(4000)
    answered_on = _date(DATE_MESSAGE)
    granted_amount = fields.Decimal(load_default=None, allow_none=True,
                                    error_messages={"invalid": AMOUNT_MESSAGE, "special": AMOUNT_MESSAGE})

    @validates("granted_amount")
    def _not_negative(self, value, **_kw):
        if value is not None and (not 0 <= value < 10**12 or not _cents(value)):
            raise ValidationError(str(AMOUNT_MESSAGE))

    @validates_schema(skip_on_field_errors=False)
    def _dated(self, data, **_kw):
        if data.get("answer_status") != "pending" and not data.get("answered_on"):
            raise ValidationError(_("Enter the day of the answer."), "answered_on")


class NationalBodySchema(Schema):
    id = fields.Integer(dump_only=True)
    code = _required_text(20, _l("Enter the body's short name (at most 20 characters)."))
    name_sq = _required_text(200, _l("Enter the name in Albanian (at most 200 characters)."))
    name_en = _required_text(200, _l("Enter the name in English (at most 200 characters)."))


def load(schema: Schema, form, *, lists: tuple[str, ...] = (), partial: bool = False) -> dict:
    """The schema's clean data from a page's form (strings stripped, empty optional fields left out) or
    ValidationFailed with a translated message per field. Nothing is cut: a value too long is refused."""
    raw: dict = {}
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        if name in lists:
            values = [v.strip() for v in (form.getlist(name) if hasattr(form, "getlist") else form.get(name) or [])
                      if str(v).strip()]
            raw[name] = values
            continue
        if name not in form:
            continue
        value = form.get(name)
        value = value.strip() if isinstance(value, str) else value
        if value == "" and not field.required:
            value = None if field.allow_none else field.load_default
        raw[name] = value
    try:
        return schema.load(raw, partial=partial)
    except ValidationError as err:
        raise ValidationFailed(_messages(err.messages)) from None


def _messages(messages) -> dict:
    out = {}
    for k, v in messages.items():
        if isinstance(v, dict):  # a list's items: {index: [message]}
            v = [m for inner in v.values() for m in (inner if isinstance(inner, list) else [inner])]
        out[k] = " ".join(str(m) for m in v) if isinstance(v, list) else str(v)
    return out


# --- national bodies ------------------------------------------------------------------------------

def ensure_national_bodies() -> None:
    """The default list, where none is recorded (a fresh database has it from migration 0025)."""
    if db.session.execute(select(NationalBody.id).limit(1)).first() is None:
        for code, sq, en in DEFAULT_BODIES:
            db.session.add(NationalBody(code=code, name_sq=sq, name_en=en, active=True))
        db.session.flush()


def national_bodies(*, active_only: bool = True) -> list[NationalBody]:
    query = select(NationalBody).order_by(NationalBody.code)
    if active_only:
        query = query.where(NationalBody.active.is_(True))
    return list(db.session.execute(query).scalars())


def add_national_body(data: dict) -> NationalBody:
    code = data["code"].upper()
    if db.session.execute(select(NationalBody.id).where(NationalBody.code == code)).first():
        raise ValidationFailed({"code": _("A national body with this short name exists already.")})
    body = NationalBody(code=code, name_sq=data["name_sq"], name_en=data["name_en"], active=True)
    db.session.add(body)
    db.session.flush()
    return body


def _body(body_id) -> NationalBody | None:
    body = db.session.get(NationalBody, int(body_id)) if body_id is not None else None
    return body if body is not None and body.active else None


# --- tables ---------------------------------------------------------------------------------------

def county_municipalities(county_id: int) -> list[Municipality]:
    return list(db.session.execute(select(Municipality).where(Municipality.county_id == county_id)
                                   .order_by(Municipality.name)).scalars())


def list_tables(county_id: int | None) -> list[ConsultationTable]:
    """The county's tables, the latest first (every county's: ``None``, for the Ministry)."""
    query = select(ConsultationTable).order_by(ConsultationTable.held_on.desc(), ConsultationTable.id.desc())
    if county_id is not None:
        query = query.where(ConsultationTable.county_id == county_id)
    return list(db.session.execute(query).scalars())


def get_table(county_id: int, table_id) -> ConsultationTable | None:
    try:
        table_id = int(table_id)
    except (TypeError, ValueError):
        return None
    return db.session.execute(select(ConsultationTable).where(
        ConsultationTable.id == table_id, ConsultationTable.county_id == county_id)).scalar_one_or_none()


def create_table(county_id: int, data: dict, *, user_id: int | None) -> ConsultationTable:
    """A table from the schema's clean data (TableSchema)."""
    table = ConsultationTable(county_id=county_id, created_by_id=user_id,
                              **{k: data.get(k) for k in ("title", "held_on", "theme", "location", "chaired_by",
                                                          "agenda", "minutes")})
    db.session.add(table)
    db.session.flush()
    return table


def update_table(table: ConsultationTable, data: dict) -> None:
    """The fields present in the schema's clean data (TableSchema, partial)."""
    for field in ("title", "held_on", "theme", "location", "chaired_by", "agenda", "minutes"):
        if field in data:
            setattr(table, field, data[field])
    db.session.flush()


def _county_municipality(table: ConsultationTable, municipality_id) -> Municipality | None:
    try:
        municipality_id = int(municipality_id)
    except (TypeError, ValueError):
        return None
    m = db.session.get(Municipality, municipality_id)
    return m if m is not None and m.county_id == table.county_id else None


def add_participant(table: ConsultationTable, data: dict) -> ConsultationParticipant:
    """A participant from the schema's clean data (ParticipantSchema)."""
    errors: dict = {}
    municipality = None
    if data.get("municipality_id"):
        municipality = _county_municipality(table, data["municipality_id"])
        if municipality is None:
            errors["municipality_id"] = _("Choose one of the county's municipalities.")
    organisation = data.get("organisation") or (
        _("Municipality of %(name)s", name=municipality.name) if municipality else None)
    if not organisation and not errors:
        errors["organisation"] = _("Enter the organisation or choose a municipality.")
    if errors:
        raise ValidationFailed(errors)
    row = ConsultationParticipant(table_id=table.id, name=data["name"], position=data.get("position"),
                                  organisation=organisation, municipality_id=municipality.id if municipality else None)
    db.session.add(row)
    db.session.flush()
    return row


def add_theme(table: ConsultationTable, data: dict) -> ConsultationTheme:
    """A theme discussed at the table (ThemeSchema), numbered after the last unless a position is given."""
    position = data.get("position") or (max((t.position for t in table.themes), default=0) + 1)
    theme = ConsultationTheme(table_id=table.id, position=position, title=data["title"],
                              presented_by=data.get("presented_by"), summary=data.get("summary"))
    db.session.add(theme)
    db.session.flush()
    db.session.expire(table, ["themes"])
    return theme


def _theme(table: ConsultationTable, theme_id) -> ConsultationTheme | None:
    if theme_id is None:
        return None
    theme = db.session.get(ConsultationTheme, int(theme_id))
    if theme is None or theme.table_id != table.id:
        raise ValidationFailed({"theme_id": _("Choose one of the table's themes.")})
    return theme


def add_recommendation(table: ConsultationTable, data: dict | str, addressed: list | None = None,
                       legacy_addressed: list | None = None) -> list:
    """A recommendation (RecommendationSchema) for each addressee: written inside each named municipality's
    scope, where it arrives in its portal, and once per national body. ``addressed`` collects
    (municipality id, recommendation id) pairs, for the e-mails sent after the commit. Returns the new rows.
    (Also callable as before issue 19, ``(table, text, municipality_ids, addressed)``: meetings/clerk_demo.py.)"""
    if isinstance(data, str):
        data, addressed = {"text": data.strip(), "municipality_ids": list(addressed or [])}, legacy_addressed
        if not data["text"]:
            raise ValidationFailed({"text": _("Enter the recommendation.")})
    addressed = [] if addressed is None else addressed
    errors: dict = {}
    targets = [_county_municipality(table, mid) for mid in data.get("municipality_ids") or []]
    if any(t is None for t in targets):
        errors["municipality_ids"] = _("Address the recommendation to one or more of the county's municipalities.")
    bodies = [_body(b) for b in data.get("body_ids") or []]
    if any(b is None for b in bodies):
        errors["body_ids"] = _("Choose one of the national bodies.")
    if not targets and not bodies:
        errors["municipality_ids"] = _("Address the recommendation to one or more of the county's municipalities "
                                       "or national bodies.")
    try:
        theme = _theme(table, data.get("theme_id"))
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    text, due_on, theme_id = data["text"], data.get("due_on"), theme.id if theme else None
    rows: list = []
    for municipality in {t.id: t for t in targets}.values():
        with tenant(municipality.id):
            row = ConsultationRecommendation(table_id=table.id, text=text, status="open", due_on=due_on,
                                             theme_id=theme_id)
            db.session.add(row)
            db.session.flush()
            db.session.add(RecommendationFollowUp(recommendation_id=row.id, status="open",
                                                  recorded_at=row.created_at))  # the date of receipt
            db.session.flush()
            rows.append(row)
            addressed.append((municipality.id, row.id))
    for body in {b.id: b for b in bodies}.values():
        row = NationalRecommendation(table_id=table.id, body_id=body.id, text=text, due_on=due_on, theme_id=theme_id,
                                     status="open")
        db.session.add(row)
        db.session.flush()
        db.session.add(NationalRecommendationFollowUp(recommendation_id=row.id, status="open",
                                                      recorded_at=row.created_at))
        rows.append(row)
    db.session.flush()
    db.session.expire(table, ["national_recommendations"])
    return rows


def recommendations_of(table: ConsultationTable) -> list[ConsultationRecommendation]:
    """The table's recommendations to municipalities and their follow-up, read across the county's
    municipalities only."""
    ids = [m.id for m in county_municipalities(table.county_id)]
    with read_across_tenants(ids):
        return list(db.session.execute(select(ConsultationRecommendation).where(
            ConsultationRecommendation.table_id == table.id).order_by(ConsultationRecommendation.id)).scalars())


def get_table_recommendation(table: ConsultationTable, recommendation_id) -> ConsultationRecommendation | None:
    """One of the table's recommendations to a municipality of its county (for the Prefecture)."""
    try:
        recommendation_id = int(recommendation_id)
    except (TypeError, ValueError):
        return None
    return next((r for r in recommendations_of(table) if r.id == recommendation_id), None)


def get_national_recommendation(table: ConsultationTable, recommendation_id) -> NationalRecommendation | None:
    try:
        row = db.session.get(NationalRecommendation, int(recommendation_id))
    except (TypeError, ValueError):
        return None
    return row if row is not None and row.table_id == table.id else None


def national_follow_ups_of(recommendation_ids) -> dict[int, list[NationalRecommendationFollowUp]]:
    ids = list(recommendation_ids)
    found: dict[int, list] = {i: [] for i in ids}
    if ids:
        for step in db.session.execute(select(NationalRecommendationFollowUp).where(
                NationalRecommendationFollowUp.recommendation_id.in_(ids)).order_by(
                NationalRecommendationFollowUp.recorded_at, NationalRecommendationFollowUp.id)).scalars():
            found[step.recommendation_id].append(step)
    return found


def record_national_follow_up(row: NationalRecommendation, data: dict, *, user_id: int | None = None) -> None:
    """A national body's follow-up, as the Prefecture learns it (FollowUpSchema): a dated step, kept."""
    row.status = data["status"]
    row.follow_up = data.get("note")
    row.updated_at = utcnow()
    db.session.add(NationalRecommendationFollowUp(recommendation_id=row.id, status=row.status, text=row.follow_up,
                                                  noted_on=data.get("noted_on") or local_today(),
                                                  recorded_at=row.updated_at, recorded_by_id=user_id))
    db.session.flush()


# --- funding requests -----------------------------------------------------------------------------

def add_funding_request(table: ConsultationTable, data: dict) -> FundingRequest:
    body_id = data.get("body_id")
    if body_id is not None and _body(body_id) is None:
        raise ValidationFailed({"body_id": _("Choose one of the national bodies.")})
    row = FundingRequest(table_id=table.id, amount=data["amount"], currency=data.get("currency") or "ALL",
                         body_id=body_id, requested_from=data.get("requested_from"), purpose=data["purpose"],
                         answer_status="pending")
    db.session.add(row)
    db.session.flush()
    db.session.expire(table, ["funding_requests"])
    return row


def get_funding_request(table: ConsultationTable, request_id) -> FundingRequest | None:
    try:
        row = db.session.get(FundingRequest, int(request_id))
    except (TypeError, ValueError):
        return None
    return row if row is not None and row.table_id == table.id else None


def answer_funding_request(row: FundingRequest, data: dict) -> None:
    row.answer_status = data["answer_status"]
    row.answer = data.get("answer")
    row.answered_on = data.get("answered_on")
    row.granted_amount = data.get("granted_amount")
    row.updated_at = utcnow()
    db.session.flush()


# --- in the municipality -------------------------------------------------------------------------

def municipality_recommendations() -> list[ConsultationRecommendation]:
    """Inside a municipality's scope: the recommendations addressed to it."""
    return list(db.session.execute(select(ConsultationRecommendation)
                                   .order_by(ConsultationRecommendation.id.desc())).scalars())


def get_recommendation(recommendation_id) -> ConsultationRecommendation | None:
    try:
        return db.session.get(ConsultationRecommendation, int(recommendation_id))
    except (TypeError, ValueError):
        return None


def follow_ups_of(recommendation_ids) -> dict[int, list[RecommendationFollowUp]]:
    """Each recommendation's dated follow-up steps, oldest first (in the current scope)."""
    ids = list(recommendation_ids)
    found: dict[int, list[RecommendationFollowUp]] = {i: [] for i in ids}
    if ids:
        for step in db.session.execute(select(RecommendationFollowUp).where(
                RecommendationFollowUp.recommendation_id.in_(ids))
                .order_by(RecommendationFollowUp.recorded_at, RecommendationFollowUp.id)).scalars():
            found[step.recommendation_id].append(step)
    return found


def awaiting_follow_up() -> list[ConsultationRecommendation]:
    """Inside a municipality's scope: recommendations not yet done or set aside, oldest first."""
    return list(db.session.execute(select(ConsultationRecommendation).where(
        ConsultationRecommendation.status.in_(PENDING_STATUSES))
        .order_by(ConsultationRecommendation.created_at, ConsultationRecommendation.id)).scalars())


def _links(data: dict, errors: dict) -> dict:
    """The agenda item and plan activity named in ``data``, looked up in the current municipality's scope
    (another municipality's ids are not found)."""
    from ..meetings.models import AgendaItem
    from ..plans.models import PlanActivity

    found = {}
    if "agenda_item_id" in data:
        item_id = data.get("agenda_item_id")
        if item_id is not None and db.session.get(AgendaItem, item_id) is None:
            errors["agenda_item_id"] = _("Choose an item of one of the council's meeting agendas.")
        found["agenda_item_id"] = item_id
    if "plan_activity_id" in data:
        activity_id = data.get("plan_activity_id")
        if activity_id is not None and db.session.get(PlanActivity, activity_id) is None:
            errors["plan_activity_id"] = _("Choose an activity of the council's plan.")
        found["plan_activity_id"] = activity_id
    return found


def record_follow_up(recommendation: ConsultationRecommendation, data: dict, *, user_id: int | None = None) -> None:
    """The council's follow-up (CouncilFollowUpSchema), inside the municipality's scope: the status, a
    dated note, the risk, the agenda item or plan activity that takes it up; each change a step, kept."""
    errors: dict = {}
    if "note" not in data and "follow_up" in data:  # the key before issue 19 (meetings/clerk_demo.py)
        data = {**data, "note": data["follow_up"]}
    risk_id = data.get("risk_id")
    if risk_id:
        from ..risks.services import get_risk

        risk = get_risk(risk_id)
        if risk is None:
            errors["risk_id"] = _("Choose one of the council's risks.")
    links = _links(data, errors)
    if errors:
        raise ValidationFailed(errors)
    recommendation.status = data["status"]
    recommendation.follow_up = data.get("note")
    recommendation.risk_id = risk_id or None
    for key, value in links.items():
        setattr(recommendation, key, value)
    recommendation.updated_at = utcnow()
    db.session.add(RecommendationFollowUp(recommendation_id=recommendation.id, status=recommendation.status,
                                          text=recommendation.follow_up, risk_id=recommendation.risk_id,
                                          noted_on=data.get("noted_on") or local_today(),
                                          recorded_at=recommendation.updated_at, recorded_by_id=user_id))
    db.session.flush()


def link_recommendation(table: ConsultationTable, recommendation: ConsultationRecommendation, data: dict) -> None:
    """The Prefecture sets a recommendation's due date or links it to the agenda item or plan activity of
    the addressed municipality (LinkSchema): only within the table's county, inside that municipality's scope."""
    if recommendation.table_id != table.id or _county_municipality(table, recommendation.municipality_id) is None:
        raise ValidationFailed({"id": _("There is no such recommendation of this table.")})
    with tenant(recommendation.municipality_id):
        row = db.session.get(ConsultationRecommendation, recommendation.id)
        errors: dict = {}
        links = _links(data, errors)
        if errors:
            raise ValidationFailed(errors)
        for key, value in links.items():
            setattr(row, key, value)
        if "due_on" in data:
            row.due_on = data["due_on"]
        row.updated_at = utcnow()
        db.session.flush()


def agenda_items_and_activities():
    """Inside a municipality's scope: the council meetings' agenda items (latest meetings first) and the
    plan's activities, to link a recommendation to."""
    from ..meetings.models import AgendaItem, Meeting
    from ..plans.models import PlanActivity

    items = list(db.session.execute(select(AgendaItem).join(Meeting, Meeting.id == AgendaItem.meeting_id)
                                    .order_by(Meeting.starts_at.desc(), AgendaItem.position).limit(200)).scalars())
    activities = list(db.session.execute(select(PlanActivity).order_by(PlanActivity.id.desc()).limit(200)).scalars())
    return items, activities


def is_overdue(row, today: date) -> bool:
    return row.due_on is not None and row.due_on < today and row.status in PENDING_STATUSES


# --- the follow-up across tables: the Ministry (every county) and each Prefecture (its own) -------

@dataclass
class FollowUpRow:
    """One recommendation in the overview, whoever it is addressed to."""

    kind: str  # "municipality" or "national_body"
    id: int
    table: ConsultationTable
    county: County
    addressee: str  # a municipality's name, or a national body's code
    addressee_slug: str
    text: str
    due_on: date | None
    status: str
    updated_at: object
    agenda_item_id: int | None = None
    plan_activity_id: int | None = None

    def overdue(self, today: date) -> bool:
        return self.due_on is not None and self.due_on < today and self.status in PENDING_STATUSES

    def days_overdue(self, today: date) -> int:
        return (today - self.due_on).days if self.overdue(today) else 0


def follow_up_rows(county_id: int | None, *, locale: str | None = None) -> list[FollowUpRow]:
    """Every recommendation of the county's tables (every county's: ``None``), both kinds, oldest due first."""
    counties = {c.id: c for c in db.session.execute(select(County)).scalars()}
    tables = {t.id: t for t in list_tables(county_id)}
    if not tables:
        return []
    municipalities = db.session.execute(select(Municipality).where(
        Municipality.county_id == county_id) if county_id is not None else select(Municipality)).scalars().all()
    names = {m.id: m for m in municipalities}
    rows: list[FollowUpRow] = []
    with read_across_tenants([m.id for m in municipalities] if county_id is not None else None):
        for r in db.session.execute(select(ConsultationRecommendation).where(
                ConsultationRecommendation.table_id.in_(list(tables)))).scalars():
            m = names.get(r.municipality_id)
            if m is None:
                continue
            table = tables[r.table_id]
            rows.append(FollowUpRow("municipality", r.id, table, counties[table.county_id], m.name, m.slug, r.text,
                                    r.due_on, r.status, r.updated_at or r.created_at, r.agenda_item_id,
                                    r.plan_activity_id))
    for r in db.session.execute(select(NationalRecommendation).where(
            NationalRecommendation.table_id.in_(list(tables)))).scalars():
        table = tables[r.table_id]
        rows.append(FollowUpRow("national_body", r.id, table, counties[table.county_id], r.body.code, r.body.code,
                                r.text, r.due_on, r.status, r.updated_at or r.created_at))
    rows.sort(key=lambda r: (r.due_on or date.max, r.table.held_on, r.kind, r.id))
    return rows


def summarise(rows: list[FollowUpRow], today: date) -> dict:
    """Counts by county and by addressee: recommendations, still pending, overdue, done."""

    def bucket():
        return {"total": 0, "pending": 0, "overdue": 0, "done": 0, "not_accepted": 0}

    by_county: dict[str, dict] = {}
    by_addressee: dict[tuple[str, str], dict] = {}
    for r in rows:
        for key, target in ((r.county.name, by_county), ((r.kind, r.addressee), by_addressee)):
            b = target.setdefault(key, bucket())
            b["total"] += 1
            b["pending"] += r.status in PENDING_STATUSES
            b["overdue"] += r.overdue(today)
            b["done"] += r.status == "done"
            b["not_accepted"] += r.status == "not_accepted"
    return {"by_county": sorted(by_county.items(), key=lambda kv: (-kv[1]["overdue"], kv[0])),
            "by_addressee": sorted(by_addressee.items(), key=lambda kv: (-kv[1]["overdue"], kv[0])),
            "overdue": [r for r in rows if r.overdue(today)]}
