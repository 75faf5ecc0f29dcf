"""Community grants through the API.

Staff:  /api/v1/municipalities/<slug>/grants/calls[/<id>[/open|/close|/applications|/ranking]],
        .../calls/<id>/committee[/<scorer_id>[/link]], .../calls/<id>/conflicts, .../calls/<id>/scores,
        .../calls/<id>/proposal, .../calls/<id>/decision,
        /api/v1/municipalities/<slug>/grants/applications/<id>[/eligibility|/award], /grants/awards[/<id>],
        .../awards/<id>/tranches/<tranche_id>/disbursement, .../awards/<id>/reports/<grant_report_id>/review
        The same services and permissions as the pages: reading needs the municipality, writing
        MANAGE_RECORDS (403 otherwise); another municipality's ids answer 404.
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
from sqlalchemy import select

from ..api.contract import UtcDateTime
from ..api.errors import commit_or_fail
from ..api.paging import listing
from ..tenancy import tenant
from ..tenancy.web import require_ids, scope
from ..extensions import db
from . import call_documents, notifications, schemas, services
from .models import (
    GrantApplication,
    GrantAward,
    GrantCall,
    GrantCallDocument,
    GrantCommitteeMember,
    GrantConflict,
    GrantReport,
    GrantScore,
    GrantTranche,
)

blp = Blueprint("api_grants", __name__, url_prefix="/api/v1/municipalities/<municipality>/grants",
                description="Community grants: calls, applications, the committee's ranking, awards with tranches "
                            "and reports")
require_ids(blp, {"call_id": GrantCall, "application_id": GrantApplication, "award_id": GrantAward,
                  "scorer_id": GrantCommitteeMember, "tranche_id": GrantTranche, "grant_report_id": GrantReport})
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
    by_criterion = fields.Dict(keys=fields.String(), values=fields.Float(), metadata={
        "description": "Criterion id -> the mean score of the scorers who scored it"})


def _missing():
    abort(404, message=_("There is no such record in this municipality."))


def _call(call_id: int) -> GrantCall:
    row = services.get_call(call_id)
    if row is None:
        _missing()
    return row


def _application(application_id: int) -> GrantApplication:
    return services.get_application(application_id) or _missing()


def _award(award_id: int) -> GrantAward:
    return services.get_award(award_id) or _missing()


def _member(call_id: int, scorer_id: int) -> GrantCommitteeMember:
    row = services.get_member(scorer_id)
    if row is None or row.call_id != _call(call_id).id:
        _missing()
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
                 "tie_note": r.tie_note, "by_criterion": {str(k): v for k, v in r.by_criterion.items()}}
                for r in services.ranking(_call(call_id))]


@blp.route("/applications/<int:application_id>")
@scope("tenant")
class ApplicationDetail(MethodView):
    @blp.response(200, schemas.GrantApplicationSchema)
    def get(self, application_id):
        """One application, with its budget lines"""
        return _application(application_id)


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
        return _award(award_id)


# --- the process: eligibility, the committee, scores, proposal, decision --------------------------

def _eligibility(application: GrantApplication) -> list[dict]:
    checks = services.eligibility_checks(application)
    out = []
    for criterion in application.call.eligibility_criteria:
        check = checks.get(criterion.id)
        out.append({"criterion_id": criterion.id, "criterion": criterion.text,
                    "met": check.met if check else None, "note": check.note if check else None,
                    "checked_at": check.checked_at if check else None,
                    "updated_at": check.updated_at if check else None})
    return out


@blp.route("/applications/<int:application_id>/eligibility")
@scope("tenant")
class ApplicationEligibility(MethodView):
    @blp.response(200, schemas.GrantEligibilityCheckSchema(many=True))
    @listing(blp)
    def get(self, application_id):
        """The application checked against each eligibility criterion of the call (met: null when not yet)"""
        return _eligibility(_application(application_id))

    @blp.arguments(schemas.GrantEligibilityInputSchema)
    @blp.response(200, schemas.GrantApplicationSummarySchema)
    def put(self, data, application_id):
        """Record the check, one result per criterion (once the call is closed): eligible when all are met"""
        row = _application(application_id)
        results = {r["criterion_id"]: (r["met"], (r.get("note") or "").strip() or None) for r in data["results"]}
        return commit_or_fail(lambda: services.record_eligibility(row, results, user_id=current_user.id))


@blp.route("/calls/<int:call_id>/committee")
@scope("tenant")
class Committee(MethodView):
    @blp.response(200, schemas.GrantCommitteeMemberSchema(many=True))
    @listing(blp)
    def get(self, call_id):
        """The scoring committee: who, invited when, declared no conflict of interest when"""
        return services.committee(_call(call_id))

    @blp.arguments(schemas.GrantCommitteeMemberSchema)
    @blp.response(201, schemas.GrantCommitteeMemberSchema)
    def post(self, data, call_id):
        """Name a scorer (a council member, or anyone by name and e-mail); their private link is e-mailed"""
        row = _call(call_id)
        scorer = commit_or_fail(lambda: services.add_member(row, name=data.get("name"), email=data.get("email"),
                                                            council_member_id=data.get("council_member_id")))
        notifications.send_scorer_link(scorer)
        return scorer


@blp.route("/calls/<int:call_id>/committee/<int:scorer_id>")
@scope("tenant")
class CommitteeMember(MethodView):
    @blp.response(204)
    def delete(self, call_id, scorer_id):
        """Take a scorer off the committee (409 once they scored, or once the call is decided)"""
        scorer = _member(call_id, scorer_id)
        commit_or_fail(lambda: services.remove_member(scorer))


@blp.route("/calls/<int:call_id>/committee/<int:scorer_id>/link")
@scope("tenant")
class CommitteeMemberLink(MethodView):
    @blp.response(202, schemas.GrantCommitteeMemberSchema)
    def post(self, call_id, scorer_id):
        """E-mail the scorer a new private link (the earlier one stops working)"""
        scorer = _member(call_id, scorer_id)
        notifications.send_scorer_link(scorer, again=True)
        return scorer


def _names(call: GrantCall) -> dict[int, str]:
    return {m.id: m.name for m in services.committee(call)}


@blp.route("/calls/<int:call_id>/conflicts")
@scope("tenant")
class CallConflicts(MethodView):
    @blp.response(200, schemas.GrantConflictSchema(many=True))
    @listing(blp, sync="declared_at")
    def get(self, call_id):
        """Conflicts of interest the scorers declared, per application (they do not see or score it)"""
        row = _call(call_id)
        names = _names(row)
        references = {a.id: a.reference for a in services.list_applications(row)}
        conflicts = db.session.execute(select(GrantConflict).where(GrantConflict.member_id.in_(list(names)))
                                       .order_by(GrantConflict.id)).scalars() if names else []
        return [{"id": c.id, "member_id": c.member_id, "member": names[c.member_id], "application_id": c.application_id,
                 "reference": references.get(c.application_id, ""), "reason": c.reason,
                 "declared_at": c.declared_at} for c in conflicts]


@blp.route("/calls/<int:call_id>/scores")
@scope("tenant")
class CallScores(MethodView):
    @blp.response(200, schemas.GrantScoreSchema(many=True))
    @listing(blp)
    def get(self, call_id):
        """Every score and comment of every scorer, per application and criterion"""
        row = _call(call_id)
        names = _names(row)
        scores = db.session.execute(select(GrantScore).where(GrantScore.member_id.in_(list(names)))
                                    .order_by(GrantScore.application_id, GrantScore.member_id,
                                              GrantScore.criterion_id)).scalars() if names else []
        return [{"id": s.id, "member_id": s.member_id, "member": names[s.member_id],
                 "application_id": s.application_id, "criterion_id": s.criterion_id, "score": s.score,
                 "comment": s.comment, "updated_at": s.updated_at} for s in scores]


@blp.route("/calls/<int:call_id>/proposal")
@scope("tenant")
class CallProposal(MethodView):
    @blp.response(200, schemas.GrantCallSchema)
    def post(self, call_id):
        """Record the committee's proposal: the ranked applications funded in order while the budget allows"""
        row = _call(call_id)
        commit_or_fail(lambda: services.propose(row))
        return _call(call_id)


