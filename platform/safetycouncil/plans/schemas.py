"""The plans area's contract: one marshmallow schema per input, loaded by the pages (``load_form``) and by the
API alike; the services receive their clean data and refuse only what the records say."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates_schema

from ..api.contract import UtcDateTime
from ..locales import language
from ..schemas import Ids, Number, blank, choice, day, integer, string
from ..schemas import year as a_year
from ..risks.models import INTENSITIES
from .models import FUNDING_SOURCES, PERIODS, PROGRESS_STATUSES, RECURRENCES, REPORT_KINDS, TIMING_KINDS
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


class _Input(Schema):
    """Texts without the spaces around them, and an empty one as nothing, as a form's are (``load_form``)."""

    @pre_load
    def _stripped(self, data, **_kw):
        if not isinstance(data, dict):
            return data
        return {k: (v.strip() or None) if isinstance(v, str) else v for k, v in data.items()}


class ActivityInputSchema(_Input):
    """What an activity says (the API's ``ActivitySchema`` adds what it shows). Its timing is judged on the
    whole record (``services._activity_values``), also after a partial change."""
    description = string(4000, _l("Describe the activity."))
    partners = string(2000)
    timing_kind = choice(TIMING_KINDS)
    timing_value = string(40, metadata={"description": "deadline: a date; period: " + ", ".join(PERIODS)
                                        + "; recurrence: " + ", ".join(RECURRENCES)})
    institution_ids = Ids(_l("Choose existing institutions."), load_only=True,
                          metadata={"description": "The responsible institutions"})


class RevisionSchema(_Input):
    consultation_meeting_id = integer(metadata={"description": "The open consultation that led to it"})
    note = string(4000)


class ApprovalSchema(_Input):
    decision_id = integer(_l("Choose the council's decision that approves the plan."), metadata={
        "description": "A signed decision of a council meeting held after the draft was created (for a revision, "
                       "after its consultation), not used for another approval"})


class WithdrawalSchema(_Input):
    reason = string(2000, _l("Say why the approval was a mistake: it is kept in the record."),
                    metadata={"description": "Why the approval was a mistake (kept in the audit trail)"})


class IndicatorValueSchema(Schema):
    indicator_id = fields.Integer(required=True)
    value = Number(required=True)


class IndicatorValues(fields.List):
    """The current values of an item's indicators: a list of ``{indicator_id, value}`` (or one mapping of
    ids to values), with one message for anything that is not a number."""

    def __init__(self, **kwargs):
        super().__init__(fields.Nested(IndicatorValueSchema), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, dict):
            value = [{"indicator_id": k, "value": v} for k, v in value.items()]
        if isinstance(value, list | tuple):  # a value left empty reports nothing
            value = [v for v in value if not (isinstance(v, dict) and blank(v.get("value")))]
        try:
            return super()._deserialize(value, attr, data, **kwargs)
        except ValidationError:
            raise ValidationError(_("Enter each indicator's current value as a number.")) from None


class ProgressInputSchema(_Input):
    """One progress entry as reported (the API's ``ProgressSchema`` adds what it shows)."""
    status = choice(PROGRESS_STATUSES, _l("Choose the status: not started, in progress, done, delayed or cancelled."))
    progress = integer(validate=validate.Range(0, 100, error=_l("Enter the progress as a percentage from 0 to 100.")),
                       metadata={"description": "Percent"})
    comment = string(4000)
    next_steps = string(4000)
    reported_on = day()
    meeting_id = integer(metadata={"description": "The Coordination Secretariat monitoring meeting"})
    indicator_values = IndicatorValues(load_only=True, metadata={"description": "Current values of the item's "
                                                                                "indicators"})
    evidence_document_ids = Ids(_l("Choose documents of this municipality."),
                                metadata={"description": "Documents uploaded first"})


class OfficerInputSchema(_Input):
    user_id = integer(_l("Choose the person."))
    institution_id = integer(_l("Choose the institution."))
