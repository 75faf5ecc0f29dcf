"""The plan through the API: /api/v1/municipalities/<slug>/plans (versions, items, activities,
indicators, funding, progress, monitoring, import) and /api/v1/municipalities/<slug>/reports."""
from __future__ import annotations

from flask import g, request
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields

from .. import jobs
from ..accounts.roles import Permission
from ..api.contract import UtcDateTime
from ..api.errors import commit_or_fail, validation_failed
from ..api.paging import listing
from ..documents.download import send_document
from ..documents.models import Document
from ..errors import FormErrors
from ..extensions import db
from ..timeutil import local_today
from ..tenancy.web import require_ids, scope
from . import monitoring, publication, reports, services, spreadsheet
from .schemas import (
    ActivityInputSchema,
    ApprovalSchema,
    FundingSchema,
    IndicatorSchema,
    ItemInputSchema,
    OfficerInputSchema,
    PlanSchema,
    ProgressInputSchema,
    ReportSchema,
    RevisionSchema,
    VersionSummarySchema,
    WithdrawalSchema,
)
from .models import (
    InstitutionOfficer,
    MonitoringReport,
    Plan,
    PlanActivity,
    PlanFunding,
    PlanIndicator,
    PlanItem,
    PlanVersion,
    ProgressEntry,
)

blp = Blueprint("api_plans", __name__, url_prefix="/api/v1/municipalities/<municipality>/plans",
                description="The multi-agency local plan: one a year, kept in versions (a draft, approved at a "
                            "council meeting; revisions), its items, activities, indicators and funding, monthly "
                            "progress, and import from a spreadsheet")
reports_blp = Blueprint("api_reports", __name__, url_prefix="/api/v1/municipalities/<municipality>/reports",
                        description="The standard monitoring report and the yearly report to the Municipal "
                                    "Council: generated in the background (PDF and Word), approved by the chair, "
                                    "published once")
IDS = {"plan_id": Plan, "plan_version_id": PlanVersion, "plan_item_id": PlanItem, "activity_id": PlanActivity,
       "indicator_id": PlanIndicator, "funding_id": PlanFunding, "progress_id": ProgressEntry,
       "officer_id": InstitutionOfficer, "monitoring_report_id": MonitoringReport}
require_ids(blp, IDS)
require_ids(reports_blp, IDS)


# --- schemas --------------------------------------------------------------------------------------

class InstitutionRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class FundingPatchSchema(FundingSchema):
    class Meta:
        partial = True


class ActivitySchema(ActivityInputSchema):
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})
    id = fields.Integer(dump_only=True)
    key = fields.String(dump_only=True, metadata={"description": "The same activity across versions"})
    position = fields.Integer(dump_only=True)
    institutions = fields.List(fields.Nested(InstitutionRefSchema), dump_only=True)
    funding = fields.List(fields.Nested(FundingSchema), dump_only=True)
    warnings = fields.Method("get_warnings", dump_only=True, metadata={
        "description": "What to check (not refused): a deadline outside the plan's year"})

    def get_warnings(self, activity):
        return services.deadline_warnings(activity)


class ActivityPatchSchema(ActivitySchema):
    class Meta:
        partial = True


class IndicatorPatchSchema(IndicatorSchema):
    class Meta:
        partial = True


class ItemSchema(ItemInputSchema):
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})
    id = fields.Integer(dump_only=True)
    key = fields.String(dump_only=True, metadata={"description": "The same item across versions"})
    position = fields.Integer(dump_only=True)
    activities = fields.List(fields.Nested(ActivitySchema), dump_only=True)
    indicators = fields.List(fields.Nested(IndicatorSchema), dump_only=True)


class ItemPatchSchema(ItemSchema):
    position = fields.Integer()

    class Meta:
        partial = True


class GapSchema(Schema):
    item_id = fields.Integer()
    number = fields.String(allow_none=True)
    issue = fields.String()
    missing = fields.List(fields.String())