@blp.route("/calls/<int:call_id>/decision")
@scope("tenant")
class CallDecision(MethodView):
    @blp.arguments(schemas.GrantDecisionInputSchema)
    @blp.response(200, schemas.GrantCallSchema)
    def post(self, data, call_id):
        """The council approved the proposal by this decision of its decision register: the call is decided"""
        row = _call(call_id)
        return commit_or_fail(lambda: services.approve_proposal(row, data["decision_id"]))


# --- money: the award, disbursements, reports --------------------------------------------------

@blp.route("/applications/<int:application_id>/award")
@scope("tenant")
class ApplicationAward(MethodView):
    @blp.arguments(schemas.GrantAwardSchema)
    @blp.response(201, schemas.GrantAwardSchema)
    def post(self, data, application_id):
        """The contract for an approved application, with its tranches (adding up to the amount)"""
        row = _application(application_id)
        return commit_or_fail(lambda: services.create_award(row, data))


@blp.route("/awards/<int:award_id>/tranches/<int:tranche_id>/disbursement")
@scope("tenant")
class TrancheDisbursement(MethodView):
    @blp.arguments(schemas.GrantDisbursementSchema)
    @blp.response(200, schemas.GrantTrancheSchema)
    def post(self, data, award_id, tranche_id):
        """Record the payment of a tranche (the day, not in the future; the amount, up to the tranche's)"""
        award = _award(award_id)
        tranche = services.get_tranche(tranche_id)
        if tranche is None or tranche.award_id != award.id:
            _missing()
        return commit_or_fail(lambda: services.disburse(tranche, on=data["disbursed_on"],
                                                        amount=data.get("disbursed_amount"),
                                                        user_id=current_user.id))


