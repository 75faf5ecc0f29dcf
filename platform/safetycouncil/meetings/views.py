"""Web pages: meetings, their agenda and materials, invitations, attendance and the audio recording;
and the Ministry's national page of extra days off."""
from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import jobs, unified_model
from ..data_protection.services import log_contacts_shown
from ..documents.models import Document
from ..errors import NotAllowed, ValidationFailed
from ..extensions import db
from ..schemas import load_form
from ..tenancy.web import require_ids, scope
from ..documents.download import send_document
from ..tenancy import tenant
from . import acts, calendar, invitations, materials, services
from .invitations import send_invitations_job
from .schemas import (AgendaApprovalSchema, AgendaItemSchema, AgreementSchema, CancelSchema, DayOffSchema,
                      GuestSchema, MeetingCreateSchema, MemberAttendanceSchema, PresentationSchema, RecordSentSchema,
                      SecretariatReportSchema)
from .models import (ATTENDANCE_STATUSES, MEETING_KINDS, AgendaItem, AgendaMaterial, ExtraDayOff, Invitation,
                     Meeting)

bp = Blueprint("meetings", __name__, url_prefix="/<municipality>/meetings", template_folder="templates")
require_ids(bp, {"meeting_id": Meeting, "item_id": AgendaItem, "material_id": AgendaMaterial,
                 "invitation_id": Invitation})  # another municipality's id: 404
national_bp = Blueprint("meetings_national", __name__, url_prefix="/national", template_folder="templates")

INVITATION_STATUS_LABELS = {
    "pending": _l("Not sent yet"),
    "sending": _l("Being sent"),
    "sent": _l("Sent"),
    "failed": _l("Not delivered: send again to retry"),
    "no_email": _l("No e-mail address"),
}


@bp.app_template_filter("meeting_when")
def meeting_when(meeting) -> str:
    """'13.06.2025, 10:00–12:00' in the reader's language (local times, never converted)."""
    start, end = meeting.starts_at, meeting.ends_at
    if start.date() == end.date():
        return f"{format_date(start.date())}, {start:%H:%M}–{end:%H:%M}"
    return f"{format_date(start.date())} {start:%H:%M} – {format_date(end.date())} {end:%H:%M}"


def _meeting(meeting_id: int):
    return db.session.get(Meeting, meeting_id)  # require_ids answered 404 for another municipality's id


def _fail(exc: ValidationFailed):
    db.session.rollback()
    for message in exc.errors.values():
        flash(message, "error")


def _to_detail(meeting_id: int, anchor: str | None = None):
    return redirect(url_for(".detail", meeting_id=meeting_id) + (f"#{anchor}" if anchor else ""))


def _int(raw):
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


# --- the list, a new meeting, the calendar feed --------------------------------------------------

@bp.route("/")
@scope("tenant")
def index():
    kind = request.args.get("kind") if request.args.get("kind") in MEETING_KINDS else None
    year = _int(request.args.get("year"))
    meetings = services.list_meetings(kind=kind, year=year)
    upcoming, past = services.split_upcoming(meetings)
    return render_template("meetings/index.html", upcoming=upcoming, past=past, kinds=services.KIND_LABELS,
                           statuses=services.STATUS_LABELS, years=services.meeting_years(), kind=kind, year=year,
                           today=services.local_today())


@bp.route("/new", methods=["GET", "POST"])
@scope("tenant")
def new():
    errors, form = {}, {"kind": request.args.get("kind", "council")}
    if request.method == "POST":
        form = request.form
        try:
            meeting = services.create_meeting(**load_form(MeetingCreateSchema(), form), created_by_id=current_user.id)
            db.session.commit()
            flash(_("The meeting was planned. The invitation must be sent by %(date)s.",
                    date=_format_date(meeting.invitation_deadline)), "success")
            return redirect(url_for(".detail", meeting_id=meeting.id))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template("meetings/form.html", meeting=None, form=form, errors=errors,
                           kinds=services.KIND_LABELS), (422 if errors else 200)


def _format_date(day, format="full"):
    return format_date(day, format)