class VersionSchema(VersionSummarySchema):
    plan_id = fields.Integer()
    items = fields.List(fields.Nested(ItemSchema))
    gaps = fields.Method("get_gaps", metadata={"description": "What each item lacks to be complete"})

    def get_gaps(self, version):
        return GapSchema(many=True).dump(services.completeness(version))


class DecisionChoiceSchema(Schema):
    id = fields.Integer()
    number = fields.String()
    title = fields.String()
    meeting_id = fields.Integer()
    meeting_date = fields.Date()


class ComparisonQuerySchema(Schema):
    from_version = fields.Integer(data_key="from", metadata={"description": "Version id (default: the one before)"})
    to_version = fields.Integer(data_key="to", metadata={"description": "Version id (default: the latest)"})


class FieldChangeSchema(Schema):
    from_ = fields.Raw(data_key="from", attribute="from")
    to = fields.Raw()


class ChangeSchema(Schema):
    key = fields.String()
    change = fields.String(metadata={"enum": ["added", "removed", "changed", "unchanged"]})
    label = fields.String()
    fields_ = fields.Dict(keys=fields.String(), values=fields.Nested(FieldChangeSchema), data_key="fields",
                          attribute="fields")


class ItemChangeSchema(Schema):
    key = fields.String()
    change = fields.String(metadata={"enum": ["added", "removed", "changed", "unchanged"]})
    number = fields.String(allow_none=True)
    issue = fields.String()
    fields_ = fields.Dict(keys=fields.String(), values=fields.Nested(FieldChangeSchema), data_key="fields",
                          attribute="fields")
    activities = fields.List(fields.Nested(ChangeSchema))
    indicators = fields.List(fields.Nested(ChangeSchema))


class VersionRefSchema(Schema):
    id = fields.Integer()
    number = fields.Integer()
    status = fields.String()


class ComparisonSchema(Schema):
    from_version = fields.Nested(VersionRefSchema)
    to_version = fields.Nested(VersionRefSchema)
    summary = fields.Dict(keys=fields.String(), values=fields.Integer())
    items = fields.List(fields.Nested(ItemChangeSchema))


class StoredValueSchema(Schema):
    indicator_id = fields.Integer()
    indicator_key = fields.String()
    value = fields.Float()


class ProgressSchema(ProgressInputSchema):
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})
    id = fields.Integer(dump_only=True)
    plan_id = fields.Integer(dump_only=True)
    activity_id = fields.Integer(dump_only=True)
    activity_key = fields.String(dump_only=True)
    institution_id = fields.Integer(dump_only=True, allow_none=True)
    values = fields.List(fields.Nested(StoredValueSchema), dump_only=True)
    reported_by_id = fields.Integer(dump_only=True, allow_none=True)
    created_at = UtcDateTime(dump_only=True)


class BoardActivitySchema(Schema):
    activity_id = fields.Integer()
    key = fields.String()
    description = fields.String()
    institutions = fields.List(fields.Nested(InstitutionRefSchema))
    timing_kind = fields.String(allow_none=True)
    timing_value = fields.String(allow_none=True)
    status = fields.String()
    progress = fields.Integer(allow_none=True)
    due = fields.Date(allow_none=True)
    overdue = fields.Boolean()
    days_late = fields.Integer()


class BoardIndicatorSchema(Schema):
    indicator_id = fields.Integer()
    name = fields.String()
    unit = fields.String(allow_none=True)
    baseline = fields.Float(allow_none=True)
    target = fields.Float(allow_none=True)
    current = fields.Float(allow_none=True)


class BoardItemSchema(Schema):
    item_id = fields.Integer()
    number = fields.String(allow_none=True)
    issue = fields.String()
    intensity = fields.String(allow_none=True)
    activities = fields.List(fields.Nested(BoardActivitySchema))
    indicators = fields.List(fields.Nested(BoardIndicatorSchema))


