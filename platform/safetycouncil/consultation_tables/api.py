"""/api/v1/prefectures/<county>/consultation-tables: the county's tables (its Prefecture and the Ministry read;
the Prefecture records)."""
from __future__ import annotations

from flask import abort, g
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from ..accounts import access
from ..errors import ValidationFailed
from ..extensions import db
from ..tenancy.web import scope
from . import services

blp = Blueprint("api_consultation_tables", __name__, url_prefix="/api/v1/prefectures/<county>/consultation-tables",
                description="The Prefect's consultation tables with the county's councils")


class TableIn(Schema):
    title = fields.String(required=True)
    held_on = fields.Date(required=True)
    theme = fields.String(load_default=None)
    location = fields.String(load_default=None)
    chaired_by = fields.String(load_default=None)
    agenda = fields.String(load_default=None)
    minutes = fields.String(load_default=None)


def _table_json(table, names) -> dict:
    return {"id": table.id, "title": table.title, "held_on": table.held_on.isoformat(), "theme": table.theme,
            "location": table.location, "chaired_by": table.chaired_by, "agenda": table.agenda,
            "minutes": table.minutes,
            "participants": [{"name": p.name, "position": p.position, "organisation": p.organisation,
                              "municipality": names.get(p.municipality_id)} for p in table.participants],
            "recommendations": [{"id": r.id, "municipality": names.get(r.municipality_id), "text": r.text,
                                 "status": r.status, "follow_up": r.follow_up}
                                for r in services.recommendations_of(table)]}


@blp.route("")
@scope("county")
class Tables(MethodView):
    @blp.response(200)
    def get(self):
        """The county's consultation tables, with participants and the follow-up of each recommendation"""
        names = {m.id: m.slug for m in services.county_municipalities(g.county.id)}
        return [_table_json(t, names) for t in services.list_tables(g.county.id)]

    @blp.arguments(TableIn)
    @blp.response(201)
    def post(self, data):
        """Record a table (the county's Prefecture only)"""
        if g.county.id not in access.prefecture_county_ids(current_user):
            abort(403, description=_("Only the county's Prefecture records its consultation tables."))
        try:
            table = services.create_table(g.county.id, data, user_id=current_user.id)
            db.session.commit()
        except ValidationFailed:
            db.session.rollback()
            raise
        names = {m.id: m.slug for m in services.county_municipalities(g.county.id)}
        return _table_json(table, names)