@bp.route("/month")
@scope("tenant")
def month():
    """A month calendar of the council's meetings (?month=2026-12), weeks from Monday."""
    try:
        shown = services.parse_month(request.args.get("month"))
    except ValidationFailed as exc:
        flash(next(iter(exc.errors.values())), "error")
        shown = services.local_today().replace(day=1)
    grid = services.month_grid(shown)
    return render_template("meetings/month.html", grid=grid, month=shown, kinds=services.KIND_LABELS,
                           statuses=services.STATUS_LABELS, today=services.local_today(),
                           day_names=services.weekday_names())


@bp.route("/calendar.ics")
@scope("tenant")
def calendar_feed():
    meetings = services.meetings_with_agenda()
    body = calendar.calendar_bytes(meetings, g.municipality,
                                   name=_("KVSP of %(name)s: meetings", name=g.municipality.name))
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="kvsp-{g.municipality.slug}.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


# --- one meeting ---------------------------------------------------------------------------------

@bp.route("/<int:meeting_id>")
@scope("tenant")
def detail(meeting_id: int):
    meeting = _meeting(meeting_id)
    invited = invitations.list_invitations(meeting)
    log_contacts_shown("Invitation", invited, ["email"])  # the invitees' e-mail addresses are listed
    attendance = services.list_attendance(meeting)
    audio = db.session.get(Document, meeting.audio_document_id) if meeting.audio_document_id else None
    return render_template(
        "meetings/detail.html", meeting=meeting, kinds=services.KIND_LABELS, statuses=services.STATUS_LABELS,
        deadline=services.deadline_status(meeting), invitations=invited,
        invitees=invitations.invitees(meeting), invitation_labels=INVITATION_STATUS_LABELS,
        attendance=attendance, summary=services.attendance_summary(attendance),
        attendance_labels=services.ATTENDANCE_LABELS, audio=audio, started=services.started(meeting),
        notice=unified_model.notice_working_days(meeting.starts_at), today=services.local_today(),
        sent_day=services.sent_day(meeting), records=services.meeting_records(meeting),
        links=materials.links_by_invitation(meeting), recorded_by_name=services.recorded_by_name(meeting),
        acts=_acts_context(meeting))


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@scope("tenant")
def edit(meeting_id: int):
    meeting = _meeting(meeting_id)
    errors = {}
    form = {"kind": meeting.kind, "title": meeting.title, "location": meeting.location or "",
            "starts_at": meeting.starts_at.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": meeting.ends_at.strftime("%Y-%m-%dT%H:%M")}
    if request.method == "POST":
        form = request.form
        try:
            services.update_meeting(meeting, **load_form(MeetingCreateSchema(), form))
            db.session.commit()
            flash(_("The meeting was saved."), "success")
            return redirect(url_for(".detail", meeting_id=meeting.id))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
            meeting = _meeting(meeting_id)
    return render_template("meetings/form.html", meeting=meeting, form=form, errors=errors,
                           kinds=services.KIND_LABELS), (422 if errors else 200)


@bp.route("/<int:meeting_id>/cancel", methods=["POST"])
@scope("tenant")
def cancel(meeting_id: int):
    meeting = _meeting(meeting_id)
    try:
        services.cancel_meeting(meeting, load_form(CancelSchema(), request.form)["reason"])
        db.session.commit()
        flash(_("The meeting was cancelled."), "success")
    except ValidationFailed as exc:
        _fail(exc)
    return _to_detail(meeting_id)


@bp.route("/<int:meeting_id>/held", methods=["POST"])
@scope("tenant")
def held(meeting_id: int):
    meeting = _meeting(meeting_id)
    try:
        services.record_held(meeting)
        db.session.commit()
        flash(_("The meeting is recorded as held."), "success")
    except ValidationFailed as exc:
        _fail(exc)
    return _to_detail(meeting_id)


@bp.route("/<int:meeting_id>/delete", methods=["POST"])
@scope("tenant")
def delete(meeting_id: int):
    meeting = _meeting(meeting_id)
    try:
        services.delete_meeting(meeting)
        db.session.commit()
        flash(_("The meeting was deleted."), "success")
        return redirect(url_for(".index"))
    except ValidationFailed as exc:
        _fail(exc)
    return _to_detail(meeting_id)


# --- Art. 7.5, 9.5, 9.4: the agenda's approval, the Coordination Secretariat's agreement and report -------

def _acts_context(meeting) -> dict:
    from ..workdays import add_working_days

    days = unified_model.parameter("secretariat_report_working_days", meeting.starts_at.year)
    return {"is_chair": acts.is_chair(current_user, g.municipality.id), "approver": acts.agenda_approver(meeting),
            "head_labels": {k: str(v) for k, v in acts.HEAD_LABELS.items()},
            "recipients": ", ".join(str(acts.HEAD_LABELS[h]) for h in meeting.report_recipients or []
                                    if h in acts.HEAD_LABELS),
            "report_due": add_working_days(meeting.starts_at.date(), days),
            **_presentation_context(meeting)}


def _presentation_context(meeting) -> dict:
    """Art. 9.4, second half: who presented the findings, where, and the council meetings to choose from."""
    if meeting.kind != "secretariat_monitoring":
        return {}
    where = (services.get_meeting(meeting.findings_presented_meeting_id)
             if meeting.findings_presented_meeting_id else None)
    return {"findings_document": (db.session.get(Document, meeting.findings_document_id)
                                  if meeting.findings_document_id else None),
            "presented_day": acts.presentation_day(meeting) if meeting.findings_presented_by else None,
            "presented_meeting": where,
            "presented_by": str(acts.HEAD_LABELS.get(meeting.findings_presented_by, "")),
            "presentation_candidates": acts.presentation_candidates(meeting)}


@bp.route("/<int:meeting_id>/agenda/approve", methods=["POST"])
@scope("tenant")
def approve_agenda(meeting_id: int):
    """Art. 7.5: the chair approves the agenda; anyone else is refused (403), with no button shown to them."""
    meeting = _meeting(meeting_id)
    try:
        acts.approve_agenda(meeting, current_user, load_form(AgendaApprovalSchema(), request.form).get("approved_on"))
        db.session.commit()
        flash(_("The agenda is approved."), "success")
    except NotAllowed as exc:
        db.session.rollback()
        abort(403, description=next(iter(exc.errors.values())))
    except ValidationFailed as exc:
        _fail(exc)
    return _to_detail(meeting_id, "agenda-approval")


@bp.route("/<int:meeting_id>/secretariat-agreement", methods=["POST"])
@scope("tenant")
def secretariat_agreement(meeting_id: int):
    meeting = _meeting(meeting_id)
    try:
        acts.record_agreement(meeting, load_form(AgreementSchema(), request.form)["agreed_on"], user_id=current_user.id)
        db.session.commit()
        flash(_("The Coordination Secretariat's agreement is recorded."), "success")
    except ValidationFailed as exc:
        _fail(exc)
    return _to_detail(meeting_id, "secretariat-agreement")


@bp.route("/<int:meeting_id>/secretariat-report", methods=["POST"])
@scope("tenant")
def secretariat_report(meeting_id: int):
    meeting = _meeting(meeting_id)
    try:
        data = load_form(SecretariatReportSchema(), request.form)
        acts.record_report(meeting, data["sent_on"], data["recipients"], data["findings"], user_id=current_user.id)
        db.session.commit()
        flash(_("The report to the heads is recorded."), "success")
    except ValidationFailed as exc:
        _fail(exc)
    return _to_detail(meeting_id, "secretariat-report")


@bp.route("/<int:meeting_id>/findings-presentation", methods=["POST"])
@scope("tenant")
def findings_presentation(meeting_id: int):
    meeting = _meeting(meeting_id)
    try:
        data = load_form(PresentationSchema(), request.form)
        acts.record_presentation(meeting, data["presented_by"], at_meeting_id=data.get("meeting_id"),
                                 presented_on=data.get("presented_on"), user_id=current_user.id)
        db.session.commit()
        flash(_("The presentation of the findings is recorded."), "success")
    except ValidationFailed as exc:
        _fail(exc)
    return _to_detail(meeting_id, "findings-presentation")


@bp.route("/<int:meeting_id>/secretariat-report/document", methods=["POST"])
@scope("tenant")
def findings_document(meeting_id: int):
    return _attach_upload(meeting_id, "file", acts.attach_findings_document,
                          _("The document with the findings was added."), "secretariat-report")


def _attach_upload(meeting_id: int, field: str, attach, done: str, anchor: str):
    """An uploaded file (form field ``field``) attached to the meeting by ``attach`` (which checks its content);
    refused: the meeting's page again with the message beside the upload."""
    meeting = _meeting(meeting_id)
    upload = request.files.get(field)
    try:
        attach(meeting, upload.filename if upload else "", upload.stream if upload else b"",
               uploaded_by_id=current_user.id)
        db.session.commit()
        flash(done, "success")
    except ValidationFailed as exc:
        db.session.rollback()
        return _detail_with_errors(_meeting(meeting_id), exc.errors)
    return _to_detail(meeting_id, anchor)


# --- the agenda and its materials ------------------------------------------------------------------

@bp.route("/<int:meeting_id>/agenda", methods=["POST"])
@scope("tenant")
def add_item(meeting_id: int):
    meeting = _meeting(meeting_id)
    try:
        services.add_agenda_item(meeting, **load_form(AgendaItemSchema(), request.form))
        db.session.commit()
        flash(_("The agenda item was added."), "success")
    except ValidationFailed as exc:
        _fail(exc)
    return _to_detail(meeting_id, "agenda")


def _item(item_id: int):
    return db.session.get(AgendaItem, item_id)


@bp.route("/items/<int:item_id>", methods=["GET", "POST"])
@scope("tenant")
def edit_item(item_id: int):
    item = _item(item_id)
    errors = {}
    form = {"title": item.title, "description": item.description or "", "presenter": item.presenter or ""}
    if request.method == "POST":
        form = request.form
        meeting_id = item.meeting_id
        try:
            if form.get("action") == "delete":
                services.remove_agenda_item(item)
                db.session.commit()
                flash(_("The agenda item was removed."), "success")
                return _to_detail(meeting_id, "agenda")
            services.update_agenda_item(item, load_form(AgendaItemSchema(), form))
            db.session.commit()
            flash(_("The agenda item was saved."), "success")
            return _to_detail(meeting_id, "agenda")
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
            item = _item(item_id)
    return render_template("meetings/item.html", item=item, meeting=item.meeting, form=form,
                           errors=errors), (422 if errors else 200)


@bp.route("/items/<int:item_id>/move", methods=["POST"])
@scope("tenant")
def move_item(item_id: int):
    item = _item(item_id)
    meeting_id = item.meeting_id
    step = -1 if request.form.get("direction") == "up" else 1
    try:
        services.move_agenda_item(item, item.position + step)
        db.session.commit()
    except ValidationFailed as exc:
        _fail(exc)
    return _to_detail(meeting_id, "agenda")


@bp.route("/items/<int:item_id>/materials", methods=["POST"])
@scope("tenant")
def add_material(item_id: int):
    item = _item(item_id)
    meeting_id = item.meeting_id
    upload = request.files.get("file")
    try:
        services.add_material(item, request.form.get("title", ""), upload.filename if upload else "",
                              upload.stream if upload else b"", uploaded_by_id=current_user.id)
        db.session.commit()
        flash(_("The material was attached."), "success")
    except ValidationFailed as exc:
        db.session.rollback()
        meeting = _meeting(meeting_id)
        return _detail_with_errors(meeting, {f"material-{item_id}": next(iter(exc.errors.values()))})
    return _to_detail(meeting_id, "agenda")


def _detail_with_errors(meeting, errors: dict):
    """The detail page again, with the refusal next to the form that caused it (422)."""
    for message in errors.values():
        flash(message, "error")
    response = detail(meeting.id)
    return response, 422


@bp.route("/materials/<int:material_id>/remove", methods=["POST"])
@scope("tenant")
def remove_material(material_id: int):
    material = db.session.get(AgendaMaterial, material_id)
    meeting_id = services.get_agenda_item(material.agenda_item_id).meeting_id
    try:
        services.remove_material(material)
        db.session.commit()
        flash(_("The material was removed from the agenda item."), "success")
    except ValidationFailed as exc:
        _fail(exc)
    return _to_detail(meeting_id, "agenda")


# --- invitations ---------------------------------------------------------------------------------

@bp.route("/<int:meeting_id>/invitees", methods=["GET", "POST"])
@scope("tenant")
def invitees(meeting_id: int):
    meeting = _meeting(meeting_id)
    errors = {}
    if request.method == "POST":
        try:
            invitations.choose_invitees(meeting, request.form.getlist("member_id"))
            db.session.commit()
            flash(_("The invitees were saved."), "success")
            return _to_detail(meeting_id, "invitations")
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
            meeting = _meeting(meeting_id)
    chosen = {row.member_id: row for row in invitations.list_invitations(meeting)}
    return render_template("meetings/invitees.html", meeting=meeting, members=invitations.choosable_members(meeting),
                           automatic=invitations.automatic_invitees(meeting), chosen=chosen, errors=errors,
                           invitation_labels=INVITATION_STATUS_LABELS), (422 if errors else 200)


@bp.route("/<int:meeting_id>/invitations/send", methods=["POST"])
@scope("tenant")
def send_invitations(meeting_id: int):
    meeting = _meeting(meeting_id)
    try:
        rows = invitations.prepare_invitations(meeting)
        count = sum(1 for r in rows if r.status in ("pending", "failed"))
        db.session.commit()
    except ValidationFailed as exc:
        _fail(exc)
        return _to_detail(meeting_id, "invitations")
    jobs.enqueue(send_invitations_job, meeting_id)
    flash(_("The invitation is being e-mailed to %(n)d people.", n=count), "success")
    return _to_detail(meeting_id, "invitations")


@bp.route("/<int:meeting_id>/invitations/record", methods=["POST"])
@scope("tenant")
def record_invitations(meeting_id: int):
    meeting = _meeting(meeting_id)
    try:
        invitations.record_invitations_sent(meeting, load_form(RecordSentSchema(), request.form)["sent_on"])
        db.session.commit()
        if meeting.invitation_working_days_late:
            flash(_("Recorded. The invitations were late by %(n)d working days.",
                    n=meeting.invitation_working_days_late), "success")
        else:
            flash(_("Recorded. The invitations were sent on time."), "success")
    except ValidationFailed as exc:
        _fail(exc)
    return _to_detail(meeting_id, "invitations")


@bp.route("/invitations/<int:invitation_id>/revoke-link", methods=["POST"])
@scope("tenant")
def revoke_material_link(invitation_id: int):
    """Withdraw an invitee's personal link to the materials (a forwarded or mistaken address)."""
    row = db.session.get(Invitation, invitation_id)
    count = materials.revoke_links(row, current_user.id)
    db.session.commit()
    if count:
        flash(_("The personal link to the materials was withdrawn."), "success")
    else:
        flash(_("This invitee has no personal link to withdraw."), "error")
    return _to_detail(row.meeting_id, "invitations")


# --- materials through a personal link that needs no account ------------------------------------

def _open_link(token: str):
    try:
        return materials.open_link(token), None
    except materials.LinkRefused as exc:
        return None, str(exc)


@bp.route("/materials/<raw>")
@scope("public")
def material_link(raw: str):
    token = raw  # the route's argument is "raw", a value the public leak sweep tries
    link, refusal = _open_link(token)
    if link is None:
        return render_template("meetings/material_link.html", refusal=refusal, municipality=g.municipality), 404
    meeting = _meeting(link.invitation.meeting_id)
    with tenant(g.municipality.id):  # the opening is logged (the reader's scope is read-only)
        materials.record_opening(link.id)
        db.session.commit()
    link, _refusal = _open_link(token)
    meeting = _meeting(link.invitation.meeting_id)
    return render_template("meetings/material_link.html", refusal=None, link=link, meeting=meeting,
                           municipality=g.municipality, documents=materials.meeting_documents(meeting),
                           token=token, kinds=services.KIND_LABELS, format_decimal=format_decimal,
                           link_expires_on=services.utc_to_local(link.expires_at).date())


@bp.route("/materials/<raw>/<int:document_id>")
@scope("public")
def material_link_download(raw: str, document_id: int):
    link, refusal = _open_link(raw)
    if link is None:
        return render_template("meetings/material_link.html", refusal=refusal, municipality=g.municipality), 404
    meeting = _meeting(link.invitation.meeting_id)
    document = next((d for d in materials.meeting_documents(meeting) if d.id == document_id), None) or abort(404)
    with tenant(g.municipality.id):
        materials.record_opening(link.id, document_id)
        db.session.commit()
    document = db.session.get(Document, document_id)
    return send_document(document)


# --- attendance and the recording --------------------------------------------------------------

@bp.route("/<int:meeting_id>/attendance", methods=["GET", "POST"])
@scope("tenant")
def attendance(meeting_id: int):
    meeting = _meeting(meeting_id)
    errors, guest_form = {}, {}
    if request.method == "POST":
        action = request.form.get("action", "members")
        try:
            if action == "guest":
                guest_form = request.form
                guest = load_form(GuestSchema(), guest_form)
                services.add_guest(meeting, guest["guest_name"], guest.get("guest_institution"))
                message = _("The guest was added.")
            elif action == "remove":
                services.remove_attendance(meeting, request.form.get("attendance_id"))
                message = _("The entry was removed.")
            elif action == "all_present":
                count = services.mark_all_present(meeting, [m.id for m in _attendance_people(meeting)])
                message = ngettext("%(num)d person marked present; those already recorded keep their status.",
                                   "%(num)d people marked present; those already recorded keep their status.",
                                   count)
            else:
                data = load_form(MemberAttendanceSchema(), request.form)
                services.set_member_attendance(meeting, list(zip(data["member_id"], data["status"], strict=True)))
                message = _("The attendance was saved.")
            db.session.commit()
            flash(message, "success")
            return redirect(url_for(".attendance", meeting_id=meeting_id))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
            meeting = _meeting(meeting_id)
    rows = services.list_attendance(meeting)
    recorded = {a.member_id: a for a in rows if a.member_id is not None}
    return render_template(
        "meetings/attendance.html", meeting=meeting, people=_attendance_people(meeting, rows),
        recorded=recorded, guests=[a for a in rows if a.member_id is None], statuses=ATTENDANCE_STATUSES,
        labels=services.ATTENDANCE_LABELS, errors=errors, guest_form=guest_form,
        started=services.started(meeting)), (422 if errors else 200)


def _attendance_people(meeting, rows=None):
    """Whom the attendance form lists: the invitees and anyone already recorded (or, when nobody
    was invited, the members active on the day)."""
    rows = services.list_attendance(meeting) if rows is None else rows
    people = {m.id: m for m in invitations.invitees(meeting)}
    for row in rows:
        if row.member_id is not None:
            people.setdefault(row.member_id, row.member)
    if not people:
        people = {m.id: m for m in invitations.choosable_members(meeting)}
    return sorted(people.values(), key=lambda m: m.full_name.lower())


@bp.route("/<int:meeting_id>/audio", methods=["POST"])
@scope("tenant")
def audio(meeting_id: int):
    return _attach_upload(meeting_id, "audio", services.attach_audio, _("The audio recording was added."), "audio")


# --- national: extra days off declared by the government ----------------------------------------

@national_bp.route("/days-off", methods=["GET", "POST"])
@scope("national")
def days_off():
    errors, form = {}, {}
    if request.method == "POST":
        form = request.form
        try:
            row = services.add_day_off(**load_form(DayOffSchema(), form))
            db.session.commit()
            day = row.day
            changed = services.recompute_future_deadlines()
            flash(_("%(date)s is now a day off. Invitation deadlines of %(n)d planned meetings changed.",
                    date=_format_date(day), n=changed), "success")
            return redirect(url_for(".days_off"))
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template("meetings/days_off.html", days=services.list_days_off(), errors=errors, form=form,
                           today=services.local_today()), (422 if errors else 200)


@national_bp.route("/days-off/<int:day_off_id>/remove", methods=["POST"])
@scope("national")
def remove_day_off(day_off_id: int):
    row = db.session.get(ExtraDayOff, day_off_id) or abort(404)
    day = row.day
    services.remove_day_off(row)
    db.session.commit()
    changed = services.recompute_future_deadlines()
    flash(_("%(date)s is a working day again. Invitation deadlines of %(n)d planned meetings changed.",
            date=_format_date(day), n=changed), "success")
    return redirect(url_for(".days_off"))
