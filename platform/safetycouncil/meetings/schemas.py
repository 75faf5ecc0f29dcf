"""The meetings' contract: one marshmallow schema per input, loaded by the pages (``load_form``) and by the
API alike, every field's message at once. What only the database knows (the member is this municipality's,
the meeting is still planned, invitations were sent) the services check."""
from __future__ import annotations

import re
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..api.contract import UtcDateTime
from ..schemas import DATE_FORMATS, FIRST_YEAR, LAST_YEAR, choice, day, integer, length, string, year
from ..timeutil import LOCAL_TIMEZONE, local_today
from .acts import HEADS
from .models import ATTENDANCE_STATUSES, MEETING_KINDS, MEETING_STATUSES

MAX_FINDINGS = 20000
ENDS_BEFORE = _l("The meeting must end after it starts: the end is before the start.")
CHOOSE_HEADS = _l("Choose the heads the report was sent to: the municipality, the police, the prosecution.")
CHOOSE_HEAD = _l("Choose the head who presented the findings: the municipality, the police or the prosecution.")
CHOOSE_WHERE = _l("Choose the council meeting at which the findings were presented, or give the day.")


class LocalDateTime(fields.String):
    """A local date and time in Albania (stored naive): 2025-06-13T10:00 (seconds, a space instead of the T,
    or 13.06.2025 10:00 also work). A time with an offset is converted to Albanian time."""

    default_error_messages = {"invalid": _l("Enter a valid date and time, for example 2025-06-13 10:00."),
                              "no_time": _l("Enter the time as well as the date."),
                              "years": _l("Enter a date between the years %(start)d and %(end)d.",
                                          start=FIRST_YEAR, end=LAST_YEAR)}

    def __init__(self, description: str, **kwargs):
        message = _l("Enter a date and a time.")
        super().__init__(required=True, error_messages={"required": message, "null": message},
                         metadata={"format": "date-time", "description": description, "example": "2025-06-13T10:00"},
                         **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = value if isinstance(value, datetime) else self._parse(super()._deserialize(value, attr, data, **kwargs))
        if value.tzinfo is not None:
            value = value.astimezone(LOCAL_TIMEZONE).replace(tzinfo=None)
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise self.make_error("years")
        return value.replace(microsecond=0)

    def _parse(self, text: str) -> datetime:
        text = re.sub(r"\s+", " ", text.strip())
        if not text:
            raise self.make_error("required")
        if len(text) <= 10 and ":" not in text:
            raise self.make_error("no_time")
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            pass
        for fmt in DATE_FORMATS[1:]:
            for suffix in (" %H:%M", " %H:%M:%S"):
                try:
                    return datetime.strptime(text, fmt + suffix)
                except ValueError:
                    continue
        raise self.make_error("invalid")


def _not_future(value) -> None:
    if value > local_today():
        raise ValidationError(_("The date cannot be in the future."))


def past_day(required=None, **kwargs):
    """A day up to today (a record entered after the fact)."""
    return day(required, validate=_not_future, **kwargs)


class MeetingCreateSchema(Schema):
    kind = choice(MEETING_KINDS, _l("Choose the kind of meeting."))
    title = string(200, _l("Enter the meeting's title."))
    starts_at = LocalDateTime("Local time in Albania")
    ends_at = LocalDateTime("Local time in Albania; after starts_at")
    location = string(200)

    @validates_schema
    def _ends_after_start(self, data, **_kw):
        if "starts_at" in data and "ends_at" in data and data["ends_at"] <= data["starts_at"]:
            raise ValidationError(str(ENDS_BEFORE), "ends_at")



class MeetingPatchSchema(MeetingCreateSchema):
    """What may change in a meeting (any of it: loaded with ``partial=True``)."""


class MeetingQuerySchema(Schema):
    kind = fields.String(validate=validate.OneOf(MEETING_KINDS))
    year = year()
    status = fields.String(validate=validate.OneOf(MEETING_STATUSES))


class CancelSchema(Schema):
    reason = string(300, _l("Say why the meeting is cancelled."))


class MaterialSchema(Schema):
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})
    id = fields.Integer()
    document_id = fields.Integer()
    title = fields.Function(lambda m: m.document.title)
    filename = fields.Function(lambda m: m.document.filename)
    content_type = fields.Function(lambda m: m.document.content_type)
    size_bytes = fields.Function(lambda m: m.document.size_bytes)


