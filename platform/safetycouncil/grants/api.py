"""Community grants through the API.

Staff:  /api/v1/municipalities/<slug>/grants/calls[/<id>[/open|/close|/applications|/ranking]],
        /api/v1/municipalities/<slug>/grants/applications/<id>, /grants/awards[/<id>]
Public: /api/v1/public/municipalities/<slug>/grants/calls (calls once opened), /grants/awards (the register)
The schemas are the pages' (``grants.schemas``): one contract for both.
"""
from __future__ import annotations

from flask import g, url_for
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields

from ..api.errors import commit_or_fail
from ..api.paging import listing
from ..concerns.common import require_existing
from ..tenancy import tenant
from ..tenancy.web import scope
from . import schemas, services
from .models import GrantApplication, GrantAward, GrantCall

blp = Blueprint("api_grants", __name__, url_prefix="/api/v1/municipalities/<municipality>/grants",
                description="Community grants: calls, applications, the committee's ranking, awards with tranches "
                            "and reports")
require_existing(blp, {"call_id": GrantCall, "application_id": GrantApplication, "award_id": GrantAward})
public_blp = Blueprint("api_public_grants", __name__, url_prefix="/api/v1/public/municipalities/<municipality>/grants",
                       description="Community grants in public: calls once opened, and the register of awards")


class GrantCallPatchSchema(schemas.GrantCallSchema):
    class Meta:
        partial = True


class GrantRankedSchema(Schema):
    rank = fields.Integer()
    application_id = fields.Integer()
    reference = fields.String()
    organisation = fields.String()
    total = fields.Float(metadata={"description": "Weighted total out of 100"})
    scorers = fields.Integer()
    amount_requested = fields.Integer()
    proposed = fields.Boolean()
    tie_note = fields.String(allow_none=True, metadata={"description": "How a tie was ordered, in the caller's "
                                                                       "language"})


def _call(call_id: int) -> GrantCall:
    row = services.get_call(call_id)
    if row is None:
        abort(404, message=_("There is no such record in this municipality."))
    return row


@blp.route("/calls")
@scope("tenant")
class CallList(MethodView):
    @blp.response(200, schemas.GrantCallSchema(many=True))
    @listing(blp)
    def get(self):
        """The municipality's calls, drafts included"""
        return services.list_calls()

    @blp.arguments(schemas.GrantCallSchema)
    @blp.response(201, schemas.GrantCallSchema)
    def post(self, data):
        """Draft a call (open it to publish it)"""
        return commit_or_fail(lambda: services.create_call(data, user_id=current_user.id))


@blp.route("/calls/<int:call_id>")
@scope("tenant")
class CallDetail(MethodView):
    @blp.response(200, schemas.GrantCallSchema)
    def get(self, call_id):
        """One call"""
        return _call(call_id)

    @blp.arguments(GrantCallPatchSchema(partial=True))
    @blp.response(200, schemas.GrantCallSchema)
    def patch(self, data, call_id):
        """Change a draft call"""
        row = _call(call_id)
        return commit_or_fail(lambda: services.update_call(row, data))


@blp.route("/calls/<int:call_id>/open")
@scope("tenant")
class CallOpen(MethodView):
    @blp.response(200, schemas.GrantCallSchema)
    def post(self, call_id):
        """Open a draft call: from now on on the public page and in the open data"""
        row = _call(call_id)
        return commit_or_fail(lambda: services.open_call(row))


@blp.route("/calls/<int:call_id>/close")
@scope("tenant")
class CallClose(MethodView):
    @blp.response(200, schemas.GrantCallSchema)
    def post(self, call_id):
        """Close an open call: no more applications"""
        row = _call(call_id)
        return commit_or_fail(lambda: services.close_call(row))


@blp.route("/calls/<int:call_id>/applications")
@scope("tenant")
class CallApplications(MethodView):
    @blp.response(200, schemas.GrantApplicationSummarySchema(many=True))
    @listing(blp)
    def get(self, call_id):
        """The call's applications"""
        return services.list_applications(_call(call_id))


@blp.route("/calls/<int:call_id>/ranking")
@scope("tenant")
class CallRanking(MethodView):
    @blp.response(200, GrantRankedSchema(many=True))
    @listing(blp, sync=None)
    def get(self, call_id):
        """The eligible applications ranked by weighted score, ties explained"""
        return [{"rank": r.rank, "application_id": r.application.id, "reference": r.application.reference,
                 "organisation": r.application.organisation, "total": r.total, "scorers": r.scorers,
                 "amount_requested": r.application.amount_requested, "proposed": r.proposed,
                 "tie_note": r.tie_note} for r in services.ranking(_call(call_id))]


@blp.route("/applications/<int:application_id>")
@scope("tenant")
class ApplicationDetail(MethodView):
    @blp.response(200, schemas.GrantApplicationSchema)
    def get(self, application_id):
        """One application, with its budget lines"""
        return services.get_application(application_id)


@blp.route("/awards")
@scope("tenant")
class AwardList(MethodView):
    @blp.response(200, schemas.GrantAwardSchema(many=True))
    @listing(blp)
    def get(self):
        """Every award of the municipality, with tranches and reports"""
        return services.list_awards()


@blp.route("/awards/<int:award_id>")
@scope("tenant")
class AwardDetail(MethodView):
    @blp.response(200, schemas.GrantAwardSchema)
    def get(self, award_id):
        """One award, with tranches and reports"""
        return services.get_award(award_id)


# --- public ------------------------------------------------------------------------------------

def _public_call(row: GrantCall) -> dict:
    accepting = services.accepting(row)
    return {"id": row.id, "title": row.title, "objectives": row.objectives, "budget": row.budget,
            "max_per_grant": row.max_per_grant, "cofinancing_percent": row.cofinancing_percent,
            "opens_on": row.opens_on, "closes_on": row.closes_on, "decision_on": row.decision_on,
            "status": row.status, "accepting": accepting,
            "eligibility_criteria": [c.text for c in row.eligibility_criteria],
            "scoring_criteria": row.scoring_criteria, "updated_at": row.updated_at,
            "apply_url": url_for("grants.public_call", municipality=g.municipality.slug, call_id=row.id,
                                 _external=True) if accepting else None}


@public_blp.route("/calls")
@scope("public")
class PublicCalls(MethodView):
    @public_blp.doc(security=[])  # anyone, without a token
    @public_blp.response(200, schemas.GrantPublicCallSchema(many=True))
    @listing(public_blp)
    def get(self):
        """Calls once opened (open, closed, decided), newest first"""
        with tenant(g.municipality.id):
            return [_public_call(c) for c in services.public_calls()]


@public_blp.route("/awards")
@scope("public")
class PublicAwards(MethodView):
    @public_blp.doc(security=[])  # anyone, without a token
    @public_blp.response(200, schemas.GrantPublicAwardSchema(many=True))
    @listing(public_blp)
    def get(self):
        """The register of awards: organisation, amount, purpose, plan activity, results"""
        with tenant(g.municipality.id):
            return services.public_register()
