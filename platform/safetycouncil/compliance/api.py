"""/api/v1/compliance: the Ministry (every council) and the Prefectures (their county's) only.

  GET /api/v1/compliance?year=&county=&rule=      each council's verdicts and score
  GET /api/v1/compliance/<slug>?year=             one council's verdicts with their evidence

Anyone else gets 403; a Prefecture asking about a council or county outside its own gets 404.
"""
from __future__ import annotations

from datetime import date, datetime

from flask import abort
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from ..accounts import access
from ..api.paging import MAX_PAGE_SIZE, PAGE_SIZE
from ..extensions import db
from ..municipalities.models import County
from ..tenancy.web import scope
from . import engine, services
from .evidence import describe

blp = Blueprint("api_compliance", __name__, url_prefix="/api/v1/compliance",
                description="Compliance of the councils with the unified model (Ministry and Prefectures)")


class ComplianceQuery(Schema):
    year = fields.Integer(load_default=None)
    county = fields.String(load_default=None)
    rule = fields.String(load_default=None)


class YearQuery(Schema):
    year = fields.Integer(load_default=None)


VERDICTS = (engine.PASS, engine.FAIL, engine.NOT_YET_DUE)
COUNCIL_STATUSES = (engine.COMPLIES, engine.ON_TRACK, engine.AT_RISK, engine.FAILS)


class EvidenceField(fields.Dict):
    """One item of a verdict's evidence: what was found or missed (the rule decides which keys it
    has, all described by its `kind`), and the sentence that says it in the caller's language."""


def _evidence_item():
    return EvidenceField(metadata={
        "type": "object", "required": ["kind", "message"], "additionalProperties": True,
        "properties": {"kind": {"type": "string", "description": "what this item is, e.g. period_missing, "
                                                                 "met_on_time, met_late"},
                       "message": {"type": "string", "description": "the item in a sentence, in the caller's "
                                                                    "language"}},
        "description": "evidence of a verdict; further keys depend on its kind (dates as YYYY-MM-DD, "
                       "record ids, counts)"})


class VerdictSummarySchema(Schema):
    verdict = fields.String(required=True, validate=validate.OneOf(VERDICTS))
    article = fields.String(required=True, metadata={"description": "the article of the regulation"})
    at_risk = fields.Boolean(required=True, metadata={
        "description": "not yet due, and the rest of the year is unlikely to fit it"})


class VerdictSchema(VerdictSummarySchema):
    evidence = fields.List(_evidence_item(), required=True)


class PassRateSchema(Schema):
    pass_ = fields.Integer(data_key="pass", attribute="pass", required=True)
    fail = fields.Integer(required=True)
    not_yet_due = fields.Integer(required=True)
    at_risk = fields.Integer(required=True)
    rate = fields.Integer(required=True, allow_none=True, metadata={
        "description": "percentage of the judged councils that passed (none judged: null)"})


class CouncilSummarySchema(Schema):
    municipality = fields.String(required=True, metadata={"description": "the municipality's slug"})
    name = fields.String(required=True)
    county = fields.String(required=True, metadata={"description": "the county's slug"})
    score = fields.Integer(required=True, metadata={"description": "how many rules passed"})
    complies = fields.Boolean(required=True, metadata={"description": "every rule passed"})
    status = fields.String(required=True, validate=validate.OneOf(COUNCIL_STATUSES))
    rules = fields.Dict(keys=fields.String(), values=fields.Nested(VerdictSummarySchema), required=True,
                        metadata={"description": "verdict per rule id"})


class _Judgement(Schema):
    year = fields.Integer(required=True)
    as_of = fields.Date(required=True, metadata={"description": "the day of the judgement, in Albania"})
    year_complete = fields.Boolean(required=True, metadata={"description": "false while the year is not over"})
    model_version = fields.Integer(required=True, metadata={"description": "the unified model's version judged by"})


class ComplianceListSchema(_Judgement):
    councils = fields.Integer(required=True, metadata={"description": "councils judged (all pages)"})
    complying = fields.Integer(required=True)
    on_track = fields.Integer(required=True)
    at_risk = fields.Integer(required=True)
    failing = fields.Integer(required=True)
    pass_rates = fields.Dict(keys=fields.String(), values=fields.Nested(PassRateSchema), required=True,
                             metadata={"description": "per rule id, over every council judged"})
    items = fields.List(fields.Nested(CouncilSummarySchema), required=True,
                        metadata={"description": "this page's councils"})


