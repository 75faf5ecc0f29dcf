"""Consultation tables through the API.

  /api/v1/prefectures/<county>/consultation-tables                        the county's tables (its Prefecture and
                                                                          the Ministry read; the Prefecture records)
  /api/v1/prefectures/<county>/consultation-tables/<table_id>             one table, with everything recorded
  .../<table_id>/themes, /recommendations, /funding-requests             the Prefecture adds (POST)
  .../<table_id>/recommendations/<recommendation_id>                     due date, agenda item, plan activity (PATCH)
  .../<table_id>/national-recommendations/<recommendation_id>/follow-ups a national body's follow-up (POST)
  .../<table_id>/funding-requests/<request_id>                           the answer (PATCH)
  /api/v1/prefectures/<county>/consultation-recommendations               the county's recommendations, ?overdue=true
  /api/v1/consultation-recommendations?county=&overdue=                   every county's (the Ministry)
  /api/v1/national-bodies                                                 who recommendations may be addressed to
  /api/v1/municipalities/<municipality>/recommendations                   those addressed to the council
  /api/v1/municipalities/<municipality>/recommendations/<id>/follow-ups    its follow-up (POST)
"""
from __future__ import annotations

from flask import abort, g, request
from flask.views import MethodView
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from ..accounts import access
from ..api.contract import UtcDateTime
from ..api.errors import commit_or_fail
from ..api.paging import listing
from ..extensions import db
from ..municipalities.models import County
from ..tenancy.web import scope
from ..timeutil import local_today
from . import services
from .notify import notify_recommendation_job

blp = Blueprint("api_consultation_tables", __name__, url_prefix="/api/v1",
                description="The Prefect's consultation tables with the county's councils, their recommendations "
                            "(to municipalities and national bodies) and their follow-up")

TABLES = "/prefectures/<county>/consultation-tables"


@blp.before_request
def _council_ids_exist():
    """In a municipality's routes, before the body is read: another municipality's recommendation is not
    found (404), whatever the body (as tenancy.web.require_ids does for the other areas)."""
    municipality = g.get("municipality")
    value = (request.view_args or {}).get("recommendation_id")
    if municipality is not None and value is not None and services.get_recommendation(value) is None:
        abort(404, description=_("There is no such record in this municipality."))


class ParticipantOut(Schema):
    name = fields.String()
    position = fields.String(allow_none=True)
    organisation = fields.String()
    municipality = fields.String(allow_none=True)


class ThemeOut(services.ThemeSchema):
    pass


class RecommendationOut(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "municipality or national_body"})
    addressee = fields.String(metadata={"description": "the municipality's slug or the national body's code"})
    county = fields.String()
    table_id = fields.Integer()
    theme_id = fields.Integer(allow_none=True)
    text = fields.String()
    due_on = fields.Date(allow_none=True)
    status = fields.String(metadata={"description": "open, in_progress, done, not_accepted"})
    follow_up = fields.String(allow_none=True)
    overdue = fields.Boolean(metadata={"description": "past the due date, neither done nor not accepted"})
    agenda_item_id = fields.Integer(allow_none=True)
    plan_activity_id = fields.Integer(allow_none=True)
    updated_at = UtcDateTime(allow_none=True)


class FundingOut(Schema):
    id = fields.Integer()
    amount = fields.String(metadata={"description": "a decimal number, two decimals (e.g. \"1500000.00\")"})
    currency = fields.String()
    body = fields.String(allow_none=True, metadata={"description": "the national body's code"})
    requested_from = fields.String(allow_none=True)
    purpose = fields.String()
    answer_status = fields.String(metadata={"description": "pending, granted, partly_granted, refused"})
    answer = fields.String(allow_none=True)
    answered_on = fields.Date(allow_none=True)
    granted_amount = fields.String(allow_none=True, metadata={"description": "a decimal number, two decimals"})


class TableOut(services.TableSchema):
    county = fields.String(dump_only=True)
    participants = fields.List(fields.Nested(ParticipantOut), dump_only=True)
    themes = fields.List(fields.Nested(ThemeOut), dump_only=True)
    recommendations = fields.List(fields.Nested(RecommendationOut), dump_only=True)
    funding_requests = fields.List(fields.Nested(FundingOut), dump_only=True)