class BoardSchema(Schema):
    plan_id = fields.Integer(allow_none=True)
    version_id = fields.Integer(allow_none=True)
    overdue = fields.Integer()
    items = fields.List(fields.Nested(BoardItemSchema))


class ImportLineSchema(Schema):
    line = fields.Integer(allow_none=True, metadata={"description": "Line of the sheet (empty: the whole file)"})
    status = fields.String(metadata={"enum": ["ok", "error", "skipped"]})
    messages = fields.List(fields.String())
    sheet = fields.String(allow_none=True, metadata={"description": "The worksheet (empty: the plan's table)"})


class ImportReportSchema(Schema):
    filename = fields.String()
    imported = fields.Boolean()
    ok = fields.Boolean()
    items = fields.Integer()
    activities = fields.Integer()
    errors = fields.Integer()
    plan_id = fields.Integer(allow_none=True)
    version_id = fields.Integer(allow_none=True)
    version_number = fields.Integer(allow_none=True)
    replaced_version_id = fields.Integer(allow_none=True, metadata={
        "description": "The draft the import set aside (kept, status `replaced`, can be restored)"})
    warnings = fields.List(fields.String())
    lines = fields.List(fields.Nested(ImportLineSchema))


class OfficerSchema(OfficerInputSchema):
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})
    id = fields.Integer(dump_only=True)
    institution = fields.Nested(InstitutionRefSchema, dump_only=True)


class PublicationSchema(Schema):
    report = fields.Nested(ReportSchema)
    published_now = fields.Boolean(metadata={"description": "False when it had already been published"})


IMPORT_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary",
                            "description": "XLSX or CSV laid out like the Elbasan table"},
                   "year": {"type": "integer", "description": "The plan's year (default: this year)"}},
}}}}


# --- helpers ------------------------------------------------------------------------------------


def _found(row, message):
    if row is None:
        abort(404, message=message)
    return row


def _plan(plan_id):
    return _found(services.get_plan(plan_id), _("There is no such plan in this municipality."))


def _version(plan_version_id):
    return _found(services.get_version(plan_version_id), _("There is no such plan version in this municipality."))


def _item(plan_item_id):
    return _found(services.get_item(plan_item_id), _("There is no such plan item in this municipality."))


def _activity(activity_id):
    return _found(services.get_activity(activity_id), _("There is no such activity in this municipality."))


# --- plans and versions -------------------------------------------------------------------------

@blp.route("")
@scope("tenant")
class PlanList(MethodView):
    @blp.response(200, PlanSchema(many=True))
    @listing(blp)
    def get(self):
        """The municipality's plans, one a year, with their versions"""
        return services.list_plans()

    @blp.arguments(PlanSchema)
    @blp.response(201, PlanSchema)
    def post(self, data):
        """A plan for a year, with an empty draft (version 1)"""
        plan = commit_or_fail(lambda: services.create_plan(data["year"], data.get("title"), user_id=current_user.id))
        return services.get_plan(plan.id)