class CouncilComplianceSchema(_Judgement):
    municipality = fields.String(required=True)
    name = fields.String(required=True)
    county = fields.String(required=True)
    score = fields.Integer(required=True)
    complies = fields.Boolean(required=True)
    status = fields.String(required=True, validate=validate.OneOf(COUNCIL_STATUSES))
    rules = fields.Dict(keys=fields.String(), values=fields.Nested(VerdictSchema), required=True,
                        metadata={"description": "verdict per rule id, with its evidence"})


def _day(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _allowed_county_ids() -> set[int] | None:
    """None: every county (the Ministry, administrators); else the Prefecture's counties."""
    if not current_user.is_authenticated:
        abort(401)
    if access.is_national(current_user):
        return None
    counties = access.prefecture_county_ids(current_user)
    if not counties:
        abort(403, description=_("Only the Ministry of Interior and the Prefectures can read compliance."))
    return counties


def _year(value) -> int:
    this_year = engine.local_today().year
    return this_year if value is None else max(services.FIRST_YEAR, min(int(value), this_year))


def _verdicts(result, with_evidence: bool) -> dict:
    out = {}
    for rule_id, v in result.verdicts.items():
        entry = {"verdict": v.status, "article": v.article, "at_risk": v.at_risk}
        if with_evidence:
            entry["evidence"] = [{**item, "message": describe(item)} for item in v.evidence]
        out[rule_id] = entry
    return out


@blp.route("")
@scope("account")
class ComplianceList(MethodView):
    @blp.arguments(ComplianceQuery, location="query")
    @blp.response(200, ComplianceListSchema)
    @blp.paginate(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
    def get(self, args, pagination_parameters):
        """Every council you may see: verdict per rule and score (`items` paged; the totals count them all)"""
        allowed = _allowed_county_ids()
        year = _year(args.get("year"))
        county_ids = allowed
        if args.get("county"):
            county = db.session.execute(select(County).where(County.slug == args["county"])).scalar_one_or_none()
            if county is None or (allowed is not None and county.id not in allowed):
                abort(404, description=_("There is no county at this address that you can see."))
            county_ids = {county.id}
        municipalities = [m for m in services.municipalities() if county_ids is None or m.county_id in county_ids]
        evaluation = engine.evaluate_cached([m.id for m in municipalities], year, evidence=False)
        rule = args.get("rule")
        if rule and rule not in evaluation.model.rule_ids:
            abort(404, description=_("There is no such rule in the unified model."))
        # the councils counted, then only the requested page's entries built (2,061 councils: one page)
        chosen = [m for m in municipalities
                  if not rule or evaluation.results[m.id].verdicts[rule].status == "fail"]
        pagination_parameters.item_count = len(chosen)
        page = []
        for m in chosen[pagination_parameters.first_item:pagination_parameters.last_item + 1]:
            result = evaluation.results[m.id]
            page.append({"municipality": m.slug, "name": m.name, "county": m.county.slug, "score": result.score,
                         "complies": result.complies, "status": result.status,
                         "rules": _verdicts(result, False)})
        return {"year": year, "as_of": _day(evaluation.as_of), "year_complete": evaluation.complete,
                "model_version": evaluation.model.number, "councils": len(municipalities),
                "complying": evaluation.complying, "on_track": evaluation.on_track, "at_risk": evaluation.at_risk,
                "failing": evaluation.failing, "pass_rates": evaluation.rule_pass_rates(), "items": page}


@blp.route("/<slug>")
@scope("account")
class ComplianceCouncil(MethodView):
    @blp.arguments(YearQuery, location="query")
    @blp.response(200, CouncilComplianceSchema)
    def get(self, args, slug):
        """One council's verdicts, each with its evidence"""
        allowed = _allowed_county_ids()
        municipality = services.municipality_in(slug, None)
        if municipality is None or (allowed is not None and municipality.county_id not in allowed):
            abort(404, description=_("There is no council at this address that you can see."))
        year = _year(args.get("year"))
        evaluation = engine.evaluate_cached([municipality.id], year)
        result = evaluation.results[municipality.id]
        return {"municipality": municipality.slug, "name": municipality.name, "county": municipality.county.slug,
                "year": year, "as_of": _day(evaluation.as_of), "year_complete": evaluation.complete,
                "model_version": evaluation.model.number, "score": result.score, "complies": result.complies,
                "status": result.status, "rules": _verdicts(result, True)}