class BodyOut(services.NationalBodySchema):
    name = fields.String(dump_only=True, metadata={"description": "in the caller's language"})
    active = fields.Boolean(dump_only=True)


class RecommendationQuery(Schema):
    overdue = fields.Boolean(load_default=False, metadata={"description": "only the overdue ones"})


class NationalQuery(RecommendationQuery):
    county = fields.String(load_default=None, metadata={"description": "a county's slug"})


def _row_json(r: services.FollowUpRow, today) -> dict:
    return {"id": r.id, "kind": r.kind, "addressee": r.addressee_slug, "county": r.county.slug, "table_id": r.table.id,
            "theme_id": getattr(r, "theme_id", None), "text": r.text, "due_on": r.due_on, "status": r.status,
            "follow_up": getattr(r, "follow_up", None), "overdue": r.overdue(today),
            "agenda_item_id": r.agenda_item_id, "plan_activity_id": r.plan_activity_id, "updated_at": r.updated_at}


def _recommendations_json(table) -> list[dict]:
    today = local_today()
    slugs = {m.id: m.slug for m in services.county_municipalities(table.county_id)}
    out = []
    for r in services.recommendations_of(table):
        out.append({"id": r.id, "kind": "municipality", "addressee": slugs.get(r.municipality_id),
                    "county": table.county.slug, "table_id": table.id, "theme_id": r.theme_id, "text": r.text,
                    "due_on": r.due_on, "status": r.status, "follow_up": r.follow_up,
                    "overdue": services.is_overdue(r, today),
                    "agenda_item_id": r.agenda_item_id, "plan_activity_id": r.plan_activity_id,
                    "updated_at": r.updated_at or r.created_at})
    for r in table.national_recommendations:
        out.append({"id": r.id, "kind": "national_body", "addressee": r.body.code, "county": table.county.slug,
                    "table_id": table.id, "theme_id": r.theme_id, "text": r.text, "due_on": r.due_on,
                    "status": r.status, "follow_up": r.follow_up,
                    "overdue": services.is_overdue(r, today),
                    "agenda_item_id": None, "plan_activity_id": None, "updated_at": r.updated_at or r.created_at})
    return out


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def _funding_json(f) -> dict:
    return {"id": f.id, "amount": _money(f.amount), "currency": f.currency, "body": f.body.code if f.body else None,
            "requested_from": f.requested_from, "purpose": f.purpose, "answer_status": f.answer_status,
            "answer": f.answer, "answered_on": f.answered_on, "granted_amount": _money(f.granted_amount)}


def _table_json(table) -> dict:
    names = {m.id: m.slug for m in services.county_municipalities(table.county_id)}
    return {"id": table.id, "county": table.county.slug, "title": table.title, "held_on": table.held_on,
            "theme": table.theme, "location": table.location, "chaired_by": table.chaired_by, "agenda": table.agenda,
            "minutes": table.minutes,
            "participants": [{"name": p.name, "position": p.position, "organisation": p.organisation,
                              "municipality": names.get(p.municipality_id)} for p in table.participants],
            "themes": table.themes, "recommendations": _recommendations_json(table),
            "funding_requests": [_funding_json(f) for f in table.funding_requests]}


def _refuse_unless_prefect():
    if g.county.id not in access.prefecture_county_ids(current_user):
        abort(403, description=_("Only the county's Prefecture records its consultation tables."))


def _table(table_id):
    return services.get_table(g.county.id, table_id) or abort(404)


@blp.route(TABLES)
@scope("county")
class Tables(MethodView):
    @blp.response(200, TableOut(many=True))
    @listing(blp, sync=None)
    def get(self):
        """The county's consultation tables, the latest first, with everything recorded"""
        return [_table_json(t) for t in services.list_tables(g.county.id)]

    @blp.arguments(services.TableSchema)
    @blp.response(201, TableOut)
    def post(self, data):
        """Record a table (the county's Prefecture only)"""
        _refuse_unless_prefect()
        table = commit_or_fail(lambda: services.create_table(g.county.id, data, user_id=current_user.id))
        return _table_json(table)