@blp.route("/import")
@scope("tenant")
class PlanImport(MethodView):
    @blp.doc(requestBody=IMPORT_BODY)
    @blp.response(201, ImportReportSchema)
    @blp.alt_response(422, description="Nothing imported; `errors.lines` is the line-by-line report")
    @blp.alt_response(409, description="Nothing imported yet: `errors.preview` shows the changes, "
                                       "`errors.confirm` confirms them")
    def post(self):
        """Import a plan from a spreadsheet (multipart: `file`, optional `year`, `confirm`)

        The sheet becomes the content of the year's draft (a new plan, its empty draft, a new revision of the
        approved version, or a new draft in place of an edited one, which is kept with status `replaced` and
        can be restored). All or nothing: when a line is refused, nothing is imported (422). Institutions are
        matched to known ones and never created. When the sheet would change or remove anything already
        recorded, nothing is imported and the answer is 409 with `errors.preview` (the changes item by item)
        and `errors.confirm`: send the same file again with `confirm` set to it to make the changes."""
        upload = request.files.get("file")
        try:
            report = spreadsheet.import_plan(upload.filename if upload else "", upload.read() if upload else b"",
                                             year=request.form.get("year") or str(_this_year()),
                                             user_id=current_user.id, confirm=request.form.get("confirm"))
        except FormErrors as exc:
            db.session.rollback()
            validation_failed(exc.errors)
        if not report.imported:
            db.session.rollback()
            payload = ImportReportSchema().dump(report.as_dict())
            if report.needs_confirmation:
                abort(409, message=_("Nothing was imported yet: the sheet changes what is recorded. Check the "
                                     "changes and send the file again with `confirm`."),
                      errors={"confirm": report.confirmation, "preview": report.preview, "lines": payload["lines"]})
            abort(422, message=_("Nothing was imported: correct the refused lines and try again."),
                  errors={"lines": payload["lines"]})
        db.session.commit()
        return report.as_dict()


def _this_year() -> int:
    return local_today().year


@blp.route("/<int:plan_id>")
@scope("tenant")
class PlanDetail(MethodView):
    @blp.response(200, PlanSchema)
    def get(self, plan_id):
        """One plan with its versions"""
        return _plan(plan_id)


@blp.route("/<int:plan_id>/versions")
@scope("tenant")
class VersionList(MethodView):
    @blp.response(200, VersionSummarySchema(many=True))
    @listing(blp)
    def get(self, plan_id):
        """Every version of the plan (all are kept)"""
        return services.versions_of(_plan(plan_id))

    @blp.arguments(RevisionSchema)
    @blp.response(201, VersionSchema)
    def post(self, data, plan_id):
        """Start a revision: a new draft copied from the approved version (same item and activity keys)"""
        plan = _plan(plan_id)
        return commit_or_fail(lambda: services.start_revision(plan, **data, user_id=current_user.id))


@blp.route("/<int:plan_id>/comparison")
@scope("tenant")
class VersionComparison(MethodView):
    @blp.arguments(ComparisonQuerySchema, location="query")
    @blp.response(200, ComparisonSchema)
    def get(self, query, plan_id):
        """Compare two versions item by item: added, removed and changed items, activities and indicators"""
        plan = _plan(plan_id)
        versions = services.versions_of(plan)
        by_id = {v.id: v for v in versions}
        for name in ("from_version", "to_version"):
            if name in query and query[name] not in by_id:
                abort(404, message=_("There is no such version of this plan."))
        new = by_id.get(query.get("to_version")) or versions[-1]
        old = by_id.get(query.get("from_version")) or (versions[-2] if len(versions) > 1 else new)
        return services.compare_versions(old, new)


@blp.route("/versions/<int:plan_version_id>")
@scope("tenant")
class VersionDetail(MethodView):
    @blp.response(200, VersionSchema)
    def get(self, plan_version_id):
        """A version with its items, activities, indicators and funding, and what is missing"""
        return _version(plan_version_id)

    @blp.response(204)
    def delete(self, plan_version_id):
        """Discard a draft (approved versions are never deleted)"""
        version = _version(plan_version_id)
        commit_or_fail(lambda: services.delete_draft(version))
        return ""


@blp.route("/versions/<int:plan_version_id>/approval")
@scope("tenant")
class VersionApproval(MethodView):
    @blp.arguments(ApprovalSchema)
    @blp.response(200, VersionSchema)
    def post(self, data, plan_version_id):
        """Approve a draft by the decision of a council meeting; it becomes the version in force"""
        version = _version(plan_version_id)
        return commit_or_fail(lambda: services.approve_version(version, data["decision_id"], user_id=current_user.id))


