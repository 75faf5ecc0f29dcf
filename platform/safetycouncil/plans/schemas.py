"""The plans area's contract: one marshmallow schema per input, loaded by the pages (``load_form``) and by the
API alike (so far: the plans and the monitoring reports; the plan's other inputs still go through ``concerns.common``)."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..api.contract import UtcDateTime
from ..locales import language
from ..schemas import choice, day, integer, string
from ..schemas import year as a_year
from ..risks.models import INTENSITIES
from .models import FUNDING_SOURCES, REPORT_KINDS
from .reports import STATUS_LABELS
from .vocabulary import parse_amount


class ReportSchema(Schema):
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})
    id = fields.Integer(dump_only=True)
    kind = fields.String(load_default="monitoring", validate=validate.OneOf(
        REPORT_KINDS, error=_l("Choose one of the options.")))
    plan_id = integer()
    period_start = day()
    period_end = day()
    language = fields.String(load_default="sq", validate=validate.OneOf(
        ("sq", "en"), error=_l("Choose Albanian or English.")))
    summary = string(8000, metadata={"description": "An introduction printed in the report"})
    status = fields.String(dump_only=True, metadata={"enum": list(STATUS_LABELS)})
    error = fields.String(dump_only=True, allow_none=True)
    pdf_document_id = fields.Integer(dump_only=True, allow_none=True)
    docx_document_id = fields.Integer(dump_only=True, allow_none=True)
    created_at = UtcDateTime(dump_only=True)
    generated_at = UtcDateTime(dump_only=True, allow_none=True)
    approved_at = UtcDateTime(dump_only=True, allow_none=True)
    approved_by_id = fields.Integer(dump_only=True, allow_none=True)
    published_at = UtcDateTime(dump_only=True, allow_none=True)

    @validates_schema
    def _a_whole_period(self, data, **_kw):
        """Both ends of the period, or neither (then the current half-year or year)."""
        start, end = data.get("period_start"), data.get("period_end")
        if (start is None) != (end is None):
            raise ValidationError(_("Give both the start and the end of the period."),
                                  "period_end" if start else "period_start")
        if start and end and end < start:
            raise ValidationError(_("The period ends before it starts."), "period_end")


class VersionSummarySchema(Schema):
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})
    id = fields.Integer()
    number = fields.Integer()
    status = fields.String(metadata={"enum": ["draft", "approved", "superseded", "replaced"]})
    based_on_id = fields.Integer(allow_none=True)
    note = fields.String(allow_none=True)
    consultation_meeting_id = fields.Integer(allow_none=True)
    approved_meeting_id = fields.Integer(allow_none=True)
    approved_decision_id = fields.Integer(allow_none=True)
    approved_on = fields.Date(allow_none=True)
    published_on = fields.Date(allow_none=True, dump_only=True)
    published_url = fields.String(allow_none=True, dump_only=True)
    created_at = UtcDateTime()


class PlanSchema(Schema):
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})
    id = fields.Integer(dump_only=True)
    year = a_year(_l("Enter the plan's year."))
    title = string(300)
    created_at = UtcDateTime(dump_only=True)
    versions = fields.List(fields.Nested(VersionSummarySchema), dump_only=True)


class Amount(fields.Float):
    """A number, or a text as people type it in the reader's language: "1.500.000", "1 500 000,50"."""

    default_error_messages = {"invalid": _l("Enter a number, for example 1.500.000 or 1 500 000,50.")}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            try:
                return parse_amount(value, language())
            except ValueError:
                raise self.make_error("invalid") from None
        return super()._deserialize(value, attr, data, **kwargs)


class IndicatorSchema(Schema):
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})
    id = fields.Integer(dump_only=True)
    key = fields.String(dump_only=True)
    position = fields.Integer(dump_only=True)
    name = string(300, _l("Name the indicator."))
    unit = string(60)
    baseline = Amount(allow_none=True, metadata={"description": "A number; \"1.500.000\" and \"1 500 000,50\" too"})
    target = Amount(allow_none=True)
    source = string(300)


class FundingSchema(Schema):
    """Where an activity's money comes from (a donor's and a community grant's particulars: see
    ``services._funding_values``, which judges them on the whole record, also after a partial change)."""
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})
    id = fields.Integer(dump_only=True)
    source = choice(FUNDING_SOURCES, _l("Choose the source: the municipality's budget, a donor or a community grant."))
    amount = Amount(allow_none=True, validate=validate.Range(min=0, error=_l("The amount cannot be negative.")),
                    metadata={"description": "A number; \"1.500.000\" and \"1 500 000,50\" too"})
    currency = string(3, metadata={"description": "ALL when not given"})
    donor = string(200)
    grantee = string(200)
    title = string(300)
    objective = string(4000)
    period = string(120)
    results = string(4000)


class ItemInputSchema(Schema):
    """What a plan item says (the API's ``ItemSchema`` adds its activities and indicators)."""
    number = string(20)
    issue = string(4000, _l("Describe the identified issue."))
    intensity = choice(INTENSITIES, invalid=_l("Choose the intensity: high, moderate or low."),
                       metadata={"description": "The risk's intensity when not given"})
    risk_id = integer()
