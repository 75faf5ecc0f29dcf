"""Consultation tables: the Prefect records a table, its participants and its recommendations;
each recommendation is written into the addressed municipality (tenant-owned) and followed up there.

A table's county decides everything: participants and addressees must be municipalities of that
county, and the Prefecture reads the follow-up only across its county's municipality ids."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import pgettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..errors import ValidationFailed
from ..extensions import db
from ..municipalities.models import Municipality
from ..tenancy import read_across_tenants, tenant
from ..timeutil import utcnow
from .models import (
    FOLLOW_UP_STATUSES,
    ConsultationParticipant,
    ConsultationRecommendation,
    ConsultationTable,
    RecommendationFollowUp,
)

STATUS_LABELS = {"received": _l("Received"), "in_progress": _l("In progress"), "done": _l("Done"),
                 "not_applicable": _l("Not applicable")}


def status_label(status: str) -> str:
    if status == "received":  # the status, not "received on <date>" (concerns' column)
        return pgettext("follow-up status", "Received")
    return str(STATUS_LABELS.get(status, status))


def county_municipalities(county_id: int) -> list[Municipality]:
    return list(db.session.execute(select(Municipality).where(Municipality.county_id == county_id)
                                   .order_by(Municipality.name)).scalars())


def list_tables(county_id: int) -> list[ConsultationTable]:
    return list(db.session.execute(select(ConsultationTable).where(ConsultationTable.county_id == county_id)
                                   .order_by(ConsultationTable.held_on.desc())).scalars())


def get_table(county_id: int, table_id) -> ConsultationTable | None:
    try:
        table_id = int(table_id)
    except (TypeError, ValueError):
        return None
    return db.session.execute(select(ConsultationTable).where(
        ConsultationTable.id == table_id, ConsultationTable.county_id == county_id)).scalar_one_or_none()


def _text(data, field, errors, limit=None, required=None):
    value = (data.get(field) or "").strip() if isinstance(data.get(field, ""), str) else data.get(field)
    if not value:
        if required:
            errors[field] = required
        return None
    return value[:limit] if limit else value


def create_table(county_id: int, data: dict, *, user_id: int | None) -> ConsultationTable:
    errors: dict = {}
    title = _text(data, "title", errors, 300, _("Enter the table's title."))
    held_on = data.get("held_on")
    if isinstance(held_on, str):
        try:
            held_on = date.fromisoformat(held_on.strip())
        except ValueError:
            held_on = None
    if not isinstance(held_on, date):
        errors["held_on"] = _("Enter the date as YYYY-MM-DD.")
    if errors:
        raise ValidationFailed(errors)
    table = ConsultationTable(county_id=county_id, title=title, held_on=held_on, theme=_text(data, "theme", errors),
                              location=_text(data, "location", errors, 200),
                              chaired_by=_text(data, "chaired_by", errors, 200), agenda=_text(data, "agenda", errors),
                              minutes=_text(data, "minutes", errors), created_by_id=user_id)
    db.session.add(table)
    db.session.flush()
    return table


def update_table(table: ConsultationTable, data: dict) -> None:
    for field, limit in (("theme", None), ("agenda", None), ("minutes", None), ("location", 200),
                         ("chaired_by", 200)):
        if field in data:
            value = (data.get(field) or "").strip()
            setattr(table, field, (value[:limit] if limit else value) or None)
    db.session.flush()


def _county_municipality(table: ConsultationTable, municipality_id) -> Municipality | None:
    try:
        municipality_id = int(municipality_id)
    except (TypeError, ValueError):
        return None
    m = db.session.get(Municipality, municipality_id)
    return m if m is not None and m.county_id == table.county_id else None


def add_participant(table: ConsultationTable, data: dict) -> ConsultationParticipant:
    errors: dict = {}
    name = _text(data, "name", errors, 200, _("Enter the participant's name."))
    municipality = None
    if data.get("municipality_id"):
        municipality = _county_municipality(table, data.get("municipality_id"))
        if municipality is None:
            errors["municipality_id"] = _("Choose one of the county's municipalities.")
    organisation = _text(data, "organisation", errors, 200) or (
        _("Municipality of %(name)s", name=municipality.name) if municipality else None)
    if not organisation:
        errors["organisation"] = _("Enter the organisation or choose a municipality.")
    if errors:
        raise ValidationFailed(errors)
    row = ConsultationParticipant(table_id=table.id, name=name, position=_text(data, "position", errors, 200),
                                  organisation=organisation, municipality_id=municipality.id if municipality else None)
    db.session.add(row)
    db.session.flush()
    return row


def add_recommendation(table: ConsultationTable, text: str, municipality_ids,
                       addressed: list | None = None) -> list[int]:
    """One recommendation addressed to each named municipality of the county: written inside each
    municipality's scope, where it arrives in its portal. ``addressed`` collects (municipality id,
    recommendation id) pairs, for the e-mails sent after the commit."""
    addressed = [] if addressed is None else addressed
    text = (text or "").strip()
    errors: dict = {}
    if not text:
        errors["text"] = _("Enter the recommendation.")
    targets = [_county_municipality(table, mid) for mid in (municipality_ids or [])]
    if not targets or any(t is None for t in targets):
        errors["municipality_ids"] = _("Address the recommendation to one or more of the county's municipalities.")
    if errors:
        raise ValidationFailed(errors)
    ids = []
    for municipality in {t.id: t for t in targets}.values():
        with tenant(municipality.id):
            row = ConsultationRecommendation(table_id=table.id, text=text, status="received")
            db.session.add(row)
            db.session.flush()
            db.session.add(RecommendationFollowUp(recommendation_id=row.id, status="received",
                                                  recorded_at=row.created_at))  # the date of receipt
            db.session.flush()
            ids.append(row.id)
            addressed.append((municipality.id, row.id))
    return ids


def recommendations_of(table: ConsultationTable) -> list[ConsultationRecommendation]:
    """The table's recommendations and their follow-up, read across the county's municipalities only."""
    ids = [m.id for m in county_municipalities(table.county_id)]
    with read_across_tenants(ids):
        return list(db.session.execute(select(ConsultationRecommendation).where(
            ConsultationRecommendation.table_id == table.id).order_by(ConsultationRecommendation.id)).scalars())


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
        ConsultationRecommendation.status.in_(("received", "in_progress")))
        .order_by(ConsultationRecommendation.created_at, ConsultationRecommendation.id)).scalars())


def record_follow_up(recommendation: ConsultationRecommendation, data: dict, *, user_id: int | None = None) -> None:
    errors: dict = {}
    status = data.get("status") or recommendation.status
    if status not in FOLLOW_UP_STATUSES:
        errors["status"] = _("Choose a follow-up status.")
    risk_id = data.get("risk_id") or None
    if risk_id:
        from ..risks.services import get_risk

        risk = get_risk(risk_id)
        if risk is None:
            errors["risk_id"] = _("Choose one of the council's risks.")
        else:
            risk_id = risk.id
    if errors:
        raise ValidationFailed(errors)
    recommendation.status = status
    recommendation.follow_up = (data.get("follow_up") or "").strip() or None
    recommendation.risk_id = risk_id
    recommendation.updated_at = utcnow()
    db.session.add(RecommendationFollowUp(recommendation_id=recommendation.id, status=status,
                                          text=recommendation.follow_up, risk_id=risk_id,
                                          recorded_at=recommendation.updated_at, recorded_by_id=user_id))
    db.session.flush()
