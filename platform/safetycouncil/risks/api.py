"""Risks through the API: /api/v1/municipalities/<slug>/risks (with their ratings and evidence)."""
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort

from ..api.errors import commit_or_fail
from ..api.paging import listing
from ..tenancy.web import require_ids, scope
from . import services
from .models import Risk
from .schemas import EvidenceSchema, RatingSchema, RiskPatchSchema, RiskSchema

blp = Blueprint("api_risks", __name__, url_prefix="/api/v1/municipalities/<municipality>/risks",
                description="The risk register: risks from concerns, rated high, moderate or low with a reason "
                            "(every rating kept), with their evidence")
require_ids(blp, {"risk_id": Risk})


def _dump(risk: Risk) -> dict:
    return {"id": risk.id, "title": risk.title, "description": risk.description, "category_id": risk.category_id,
            "area_id": risk.area_id, "intensity": risk.intensity, "intensity_reason": risk.intensity_reason,
            "concern_ids": [link.concern_id for link in risk.concern_links], "ratings": risk.ratings,
            "evidence": risk.evidence, "created_at": risk.created_at, "updated_at": risk.updated_at}



def _get(risk_id: int) -> Risk:
    risk = services.get_risk(risk_id)
    if risk is None:
        abort(404, message=_("There is no such risk in this municipality."))
    return risk


@blp.route("")
@scope("tenant")
class RiskList(MethodView):
    @blp.response(200, RiskSchema(many=True))
    @listing(blp)
    def get(self):
        """The risk register, highest intensity first"""
        return [_dump(r) for r in services.list_risks()]

    @blp.arguments(RiskSchema)
    @blp.response(201, RiskSchema)
    def post(self, data):
        """A risk from one or more concerns, rated at once when `intensity` and `reason` are given"""
        return _dump(commit_or_fail(lambda: services.create_risk(data, user_id=current_user.id)))


@blp.route("/<int:risk_id>")
@scope("tenant")
class RiskDetail(MethodView):
    @blp.response(200, RiskSchema)
    def get(self, risk_id):
        """One risk with its rating history and evidence"""
        return _dump(_get(risk_id))

    @blp.arguments(RiskPatchSchema(partial=True))
    @blp.response(200, RiskSchema)
    def patch(self, data, risk_id):
        """Change a risk or the concerns behind it"""
        risk = _get(risk_id)
        commit_or_fail(lambda: services.update_risk(risk, data))
        return _dump(_get(risk_id))


@blp.route("/<int:risk_id>/ratings")
@scope("tenant")
class RiskRatings(MethodView):
    @blp.response(200, RatingSchema(many=True))
    @listing(blp)
    def get(self, risk_id):
        """Every rating of the risk, oldest first (append-only)"""
        return _get(risk_id).ratings

    @blp.arguments(RatingSchema)
    @blp.response(201, RatingSchema)
    def post(self, data, risk_id):
        """Rate the risk again (the history is kept)"""
        risk = _get(risk_id)
        return commit_or_fail(lambda: services.rate_risk(risk, data["intensity"], data["reason"],
                                                meeting_id=data.get("meeting_id"), user_id=current_user.id))


@blp.route("/<int:risk_id>/evidence")
@scope("tenant")
class RiskEvidenceList(MethodView):
    @blp.response(200, EvidenceSchema(many=True))
    @listing(blp)
    def get(self, risk_id):
        """The evidence the risk cites (the concerns behind it are in `concern_ids`)"""
        return _get(risk_id).evidence

    @blp.arguments(EvidenceSchema)
    @blp.response(201, EvidenceSchema)
    def post(self, data, risk_id):
        """Cite statistics, survey results (text and an optional link) or a document"""
        risk = _get(risk_id)
        return commit_or_fail(lambda: services.add_evidence(risk, data, user_id=current_user.id))
