"""The council's establishment as a history of Municipal Council decisions (Art. 13).

A municipality keeps every decision that established the council or re-adopted (or amended) its
regulation — Elbasan's 2016 decision and its 2022 re-adoption under the unified model. The decision
in force on a day is the latest dated on or before it; the compliance rule ``established`` reads the
one in force for the year. Art. 13: "This Regulation enters into force with the approval of the
Municipal Council and is published on the official website of the municipality": the day and the
address of that publication are recorded on the decision, back-datable (the audit trail says who
entered them and when). One marshmallow schema is the contract for the page and the API.
"""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates
from sqlalchemy import select

from ..api.contract import UtcDateTime
from ..documents.models import Document
from ..errors import ValidationFailed
from ..extensions import db
from ..schemas import length, load_form
from ..timeutil import local_today
from .models import CouncilEstablishment

FIELDS = ("decision_number", "decision_date", "regulation_adopted_on", "adopts_unified_model", "published_on",
          "published_url", "notes", "decision_document_id", "regulation_document_id")
OPTIONAL = ("regulation_adopted_on", "published_on", "published_url", "notes", "decision_document_id",
            "regulation_document_id")


def _address(value) -> None:
    if value is None:
        return
    try:
        validate.URL(schemes={"https", "http"}, require_tld=True)(value)
    except ValidationError:
        raise ValidationError(_("Enter the address of the page (https://...).")) from None
    if len(value) > 500:
        raise ValidationError(_("At most %(n)d characters.", n=500))


def _past(message: str):
    def check(value) -> None:
        if value is not None and value > local_today():
            raise ValidationError(message)
        if value is not None and value.year < 1990:
            raise ValidationError(_("Enter a date between 1990 and 2100."))
    return check


class CouncilEstablishmentDecisionSchema(Schema):
    id = fields.Integer(dump_only=True)
    decision_number = fields.String(required=True, validate=validate.Length(
        min=1, max=40, error=_l("Enter the number of the Municipal Council's decision (at most 40 characters).")),
        error_messages={"required": _l("Enter the number of the Municipal Council's decision.")})
    decision_date = fields.Date(required=True, error_messages={
        "required": _l("Enter the date of the Municipal Council's decision."),
        "invalid": _l("Enter the date as YYYY-MM-DD.")},
        metadata={"description": "The day of the Municipal Council's decision; not in the future"})
    regulation_adopted_on = fields.Date(load_default=None, allow_none=True,
                                        error_messages={"invalid": _l("Enter the date as YYYY-MM-DD.")})
    adopts_unified_model = fields.Boolean(load_default=False, metadata={
        "description": "The regulation it adopts follows the unified model (the Ministry's roll-out)"})
    published_on = fields.Date(load_default=None, allow_none=True, error_messages={
        "invalid": _l("Enter the date as YYYY-MM-DD.")}, metadata={
        "description": "Art. 13: the day the regulation was published on the municipality's official website"})
    published_url = fields.String(load_default=None, allow_none=True, metadata={
        "format": "uri", "description": "Art. 13: the page on the official website (http or https)"})
    notes = fields.String(load_default=None, allow_none=True, validate=length(5000))
    decision_document_id = fields.Integer(load_default=None, allow_none=True, metadata={
        "description": "A document uploaded through /documents"})
    regulation_document_id = fields.Integer(load_default=None, allow_none=True)
    in_force = fields.Method("_in_force", dump_only=True, metadata={
        "description": "The decision in force today (the latest dated on or before today)"})
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})

    def _in_force(self, obj) -> bool:
        current = in_force()
        return current is not None and current.id == obj.id

    @validates("published_url")
    def _an_address(self, value, **_kw):
        _address(value)

    @validates("decision_date")
    def _decision_past(self, value, **_kw):
        _past(_("The decision cannot be dated in the future."))(value)

    @validates("regulation_adopted_on")
    def _adopted_past(self, value, **_kw):
        _past(_("The regulation cannot be adopted in the future."))(value)

    @validates("published_on")
    def _published_past(self, value, **_kw):
        _past(_("The day of publication cannot be in the future."))(value)


class CouncilEstablishmentPatchSchema(CouncilEstablishmentDecisionSchema):
    class Meta:
        partial = True


SCHEMA = CouncilEstablishmentDecisionSchema()


def clean(form) -> dict:
    """The schema's clean data from the page's form, or ValidationFailed with a message per field."""
    data = dict(form)
    data["adopts_unified_model"] = bool(form.get("adopts_unified_model"))
    return load_form(SCHEMA, data, FIELDS, optional=OPTIONAL)


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
    values["decision_number"] = (values.get("decision_number") or "").strip()
    if not values["decision_number"]:
        errors["decision_number"] = _("Enter the number of the Municipal Council's decision.")
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