class AgendaItemSchema(Schema):
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})
    id = fields.Integer(dump_only=True)
    meeting_id = fields.Integer(dump_only=True)
    position = fields.Integer(dump_only=True)
    title = string(300, _l("Enter the agenda item's title."))
    description = string(5000)
    presenter = string(200)
    materials = fields.List(fields.Nested(MaterialSchema), dump_only=True)


class AgendaItemPatchSchema(Schema):
    title = string(300, _l("Enter the agenda item's title."))
    description = string(5000)
    presenter = string(200)
    position = integer(invalid=_l("Enter the position as a whole number."), validate=validate.Range(min=1), metadata={
        "description": "Move the item to this place in the agenda (1 is first)"})


class GuestSchema(Schema):
    """A guest on the attendance list (the page's form)."""
    guest_name = string(200, _l("Enter the guest's name."))
    guest_institution = string(200)


class MemberAttendanceSchema(Schema):
    """The page's attendance form: each listed member with a status (empty: not recorded)."""
    member_id = fields.List(fields.String(), load_default=list)
    status = fields.List(fields.String(), load_default=list)

    @validates_schema
    def _one_status_each(self, data, **_kw):
        if len(data["member_id"]) != len(data["status"]):
            raise ValidationError(_("The form was incomplete: reload it and try again."), "attendance")
        if set(data["status"]) - {"", *ATTENDANCE_STATUSES}:
            raise ValidationError(_("Choose present, absent or excused."), "status")


class AttendanceMemberSchema(Schema):
    member_id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(ATTENDANCE_STATUSES))


class AttendanceGuestSchema(Schema):
    name = string(200, _l("Enter the guest's name."))
    institution = string(200)


class AttendanceSchema(Schema):
    """The whole attendance list of a meeting."""

    members = fields.List(fields.Nested(AttendanceMemberSchema), load_default=list)
    guests = fields.List(fields.Nested(AttendanceGuestSchema), load_default=list)


class RecordSentSchema(Schema):
    sent_on = day(_l("Enter a date."), metadata={"example": "2025-06-05",
                                                   "description": "The day the invitations were sent"})


class InviteesSchema(Schema):
    member_ids = fields.List(fields.Integer(), required=True)


class DayOffSchema(Schema):
    """An extra day off the government declared (the Ministry's page)."""
    day = day(_l("Enter a date."))
    reason = string(200, _l("Say why the day is a day off (for example the government decision)."))


# --- Art. 7.5, 9.5, 9.4: the agenda's approval, the Coordination Secretariat's agreement and report -----

class AgendaApprovalSchema(Schema):
    approved_on = past_day(metadata={
        "description": "The day the chair approved the agenda (default: today); not in the future"})


class AgreementSchema(Schema):
    agreed_on = past_day(_l("Enter a date."), metadata={
        "description": "The day the Coordination Secretariat agreed the agenda and the date; not in the future"})


class SecretariatReportSchema(Schema):
    sent_on = past_day(_l("Enter a date."), metadata={"description": "The day the report was sent to the heads"})
    recipients = fields.List(choice(HEADS, CHOOSE_HEADS), required=True,
                             validate=validate.Length(min=1, max=3, error=CHOOSE_HEADS),
                             error_messages={"required": CHOOSE_HEADS},
                             metadata={"description": "The heads it was sent to: municipality, police, prosecution"})
    findings = fields.String(required=True, validate=[
        validate.Length(min=3, error=_l("Write the findings the heads are to present.")),
        length(MAX_FINDINGS)],
        error_messages={"required": _l("Write the findings the heads are to present.")},
        metadata={"description": "The findings the heads are to present"})


class PresentationSchema(Schema):
    presented_by = choice(HEADS, CHOOSE_HEAD, metadata={
        "description": "The head who presented the findings: municipality, police or prosecution"})
    meeting_id = integer(invalid=_l("Choose a regular council meeting of this municipality."),
                         validate=validate.Range(min=1, max=2**31 - 1), metadata={
        "description": "The regular council meeting at which they were presented (held, not before the report)"})
    presented_on = past_day(metadata={
        "description": "Or the day they were presented elsewhere (not with meeting_id; not in the future)"})

    @validates_schema
    def _a_meeting_or_a_day(self, data, **_kw):
        if data.get("meeting_id") is not None and data.get("presented_on") is not None:
            raise ValidationError(_("Give either the council meeting or the day, not both."), "presented_on")
        if data.get("meeting_id") is None and data.get("presented_on") is None:
            raise ValidationError(str(CHOOSE_WHERE), "meeting_id")
