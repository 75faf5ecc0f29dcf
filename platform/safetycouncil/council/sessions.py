"""Art. 5.2.d: the chair informs the Municipal Council about the council's work at least once a year.

A session of the Municipal Council is recorded with its date, its decision or minute number and the
report presented. It may be entered after the fact (last year's session, entered today): the audit
trail says who entered it and when. One marshmallow schema is the contract for the page and the API.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates

from ..api.contract import UtcDateTime
from ..schemas import length, load_form
from ..extensions import db
from ..timeutil import local_today
from .models import MunicipalCouncilSession


class MunicipalCouncilSessionSchema(Schema):
    id = fields.Integer(dump_only=True)
    held_on = fields.Date(required=True, error_messages={
        "required": _l("Enter the date of the session."), "invalid": _l("Enter the date as YYYY-MM-DD.")},
        metadata={"description": "The day of the Municipal Council's session (Albanian time); not in the future"})
    decision_number = fields.String(required=True, validate=validate.Length(
        min=1, max=60, error=_l("Enter the decision or minute number (at most 60 characters).")),
        error_messages={"required": _l("Enter the decision or minute number (at most 60 characters).")})
    report_title = fields.String(required=True, validate=validate.Length(
        min=1, max=300, error=_l("Enter the report presented (at most 300 characters).")),
        error_messages={"required": _l("Enter the report presented (at most 300 characters).")})
    notes = fields.String(load_default=None, allow_none=True, validate=length(2000))
    created_at = UtcDateTime(dump_only=True)

    @validates("held_on")
    def _not_in_future(self, value, **_kw):
        if value > local_today():
            raise ValidationError(_("The session cannot be in the future."))
        if value.year < 2000:
            raise ValidationError(_("Enter a date from 2000 on."))


SCHEMA = MunicipalCouncilSessionSchema()


def clean(data) -> dict:
    """The schema's clean data from the page's form, or ValidationFailed with a message per field."""
    return load_form(SCHEMA, data, ("held_on", "decision_number", "report_title", "notes"), optional=("notes",))


def record_session(data: dict, *, user_id: int | None) -> MunicipalCouncilSession:
    """Record a session from the schema's clean data (the caller commits)."""
    session = MunicipalCouncilSession(**data, recorded_by_id=user_id)
    db.session.add(session)
    db.session.flush()
    return session


def list_sessions() -> list[MunicipalCouncilSession]:
    return list(db.session.execute(db.select(MunicipalCouncilSession).order_by(
        MunicipalCouncilSession.held_on.desc())).scalars())
