"""Web pages: the multi-agency plan, its versions, import and export, monthly monitoring and the
monitoring reports.

  /<municipality>/plans/                          the plans by year; a new plan (POST)
  /<municipality>/plans/import                    import a plan from a spreadsheet, with the line-by-line report
  /<municipality>/plans/<id>                      a plan: its versions, what is missing; start a revision (POST)
  /<municipality>/plans/<id>/compare              two versions compared item by item (?from=&to=)
  /<municipality>/plans/versions/<id>             a version's items; add an item, approve, discard a draft (POST)
  /<municipality>/plans/versions/<id>/plan.xlsx|.pdf|.docx   the version in the Elbasan layout (?lang=sq|en)
  /<municipality>/plans/items/<id>                an item: its activities and indicators (POST: edit, add)
  /<municipality>/plans/activities/<id>           an activity: institutions, timing, funding (POST: edit, add)
  /<municipality>/plans/indicators/<id>           change or remove an indicator (POST)
  /<municipality>/plans/funding/<id>              change or remove a funding record (POST)
  /<municipality>/plans/monitoring                the plan in force: status of every activity, overdue ones
  /<municipality>/plans/activities/<id>/progress  an activity's progress history; report progress (POST)
  /<municipality>/plans/progress/<id>             one progress entry with its evidence
  /<municipality>/plans/officers                  who reports for which institution
  /<municipality>/plans/reports                   monitoring reports; request one (POST, generated in the background)
  /<municipality>/plans/reports/<id>              a report: approve (chair), publish, regenerate (POST)
  /<municipality>/plans/reports/<id>/report.pdf|.docx
  /public/<municipality>/plan                     the approved plan in force, for everyone
  /public/<municipality>/reports/<id>/report.pdf|.docx   a published report
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import jobs
from ..accounts.roles import Permission
from ..council.models import Institution
from ..data_protection.services import log_contacts_shown
from ..documents.download import send_document
from ..documents.models import Document
from ..errors import FormErrors, Refused, ValidationFailed
from ..exports import safe_filename, send_export
from ..extensions import db
from ..locales import force_locale, language, requested_language
from ..risks.services import INTENSITY_LABELS, intensity_label, list_risks
from ..schemas import load_form
from ..tenancy.web import require_ids, scope
from ..timeutil import local_today
from . import monitoring, publication, reports, services, spreadsheet
from .rendering import plan_document, version_line
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
    WithdrawalSchema,
)
from .models import (
    TIMING_KINDS,
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
from .vocabulary import PERIOD_WORDS, RECURRENCE_WORDS, format_number, timing_words

bp = Blueprint("plans", __name__, template_folder="templates")
require_ids(bp, {"plan_id": Plan, "plan_version_id": PlanVersion, "plan_item_id": PlanItem, "activity_id": PlanActivity,
                 "indicator_id": PlanIndicator, "funding_id": PlanFunding, "progress_id": ProgressEntry,
                 "officer_id": InstitutionOfficer, "monitoring_report_id": MonitoringReport})
P = "/<municipality>/plans"


@bp.app_template_filter("plan_number")
def _plan_number(value) -> str:
    return format_number(value)


def _context(**extra) -> dict:
    lang = language()
    return {"intensities": INTENSITY_LABELS, "intensity_label": intensity_label,
            "timing_words": lambda a: timing_words(a.timing_kind, a.timing_value, lang),
            "period_words": PERIOD_WORDS[lang], "recurrence_words": RECURRENCE_WORDS[lang],
            "version_statuses": services.VERSION_STATUS_LABELS, "funding_labels": services.FUNDING_LABELS,
            "timing_kinds": services.TIMING_KIND_LABELS, "progress_labels": monitoring.STATUS_LABELS,
            "report_statuses": reports.STATUS_LABELS, "report_kinds": reports.KIND_LABELS,
            "version_line": version_line, "can_manage": Permission.MANAGE_RECORDS in g.permissions,
            "is_chair": _is_chair(), "field_labels": FIELD_LABELS, **extra}


FIELD_LABELS = {"number": _l("No."), "issue": _l("Identified issue"), "intensity": _l("Priority"),
                "risk_id": _l("Risk"), "description": _l("Activity"), "partners": _l("Partner organisations"),
                "timing_kind": _l("Timing"), "timing_value": _l("Timing"), "institutions": _l("Responsible institutions"),
                "funding": _l("Funding"), "name": _l("Indicator"), "unit": _l("Unit"), "baseline": _l("Baseline"),
                "target": _l("Target"), "source": _l("Source")}


def _is_chair() -> bool:
    """Only the chair is offered the chair's actions (approving a report, correcting an approval)."""
    return Permission.CHAIR_DECISIONS in getattr(g, "permissions", ())


