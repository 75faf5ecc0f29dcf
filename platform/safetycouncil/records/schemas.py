"""The records' contract: one marshmallow schema per input (minutes, decisions, the press release), loaded by the
pages (``load_form``) and by the API alike. What only the database knows (the number is free, the meeting took
place, the decision is unsigned, the release unpublished) the services check."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from ..api.contract import UtcDateTime
from ..schemas import day, integer, length

MAX_TITLE = 300
MAX_NUMBER = 40


class Text(fields.String):
    """A text as written: Windows line ends made plain, the spaces around it dropped."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).replace("\r\n", "\n").strip()


def text(max_length: int | None = None, required=None, **kwargs) -> Text:
    """Like ``schemas.string``, for a text whose spaces around it do not count."""
    at_most = [length(max_length)] if max_length else []
    if required:
        return Text(required=True, validate=[validate.Length(min=1, error=required), *at_most],
                    error_messages={"required": required, "null": required}, **kwargs)
    return Text(allow_none=True, validate=at_most, **kwargs)


class MinutesInputSchema(Schema):
    text = text(load_default="")  # refused when empty by the service, after the meeting's 404
    based_on_version = integer(metadata={
        "description": "the version the text was edited from; refused if someone saved a newer one"})


class DecisionPatchSchema(Schema):
    """What may change in an unsigned decision (the page's form gives all of it)."""
    number = text(MAX_NUMBER, _l("Enter the decision's number, for example 2025/3."))
    title = text(MAX_TITLE, _l("Enter the decision's title."))
    text = text(required=_l("Enter the text of the decision."),
                metadata={"description": "a changed text becomes a new version"})
    adopted_by_consensus = fields.Boolean()
    reviews_plan = fields.Boolean()


class DecisionCreateSchema(DecisionPatchSchema):
    meeting_id = integer(invalid=_l("Choose a meeting of this municipality."),
                         validate=validate.Range(min=1, max=2**31 - 1))
    number = text(MAX_NUMBER, metadata={"description": "empty: the next number of the meeting year's series"})
    adopted_by_consensus = fields.Boolean(load_default=True)
    reviews_plan = fields.Boolean(load_default=False, metadata={
        "description": "the meeting reviewed the local plan by this decision (Art. 8.5)"})


class DecisionSignSchema(Schema):
    signed_by_chair_on = day(metadata={
        "description": "the chair: defaults to today; the technical secretary: the date the chair signed on paper"})


class PressReleaseInputSchema(Schema):
    """The draft: a content left out (or null) keeps its saved value; an empty title takes the default one."""
    title = text(MAX_TITLE)
    time_and_place = text()
    participation = text()
    agenda_summary = text()
    discussion_essence = text()


class PressReleasePublishSchema(PressReleaseInputSchema):
    published_at = UtcDateTime(load_default=None, allow_none=True, metadata={
        "description": "when it was really published (meetings entered after the fact); default now"})


class PressReleasePublishFormSchema(PressReleaseInputSchema):
    """The page's form: the time of publication is a local time."""
    published_at = fields.NaiveDateTime(allow_none=True, error_messages={
        "invalid": _l("Enter the date and time of publication."),
        "invalid_awareness": _l("Enter the date and time of publication.")})
