"""The surveys' contract: one marshmallow schema per input, loaded by the pages (``load_form``) and by the API
alike. The answers themselves depend on the wave's questions and are checked by ``services.check_answers``
(the same check for a page, the API and an imported file)."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..api.contract import UtcDateTime
from ..schemas import choice, day, integer, string
from .questions import LOCAL_SCALES

MAX_CODES_AT_ONCE = 2000
QUESTION_MAX = 400  # the national questionnaire's questions too


class WaveSchema(Schema):
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})
    id = fields.Integer(dump_only=True)
    title = string(200, _l("Name the wave."))
    starts_on = day(_l("Enter the first day of the wave."))
    ends_on = day(_l("Enter the last day of the wave."))
    target_respondents = integer(load_default=0, validate=validate.Range(0, 1_000_000, error=_l(
        "Enter a number from 0 to 1000000.")))
    area_ids = fields.List(fields.Integer(error_messages={"invalid": _l("Choose areas of this municipality.")}),
                           load_default=list)
    status = fields.String(dump_only=True)
    published_at = UtcDateTime(dump_only=True, allow_none=True)
    questionnaire_version = fields.Integer(dump_only=True)

    @validates_schema
    def _ends_after_it_starts(self, data, **_kw):
        if data["ends_on"] < data["starts_on"]:
            raise ValidationError(_("The last day cannot be before the first."), "ends_on")


class WaveStatusSchema(Schema):
    status = choice(("draft", "open", "closed"), _l("Choose one of the options."))


class LocalQuestionSchema(Schema):
    text_sq = string(QUESTION_MAX, _l("Write the question in Albanian."))
    text_en = string(QUESTION_MAX, _l("Write the question in English."))
    scale = choice(LOCAL_SCALES, _l("Choose one of the options."))


class CodesSchema(Schema):
    count = integer(_l("Say how many codes to make."), invalid=_l("Enter a whole number."), validate=validate.Range(
        1, MAX_CODES_AT_ONCE, error=_l("Make from 1 to %(max)d codes at a time.", max=MAX_CODES_AT_ONCE)))


class QuestionnaireNoteSchema(Schema):
    note = string(2000)


class ToRisksSchema(Schema):
    """A problem the survey ranks high, sent to the risk register: onto a chosen risk, or a new one."""
    area_id = integer(invalid=_l("Choose one of the survey's areas."))
    code = string(40, _l("Choose one of the problems of the questionnaire."))
    risk_id = integer(invalid=_l("Choose a risk of this municipality."))
    title = string(300)
