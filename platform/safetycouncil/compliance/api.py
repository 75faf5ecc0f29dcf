"""/api/v1/compliance: the Ministry (every council) and the Prefectures (their county's) only.

  GET /api/v1/compliance?year=&county=&rule=      each council's verdicts and score
  GET /api/v1/compliance/<slug>?year=             one council's verdicts with their evidence

Anyone else gets 403; a Prefecture asking about a council or county outside its own gets 404.
"""
from __future__ import annotations

from flask import abort
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields
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
    @blp.response(200)
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
        councils = []
        for m in municipalities:
            result = evaluation.results[m.id]
            if rule and result.verdicts[rule].status != "fail":
                continue
            councils.append({"municipality": m.slug, "name": m.name, "county": m.county.slug, "score": result.score,
                             "complies": result.complies, "status": result.status,
                             "rules": _verdicts(result, False)})
        pagination_parameters.item_count = len(councils)
        page = councils[pagination_parameters.first_item:pagination_parameters.last_item + 1]
        return {"year": year, "as_of": evaluation.as_of.isoformat(), "year_complete": evaluation.complete,
                "model_version": evaluation.model.number, "councils": len(municipalities),
                "complying": evaluation.complying, "on_track": evaluation.on_track, "at_risk": evaluation.at_risk,
                "failing": evaluation.failing, "pass_rates": evaluation.rule_pass_rates(), "items": page}


@blp.route("/<slug>")
@scope("account")
class ComplianceCouncil(MethodView):
    @blp.arguments(YearQuery, location="query")
    @blp.response(200)
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
                "year": year, "as_of": evaluation.as_of.isoformat(), "year_complete": evaluation.complete,
                "model_version": evaluation.model.number, "score": result.score, "complies": result.complies,
                "status": result.status, "rules": _verdicts(result, True)}
