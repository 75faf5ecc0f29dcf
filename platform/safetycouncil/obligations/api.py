"""Obligations through the API.

  GET /api/v1/municipalities/<slug>/obligations?from=YYYY-MM-DD&to=YYYY-MM-DD&state=   one council's
  GET /api/v1/obligations?state=overdue&county=<slug>&from=&to=      across councils: the Ministry (all),
                                                                      a Prefecture (its county)

Each obligation: ``rule``, ``key``, ``article``, ``due`` (date-time in Albania, with its offset),
``due_date``, ``state`` (overdue, due_soon, upcoming, done, waived), ``subject`` {kind, id},
``role``, ``sentence`` (in the caller's language), ``url``; ``done_at``/``done_record`` when done,
``waiver`` when waived, ``overdue_working_days``/``needs_attention`` when overdue. Lists are
``{"items": [...], "total": n}``, ordered by due date.
"""
from __future__ import annotations

from flask import abort, g
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import select

from ..accounts import access
from ..extensions import db
from ..municipalities.models import County, Municipality
from ..tenancy.web import scope
from . import services

blp = Blueprint("api_obligations", __name__, url_prefix="/api/v1",
                description="Obligations: every council's dated duties under the unified model, and their state")


class ObligationQuery(Schema):
    from_ = fields.Date(data_key="from", load_default=None, metadata={"description": "due on or after (YYYY-MM-DD)"})
    to = fields.Date(load_default=None, metadata={"description": "due on or before (YYYY-MM-DD)"})
    state = fields.String(load_default=None, validate=validate.OneOf(services.STATES))

    @validates_schema
    def _order(self, data, **kwargs):
        # Albanian time has a regular offset from 1914 on (before: local mean time, +01:19:20)
        for key, name in (("from_", "from"), ("to", "to")):
            if data.get(key) and not 2000 <= data[key].year <= 2100:
                raise ValidationError(_("Enter a date between the years %(start)d and %(end)d.", start=2000,
                                        end=2100), name)
        if data.get("from_") and data.get("to") and data["to"] < data["from_"]:
            raise ValidationError(_("The end date is before the start date."), "to")
        if data.get("from_") and data.get("to") and (data["to"] - data["from_"]).days > 3 * 366:
            raise ValidationError(_("Ask for at most three years at a time."), "to")


class AcrossQuery(ObligationQuery):
    county = fields.String(load_default=None)


_LOCAL_MINUTES = {"description": "a moment in Albania with its offset, to the minute (YYYY-MM-DDTHH:MM+hh:mm)",
                  "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}[+-]\d{2}:\d{2}$"}


class SubjectSchema(Schema):
    kind = fields.String(required=True, metadata={
        "description": "meeting, plan, report, month, half_year, year, seat, category, consultation"})
    id = fields.Integer(required=True, allow_none=True)


class PeriodSchema(Schema):
    start = fields.String(required=True, metadata={"format": "date"})
    end = fields.String(required=True, metadata={"format": "date"})


class WaiverSchema(Schema):
    reason = fields.String(required=True)


class ObligationSchema(Schema):
    municipality = fields.String(required=True, metadata={"description": "the municipality's slug"})
    rule = fields.String(required=True)
    key = fields.String(required=True, metadata={"description": "the obligation, within its rule"})
    article = fields.String(required=True)
    due = fields.String(required=True, metadata=_LOCAL_MINUTES)
    due_date = fields.String(required=True, metadata={"format": "date", "description": "the due day, in Albania"})
    state = fields.String(required=True, validate=validate.OneOf(services.STATES))
    role = fields.String(required=True, metadata={"description": "who acts: technical_secretary, chair, "
                                                                 "coordination_secretariat"})
    subject = fields.Nested(SubjectSchema, required=True)
    period = fields.Nested(PeriodSchema, required=True, allow_none=True)
    sentence = fields.String(required=True, metadata={"description": "in the caller's language"})
    url = fields.String(required=True, metadata={"description": "the page where it is done"})
    done_at = fields.String(required=True, allow_none=True, metadata=_LOCAL_MINUTES)
    done_record = fields.Dict(required=True, allow_none=True, metadata={
        "description": "the record that met it (its kind and id)"})
    on_time = fields.Boolean(required=True, allow_none=True)
    waiver = fields.Nested(WaiverSchema, required=True, allow_none=True)
    at_risk = fields.Boolean(required=True)
    overdue_working_days = fields.Integer(metadata={"description": "only when overdue"})
    needs_attention = fields.Boolean(metadata={"description": "only when overdue: escalated to the Prefecture "
                                                              "and the Ministry"})


class CouncilObligationsSchema(Schema):
    municipality = fields.String(required=True)
    total = fields.Integer(required=True)
    items = fields.List(fields.Nested(ObligationSchema), required=True)


class AllObligationsSchema(Schema):
    councils = fields.Integer(required=True)
    total = fields.Integer(required=True)
    items = fields.List(fields.Nested(ObligationSchema), required=True)


def _read(municipality_ids, args) -> dict[int, list]:
    return services.obligations_for(municipality_ids, start=args.get("from_"), end=args.get("to"),
                                    states=(args["state"],) if args.get("state") else None)


@blp.route("/municipalities/<municipality>/obligations")
@scope("tenant")
class CouncilObligations(MethodView):
    @blp.arguments(ObligationQuery, location="query")
    @blp.response(200, CouncilObligationsSchema)
    def get(self, args):
        """One council's obligations (its people, its Prefecture, the Ministry)"""
        items = _read([g.municipality.id], args)[g.municipality.id]
        return {"municipality": g.municipality.slug, "total": len(items),
                "items": [services.as_json(ob, g.municipality.slug) for ob in items]}


@blp.route("/obligations")
@scope("account")
class AllObligations(MethodView):
    @blp.arguments(AcrossQuery, location="query")
    @blp.response(200, AllObligationsSchema)
    def get(self, args):
        """Obligations across councils: the Ministry (every council) and the Prefectures (their county's)"""
        if access.is_national(current_user):
            allowed = None
        else:
            allowed = access.prefecture_county_ids(current_user)
            if not allowed:
                abort(403, description=_("Only the Ministry of Interior and the Prefectures can read obligations "
                                         "across councils."))
        county_ids = allowed
        if args.get("county"):
            county = db.session.execute(select(County).where(County.slug == args["county"])).scalar_one_or_none()
            if county is None or (allowed is not None and county.id not in allowed):
                abort(404, description=_("There is no county at this address that you can see."))
            county_ids = {county.id}
        query = select(Municipality).where(Municipality.active.is_(True)).order_by(Municipality.name)
        if county_ids is not None:
            query = query.where(Municipality.county_id.in_(county_ids))
        municipalities = list(db.session.execute(query).scalars())
        by_id = _read([m.id for m in municipalities], args) if municipalities else {}
        items = [services.as_json(ob, m.slug) for m in municipalities for ob in by_id[m.id]]
        items.sort(key=lambda i: (i["due"], i["municipality"], i["rule"]))
        return {"councils": len(municipalities), "total": len(items), "items": items}