def _status(exc: ValidationFailed | Refused) -> int:
    """A refusal's HTTP status: 403 when the person may not do it, 409 for a locked version, else 422."""
    return exc.status


def _fail(exc: ValidationFailed) -> dict:
    db.session.rollback()
    return exc.errors


# --- plans ------------------------------------------------------------------------------------

@bp.route(f"{P}/", methods=["GET", "POST"])
@scope("tenant")
def index():
    errors, form = {}, {}
    if request.method == "POST":
        form = request.form
        try:
            plan = services.create_plan(**load_form(PlanSchema(), form), user_id=current_user.id)
            db.session.commit()
            flash(_("The plan was created with an empty draft."), "success")
            return redirect(url_for(".version", plan_version_id=services.draft_of(plan).id))
        except FormErrors as exc:
            errors = _fail(exc)
    plans = services.list_plans()
    rows = [{"plan": p, "approved": services.approved_of(p, p.versions), "draft": services.draft_of(p, p.versions)}
            for p in plans]
    return render_template("plans/index.html", rows=rows, errors=errors, form=form, this_year=local_today().year,
                           in_force=services.version_in_force(), **_context()), (422 if errors else 200)


@bp.route(f"{P}/import", methods=["GET", "POST"])
@scope("tenant")
def import_sheet():
    """Check a sheet; import it at once when it changes nothing already recorded, else show the changes item
    by item and ask (the file waits in storage until confirmed)."""
    from ..storage import municipality_prefix, object_key, storage

    report, errors, pending = None, {}, None
    year = request.form.get("year") or str(local_today().year)
    if request.method == "POST":
        upload = request.files.get("file")
        pending = request.form.get("pending") or None
        confirm = request.form.get("confirm") or None
        prefix = municipality_prefix(g.municipality.id).rstrip("/") + "/plan-imports/"
        try:
            if pending and upload is None or (pending and not upload.filename):
                if not pending.startswith(prefix) or ".." in pending or not storage().exists(pending):
                    raise ValidationFailed({"file": _("The file to confirm is no longer here: choose it again.")})
                filename, content = pending.rsplit("/", 1)[-1].split("-", 1)[-1], storage().get(pending)
            else:
                filename, content, pending, confirm = (upload.filename if upload else ""), (
                    upload.read() if upload else b""), None, None
            report = spreadsheet.import_plan(filename, content, year=year, user_id=current_user.id, confirm=confirm)
            if report.imported:
                db.session.commit()
                if pending:
                    storage().delete(pending)
                flash(_("The plan was imported: %(items)d items, %(activities)d activities.",
                        items=len(report.items), activities=sum(len(i.activities) for i in report.items)), "success")
                if report.replaced_version_id:
                    flash(_("The draft it replaces is kept as a version and can be restored from the plan's page."),
                          "success")
                for warning in report.warnings:
                    flash(warning, "warning")
                return redirect(url_for(".version", plan_version_id=report.version_id))
            db.session.rollback()
            if report.needs_confirmation and not pending:
                pending = object_key(g.municipality.id, "plan-imports", filename or "plan.xlsx")
                storage().put(pending, content, spreadsheet.XLSX_MIMETYPE)
        except FormErrors as exc:
            errors = _fail(exc)
    status = 422 if (errors or (report is not None and not report.ok)) else 200
    return render_template("plans/import.html", report=report, errors=errors, year=year, pending=pending,
                           **_context()), status