@blp.route("/versions/<int:plan_version_id>/publication")
@scope("tenant")
class VersionPublication(MethodView):
    @blp.arguments(publication.PlanPublicationSchema)
    @blp.response(200, VersionSchema)
    def post(self, data, plan_version_id):
        """Record the approved plan's publication on the official website (day and address; roadmap)"""
        version = _version(plan_version_id)
        return commit_or_fail(lambda: publication.record_publication(version, data))


@blp.route("/versions/<int:plan_version_id>/approval/decisions")
@scope("tenant")
class VersionApprovalChoices(MethodView):
    @blp.response(200, DecisionChoiceSchema(many=True))
    @listing(blp, sync=None)
    def get(self, plan_version_id):
        """The decisions that can approve this draft (signed, of a council meeting held after it was created)"""
        version = _version(plan_version_id)
        if version.status != "draft":
            return []
        return [{"id": d.id, "number": d.number, "title": d.title, "meeting_id": m.id,
                 "meeting_date": m.starts_at.date()} for d, m in services.decisions_for_approval(version)]


@blp.route("/versions/<int:plan_version_id>/approval/withdrawal")
@scope("tenant", write=Permission.CHAIR_DECISIONS)
class VersionApprovalWithdrawal(MethodView):
    @blp.arguments(WithdrawalSchema)
    @blp.response(200, VersionSchema)
    @blp.alt_response(403, description="Only the chair corrects an approval")
    def post(self, data, plan_version_id):
        """The chair corrects an approval recorded by mistake: the version is a draft again, the one it had
        replaced is in force again; the reason is audited"""
        version = _version(plan_version_id)
        return commit_or_fail(lambda: services.withdraw_approval(version, data["reason"],
                                                                 user=current_user._get_current_object()))


@blp.route("/versions/<int:plan_version_id>/restoration")
@scope("tenant")
class VersionRestoration(MethodView):
    @blp.response(200, VersionSchema)
    def post(self, plan_version_id):
        """Restore a draft that an import set aside (status `replaced`); the current draft is set aside in turn"""
        version = _version(plan_version_id)
        return commit_or_fail(lambda: services.restore_version(version, user_id=current_user.id))


@blp.route("/versions/<int:plan_version_id>/items")
@scope("tenant")
class ItemList(MethodView):
    @blp.response(200, ItemSchema(many=True))
    @listing(blp)
    def get(self, plan_version_id):
        """The version's items"""
        return _version(plan_version_id).items

    @blp.arguments(ItemSchema)
    @blp.response(201, ItemSchema)
    @blp.alt_response(409, description="The version is approved: start a revision")
    def post(self, data, plan_version_id):
        """Add an item to a draft"""
        version = _version(plan_version_id)
        return commit_or_fail(lambda: services.add_item(version, data))


@blp.route("/items/<int:plan_item_id>")
@scope("tenant")
class ItemDetail(MethodView):
    @blp.response(200, ItemSchema)
    def get(self, plan_item_id):
        """One item"""
        return _item(plan_item_id)

    @blp.arguments(ItemPatchSchema(partial=True))
    @blp.response(200, ItemSchema)
    @blp.alt_response(409, description="The version is approved: start a revision")
    def patch(self, data, plan_item_id):
        """Change an item of a draft"""
        item = _item(plan_item_id)
        return commit_or_fail(lambda: services.update_item(item, data))

    @blp.response(204)
    @blp.alt_response(409, description="The version is approved: start a revision")
    def delete(self, plan_item_id):
        """Remove an item from a draft"""
        item = _item(plan_item_id)
        commit_or_fail(lambda: services.delete_item(item))
        return ""


