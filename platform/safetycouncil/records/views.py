"""Web pages: minutes, the decisions register and press releases of meetings.

Under /<municipality>/meetings/ (the meetings area owns /, /new and /<id>, /<id>/agenda...,
/<id>/attendance, /<id>/invitations, /calendar.ics):
  /<id>/minutes                 current minutes, earlier versions (?version=N), a new version (POST)
  /<id>/minutes.pdf|.docx       the minutes as a document (?lang=sq|en, ?version=N)
  /<id>/decisions/new           record a decision of the meeting
  /decisions/                   the register of the municipality's decisions (?year=)
  /decisions/<id>               a decision, its versions (?version=N), a new text version (POST)
  /decisions/<id>/sign          record the chair's signature (POST)
  /decisions/<id>/distribute    e-mail a copy to each member (POST, in the background)
  /decisions/<id>.pdf|.docx     the decision as a document
  /<id>/press-release           the press release: draft, publish, the 24-hour clock
  /<id>/press-release.pdf|.docx the press release as a document
"""

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts import access
from ..errors import FormErrors
from ..exports import send_export
from ..extensions import db
from ..schemas import load_form
from ..locales import force_locale
from ..meetings.models import Meeting
from ..tenancy.web import require_ids, scope
from . import downloads, services
from .schemas import (DecisionCreateSchema, DecisionPatchSchema, DecisionSignSchema, MinutesInputSchema,
                      PressReleasePublishFormSchema)
from .models import Decision

bp = Blueprint("records", __name__, url_prefix="/<municipality>/meetings", template_folder="templates")
require_ids(bp, {"meeting_id": Meeting, "decision_id": Decision})  # another municipality's id: 404

# The meetings area's page of one meeting, whichever name it has; the list otherwise.
_MEETING_PAGE_ENDPOINTS = ("meetings.detail", "meetings.show", "meetings.meeting", "meetings.view")


def meeting_url(meeting) -> str:
    for endpoint in _MEETING_PAGE_ENDPOINTS:
        if endpoint in current_app.view_functions:
            return url_for(endpoint, meeting_id=meeting.id)
    return url_for("meetings.index")


@bp.app_context_processor
def _records_helpers():
    """For the meeting page's records section (records/_meeting_section.html) and these pages."""
    return {"records_summary": services.records_summary, "records_duration": services.format_duration,
            "records_meeting_time": services.format_meeting_time, "records_meeting_url": meeting_url,
            "records_when": services.format_when, "records_hours": services.format_hours}


def _meeting(meeting_id: int):
    return db.session.get(Meeting, meeting_id)  # require_ids answered 404 for an id not of this municipality


def _decision(decision_id: int):
    return db.session.get(Decision, decision_id)


def _int(raw) -> int | None:
    return int(raw) if raw and str(raw).isdigit() else None


def _export(build, fmt: str, basenames: tuple[str, str]):
    lang = downloads.language(request.args.get("lang"))
    with force_locale(lang):
        document = build()
        return send_export(document, fmt, basenames[0] if lang == "sq" else basenames[1])


# --- minutes ----------------------------------------------------------------------------------

@bp.route("/<int:meeting_id>/minutes", methods=["GET", "POST"])
@scope("tenant")
def minutes(meeting_id: int):
    meeting = _meeting(meeting_id)
    errors, form_text, based_on = {}, None, None
    if request.method == "POST":
        form_text = request.form.get("text", "")
        try:
            data = load_form(MinutesInputSchema(), request.form)
            row = services.save_minutes(meeting, data["text"], user_id=current_user.id,
                                        based_on_version=data.get("based_on_version"))
            db.session.commit()
            flash(_("The minutes were saved as version %(version)d.", version=row.version), "success")
            return redirect(url_for(".minutes", meeting_id=meeting.id))
        except FormErrors as exc:
            db.session.rollback()
            errors = exc.errors
    versions = services.minutes_versions(meeting)
    current = versions[-1] if versions else None
    wanted = _int(request.args.get("version"))
    shown = current
    if wanted is not None:
        shown = next((v for v in versions if v.version == wanted), None) or abort(
            404, description=_("There is no such version of these minutes."))
    return render_template(
        "records/minutes.html", meeting=meeting, versions=versions, current=current, shown=shown,
        authors=services.version_authors(versions), errors=errors,
        form_text=current.text if form_text is None and current else (form_text or ""),
        based_on=current.version if current else 0,
    ), (422 if errors else 200)