@bp.route(f"{P}/<int:plan_id>", methods=["GET", "POST"])
@scope("tenant")
def plan(plan_id: int):
    plan_row = services.get_plan(plan_id)
    errors = {}
    if request.method == "POST":
        try:
            data = load_form(RevisionSchema(), {"consultation_meeting_id": request.form.get("meeting_id", ""),
                                                "note": request.form.get("note", "")})
            version_row = services.start_revision(plan_row, **data, user_id=current_user.id)
            db.session.commit()
            flash(_("Version %(n)s was started as a copy of the approved plan.", n=version_row.number), "success")
            return redirect(url_for(".version", plan_version_id=version_row.id))
        except FormErrors as exc:
            errors = _fail(exc)
            plan_row = services.get_plan(plan_id)
    from ..concerns.services import consultation_meetings

    versions = services.versions_of(plan_row)
    return render_template("plans/plan.html", plan=plan_row, versions=versions, errors=errors,
                           draft=services.draft_of(plan_row), approved=services.approved_of(plan_row),
                           consultations=consultation_meetings(), **_context()), (422 if errors else 200)


@bp.route(f"{P}/<int:plan_id>/compare")
@scope("tenant")
def compare(plan_id: int):
    plan_row = services.get_plan(plan_id)
    versions = services.versions_of(plan_row)
    by_id = {v.id: v for v in versions}

    def pick(name, default):
        raw = request.args.get(name, "")
        return by_id.get(int(raw)) if raw.isdigit() and int(raw) in by_id else default

    new = pick("to", versions[-1] if versions else None)
    old = pick("from", versions[-2] if len(versions) > 1 else new)
    comparison = services.compare_versions(old, new) if old and new else None
    return render_template("plans/compare.html", plan=plan_row, versions=versions, old=old, new=new,
                           comparison=comparison, **_context())


# --- a version --------------------------------------------------------------------------------

@bp.route(f"{P}/versions/<int:plan_version_id>", methods=["GET", "POST"])
@scope("tenant")
def version(plan_version_id: int):
    version_row = services.get_version(plan_version_id)
    errors, form, status = {}, {}, 422
    if request.method == "POST":
        form = request.form
        action = form.get("action")
        try:
            if action == "approve":
                services.approve_version(version_row, load_form(ApprovalSchema(), form)["decision_id"],
                                         user_id=current_user.id)
                message = _("Version %(n)s was approved and is now the plan in force.", n=version_row.number)
            elif action == "publication":
                publication.record_publication(version_row, publication.clean(form))
                message = _("The plan's publication on the official website was recorded.")
            elif action == "withdraw":
                services.withdraw_approval(version_row, load_form(WithdrawalSchema(), form)["reason"],
                                           user=current_user._get_current_object())
                message = _("The approval was withdrawn: version %(n)s is a draft again and the version approved "
                            "before it is in force again.", n=version_row.number)
            elif action == "restore":
                services.restore_version(version_row, user_id=current_user.id)
                message = _("Version %(n)s is the draft again; the draft in its place is kept and can be restored.",
                            n=version_row.number)
            elif action == "discard":
                plan_id = version_row.plan_id
                services.delete_draft(version_row)
                db.session.commit()
                flash(_("The draft was discarded."), "success")
                return redirect(url_for(".plan", plan_id=plan_id))
            else:
                item = services.add_item(version_row, load_form(ItemInputSchema(), form))
                db.session.commit()
                flash(_("The item was added: now add its activities and indicators."), "success")
                return redirect(url_for(".item", plan_item_id=item.id))
            db.session.commit()
            flash(message, "success")
            return redirect(url_for(".version", plan_version_id=version_row.id))
        except FormErrors as exc:
            errors, status = _fail(exc), _status(exc)
            version_row = services.get_version(plan_version_id)
    plan_row = db.session.get(Plan, version_row.plan_id)
    decisions = services.decisions_for_approval(version_row) if version_row.status == "draft" else []
    return render_template("plans/version.html", plan=plan_row, version=version_row, errors=errors, form=form,
                           gaps=services.completeness(version_row), risks=list_risks(), decisions=decisions,
                           not_before=services.approval_not_before(version_row), **_context()), (
        status if errors else 200)