@blp.route("/items/<int:plan_item_id>/activities")
@scope("tenant")
class ActivityList(MethodView):
    @blp.response(200, ActivitySchema(many=True))
    @listing(blp)
    def get(self, plan_item_id):
        """The item's activities"""
        return _item(plan_item_id).activities

    @blp.arguments(ActivitySchema)
    @blp.response(201, ActivitySchema)
    @blp.alt_response(409, description="The version is approved: start a revision")
    def post(self, data, plan_item_id):
        """Add an activity: responsible institutions, partners, timing (deadline, period or recurrence)"""
        item = _item(plan_item_id)
        return commit_or_fail(lambda: services.add_activity(item, data))


@blp.route("/items/<int:plan_item_id>/indicators")
@scope("tenant")
class IndicatorList(MethodView):
    @blp.response(200, IndicatorSchema(many=True))
    @listing(blp)
    def get(self, plan_item_id):
        """The item's measurable indicators"""
        return _item(plan_item_id).indicators

    @blp.arguments(IndicatorSchema)
    @blp.response(201, IndicatorSchema)
    @blp.alt_response(409, description="The version is approved: start a revision")
    def post(self, data, plan_item_id):
        """Add a measurable indicator (unit, baseline, target, source)"""
        item = _item(plan_item_id)
        return commit_or_fail(lambda: services.add_indicator(item, data))


@blp.route("/activities/<int:activity_id>")
@scope("tenant")
class ActivityDetail(MethodView):
    @blp.response(200, ActivitySchema)
    def get(self, activity_id):
        """One activity"""
        return _activity(activity_id)

    @blp.arguments(ActivityPatchSchema(partial=True))
    @blp.response(200, ActivitySchema)
    @blp.alt_response(409, description="The version is approved: start a revision")
    def patch(self, data, activity_id):
        """Change an activity of a draft"""
        activity = _activity(activity_id)
        return commit_or_fail(lambda: services.update_activity(activity, data))

    @blp.response(204)
    @blp.alt_response(409, description="The version is approved: start a revision")
    def delete(self, activity_id):
        """Remove an activity from a draft"""
        activity = _activity(activity_id)
        commit_or_fail(lambda: services.delete_activity(activity))
        return ""


@blp.route("/activities/<int:activity_id>/funding")
@scope("tenant")
class FundingList(MethodView):
    @blp.response(200, FundingSchema(many=True))
    @listing(blp)
    def get(self, activity_id):
        """How the activity is funded"""
        return _activity(activity_id).funding

    @blp.arguments(FundingSchema)
    @blp.response(201, FundingSchema)
    @blp.alt_response(409, description="The version is approved: start a revision")
    def post(self, data, activity_id):
        """Record funding: the municipality's budget, a donor, or a community grant to a civil-society organisation"""
        activity = _activity(activity_id)
        return commit_or_fail(lambda: services.add_funding(activity, data))


@blp.route("/funding/<int:funding_id>")
@scope("tenant")
class FundingDetail(MethodView):
    @blp.response(200, FundingSchema)
    def get(self, funding_id):
        """One funding record"""
        return services.get_funding(funding_id)

    @blp.arguments(FundingPatchSchema(partial=True))
    @blp.response(200, FundingSchema)
    def patch(self, data, funding_id):
        """Complete a funding record (amount, period, results), also on an approved plan"""
        funding = services.get_funding(funding_id)
        return commit_or_fail(lambda: services.update_funding(funding, data))

    @blp.response(204)
    @blp.alt_response(409, description="The version is approved: start a revision")
    def delete(self, funding_id):
        """Remove a funding record from a draft"""
        funding = services.get_funding(funding_id)
        commit_or_fail(lambda: services.delete_funding(funding))
        return ""


@blp.route("/indicators/<int:indicator_id>")
@scope("tenant")
class IndicatorDetail(MethodView):
    @blp.response(200, IndicatorSchema)
    def get(self, indicator_id):
        """One indicator"""
        return services.get_indicator(indicator_id)

    @blp.arguments(IndicatorPatchSchema(partial=True))
    @blp.response(200, IndicatorSchema)
    @blp.alt_response(409, description="The version is approved: start a revision")
    def patch(self, data, indicator_id):
        """Change an indicator of a draft"""
        indicator = services.get_indicator(indicator_id)
        return commit_or_fail(lambda: services.update_indicator(indicator, data))

    @blp.response(204)
    @blp.alt_response(409, description="The version is approved: start a revision")
    def delete(self, indicator_id):
        """Remove an indicator from a draft"""
        indicator = services.get_indicator(indicator_id)
        commit_or_fail(lambda: services.delete_indicator(indicator))
        return ""