@bp.route("/<int:meeting_id>/minutes.pdf")
@scope("tenant")
def minutes_pdf(meeting_id: int):
    return _minutes_download(meeting_id, "pdf")


@bp.route("/<int:meeting_id>/minutes.docx")
@scope("tenant")
def minutes_docx(meeting_id: int):
    return _minutes_download(meeting_id, "docx")


def _minutes_download(meeting_id: int, fmt: str):
    meeting = _meeting(meeting_id)
    version = _int(request.args.get("version"))
    if version is not None and services.minutes_version(meeting, version) is None:
        abort(404, description=_("There is no such version of these minutes."))
    day = meeting.starts_at.date().isoformat()
    return _export(lambda: downloads.minutes_document(meeting, version), fmt,
                   (f"procesverbal-{day}-{meeting.id}", f"minutes-{day}-{meeting.id}"))


# --- decisions ----------------------------------------------------------------------------------

@bp.route("/decisions/")
@scope("tenant")
def decisions():
    year = _int(request.args.get("year"))
    rows = services.list_decisions(year=year)
    meetings = services.meetings_by_id(d.meeting_id for d in rows)
    return render_template("records/decisions.html", decisions=rows, meetings=meetings, year=year,
                           years=services.decision_years())


def _decision_form(schema, form) -> dict:
    """A decision's clean data from its page's form (an unticked box is false)."""
    return load_form(schema, form) | {key: key in form for key in ("adopted_by_consensus", "reviews_plan")}


@bp.route("/<int:meeting_id>/decisions/new", methods=["GET", "POST"])
@scope("tenant")
def decision_new(meeting_id: int):
    meeting = _meeting(meeting_id)
    errors = {}
    form = {"number": services.suggest_number(meeting), "title": "", "text": "", "adopted_by_consensus": "1",
            "reviews_plan": ""}
    if request.method == "POST":
        form = request.form
        try:
            decision = services.create_decision(meeting, **_decision_form(DecisionCreateSchema(), form),
                                                user_id=current_user.id)
            db.session.commit()
            flash(_("Decision no. %(number)s was recorded.", number=decision.number), "success")
            return redirect(url_for(".decision", decision_id=decision.id))
        except FormErrors as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template("records/decision_new.html", meeting=meeting, form=form, errors=errors), \
        (422 if errors else 200)


def _decision_page(decision, errors=None, form=None, status=200):
    meeting = services.get_meeting(decision.meeting_id)
    wanted = _int(request.args.get("version"))
    shown = decision.versions[-1] if decision.versions else None
    if wanted is not None:
        shown = next((v for v in decision.versions if v.version == wanted), None) or abort(
            404, description=_("There is no such version of this decision."))
    roles = access.municipality_roles(current_user, g.municipality.id)
    form = form or {"number": decision.number, "title": decision.title, "text": decision.current_text,
                    "adopted_by_consensus": "1" if decision.adopted_by_consensus else "",
                    "reviews_plan": "1" if decision.reviews_plan else ""}
    return render_template(
        "records/decision.html", decision=decision, meeting=meeting, shown=shown,
        authors=services.version_authors(decision.versions), distributions=services.distributions(decision),
        can_sign_as_chair="chair" in roles, can_record_paper="technical_secretary" in roles,
        today=services.local_today(), errors=errors or {}, form=form), status


@bp.route("/decisions/<int:decision_id>", methods=["GET", "POST"])
@scope("tenant")
def decision(decision_id: int):
    decision = _decision(decision_id)
    if request.method == "POST":
        form = request.form
        try:
            services.update_decision(decision, **_decision_form(DecisionPatchSchema(), form), user_id=current_user.id)
            db.session.commit()
            flash(_("The decision was saved."), "success")
            return redirect(url_for(".decision", decision_id=decision.id))
        except FormErrors as exc:
            db.session.rollback()
            return _decision_page(_decision(decision_id), exc.errors, form, 422)
    return _decision_page(decision)