def _export(plan_version_id: int, fmt: str):
    version_row = services.get_version(plan_version_id)
    plan_row = db.session.get(Plan, version_row.plan_id)
    lang = requested_language(request.args.get("lang"))
    base = f"{'plani' if lang == 'sq' else 'plan'}-{g.municipality.slug}-{plan_row.year}-v{version_row.number}"
    with force_locale(lang):
        if fmt == "xlsx":
            content = spreadsheet.export_xlsx(version_row, lang, plan_row.title)
            response = Response(content, mimetype=spreadsheet.XLSX_MIMETYPE)
            response.headers["Content-Disposition"] = f'attachment; filename="{safe_filename(base)}.xlsx"'
            response.headers["Cache-Control"] = "private, no-store"
            return response
        return send_export(plan_document(version_row), fmt, base)


@bp.route(f"{P}/versions/<int:plan_version_id>/plan.xlsx")
@scope("tenant")
def export_xlsx(plan_version_id: int):
    return _export(plan_version_id, "xlsx")


@bp.route(f"{P}/versions/<int:plan_version_id>/plan.pdf")
@scope("tenant")
def export_pdf(plan_version_id: int):
    return _export(plan_version_id, "pdf")


@bp.route(f"{P}/versions/<int:plan_version_id>/plan.docx")
@scope("tenant")
def export_docx(plan_version_id: int):
    return _export(plan_version_id, "docx")


# --- items, activities, indicators, funding -----------------------------------------------------

def _activity_data(form) -> dict:
    """An activity's form loaded by ``ActivityInputSchema``: the institutions ticked or typed, and the timing
    of the kind chosen."""
    kind = form.get("timing_kind") or ""
    return load_form(ActivityInputSchema(), {
        **form.to_dict(), "timing_value": form.get(f"timing_{kind}", "") if kind in TIMING_KINDS else "",
        "institution_ids": form.getlist("institution_ids") + _institutions_named(form.getlist("institution_names"))})


@bp.route(f"{P}/items/<int:plan_item_id>", methods=["GET", "POST"])
@scope("tenant")
def item(plan_item_id: int):
    item_row = services.get_item(plan_item_id)
    errors, form, action = {}, {}, None
    if request.method == "POST":
        form = request.form
        action = form.get("action")
        try:
            if action == "delete":
                plan_version_id = item_row.version_id
                services.delete_item(item_row)
                db.session.commit()
                flash(_("The item was removed from the draft."), "success")
                return redirect(url_for(".version", plan_version_id=plan_version_id))
            warnings = []
            if action == "activity":
                warnings = services.deadline_warnings(services.add_activity(item_row, _activity_data(form)))
                message = _("The activity was added.")
            elif action == "indicator":
                services.add_indicator(item_row, load_form(IndicatorSchema(), form))
                message = _("The indicator was added.")
            else:
                services.update_item(item_row, load_form(ItemInputSchema(), form))
                message = _("The item was saved.")
            db.session.commit()
            flash(message, "success")
            for warning in warnings:
                flash(warning, "warning")
            return redirect(url_for(".item", plan_item_id=item_row.id))
        except FormErrors as exc:
            errors = _fail(exc)
            item_row = services.get_item(plan_item_id)
    version_row = services.version_of_item(item_row)
    return render_template("plans/item.html", item=item_row, version=version_row, errors=errors, form=form,
                           action=action, risks=list_risks(), institutions=_institutions(),
                           **_context()), (422 if errors else 200)


def _institutions_named(names) -> list[int]:
    """The institution picker's typed names (with or without ë and ç), matched to the institutions
    offered; a name that matches none gives an id no institution has, so the activity is refused
    with "Choose existing institutions." and nothing is lost."""
    from ..search.services import fold

    wanted = [fold(n).strip() for n in names if (n or "").strip()]
    if not wanted:
        return []
    offered = {fold(i.name).strip(): i.id for i in _institutions()}
    found = []
    for name in wanted:
        if name in offered:
            found.append(offered[name])
            continue
        partial = [i for text, i in offered.items() if name in text]  # part of one name only
        found.append(partial[0] if len(partial) == 1 else -1)
    return found