@blp.route("/awards/<int:award_id>/reports/<int:grant_report_id>/review")
@scope("tenant")
class ReportReview(MethodView):
    @blp.arguments(schemas.GrantReviewSchema)
    @blp.response(200, schemas.GrantReportSchema)
    def post(self, data, award_id, grant_report_id):
        """Accept the grantee's report, or return it with comments (an accepted final report completes
        the grant)"""
        award = _award(award_id)
        report = services.get_report(grant_report_id)
        if report is None or report.award_id != award.id:
            _missing()
        return commit_or_fail(lambda: services.review_report(report, decision=data["decision"],
                                                             comment=data.get("comment"),
                                                             user_id=current_user.id))


# --- documents of a call ----------------------------------------------------------------------

class GrantCallDocumentOut(Schema):
    id = fields.Integer()
    title = fields.String()
    filename = fields.String()
    content_type = fields.String()
    size_bytes = fields.Integer(attribute="size")
    replaces_id = fields.Integer(allow_none=True, metadata={"description": "The earlier version this one replaces"})
    replaced_at = UtcDateTime(allow_none=True, metadata={"description": "When a newer version replaced it (UTC)"})
    created_at = UtcDateTime()


CALL_DOCUMENT_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"title": {"type": "string", "maxLength": 200,
                             "description": "Required unless it replaces a document (then it keeps its title)"},
                   "replaces_id": {"type": "integer", "description": "The current version it replaces"},
                   "file": {"type": "string", "format": "binary"}},
}}}}