@bp.route("/decisions/<int:decision_id>/sign", methods=["POST"])
@scope("tenant")
def decision_sign(decision_id: int):
    decision = _decision(decision_id)
    try:
        services.sign_decision(decision, roles=access.municipality_roles(current_user, g.municipality.id),
                               signed_on=load_form(DecisionSignSchema(), request.form).get("signed_by_chair_on"))
        db.session.commit()
        flash(_("The chair's signature was recorded."), "success")
        return redirect(url_for(".decision", decision_id=decision.id))
    except FormErrors as exc:
        db.session.rollback()
        status = exc.status
        return _decision_page(_decision(decision_id), exc.errors, None, status)


@bp.route("/decisions/<int:decision_id>/distribute", methods=["POST"])
@scope("tenant")
def decision_distribute(decision_id: int):
    decision = _decision(decision_id)
    try:
        services.start_distribution(decision)
    except FormErrors as exc:
        db.session.rollback()
        return _decision_page(_decision(decision_id), exc.errors, None, 422)
    flash(_("The decision is being sent to each member of the council."), "success")
    return redirect(url_for(".decision", decision_id=decision_id))


@bp.route("/decisions/<int:decision_id>.pdf")
@scope("tenant")
def decision_pdf(decision_id: int):
    return _decision_download(decision_id, "pdf")


@bp.route("/decisions/<int:decision_id>.docx")
@scope("tenant")
def decision_docx(decision_id: int):
    return _decision_download(decision_id, "docx")


def _decision_download(decision_id: int, fmt: str):
    decision = _decision(decision_id)
    version = _int(request.args.get("version"))
    if version is not None and not any(v.version == version for v in decision.versions):
        abort(404, description=_("There is no such version of this decision."))
    return _export(lambda: downloads.decision_document(decision, version), fmt,
                   (f"vendim-{decision.number}", f"decision-{decision.number}"))


# --- the press release ------------------------------------------------------------------------------

@bp.route("/<int:meeting_id>/press-release", methods=["GET", "POST"])
@scope("tenant")
def press_release(meeting_id: int):
    meeting = _meeting(meeting_id)
    release = services.get_press_release(meeting)
    errors = {}
    if request.args.get("prefill") and (release is None or release.published_at is None):
        values = services.prefill(meeting)
    else:
        values = services.release_values(meeting, release)
    published_at_raw = ""
    if request.method == "POST":
        values = {key: request.form.get(key, "") for key in ("title", *services.PRESS_CONTENTS)}
        published_at_raw = request.form.get("published_at", "")
        try:
            data = load_form(PressReleasePublishFormSchema(), request.form)
            published_at = data.pop("published_at", None)
            data = {key: data.get(key) or "" for key in values}  # an emptied content is emptied
            if request.form.get("action") == "publish":
                services.publish_press_release(meeting, data, published_at=published_at and services.to_utc(
                    published_at))
                db.session.commit()
                flash(_("The press release was published on the council's public page."), "success")
            else:
                services.save_press_release(meeting, data)
                db.session.commit()
                flash(_("The draft was saved."), "success")
            return redirect(url_for(".press_release", meeting_id=meeting.id))
        except FormErrors as exc:
            db.session.rollback()
            errors = exc.errors
            release = services.get_press_release(meeting)
    return render_template(
        "records/press_release.html", meeting=meeting, release=release, values=values, errors=errors,
        clock=services.press_clock(meeting, release), headings=services.PRESS_CONTENT_HEADINGS,
        contents=services.PRESS_CONTENTS, published_at_raw=published_at_raw,
    ), (422 if errors else 200)


@bp.route("/<int:meeting_id>/press-release.pdf")
@scope("tenant")
def press_release_pdf(meeting_id: int):
    return _press_release_download(meeting_id, "pdf")


@bp.route("/<int:meeting_id>/press-release.docx")
@scope("tenant")
def press_release_docx(meeting_id: int):
    return _press_release_download(meeting_id, "docx")


def _press_release_download(meeting_id: int, fmt: str):
    meeting = _meeting(meeting_id)
    release = services.get_press_release(meeting)
    day = meeting.starts_at.date().isoformat()
    return _export(lambda: downloads.press_release_document(meeting, release), fmt,
                   (f"njoftim-per-shtyp-{day}-{meeting.id}", f"press-release-{day}-{meeting.id}"))
