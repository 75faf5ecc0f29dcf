"""A municipality's audit trail through the API."""
from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from ..accounts.roles import Permission
from ..api.contract import UtcDateTime
from ..api.paging import listing
from ..tenancy.web import scope
from .views import entries

blp = Blueprint("api_audit", __name__, url_prefix="/api/v1/municipalities/<municipality>/audit",
                description="Who changed what, when")


class AuditQuerySchema(Schema):
    before = fields.Integer(load_default=None)


class AuditEntrySchema(Schema):
    id = fields.Integer()
    at = UtcDateTime()
    user_id = fields.Integer(allow_none=True)
    user_name = fields.String(allow_none=True)
    action = fields.String()
    entity_type = fields.String()
    entity_id = fields.String(allow_none=True)
    changes = fields.Dict()


@blp.route("")
@scope("tenant", read=Permission.READ_AUDIT)
class AuditList(MethodView):
    @blp.arguments(AuditQuerySchema, location="query")
    @blp.response(200, AuditEntrySchema(many=True))
    @listing(blp, sync="at")
    def get(self, args):
        """The latest 100 entries (page back with ?before=<id>)"""
        return [{**{c: getattr(e, c) for c in ("id", "at", "user_id", "action", "entity_type", "entity_id",
                                               "changes")}, "user_name": name}
                for e, name in entries(g.municipality.id, args.get("before"))]
