"""The roll-out the Ministry monitors (issue 19), through the API: the Ministry (every municipality, or one county's)
and each Prefecture (its county's). Paged like every list (``api.paging.listing``); moments in UTC.

  GET /api/v1/rollout?year=&county=                   the Ministry
  GET /api/v1/prefectures/<county>/rollout?year=      a Prefecture (its own county; another county's: 404)

One item per municipality: the unified-model regulation's adoption (the first decision adopting it), the
decision in force and its publication on the official website (Art. 13), the consultation tables its county's
Prefecture held in the year, and each month's crime statistics: due by the model's
``crime_statistics_publication_day`` of the following month, published (first upload), on time / late / missing /
pending.
"""
from __future__ import annotations

from flask import abort, g
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from ..api.contract import UtcDateTime
from ..api.paging import listing
from ..compliance import engine, services
from ..extensions import db
from ..municipalities.models import County
from ..tenancy.web import scope
from . import rollout as _rollout

blp = Blueprint("api_rollout", __name__, url_prefix="/api/v1",
                description="The roll-out of the unified model (the Ministry and the Prefectures)")

STATES = (_rollout.ON_TIME, _rollout.LATE, _rollout.MISSING, _rollout.PENDING)


class RolloutQuery(Schema):
    year = fields.Integer(load_default=None, validate=validate.Range(min=services.FIRST_YEAR, max=2100), metadata={
        "description": "The year (default: this year; a later year is read as this year)"})


class NationalRolloutQuery(RolloutQuery):
    county = fields.String(load_default=None, metadata={"description": "Only this county's municipalities (slug)"})


class MonthOut(Schema):
    month = fields.String(metadata={"description": "YYYY-MM"})
    due = UtcDateTime(metadata={"description": "The end of the model's day of the following month (UTC)"})
    published = UtcDateTime(allow_none=True, metadata={"description": "The first upload of the month (UTC)"})
    state = fields.String(metadata={"enum": list(STATES)})
    days_late = fields.Integer(allow_none=True)


class CrimeCountsOut(Schema):
    on_time = fields.Integer()
    late = fields.Integer()
    missing = fields.Integer()
    pending = fields.Integer()


class RolloutOut(Schema):
    municipality = fields.String(metadata={"description": "The municipality's slug"})
    name = fields.String()
    county = fields.String(metadata={"description": "The county's slug"})
    year = fields.Integer()
    adopted_on = fields.Date(allow_none=True, metadata={
        "description": "The first Municipal Council decision adopting the unified-model regulation, by the year's "
                       "end (or today)"})
    adopted_number = fields.String(allow_none=True)
    in_force_number = fields.String(allow_none=True, metadata={"description": "The decision in force"})
    in_force_date = fields.Date(allow_none=True)
    published_on = fields.Date(allow_none=True, metadata={
        "description": "Art. 13: the regulation of the decision in force published on the official website"})
    consultation_tables = fields.Integer(metadata={
        "description": "Consultation tables the county's Prefecture held in the year (so far)"})
    crime_statistics = fields.Nested(CrimeCountsOut)
    months = fields.List(fields.Nested(MonthOut))


def _year(value) -> int:
    this_year = engine.local_today().year
    return min(value or this_year, this_year)


def _items(municipalities, year: int, county=None) -> list[dict]:
    data = _rollout.rollout(municipalities, year, engine._now(), counties=[county] if county else None)
    tables = {t["county"].id: t["count"] for t in data.tables}
    return [{"municipality": r.municipality.slug, "name": r.municipality.name, "county": r.municipality.county.slug,
             "year": year, "adopted_on": r.adopted_on, "adopted_number": r.adopted_number,
             "in_force_number": r.in_force_number, "in_force_date": r.in_force_date, "published_on": r.published_on,
             "consultation_tables": tables.get(r.municipality.county_id, 0),
             "crime_statistics": {state: r.count(state) for state in STATES},
             "months": [{"month": m["month"].isoformat()[:7], "due": m["due"], "published": m["published"],
                         "state": m["state"], "days_late": m.get("days_late")} for m in r.months]}
            for r in data.municipalities]


@blp.route("/rollout")
@scope("national")
class NationalRollout(MethodView):
    @blp.arguments(NationalRolloutQuery, location="query")
    @blp.response(200, RolloutOut(many=True))
    @listing(blp, sync=None)
    def get(self, args):
        """The roll-out of every municipality (or one county's): adoption, publication, tables, crime statistics"""
        county = None
        if args.get("county"):
            county = db.session.execute(select(County).where(County.slug == args["county"])).scalar_one_or_none()
            if county is None:
                abort(404, description=_("There is no county at this address that you can see."))
        municipalities = services.municipalities(county.id) if county else services.municipalities()
        return _items(municipalities, _year(args.get("year")), county)


@blp.route("/prefectures/<county>/rollout")
@scope("county")
class CountyRollout(MethodView):
    @blp.arguments(RolloutQuery, location="query")
    @blp.response(200, RolloutOut(many=True))
    @listing(blp, sync=None)
    def get(self, args):
        """The roll-out of the county's municipalities (its Prefecture and the Ministry)"""
        return _items(services.municipalities(g.county.id), _year(args.get("year")), g.county)
