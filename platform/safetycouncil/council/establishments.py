"""The council's establishment as a history of Municipal Council decisions (Art. 13).

A municipality keeps every decision that established the council or re-adopted (or amended) its
regulation — Elbasan's 2016 decision and its 2022 re-adoption under the unified model. The decision
in force on a day is the latest dated on or before it; the compliance rule ``established`` reads the
one in force for the year. Art. 13: "This Regulation enters into force with the approval of the
Municipal Council and is published on the official website of the municipality": the day and the
address of that publication are recorded on the decision, back-datable (the audit trail says who
entered them and when). Its input is ``schemas.CouncilEstablishmentDecisionSchema``.
"""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from ..documents.models import Document
from ..errors import ValidationFailed
from ..extensions import db
from ..timeutil import local_today
from .models import CouncilEstablishment

FIELDS = ("decision_number", "decision_date", "regulation_adopted_on", "adopts_unified_model", "published_on",
          "published_url", "notes", "decision_document_id", "regulation_document_id")


# --- reading ------------------------------------------------------------------------------------

def list_decisions() -> list[CouncilEstablishment]:
    """Every decision of the municipality, the latest first."""
    return list(db.session.execute(select(CouncilEstablishment).order_by(
        CouncilEstablishment.decision_date.desc(), CouncilEstablishment.id.desc())).scalars())


def get_decision(decision_id) -> CouncilEstablishment | None:
    return db.session.get(CouncilEstablishment, decision_id)


def in_force_on(decisions, day: date):
    """The decision in force on ``day`` among ``decisions`` (rows or dicts): the latest dated on or
    before it (the later of two on the same day)."""
    def get(d, key):
        return d[key] if isinstance(d, dict) else getattr(d, key)

    dated = [d for d in decisions if get(d, "decision_date") is not None and get(d, "decision_date") <= day]
    return max(dated, key=lambda d: (get(d, "decision_date"), get(d, "id") or 0), default=None)


def in_force(on: date | None = None) -> CouncilEstablishment | None:
    return in_force_on(list_decisions(), on or local_today())


# --- writing ------------------------------------------------------------------------------------

def _check(values: dict) -> None:
    """What a decision's fields must say together (each field was checked by the schema)."""
    errors: dict[str, str] = {}
    published_on, url = values.get("published_on"), values.get("published_url")
    if published_on is not None and not url:
        errors["published_url"] = _("Enter the address of the page (https://...).")
    if url and published_on is None:
        errors["published_on"] = _("Enter the day the regulation was published.")
    decided = values.get("decision_date")
    if published_on is not None and decided is not None and published_on < decided:
        errors["published_on"] = _("The regulation cannot be published before the decision (%(d)s).",
                                   d=decided.isoformat())
    for field in ("decision_document_id", "regulation_document_id"):
        if values.get(field) is not None and db.session.get(Document, values[field]) is None:
            errors[field] = _("There is no such document in this municipality.")
    if errors:
        raise ValidationFailed(errors)


def create_decision(data: dict) -> CouncilEstablishment:
    """Record another decision (the schema's clean data; the caller commits; audited)."""
    values = {key: data.get(key) for key in FIELDS}
    values["adopts_unified_model"] = bool(values.get("adopts_unified_model"))
    _check(values)
    decision = CouncilEstablishment(**values)
    db.session.add(decision)
    db.session.flush()
    return decision


def update_decision(decision: CouncilEstablishment, data: dict) -> CouncilEstablishment:
    """Correct a decision, or record its publication (Art. 13), from (partial) clean data."""
    values = {key: getattr(decision, key) for key in FIELDS}
    values.update({key: data[key] for key in FIELDS if key in data})
    values["adopts_unified_model"] = bool(values.get("adopts_unified_model"))
    _check(values)
    for key, value in values.items():
        setattr(decision, key, value)
    db.session.flush()
    return decision