# --- monitoring ---------------------------------------------------------------------------------

@blp.route("/monitoring")
@scope("tenant")
class Monitoring(MethodView):
    @blp.response(200, BoardSchema)
    def get(self):
        """The plan in force: every activity's status, due date and overdue flag, and each indicator's value"""
        version = services.version_in_force()
        if version is None:
            return {"plan_id": None, "version_id": None, "overdue": 0, "items": []}
        rows = monitoring.board(version)
        return {"plan_id": version.plan_id, "version_id": version.id,
                "overdue": sum(1 for r in rows for a in r["activities"] if a["overdue"]),
                "items": [{"item_id": r["item"].id, "number": r["item"].number, "issue": r["item"].issue,
                           "intensity": r["item"].intensity,
                           "activities": [{"activity_id": a["activity"].id, "key": a["activity"].key,
                                           "description": a["activity"].description,
                                           "institutions": a["activity"].institutions,
                                           "timing_kind": a["activity"].timing_kind,
                                           "timing_value": a["activity"].timing_value, "status": a["status"],
                                           "progress": a["progress"], "due": a["due"], "overdue": a["overdue"],
                                           "days_late": a["days_late"]} for a in r["activities"]],
                           "indicators": [{"indicator_id": i["indicator"].id, "name": i["indicator"].name,
                                           "unit": i["indicator"].unit, "baseline": i["indicator"].baseline,
                                           "target": i["indicator"].target, "current": i["current"]}
                                          for i in r["indicators"]]} for r in rows]}


def _dump_entry(entry: ProgressEntry) -> dict:
    return {**{k: getattr(entry, k) for k in ("id", "plan_id", "activity_id", "activity_key", "institution_id",
                                              "status", "progress", "comment", "next_steps", "reported_on",
                                              "meeting_id", "reported_by_id", "created_at", "updated_at")},
            "values": entry.values, "evidence_document_ids": [e.document_id for e in entry.evidence]}


@blp.route("/activities/<int:activity_id>/progress")
@scope("tenant", write=Permission.REPORT_PROGRESS)
class ProgressList(MethodView):
    @blp.response(200, ProgressSchema(many=True))
    @listing(blp)
    def get(self, activity_id):
        """The activity's progress entries (across the plan's versions), the latest first"""
        activity = _activity(activity_id)
        version = services.version_of_activity(activity)
        return [_dump_entry(e) for e in monitoring.history(version.plan_id, activity.key)]

    @blp.arguments(ProgressSchema)
    @blp.response(201, ProgressSchema)
    def post(self, data, activity_id):
        """Report progress on an activity of the plan in force (an institution's officer: only on their
        institution's activities)"""
        activity = _activity(activity_id)
        entry = commit_or_fail(lambda: monitoring.record_progress(activity, data, user_id=current_user.id,
                                                         permissions=g.permissions))
        return _dump_entry(monitoring.get_entry(entry.id))


@blp.route("/progress/<int:progress_id>")
@scope("tenant")
class ProgressDetail(MethodView):
    @blp.response(200, ProgressSchema)
    def get(self, progress_id):
        """One progress entry"""
        return _dump_entry(monitoring.get_entry(progress_id))


