"""Concerns through the API: /api/v1/municipalities/<slug>/concerns."""
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate

from ..api.errors import commit_or_fail
from ..api.paging import listing
from ..tenancy.web import require_ids, scope
from . import services
from .models import CONCERN_STATUSES, Concern
from .schemas import CategorySchema, ConcernSchema, ModerationSchema

blp = Blueprint("api_concerns", __name__, url_prefix="/api/v1/municipalities/<municipality>/concerns",
                description="Citizens' concerns: recorded at open consultations or sent online, moderated, and "
                            "what became of them")
require_ids(blp, {"concern_id": Concern})


class ConcernPatchSchema(ConcernSchema):
    class Meta:
        partial = True


class ConcernQuerySchema(Schema):
    status = fields.String(validate=validate.OneOf(CONCERN_STATUSES))
    category_id = fields.Integer()
    area_id = fields.Integer()
    meeting_id = fields.Integer()


class OutcomeActivitySchema(Schema):
    id = fields.Integer()
    description = fields.String()
    status = fields.String()


class OutcomeAnswerSchema(Schema):
    plan_id = fields.Integer()
    year = fields.Integer()
    version_id = fields.Integer()
    version_number = fields.Integer()
    version_status = fields.String()
    item_id = fields.Integer()
    number = fields.String(allow_none=True)
    issue = fields.String()
    activities = fields.List(fields.Nested(OutcomeActivitySchema))


class OutcomeRiskSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    intensity = fields.String(allow_none=True)
    answers = fields.List(fields.Nested(OutcomeAnswerSchema))


class OutcomeSchema(Schema):
    concern_id = fields.Integer()
    status = fields.String()
    risks = fields.List(fields.Nested(OutcomeRiskSchema))



def _get(concern_id: int) -> Concern:
    concern = services.get_concern(concern_id)
    if concern is None:
        abort(404, message=_("There is no such concern in this municipality."))
    return concern


@blp.route("")
@scope("tenant")
class ConcernList(MethodView):
    @blp.arguments(ConcernQuerySchema, location="query")
    @blp.response(200, ConcernSchema(many=True))
    @listing(blp)
    def get(self, query):
        """The register of concerns (filter by status, category, area, meeting)"""
        return services.list_concerns(**query)

    @blp.arguments(ConcernSchema)
    @blp.response(201, ConcernSchema)
    def post(self, data):
        """Record a concern raised at an open consultation (accepted at once)"""
        return commit_or_fail(lambda: services.record_concern(data, recorded_by_id=current_user.id))


@blp.route("/categories")
@scope("tenant")
class CategoryList(MethodView):
    @blp.response(200, CategorySchema(many=True))
    @listing(blp)
    def get(self):
        """The national list of categories in use (kept by the Ministry)"""
        return services.list_categories()


@blp.route("/<int:concern_id>")
@scope("tenant")
class ConcernDetail(MethodView):
    @blp.response(200, ConcernSchema)
    def get(self, concern_id):
        """One concern"""
        return _get(concern_id)

    @blp.arguments(ConcernPatchSchema(partial=True))
    @blp.response(200, ConcernSchema)
    def patch(self, data, concern_id):
        """Correct a concern"""
        concern = _get(concern_id)
        return commit_or_fail(lambda: services.update_concern(concern, data))


@blp.route("/<int:concern_id>/moderation")
@scope("tenant")
class ConcernModeration(MethodView):
    @blp.arguments(ModerationSchema)
    @blp.response(200, ConcernSchema)
    def post(self, data, concern_id):
        """Accept or reject a concern sent online (a rejection says why)"""
        concern = _get(concern_id)
        return commit_or_fail(lambda: services.moderate_concern(concern, data["decision"], data.get("note"),
                                                       user_id=current_user.id))


@blp.route("/<int:concern_id>/outcome")
@scope("tenant")
class ConcernOutcome(MethodView):
    @blp.response(200, OutcomeSchema)
    def get(self, concern_id):
        """"You said, we did": the risks the concern fed, the plan items and activities answering them"""
        from ..plans.monitoring import you_said_we_did

        outcome = you_said_we_did(_get(concern_id))
        return {"concern_id": concern_id, "status": outcome["concern"].status, "risks": [
            {"id": r["risk"].id, "title": r["risk"].title, "intensity": r["risk"].intensity, "answers": [
                {"plan_id": a["plan"].id, "year": a["plan"].year, "version_id": a["version"].id,
                 "version_number": a["version"].number, "version_status": a["version"].status,
                 "item_id": a["item"].id, "number": a["item"].number, "issue": a["item"].issue,
                 "activities": [{"id": x["activity"].id, "description": x["activity"].description,
                                 "status": x["status"]} for x in a["activities"]]}
                for a in r["answers"]]} for r in outcome["risks"]]}