@blp.route(TABLES + "/<int:table_id>")
@scope("county")
class OneTable(MethodView):
    @blp.response(200, TableOut)
    def get(self, table_id):
        """One table: themes, recommendations and their follow-up, funding requests, participants"""
        return _table_json(_table(table_id))


@blp.route(TABLES + "/<int:table_id>/themes")
@scope("county")
class Themes(MethodView):
    @blp.arguments(services.ThemeSchema)
    @blp.response(201, ThemeOut)
    def post(self, data, table_id):
        """Add a theme discussed at the table"""
        _refuse_unless_prefect()
        table = _table(table_id)
        return commit_or_fail(lambda: services.add_theme(table, data))


@blp.route(TABLES + "/<int:table_id>/recommendations")
@scope("county")
class Recommendations(MethodView):
    @blp.arguments(services.RecommendationSchema)
    @blp.response(201, RecommendationOut(many=True))
    def post(self, data, table_id):
        """A recommendation to municipalities of the county and/or national bodies: one record per addressee"""
        from .. import jobs

        _refuse_unless_prefect()
        table = _table(table_id)
        addressed: list = []
        def add():  # the ids before the commit: a municipality's row is not read again outside its scope
            return {("national_body" if isinstance(r, services.NationalRecommendation) else "municipality", r.id)
                    for r in services.add_recommendation(table, data, addressed)}

        ids = commit_or_fail(add)
        for municipality_id, recommendation_id in addressed:
            jobs.enqueue(notify_recommendation_job, recommendation_id, municipality_id=municipality_id)
        return [r for r in _recommendations_json(table) if (r["kind"], r["id"]) in ids]


@blp.route(TABLES + "/<int:table_id>/recommendations/<int:recommendation_id>")
@scope("county")
class RecommendationLinks(MethodView):
    @blp.arguments(services.LinkSchema)
    @blp.response(200, RecommendationOut)
    def patch(self, data, table_id, recommendation_id):
        """The due date, and the addressed council's agenda item or plan activity that takes it up"""
        _refuse_unless_prefect()
        table = _table(table_id)
        row = services.get_table_recommendation(table, recommendation_id) or abort(404)
        row_id = row.id  # read here: after the commit the row is not read again outside its municipality's scope
        commit_or_fail(lambda: services.link_recommendation(table, row, data))
        return next(r for r in _recommendations_json(table) if r["kind"] == "municipality" and r["id"] == row_id)


@blp.route(TABLES + "/<int:table_id>/national-recommendations/<int:recommendation_id>/follow-ups")
@scope("county")
class NationalFollowUps(MethodView):
    @blp.arguments(services.FollowUpSchema)
    @blp.response(201, RecommendationOut)
    def post(self, data, table_id, recommendation_id):
        """A national body's follow-up, as the Prefecture records it (a dated step; the history is kept)"""
        _refuse_unless_prefect()
        table = _table(table_id)
        row = services.get_national_recommendation(table, recommendation_id) or abort(404)
        commit_or_fail(lambda: services.record_national_follow_up(row, data, user_id=current_user.id))
        return next(r for r in _recommendations_json(table) if r["kind"] == "national_body" and r["id"] == row.id)


@blp.route(TABLES + "/<int:table_id>/funding-requests")
@scope("county")
class FundingRequests(MethodView):
    @blp.arguments(services.FundingRequestSchema)
    @blp.response(201, FundingOut)
    def post(self, data, table_id):
        """A funding request: how much, from whom, for what"""
        _refuse_unless_prefect()
        table = _table(table_id)
        return _funding_json(commit_or_fail(lambda: services.add_funding_request(table, data)))


@blp.route(TABLES + "/<int:table_id>/funding-requests/<int:request_id>")
@scope("county")
class FundingAnswer(MethodView):
    @blp.arguments(services.FundingAnswerSchema)
    @blp.response(200, FundingOut)
    def patch(self, data, table_id, request_id):
        """The answer to a funding request"""
        _refuse_unless_prefect()
        table = _table(table_id)
        row = services.get_funding_request(table, request_id) or abort(404)
        commit_or_fail(lambda: services.answer_funding_request(row, data))
        return _funding_json(row)