@blp.route("/institution-officers")
@scope("tenant")
class OfficerList(MethodView):
    @blp.response(200, OfficerSchema(many=True))
    @listing(blp)
    def get(self):
        """Who reports progress for which institution"""
        return monitoring.list_officers()

    @blp.arguments(OfficerSchema)
    @blp.response(201, OfficerSchema)
    def post(self, data):
        """Link a person with the institution officer role to an institution"""
        return commit_or_fail(lambda: monitoring.add_officer(**data))


@blp.route("/institution-officers/<int:officer_id>")
@scope("tenant")
class OfficerDetail(MethodView):
    @blp.response(200, OfficerSchema)
    def get(self, officer_id):
        """One link"""
        return monitoring.get_officer(officer_id)

    @blp.response(204)
    def delete(self, officer_id):
        """The person no longer reports for the institution"""
        officer = monitoring.get_officer(officer_id)
        commit_or_fail(lambda: monitoring.remove_officer(officer))
        return ""


# --- reports ------------------------------------------------------------------------------------

def _report(monitoring_report_id):
    return _found(reports.get_report(monitoring_report_id), _("There is no such report in this municipality."))


@reports_blp.route("")
@scope("tenant")
class ReportList(MethodView):
    @reports_blp.response(200, ReportSchema(many=True))
    @listing(reports_blp)
    def get(self):
        """Monitoring and yearly reports, the latest first"""
        return reports.list_reports()

    @reports_blp.arguments(ReportSchema)
    @reports_blp.response(202, ReportSchema)
    def post(self, data):
        """Request a report: generated in the background as PDF and Word (status `queued`, then `generated`)"""
        report = commit_or_fail(lambda: reports.request_report(data, user_id=current_user.id))
        jobs.enqueue(reports.generate_report, report.id)
        db.session.expire_all()
        return reports.get_report(report.id)


@reports_blp.route("/<int:monitoring_report_id>")
@scope("tenant")
class ReportDetail(MethodView):
    @reports_blp.response(200, ReportSchema)
    def get(self, monitoring_report_id):
        """One report and its status"""
        return _report(monitoring_report_id)


@reports_blp.route("/<int:monitoring_report_id>/approval")
@scope("tenant", write=Permission.CHAIR_DECISIONS)
class ReportApproval(MethodView):
    @reports_blp.response(200, ReportSchema)
    def post(self, monitoring_report_id):
        """The chair approves the generated report (only the chair)"""
        report = _report(monitoring_report_id)
        was = report.status
        row = commit_or_fail(lambda: reports.approve_report(report, current_user._get_current_object()))
        if was == "generated":
            jobs.enqueue(reports.stamp_approval, row.id)
        return _report(monitoring_report_id)


@reports_blp.route("/<int:monitoring_report_id>/publication")
@scope("tenant")
class ReportPublication(MethodView):
    @reports_blp.response(200, PublicationSchema)
    def post(self, monitoring_report_id):
        """Publish an approved report; publishing again changes nothing (`published_now` false)"""
        report = _report(monitoring_report_id)
        row, first = commit_or_fail(lambda: reports.publish_report(report))
        return {"report": row, "published_now": first}


def _report_file(monitoring_report_id: int, fmt: str):
    report = _report(monitoring_report_id)
    document_id = report.pdf_document_id if fmt == "pdf" else report.docx_document_id
    document = db.session.get(Document, document_id) if document_id else None
    if document is None:
        abort(404, message=_("The report has not been generated yet."))
    return send_document(document)


@reports_blp.route("/<int:monitoring_report_id>/pdf")
@scope("tenant")
class ReportPdf(MethodView):
    @reports_blp.response(200, description="The report as PDF")
    def get(self, monitoring_report_id):
        """Download the report (PDF)"""
        return _report_file(monitoring_report_id, "pdf")


@reports_blp.route("/<int:monitoring_report_id>/docx")
@scope("tenant")
class ReportDocx(MethodView):
    @reports_blp.response(200, description="The report as Word")
    def get(self, monitoring_report_id):
        """Download the report (Word)"""
        return _report_file(monitoring_report_id, "docx")
