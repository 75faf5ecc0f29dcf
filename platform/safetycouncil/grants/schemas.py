"""Marshmallow schemas: the one contract of the grants' forms and API (loading and dumping)."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from ..api.contract import UtcDateTime
from .. import schemas
from ..errors import ValidationFailed
from ..schemas import length

NIPT_PATTERN = re.compile(r"^[A-Z][0-9]{8}[A-Z]$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_LEK = 2_000_000_000


def _text(max_length: int, required_message, *, required: bool = True):
    if required:
        return fields.String(required=True, validate=validate.Length(min=1, max=max_length, error=required_message),
                             error_messages={"required": required_message, "null": required_message})
    return fields.String(load_default=None, allow_none=True, validate=length(max_length))


def _lek(message, *, required: bool = True, minimum: int = 1):
    kwargs = {"required": True} if required else {"load_default": 0}
    return fields.Integer(strict=False, validate=validate.Range(min=minimum, max=MAX_LEK, error=message),
                          error_messages={"required": message, "invalid": message, "null": message}, **kwargs)


class GrantScoringCriterionSchema(Schema):
    id = fields.Integer(dump_only=True)
    text = _text(500, _l("Enter the criterion (at most 500 characters)."))
    weight = fields.Integer(required=True, validate=validate.Range(min=1, max=100, error=_l(
        "A weight is a whole number from 1 to 100.")), error_messages={
        "required": _l("A weight is a whole number from 1 to 100."), "null": _l("A weight is a whole number from 1 to 100."), "invalid": _l("A weight is a whole number from 1 to 100.")})
    max_score = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100, error=_l(
        "The highest score is a whole number from 1 to 100.")))


class GrantCriterionSchema(Schema):
    id = fields.Integer(dump_only=True)
    kind = fields.String(dump_only=True)
    text = fields.String(dump_only=True)
    weight = fields.Integer(dump_only=True, allow_none=True)
    max_score = fields.Integer(dump_only=True, allow_none=True)


class GrantCallSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = _text(300, _l("Enter the call's title (at most 300 characters)."))
    objectives = _text(10000, _l("Enter the call's objectives."))
    budget = _lek(_l("Enter the call's budget in lek (a whole number)."))
    max_per_grant = _lek(_l("Enter the maximum per grant in lek (a whole number)."))
    cofinancing_percent = fields.Integer(load_default=0, validate=validate.Range(min=0, max=90, error=_l(
        "The co-financing share is a percentage from 0 to 90.")), error_messages={
        "invalid": _l("The co-financing share is a percentage from 0 to 90.")})
    opens_on = fields.Date(required=True, error_messages={"required": _l("Enter the day the call opens."),
                                                          "invalid": _l("Enter the date as YYYY-MM-DD.")})
    closes_on = fields.Date(required=True, error_messages={"required": _l("Enter the call's closing day."),
                                                           "invalid": _l("Enter the date as YYYY-MM-DD.")})
    decision_on = fields.Date(load_default=None, allow_none=True,
                              error_messages={"invalid": _l("Enter the date as YYYY-MM-DD.")})
    activity_ids = fields.List(fields.Integer(validate=validate.Range(min=1, max=2**31 - 1)), load_default=list,
                               metadata={"description": "The plan activities the call serves"})
    eligibility_criteria = fields.List(fields.String(validate=validate.Length(min=1, max=500)), load_default=list)
    scoring_criteria = fields.List(fields.Nested(GrantScoringCriterionSchema), load_default=list)
    status = fields.String(dump_only=True)
    decision_id = fields.Integer(dump_only=True, allow_none=True)
    opened_at = UtcDateTime(dump_only=True, allow_none=True)
    closed_at = UtcDateTime(dump_only=True, allow_none=True)
    updated_at = UtcDateTime(dump_only=True, allow_none=True)

    @validates_schema
    def _consistent(self, data, **_kw):
        errors = {}
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            errors["closes_on"] = [_("The call cannot close before it opens.")]
        if data.get("decision_on") and data.get("closes_on") and data["decision_on"] < data["closes_on"]:
            errors["decision_on"] = [_("The decision comes after the call closes.")]
        if data.get("budget") and data.get("max_per_grant") and data["max_per_grant"] > data["budget"]:
            errors["max_per_grant"] = [_("The maximum per grant cannot exceed the call's budget.")]
        scoring = data.get("scoring_criteria") or []
        if scoring and sum(c["weight"] for c in scoring) != 100:
            errors["scoring_criteria"] = [_("The weights of the scoring criteria must add up to 100.")]
        if errors:
            raise ValidationError(errors)


class GrantPublicDocumentSchema(Schema):
    title = fields.String()
    filename = fields.String()
    content_type = fields.String()
    size_bytes = fields.Integer()
    url = fields.String()


class GrantPublicCallSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    objectives = fields.String()
    budget = fields.Integer()
    max_per_grant = fields.Integer()
    cofinancing_percent = fields.Integer()
    opens_on = fields.Date()
    closes_on = fields.Date()
    decision_on = fields.Date(allow_none=True)
    status = fields.String()
    accepting = fields.Boolean(metadata={"description": "Whether applications are accepted today"})
    eligibility_criteria = fields.List(fields.String())
    scoring_criteria = fields.List(fields.Nested(GrantCriterionSchema))
    apply_url = fields.String(allow_none=True)
    documents = fields.List(fields.Nested(GrantPublicDocumentSchema), metadata={
        "description": "The call's current documents (terms of reference, forms), each with its download address"})
    updated_at = UtcDateTime(allow_none=True)


class GrantBudgetLineSchema(Schema):
    description = _text(300, _l("Describe each budget line (at most 300 characters)."))
    amount = _lek(_l("Enter each line's amount from the grant in lek."), minimum=0)
    cofinanced = _lek(_l("Enter the co-financed amount in lek (or 0)."), required=False, minimum=0)


class GrantApplicationSchema(Schema):
    id = fields.Integer(dump_only=True)
    call_id = fields.Integer(dump_only=True)
    reference = fields.String(dump_only=True)
    organisation = _text(200, _l("Enter the organisation's name (at most 200 characters)."))
    nipt = fields.String(required=True, error_messages={"required": _l(
        "Enter the NIPT: a letter, 8 digits and a letter (e.g. L12345678A).")})
    contact_name = _text(200, _l("Enter the contact person's name."))
    contact_email = _text(254, _l("Enter an e-mail address: the confirmation and the private link go there."))
    contact_phone = _text(40, None, required=False)
    project_title = _text(300, _l("Enter the project's title (at most 300 characters)."))
    summary = _text(10000, _l("Describe the project: what, for whom, with which results."))
    activity_id = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=2**31 - 1))
    amount_requested = _lek(_l("Enter the amount requested in lek (a whole number)."))
    cofinancing = _lek(_l("Enter the organisation's co-financing in lek (or 0)."), required=False, minimum=0)
    budget_lines = fields.List(fields.Nested(GrantBudgetLineSchema), required=True, validate=validate.Length(
        min=1, error=_l("Enter at least one budget line.")), error_messages={
        "required": _l("Enter at least one budget line.")})
    status = fields.String(dump_only=True)
    submitted_at = UtcDateTime(dump_only=True)
    updated_at = UtcDateTime(dump_only=True, allow_none=True)

    @validates("contact_email")
    def _email(self, value, **_kw):
        if not EMAIL_PATTERN.match(value or ""):
            raise ValidationError(_("Enter an e-mail address: the confirmation and the private link go there."))

    @validates("nipt")
    def _nipt(self, value, **_kw):
        if not NIPT_PATTERN.match(normalise_nipt(value)):
            raise ValidationError(_("Enter the NIPT: a letter, 8 digits and a letter (e.g. L12345678A)."))


def normalise_nipt(value) -> str:
    return re.sub(r"\s+", "", str(value or "")).upper()


class GrantApplicationSummarySchema(Schema):
    id = fields.Integer()
    call_id = fields.Integer()
    reference = fields.String()
    organisation = fields.String()
    nipt = fields.String()
    project_title = fields.String()
    activity_id = fields.Integer(allow_none=True)
    amount_requested = fields.Integer()
    cofinancing = fields.Integer()
    status = fields.String()
    submitted_at = UtcDateTime()
    updated_at = UtcDateTime(allow_none=True)


class GrantTrancheSchema(Schema):
    id = fields.Integer(dump_only=True)
    award_id = fields.Integer(dump_only=True)
    position = fields.Integer(dump_only=True)
    amount = _lek(_l("Enter each tranche's amount in lek."))
    due_on = fields.Date(required=True, error_messages={"required": _l("Enter each tranche's date."),
                                                        "invalid": _l("Enter the date as YYYY-MM-DD.")})
    condition = _text(500, None, required=False)
    disbursed_on = fields.Date(dump_only=True, allow_none=True)
    disbursed_amount = fields.Integer(dump_only=True, allow_none=True)


class GrantReportSchema(Schema):
    id = fields.Integer()
    award_id = fields.Integer()
    kind = fields.String()
    text = fields.String()
    spent = fields.Integer(allow_none=True)
    status = fields.String()
    submitted_at = UtcDateTime()
    review_comment = fields.String(allow_none=True)
    reviewed_at = UtcDateTime(allow_none=True)


class GrantAwardSchema(Schema):
    id = fields.Integer(dump_only=True)
    application_id = fields.Integer(dump_only=True)
    call_id = fields.Integer(dump_only=True)
    contract_number = _text(60, _l("Enter the contract's number (at most 60 characters)."))
    signed_on = fields.Date(required=True, error_messages={"required": _l("Enter the day the contract was signed."),
                                                           "invalid": _l("Enter the date as YYYY-MM-DD.")})
    amount = _lek(_l("Enter the contract's amount in lek."))
    tranches = fields.List(fields.Nested(GrantTrancheSchema), required=True, error_messages={
        "required": _l("Enter at least one tranche.")})
    status = fields.String(dump_only=True)
    results = fields.String(dump_only=True, allow_none=True)
    reports = fields.List(fields.Nested(GrantReportSchema), dump_only=True)
    updated_at = UtcDateTime(dump_only=True, allow_none=True)


class GrantPublicAwardSchema(Schema):
    id = fields.Integer()
    call = fields.String()
    organisation = fields.String()
    nipt = fields.String()
    project = fields.String()
    purpose = fields.String()
    activity = fields.String()
    amount = fields.Integer()
    disbursed = fields.Integer()
    signed_on = fields.Date()
    status = fields.String()
    results = fields.String(allow_none=True)
    updated_at = UtcDateTime(allow_none=True)


# --- the staff API's process steps (eligibility, committee, scores, decision, money, reviews) ----

class GrantEligibilityResultSchema(Schema):
    criterion_id = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))
    met = fields.Boolean(required=True, error_messages={"required": _l("Say for every criterion whether it is met.")})
    note = _text(500, None, required=False)


class GrantEligibilityInputSchema(Schema):
    results = fields.List(fields.Nested(GrantEligibilityResultSchema), required=True, error_messages={
        "required": _l("Say for every criterion whether it is met.")}, metadata={
        "description": "One result per eligibility criterion of the call; a criterion not met needs a note"})


class GrantEligibilityCheckSchema(Schema):
    criterion_id = fields.Integer()
    criterion = fields.String(metadata={"description": "The criterion's text"})
    met = fields.Boolean(allow_none=True, metadata={"description": "Null: not yet checked"})
    note = fields.String(allow_none=True)
    checked_at = UtcDateTime(allow_none=True)
    updated_at = UtcDateTime(allow_none=True)


class GrantCommitteeMemberSchema(Schema):
    id = fields.Integer(dump_only=True)
    call_id = fields.Integer(dump_only=True)
    council_member_id = fields.Integer(load_default=None, allow_none=True,
                                       validate=validate.Range(min=1, max=2**31 - 1),
                                       metadata={"description": "A member of the council (name and e-mail from it "
                                                                "unless given)"})
    name = _text(200, None, required=False)
    email = _text(254, None, required=False)
    invited_at = UtcDateTime(dump_only=True)
    declared_at = UtcDateTime(dump_only=True, allow_none=True,
                              metadata={"description": "When they declared no conflict of interest with the call"})
    updated_at = UtcDateTime(dump_only=True, allow_none=True)


class GrantConflictSchema(Schema):
    id = fields.Integer()
    member_id = fields.Integer()
    member = fields.String(metadata={"description": "The scorer's name"})
    application_id = fields.Integer()
    reference = fields.String()
    reason = fields.String()
    declared_at = UtcDateTime()


class GrantScoreSchema(Schema):
    id = fields.Integer()
    member_id = fields.Integer()
    member = fields.String(metadata={"description": "The scorer's name"})
    application_id = fields.Integer()
    criterion_id = fields.Integer()
    score = fields.Integer()
    comment = fields.String(allow_none=True)
    updated_at = UtcDateTime(allow_none=True)


class GrantDecisionInputSchema(Schema):
    decision_id = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1), error_messages={
        "required": _l("Choose the council's decision that approved the proposal.")}, metadata={
        "description": "A decision of the council's decision register (a meeting's decision)"})


class GrantDisbursementSchema(Schema):
    disbursed_on = fields.Date(required=True, error_messages={
        "required": _l("Enter the day the money was paid (not in the future)."),
        "invalid": _l("Enter the date as YYYY-MM-DD.")})
    disbursed_amount = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=MAX_LEK),
                                      metadata={"description": "Lek; the whole tranche when left out"})


class GrantReviewSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(
        ("accepted", "returned"), error=_l("Accept the report or return it with comments.")), error_messages={
        "required": _l("Accept the report or return it with comments.")})
    comment = _text(10000, None, required=False)


CALL = GrantCallSchema()
APPLICATION = GrantApplicationSchema()
AWARD = GrantAwardSchema()


def load(schema: Schema, data: dict, *, partial=False) -> dict:
    """Clean data, or ValidationFailed with one translated message per field."""
    try:
        clean = schema.load(data, partial=partial)
    except ValidationError as err:
        raise ValidationFailed(_flatten(err.messages)) from None
    if "nipt" in clean:
        clean["nipt"] = normalise_nipt(clean["nipt"])
    return clean


def _flatten(messages, prefix: str = "") -> dict[str, str]:
    out = {}
    for key, value in messages.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            inner = _flatten(value, f"{name}.")
            # a list's items: report them on the list's field too
            out.setdefault(prefix.rstrip(".") or name, next(iter(inner.values()), ""))
            out.update(inner)
        elif isinstance(value, list):
            out[name] = " ".join(str(m) if not isinstance(m, dict) else next(iter(_flatten(m).values()), "")
                                 for m in value)
        else:
            out[name] = str(value)
    return out


# --- from the HTML forms to the schemas' input -------------------------------------------------

def _blank(value) -> bool:
    return value is None or str(value).strip() == ""


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _amount(value):
    """"150 000", "150.000", "150,000" -> "150000" (whole lek); anything else is left for the schema."""
    raw = re.sub(r"[\s.,]", "", str(value or ""))
    return raw if raw else value


def call_from_form(form) -> dict:
    data = {k: _strip(form.get(k)) for k in ("title", "objectives", "budget", "max_per_grant",
                                             "cofinancing_percent", "opens_on", "closes_on", "decision_on")}
    for key in ("budget", "max_per_grant"):
        data[key] = _amount(data[key])
    if _blank(data["cofinancing_percent"]):
        data["cofinancing_percent"] = 0
    if _blank(data["decision_on"]):
        data["decision_on"] = None
    data["activity_ids"] = [int(v) for v in form.getlist("activity_ids") if str(v).isdigit()]
    data["eligibility_criteria"] = [line.strip() for line in (form.get("eligibility") or "").splitlines()
                                    if line.strip()]
    scoring = []
    for line in (form.get("scoring") or "").splitlines():
        if not line.strip():
            continue
        text, _sep, weight = line.rpartition("|")
        if not _sep:
            text, weight = line, ""
        scoring.append({"text": text.strip(), "weight": weight.strip().rstrip("%") or None})
    data["scoring_criteria"] = scoring
    return data


def lines_from_form(form, prefix: str = "line") -> list[dict]:
    descriptions = form.getlist(f"{prefix}_description")
    amounts = form.getlist(f"{prefix}_amount")
    cofinanced = form.getlist(f"{prefix}_cofinanced")
    out = []
    for index, description in enumerate(descriptions):
        amount = amounts[index] if index < len(amounts) else ""
        co = cofinanced[index] if index < len(cofinanced) else ""
        if _blank(description) and _blank(amount) and _blank(co):
            continue
        out.append({"description": description.strip(), "amount": _amount(amount),
                    "cofinanced": _amount(co) if not _blank(co) else 0})
    return out


def application_from_form(form) -> dict:
    data = {k: _strip(form.get(k)) for k in ("organisation", "nipt", "contact_name", "contact_email",
                                             "contact_phone", "project_title", "summary", "activity_id",
                                             "amount_requested", "cofinancing")}
    data["amount_requested"] = _amount(data["amount_requested"])
    data["cofinancing"] = _amount(data["cofinancing"]) if not _blank(data["cofinancing"]) else 0
    data["activity_id"] = None if _blank(data["activity_id"]) else data["activity_id"]
    data["contact_phone"] = None if _blank(data["contact_phone"]) else data["contact_phone"]
    data["budget_lines"] = lines_from_form(form)
    return data


def award_from_form(form) -> dict:
    data = {k: _strip(form.get(k)) for k in ("contract_number", "signed_on", "amount")}
    data["amount"] = _amount(data["amount"])
    tranches = []
    for amount, due_on, condition in zip(form.getlist("tranche_amount"), form.getlist("tranche_due_on"),
                                         form.getlist("tranche_condition"), strict=False):
        if _blank(amount) and _blank(due_on):
            continue
        tranches.append({"amount": _amount(amount), "due_on": (due_on or "").strip() or None,
                         "condition": (condition or "").strip() or None})
    data["tranches"] = tranches
    return data


class GrantProgrammeInSchema(Schema):
    """The Ministry's programme, as the page and the API take it."""

    title = schemas.string(300, required=_l("Enter the title."))
    description = schemas.string(10000, load_default="")
    year = schemas.year(required=_l("Enter the year."))
    opens_on = schemas.day(required=_l("Enter the opening date."))
    closes_on = schemas.day(required=_l("Enter the closing date."))

    @validates_schema
    def _order(self, data, **_kw):
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            raise ValidationError({"closes_on": [_("The closing date comes before the opening date.")]})


class GrantLotInSchema(Schema):
    """A lot of a programme: for one municipality or for one county (by slug in the API; the page picks one)."""

    title = schemas.string(300, required=_l("Enter the title."))
    municipality = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=80),
                                 metadata={"description": "The municipality's slug (or give `county`)"})
    county = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=80),
                           metadata={"description": "The county's slug (or give `municipality`)"})
    budget = _lek(_l("Enter an amount greater than zero."))
    max_per_grant = _lek(_l("The most per grant is more than zero and at most the lot's budget."))