@blp.route("/calls/<int:call_id>/documents")
@scope("tenant", ids={"call_id": GrantCall})
class CallDocuments(MethodView):
    @blp.response(200, GrantCallDocumentOut(many=True))
    @listing(blp, sync=None)  # a handful of versions; a replacement changes the old one's replaced_at
    def get(self, call_id):
        """The call's documents: every version, the current ones without `replaced_at`"""
        from . import call_documents

        row = _call(call_id)
        return sorted(call_documents.current_documents(row) + call_documents.earlier_versions(row),
                      key=lambda d: d.id)

    @blp.doc(requestBody=CALL_DOCUMENT_BODY)
    @blp.response(201, GrantCallDocumentOut)
    def post(self, call_id):
        """Attach a document (multipart: `file`, `title`, optional `replaces_id`); checked by content; public once
        the call is open"""
        from flask import request

        from . import call_documents

        row = _call(call_id)
        try:
            replaces = call_documents.replaced_by_form(row, request.form.get("replaces_id"))
        except LookupError:
            _missing()
        upload = request.files.get("file")
        return commit_or_fail(lambda: call_documents.add_document(
            row, request.form.get("title"), upload.filename if upload else None,
            upload.stream if upload and upload.filename else None, user_id=current_user.id, replaces=replaces))


@blp.route("/call-documents/<int:call_document_id>/content")
@scope("tenant", ids={"call_document_id": GrantCallDocument})
class CallDocumentContent(MethodView):
    @blp.response(200, description="The file, as an attachment")
    def get(self, call_document_id):
        """Download a document of a call (any version)"""
        from . import call_documents
        from .views import send_stored

        return send_stored(call_documents.get_document(call_document_id))


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
                                 _external=True) if accepting else None,
            "documents": [{"title": d.title, "filename": d.filename, "content_type": d.content_type,
                           "size_bytes": d.size,
                           "url": url_for("grants.public_call_document", municipality=g.municipality.slug,
                                          call_id=row.id, call_document_id=d.id, _external=True)}
                          for d in call_documents.current_documents(row)]}


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


# --- the Ministry's programmes with lots --------------------------------------------------------------------
#   GET /api/v1/grants/programmes          the Ministry: every programme, each lot with its councils' totals
#   GET /api/v1/public/grants/programmes   anyone: the open programmes and their lots (no council's data)

programmes_blp = Blueprint("api_grant_programmes", __name__, url_prefix="/api/v1",
                           description="The Ministry's grant programmes with lots per municipality or county")


class GrantLotOut(Schema):
    id = fields.Integer()
    title = fields.String()
    place = fields.String(metadata={"description": "The municipality's or the county's name"})
    municipality = fields.String(allow_none=True, metadata={"description": "A municipality's lot: its slug"})
    county = fields.String(allow_none=True, metadata={"description": "A county's lot: its slug (a budget shared "
                                                                     "by the calls of its municipalities)"})
    budget = fields.Integer(metadata={"description": "lek"})
    max_per_grant = fields.Integer(metadata={"description": "lek"})


class GrantLotTotalsOut(GrantLotOut):
    calls = fields.Integer(metadata={"description": "The councils' calls of this lot"})
    open = fields.Integer(metadata={"description": "Of them, opened by their council"})
    applications = fields.Integer(metadata={"description": "Applications sent (not drafts)"})
    awards = fields.Integer()
    amount = fields.Integer(metadata={"description": "Awarded, lek"})
    left = fields.Integer(metadata={"description": "The lot's budget not yet awarded, lek"})


class GrantProgrammeOut(Schema):
    id = fields.Integer()
    title = fields.String()
    description = fields.String()
    year = fields.Integer()
    opens_on = fields.Date()
    closes_on = fields.Date()
    status = fields.String(metadata={"enum": ["draft", "open"]})
    opened_at = UtcDateTime(allow_none=True)
    lots = fields.List(fields.Nested(GrantLotOut))


class GrantProgrammeTotalsOut(GrantProgrammeOut):
    lots = fields.List(fields.Nested(GrantLotTotalsOut))