@blp.route("/prefectures/<county>/consultation-recommendations")
@scope("county")
class CountyRecommendations(MethodView):
    @blp.arguments(RecommendationQuery, location="query")
    @blp.response(200, RecommendationOut(many=True))
    @listing(blp, sync=None)
    def get(self, args):
        """Every recommendation of the county's tables and its follow-up, the earliest due first"""
        today = local_today()
        rows = services.follow_up_rows(g.county.id)
        return [_row_json(r, today) for r in rows if not args.get("overdue") or r.overdue(today)]


@blp.route("/consultation-recommendations")
@scope("national")
class NationalRecommendations(MethodView):
    @blp.arguments(NationalQuery, location="query")
    @blp.response(200, RecommendationOut(many=True))
    @listing(blp, sync=None)
    def get(self, args):
        """Every Prefecture's recommendations and their follow-up (the Ministry), the earliest due first"""
        county_id = None
        if args.get("county"):
            county = db.session.execute(select(County).where(County.slug == args["county"])).scalar_one_or_none()
            if county is None:
                abort(404, description=_("There is no county at this address that you can see."))
            county_id = county.id
        today = local_today()
        return [_row_json(r, today) for r in services.follow_up_rows(county_id)
                if not args.get("overdue") or r.overdue(today)]


@blp.route("/national-bodies")
@scope("account")
class NationalBodies(MethodView):
    @blp.response(200, BodyOut(many=True))
    @listing(blp, sync=None)
    def get(self):
        """The national bodies a table's recommendations and funding requests may be addressed to"""
        locale = str(get_locale() or "sq")
        return [{"id": b.id, "code": b.code, "name_sq": b.name_sq, "name_en": b.name_en, "name": b.name(locale),
                 "active": b.active} for b in services.national_bodies(active_only=False)]

    @blp.arguments(services.NationalBodySchema)
    @blp.response(201, BodyOut)
    def post(self, data):
        """Add a national body (the Ministry)"""
        if not access.is_national(current_user):
            abort(403, description=_("Only the Ministry of Interior keeps the list of national bodies."))
        body = commit_or_fail(lambda: services.add_national_body(data))
        return {"id": body.id, "code": body.code, "name_sq": body.name_sq, "name_en": body.name_en,
                "name": body.name(str(get_locale() or "sq")), "active": body.active}


def _council_json(r, slug, today) -> dict:
    return {"id": r.id, "kind": "municipality", "addressee": slug, "county": r.table.county.slug,
            "table_id": r.table_id, "theme_id": r.theme_id, "text": r.text, "due_on": r.due_on, "status": r.status,
            "follow_up": r.follow_up,
            "overdue": services.is_overdue(r, today),
            "agenda_item_id": r.agenda_item_id, "plan_activity_id": r.plan_activity_id,
            "updated_at": r.updated_at or r.created_at}


@blp.route("/municipalities/<municipality>/recommendations")
@scope("tenant")
class CouncilRecommendations(MethodView):
    @blp.response(200, RecommendationOut(many=True))
    @listing(blp)
    def get(self):
        """The recommendations of the Prefecture's tables addressed to this council, and their follow-up"""
        today = local_today()
        return [_council_json(r, g.municipality.slug, today) for r in services.municipality_recommendations()]


@blp.route("/municipalities/<municipality>/recommendations/<int:recommendation_id>/follow-ups")
@scope("tenant")
class CouncilFollowUps(MethodView):
    @blp.arguments(services.CouncilFollowUpSchema)
    @blp.response(201, RecommendationOut)
    def post(self, data, recommendation_id):
        """The council's follow-up: status, dated note, the agenda item or plan activity that takes it up"""
        row = services.get_recommendation(recommendation_id) or abort(404)
        commit_or_fail(lambda: services.record_follow_up(row, data, user_id=current_user.id))
        return _council_json(row, g.municipality.slug, local_today())
