"""The concerns area's contract: one marshmallow schema per input, loaded by the pages (``load_form``) and
by the API alike. What only the database knows (the area is this municipality's, the category is on the
national list) the services check."""
from __future__ import annotations

from flask import g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, post_dump, validates_schema

from ..accounts.roles import Permission
from ..api.contract import UtcDateTime
from ..schemas import choice, integer, string
from .models import CONCERN_STATUSES, SOURCE_KINDS

TEXT_MAX = 4000


class CategorySchema(Schema):
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})
    id = fields.Integer(dump_only=True)
    code = fields.String(dump_only=True)
    name_sq = string(160, _l("Enter the name in Albanian."))
    name_en = string(160, _l("Enter the name in English."))
    active = fields.Boolean(dump_only=True)


class PublicConcernSchema(Schema):
    """A concern as a citizen sends it from the public page."""
    text = string(TEXT_MAX, _l("Write the concern."))
    area_id = integer(_l("Choose the area."))
    category_id = integer(_l("Choose the category."))
    contact = string(200)


class ConcernSchema(PublicConcernSchema):
    """A concern as the secretariat records or corrects it."""
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})
    id = fields.Integer(dump_only=True)
    source_kind = choice(SOURCE_KINDS, _l("Choose who raised the concern."))
    source_name = string(200)
    meeting_id = integer(metadata={"description": "The open consultation meeting"})
    contact = string(200, metadata={"description": "Seen only by the municipality's staff"})
    channel = fields.String(dump_only=True, metadata={"description": "meeting or online"})
    status = fields.String(dump_only=True, metadata={"enum": list(CONCERN_STATUSES)})
    moderation_note = fields.String(dump_only=True, allow_none=True)
    moderated_at = UtcDateTime(dump_only=True, allow_none=True)
    created_at = UtcDateTime(dump_only=True)
    area = fields.Function(lambda c: c.area.name, dump_only=True)
    category = fields.Nested(CategorySchema, dump_only=True)

    @post_dump
    def _contact_for_staff(self, data, **_kw):
        if "contact" in data and Permission.MANAGE_RECORDS not in g.permissions:
            data["contact"] = None
        return data


class ModerationSchema(Schema):
    decision = choice(("accept", "reject"), _l("Choose whether to accept or reject the concern."))
    note = string(500, metadata={"description": "Required to reject"})

    @validates_schema
    def _reject_says_why(self, data, **_kw):
        if data.get("decision") == "reject" and not data.get("note"):
            raise ValidationError(_("Say why the concern is rejected."), "note")