def _programme(programme, lots: list[dict]) -> dict:
    def lot_out(row: dict) -> dict:
        lot = row["lot"]
        return {"id": lot.id, "title": lot.title, "budget": lot.budget, "max_per_grant": lot.max_per_grant,
                **{k: row[k] for k in ("place", "municipality", "county", "calls", "open", "applications", "awards",
                                       "amount", "left") if k in row}}

    return {"id": programme.id, "title": programme.title, "description": programme.description,
            "year": programme.year, "opens_on": programme.opens_on, "closes_on": programme.closes_on,
            "status": programme.status, "opened_at": programme.opened_at, "lots": [lot_out(r) for r in lots]}


@programmes_blp.route("/grants/programmes")
@scope("national")
class NationalProgrammes(MethodView):
    @programmes_blp.response(200, GrantProgrammeTotalsOut(many=True))
    @listing(programmes_blp, sync=None)
    def get(self):
        """The Ministry's programmes, each lot with its councils' calls, applications, awards and amounts"""
        from . import programmes

        return [_programme(p, programmes.programme_totals(p)) for p in programmes.list_programmes()]

    @programmes_blp.arguments(schemas.GrantProgrammeInSchema)
    @programmes_blp.response(201, GrantProgrammeTotalsOut)
    def post(self, data):
        """Create a programme as a draft (add its lots, then open it)"""
        from . import programmes

        programme = commit_or_fail(lambda: programmes.create_programme(data, user_id=current_user.id))
        return _programme(programme, programmes.programme_totals(programme))


def _national_programme(programme_id: int):
    from . import programmes

    return programmes.get_programme(programme_id) or abort(404, message=_("There is no such programme."))


@programmes_blp.route("/grants/programmes/<int:programme_id>/lots")
@scope("national")
class ProgrammeLots(MethodView):
    @programmes_blp.arguments(schemas.GrantLotInSchema)
    @programmes_blp.response(201, GrantProgrammeTotalsOut)
    def post(self, data, programme_id):
        """Add a lot, for one municipality or one county (while the programme is a draft)"""
        from ..api.errors import validation_failed
        from ..municipalities.models import County, Municipality
        from . import programmes

        programme = _national_programme(programme_id)
        place = {}
        if data.get("municipality"):
            row = db.session.execute(select(Municipality).where(Municipality.slug == data["municipality"])).scalar()
            place["municipality_id"] = row.id if row else None
        if data.get("county"):
            row = db.session.execute(select(County).where(County.slug == data["county"])).scalar()
            place["county_id"] = row.id if row else None
        if len(place) != 1 or None in place.values():
            validation_failed({"place": _("Choose one municipality or one county for the lot.")})
        commit_or_fail(lambda: programmes.add_lot(programme, data | place))
        return _programme(programme, programmes.programme_totals(programme))


@programmes_blp.route("/grants/programmes/<int:programme_id>/open")
@scope("national")
class ProgrammeOpen(MethodView):
    @programmes_blp.response(200, GrantProgrammeTotalsOut)
    def post(self, programme_id):
        """Open the programme: every lot becomes a draft call of each council that runs it"""
        from . import programmes

        programme = _national_programme(programme_id)
        commit_or_fail(lambda: programmes.open_programme(programme, user_id=current_user.id))
        return _programme(programme, programmes.programme_totals(programme))


@programmes_blp.route("/public/grants/programmes")
@scope("public")
class PublicProgrammes(MethodView):
    @programmes_blp.doc(security=[])  # anyone, without a token
    @programmes_blp.response(200, GrantProgrammeOut(many=True))
    @listing(programmes_blp, sync=None)
    def get(self):
        """The open programmes of the Ministry and their lots"""
        from . import programmes

        return [_programme(p, programmes.programme_lots(p)) for p in programmes.list_programmes(public=True)]