def _institutions() -> list[Institution]:
    """The institutions an activity or an officer may name: the one check of council.references."""
    from sqlalchemy import select

    from ..council.references import usable_clause

    return list(db.session.execute(select(Institution).where(usable_clause()).order_by(Institution.name)).scalars())


@bp.route(f"{P}/activities/<int:activity_id>", methods=["GET", "POST"])
@scope("tenant")
def activity(activity_id: int):
    activity_row = services.get_activity(activity_id)
    errors, form, action = {}, {}, None
    if request.method == "POST":
        form = request.form
        action = form.get("action")
        try:
            if action == "delete":
                plan_item_id = activity_row.item_id
                services.delete_activity(activity_row)
                db.session.commit()
                flash(_("The activity was removed from the draft."), "success")
                return redirect(url_for(".item", plan_item_id=plan_item_id))
            if action == "funding":
                services.add_funding(activity_row, load_form(FundingSchema(), form))
                message = _("The funding was recorded.")
            else:
                services.update_activity(activity_row, _activity_data(form))
                message = _("The activity was saved.")
            warnings = services.deadline_warnings(activity_row)
            db.session.commit()
            flash(message, "success")
            for warning in warnings:
                flash(warning, "warning")
            return redirect(url_for(".activity", activity_id=activity_row.id))
        except FormErrors as exc:
            errors = _fail(exc)
            activity_row = services.get_activity(activity_id)
    item_row = services.item_of(activity_row)
    return render_template("plans/activity.html", activity=activity_row, item=item_row,
                           version=services.version_of_item(item_row), errors=errors, form=form, action=action,
                           institutions=_institutions(), **_context()), (422 if errors else 200)


@bp.route(f"{P}/indicators/<int:indicator_id>", methods=["POST"])
@scope("tenant")
def indicator(indicator_id: int):
    row = services.get_indicator(indicator_id)
    back = url_for(".item", plan_item_id=row.item_id)
    return _save_or_delete(row, services.update_indicator, services.delete_indicator, back, schema=IndicatorSchema(),
                           saved=_("The indicator was saved."), removed=_("The indicator was removed."))


@bp.route(f"{P}/funding/<int:funding_id>", methods=["POST"])
@scope("tenant")
def funding(funding_id: int):
    row = services.get_funding(funding_id)
    back = url_for(".activity", activity_id=row.activity_id)
    return _save_or_delete(row, services.update_funding, services.delete_funding, back,
                           schema=FundingSchema(partial=True),
                           saved=_("The funding record was saved."), removed=_("The funding record was removed."))


def _save_or_delete(row, update, delete, back: str, *, saved: str, removed: str, schema=None):
    """The small inline forms of an item or activity page: save the row (the form loaded by ``schema``, when
    given), or delete it, then go back."""
    try:
        if request.form.get("action") == "delete":
            delete(row)
            message = removed
        else:
            update(row, load_form(schema, request.form) if schema is not None else request.form.to_dict())
            message = saved
        db.session.commit()
        flash(message, "success")
    except FormErrors as exc:
        flash("; ".join(_fail(exc).values()), "error")
    return redirect(back)


# --- monitoring ---------------------------------------------------------------------------------

@bp.route(f"{P}/monitoring")
@scope("tenant")
def monitoring_board():
    def load_board() -> dict:
        version_row = services.version_in_force()
        rows = monitoring.board(version_row) if version_row else []
        reportable = set()
        for row in rows:
            for a in row["activities"]:
                if monitoring.may_report(a["activity"], current_user.id, g.permissions):
                    reportable.add(a["activity"].id)
        return {"version": version_row, "plan": db.session.get(Plan, version_row.plan_id) if version_row else None,
                "rows": rows, "reportable": reportable,
                "overdue": sum(1 for r in rows for a in r["activities"] if a["overdue"])}

    # The board is read inside a block of the template cached under the municipality's stamp and the
    # person (what they may report on): loaded only when the municipality's data changed.
    return render_template("plans/monitoring.html", load_board=load_board, **_context())


