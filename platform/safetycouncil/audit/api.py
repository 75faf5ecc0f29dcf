"""A municipality's audit trail through the API (permission ``read_audit``; personal data masked
without ``read_personal_data``, and every unmasked read written to the trail)."""
from flask import g
from flask_babel import gettext as _
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from ..accounts.roles import Permission
from ..extensions import db
from ..api.contract import UtcDateTime
from ..api.errors import validation_failed
from ..api.paging import listing
from ..tenancy.web import scope
from . import presentation

blp = Blueprint("api_audit", __name__, url_prefix="/api/v1/municipalities/<municipality>/audit",
                description="Who changed what, when")


class AuditQuerySchema(Schema):
    before = fields.Integer(load_default=None, metadata={"description": "entries older than this id"})
    person = fields.Integer(load_default=None, metadata={"description": "entries by this person (user id)"})
    type = fields.String(load_default=None, metadata={"description": "kind of record, e.g. Meeting"})
    record = fields.String(load_default=None, metadata={"description": "the record's id (with type)"})
    since = fields.Date(load_default=None, metadata={"description": "from this day (Albanian time)"})
    until = fields.Date(load_default=None, metadata={"description": "to this day, included"})


class AuditEntrySchema(Schema):
    id = fields.Integer()
    at = UtcDateTime()
    user_id = fields.Integer(allow_none=True)
    user_name = fields.String(allow_none=True)
    action = fields.String()
    entity_type = fields.String()
    entity_id = fields.String(allow_none=True)
    changes = fields.Dict()
    masked = fields.List(fields.String(), metadata={"description": "fields whose personal values are hidden"})
    sentence = fields.String(metadata={"description": "the entry in a sentence, in the caller's language"})
    details = fields.List(fields.String())


@blp.route("")
@scope("tenant", read=Permission.READ_AUDIT)
class AuditList(MethodView):
    @blp.arguments(AuditQuerySchema, location="query")
    @blp.response(200, AuditEntrySchema(many=True))
    @listing(blp, sync="at")
    def get(self, args):
        """The latest 100 entries, filtered by person, record and date (page back with ?before=<id>)"""
        # typed by the schema already: built directly (the page's parser reads the form's formats)
        filters = presentation.Filters()
        filters.user_id, filters.before_id = args.get("person"), args.get("before")
        filters.entity_type = (args.get("type") or "").strip()[:60] or None
        filters.entity_id = (args.get("record") or "").strip()[:40] or None
        filters.since, filters.until = args.get("since"), args.get("until")
        if filters.since and filters.until and filters.until < filters.since:
            validation_failed({"until": _("The end of the period is before its start.")})
        may_see = Permission.READ_PERSONAL_DATA in g.permissions
        rows = presentation.entries(g.municipality.id, filters)
        lines = presentation.present(rows, may_see_personal=may_see)
        result = []
        for line in lines:
            e = line.entry
            changes, masked = presentation.masked_changes(e, may_see_personal=may_see)
            result.append({"id": e.id, "at": e.at, "user_id": e.user_id, "user_name": line.who if e.user_id else None,
                           "action": e.action, "entity_type": e.entity_type, "entity_id": e.entity_id,
                           "changes": changes, "masked": masked, "sentence": line.sentence,
                           "details": line.details})
        if may_see:
            presentation.log_unmasked((line.entry, line.shown_personal) for line in lines)
            db.session.commit()
        return result
