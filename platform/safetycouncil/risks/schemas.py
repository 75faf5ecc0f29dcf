"""The risk register's contract: one marshmallow schema per input, loaded by the pages (``load_form``) and by
the API alike. What only the database knows (the concerns, area, category, meeting or document are this
municipality's) the services check."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates, validates_schema

from ..api.contract import UtcDateTime
from ..schemas import choice, integer, string
from .models import EVIDENCE_KINDS, INTENSITIES

RATE = _l("Rate the intensity: high, moderate or low.")
REASON = _l("Give the reason for this rating.")


class RatingSchema(Schema):
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})
    id = fields.Integer(dump_only=True)
    intensity = choice(INTENSITIES, RATE)
    reason = string(4000, REASON)
    meeting_id = integer()
    rated_by_id = fields.Integer(dump_only=True, allow_none=True)
    rated_at = UtcDateTime(dump_only=True)


class EvidenceSchema(Schema):
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})
    id = fields.Integer(dump_only=True)
    kind = choice(EVIDENCE_KINDS, _l("Choose the kind of evidence: statistics, survey results or a document."))
    text = string(4000)
    url = string(500)
    document_id = integer()
    created_at = UtcDateTime(dump_only=True)

    @validates("url")
    def _web_address(self, value, **_kw):
        if value and not value.lower().startswith(("http://", "https://")):
            raise ValidationError(_("Enter a web address starting with http:// or https://."))

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _what_it_cites(self, data, original, **_kw):
        given = original if isinstance(original, dict) else {}

        def missing(field):  # neither given nor refused already
            return data.get(field) in (None, "") and given.get(field) in (None, "")
        if data.get("kind") == "document" and missing("document_id"):
            raise ValidationError(_("Choose the document."), "document_id")
        if data.get("kind") in ("statistics", "survey") and missing("text"):
            raise ValidationError(_("Describe the figures or the results."), "text")


class RiskPatchSchema(Schema):
    """What may change in a risk (any of it)."""
    title = string(300, _l("Name the risk."))
    description = string(8000)
    category_id = integer()
    area_id = integer()
    concern_ids = fields.List(fields.Integer(error_messages={"invalid": _l("Choose concerns of this municipality.")}),
                              metadata={"description": "The concerns behind the risk"})


class RiskSchema(RiskPatchSchema):
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})
    id = fields.Integer(dump_only=True)
    intensity = choice(INTENSITIES, metadata={"description": "On creation: rate it at once (with a reason)"})
    reason = string(4000, load_only=True)
    intensity_reason = fields.String(dump_only=True, allow_none=True)
    ratings = fields.List(fields.Nested(RatingSchema), dump_only=True)
    evidence = fields.List(fields.Nested(EvidenceSchema), dump_only=True)
    created_at = UtcDateTime(dump_only=True)

    @validates_schema
    def _rated_with_a_reason(self, data, **_kw):
        """Rated at once when an intensity or a reason is given: then both are needed."""
        if data.get("intensity") or data.get("reason"):
            errors = {}
            if not data.get("intensity"):
                errors["intensity"] = [str(RATE)]
            if not data.get("reason"):
                errors["reason"] = [str(REASON)]
            if errors:
                raise ValidationError(errors)