@bp.route(f"{P}/activities/<int:activity_id>/progress", methods=["GET", "POST"])
@scope("tenant", write=Permission.REPORT_PROGRESS)
def progress(activity_id: int):
    activity_row = services.get_activity(activity_id)
    errors, form, status = {}, {}, 422
    if request.method == "POST":
        form = request.form
        files = [(f.filename, f.read()) for f in request.files.getlist("evidence") if f and f.filename]
        try:
            data = load_form(ProgressInputSchema(), {**form.to_dict(), "indicator_values": [
                {"indicator_id": key.split("-", 1)[1], "value": value}
                for key, value in form.items() if key.startswith("indicator-")]})
            monitoring.record_progress(activity_row, data, user_id=current_user.id, permissions=g.permissions,
                                       files=files)
            db.session.commit()
            flash(_("The progress was recorded."), "success")
            return redirect(url_for(".progress", activity_id=activity_row.id))
        except FormErrors as exc:
            errors, status = _fail(exc), _status(exc)
            activity_row = services.get_activity(activity_id)
    item_row = services.item_of(activity_row)
    version_row = services.version_of_item(item_row)
    plan_row = db.session.get(Plan, version_row.plan_id)
    entries = monitoring.history(plan_row.id, activity_row.key)
    return render_template("plans/progress.html", activity=activity_row, item=item_row, version=version_row,
                           plan=plan_row, entries=entries, errors=errors, form=form,
                           may_report=monitoring.may_report(activity_row, current_user.id, g.permissions)
                           and version_row.status == "approved",
                           meetings=monitoring.monitoring_meetings(),
                           names=monitoring.user_names(e.reported_by_id for e in entries),
                           due=services.activity_due(activity_row, plan_row.year),
                           **_context()), (status if errors else 200)


@bp.route(f"{P}/progress/<int:progress_id>")
@scope("tenant")
def entry(progress_id: int):
    entry_row = monitoring.get_entry(progress_id)
    activity_row = db.session.get(PlanActivity, entry_row.activity_id)
    return render_template("plans/entry.html", entry=entry_row, activity=activity_row,
                           names=monitoring.user_names([entry_row.reported_by_id]),
                           institution=db.session.get(Institution, entry_row.institution_id)
                           if entry_row.institution_id else None, **_context())


@bp.route(f"{P}/officers", methods=["GET", "POST"])
@scope("tenant")
def officers():
    errors, form = {}, {}
    if request.method == "POST":
        form = request.form
        try:
            monitoring.add_officer(**load_form(OfficerInputSchema(), form))
            db.session.commit()
            flash(_("The officer now reports for the institution."), "success")
            return redirect(url_for(".officers"))
        except FormErrors as exc:
            errors = _fail(exc)
    rows = monitoring.list_officers()
    candidates = monitoring.officer_candidates()
    log_contacts_shown("User", candidates, ["email"])  # the choice of officers shows e-mail addresses
    return render_template("plans/officers.html", officers=rows, candidates=candidates,
                           names=monitoring.user_names(o.user_id for o in rows), institutions=_institutions(),
                           errors=errors, form=form, **_context()), (422 if errors else 200)


@bp.route(f"{P}/officers/<int:officer_id>", methods=["POST"])
@scope("tenant")
def officer(officer_id: int):
    monitoring.remove_officer(monitoring.get_officer(officer_id))
    db.session.commit()
    flash(_("The officer no longer reports for the institution."), "success")
    return redirect(url_for(".officers"))


# --- reports ------------------------------------------------------------------------------------

@bp.route(f"{P}/reports", methods=["GET", "POST"])
@scope("tenant")
def report_list():
    errors, form = {}, {}
    if request.method == "POST":
        form = request.form
        try:
            report = reports.request_report(load_form(ReportSchema(), form), user_id=current_user.id)
            db.session.commit()
            jobs.enqueue(reports.generate_report, report.id)
            flash(_("The report is being generated; it appears below when it is ready."), "success")
            return redirect(url_for(".report", monitoring_report_id=report.id))
        except FormErrors as exc:
            errors = _fail(exc)
    start, end = reports.default_period("monitoring")
    return render_template("plans/reports.html", reports=reports.list_reports(), plans=services.list_plans(),
                           errors=errors, form=form or {"period_start": start.strftime("%d.%m.%Y"),
                                                        "period_end": end.strftime("%d.%m.%Y")},
                           **_context()), (422 if errors else 200)


@bp.route(f"{P}/reports/<int:monitoring_report_id>", methods=["GET", "POST"])
@scope("tenant")
def report(monitoring_report_id: int):
    report_row = reports.get_report(monitoring_report_id)
    errors, status = {}, 422
    if request.method == "POST":
        action = request.form.get("action")
        try:
            if action == "approve":
                was = report_row.status
                reports.approve_report(report_row, current_user._get_current_object())
                db.session.commit()
                if was == "generated":
                    jobs.enqueue(reports.stamp_approval, report_row.id)
                message = _("The report was approved.")
            elif action == "publish":
                _row, first = reports.publish_report(report_row)
                message = _("The report was published.") if first else _("The report was already published.")
            else:
                reports.regenerate(report_row)
                db.session.commit()
                jobs.enqueue(reports.generate_report, report_row.id)
                flash(_("The report is being generated again."), "success")
                return redirect(url_for(".report", monitoring_report_id=report_row.id))
            db.session.commit()
            flash(message, "success")
            return redirect(url_for(".report", monitoring_report_id=report_row.id))
        except FormErrors as exc:
            errors, status = _fail(exc), _status(exc)
            report_row = reports.get_report(monitoring_report_id)
    plan_row = db.session.get(Plan, report_row.plan_id) if report_row.plan_id else None
    return render_template("plans/report.html", report=report_row, plan=plan_row, errors=errors,
                           names=monitoring.user_names([report_row.requested_by_id, report_row.approved_by_id]),
                           **_context()), (status if errors else 200)


def _report_file(report_row: MonitoringReport, fmt: str):
    document_id = report_row.pdf_document_id if fmt == "pdf" else report_row.docx_document_id
    document = db.session.get(Document, document_id) if document_id else None
    if document is None:
        abort(404, description=_("The report has not been generated yet."))
    return send_document(document)


@bp.route(f"{P}/reports/<int:monitoring_report_id>/report.pdf")
@scope("tenant")
def report_pdf(monitoring_report_id: int):
    return _report_file(reports.get_report(monitoring_report_id), "pdf")


@bp.route(f"{P}/reports/<int:monitoring_report_id>/report.docx")
@scope("tenant")
def report_docx(monitoring_report_id: int):
    return _report_file(reports.get_report(monitoring_report_id), "docx")


# --- public -----------------------------------------------------------------------------------

@bp.route("/public/<municipality>/plan")
@scope("public")
def public_plan():
    version_row = services.version_in_force()
    plan_row = db.session.get(Plan, version_row.plan_id) if version_row else None
    published = [r for r in reports.list_reports() if r.published_at is not None]
    return render_template("plans/public_plan.html", municipality=g.municipality, version=version_row,
                           plan=plan_row, published=published, **_public_context())


def _public_context() -> dict:
    lang = language()
    return {"intensity_label": intensity_label, "report_kinds": reports.KIND_LABELS,
            "timing_words": lambda a: timing_words(a.timing_kind, a.timing_value, lang)}


def _published(monitoring_report_id: int) -> MonitoringReport:
    report_row = reports.get_report(monitoring_report_id)
    if report_row is None or report_row.published_at is None:
        abort(404, description=_("There is no published report at this address."))
    return report_row


@bp.route("/public/<municipality>/reports/<int:monitoring_report_id>/report.pdf")
@scope("public")
def public_report_pdf(monitoring_report_id: int):
    return _report_file(_published(monitoring_report_id), "pdf")


@bp.route("/public/<municipality>/reports/<int:monitoring_report_id>/report.docx")
@scope("public")
def public_report_docx(monitoring_report_id: int):
    return _report_file(_published(monitoring_report_id), "docx")
