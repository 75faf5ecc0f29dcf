"""Monthly monitoring of the plan (Art. 9.2): progress per activity, overdue activities, the
officers of institutions who report for their institution, and "you said, we did".

Progress is recorded on the approved version in force. The secretariat (permission
manage_records) records progress on any activity; an institution's officer (role
institution_officer, linked to institutions below) only on the activities their institution
is responsible for. Runs inside the tenant scope.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..accounts.models import RoleAssignment, User
from ..accounts.roles import Permission, Role
from ..concerns.models import Concern
from ..council.models import Institution
from ..documents.models import Document
from ..documents.services import store_document
from ..errors import ValidationFailed
from ..extensions import db
from ..meetings.models import Meeting
from ..risks.models import Risk, RiskConcern
from ..tenancy.context import current_municipality_id
from ..timeutil import local_today
from . import services
from .models import (
    PROGRESS_STATUSES,
    InstitutionOfficer,
    Plan,
    PlanActivity,
    PlanIndicator,
    PlanItem,
    PlanVersion,
    ProgressEntry,
    ProgressEvidence,
    ProgressValue,
)

STATUS_LABELS = {"not_started": _l("Not started"), "in_progress": _l("In progress"), "done": _l("Done"),
                 "delayed": _l("Delayed"), "cancelled": _l("Cancelled")}
CLOSED = ("done", "cancelled")
assert set(STATUS_LABELS) == set(PROGRESS_STATUSES)


def status_label(status: str | None) -> str:
    return str(STATUS_LABELS.get(status or "not_started", status))


# --- officers -----------------------------------------------------------------------------------

def list_officers() -> list[InstitutionOfficer]:
    return list(db.session.execute(select(InstitutionOfficer).order_by(InstitutionOfficer.id)).scalars())


def get_officer(officer_id) -> InstitutionOfficer | None:
    try:
        return db.session.get(InstitutionOfficer, int(officer_id))
    except (TypeError, ValueError):
        return None


def officer_candidates() -> list[User]:
    """People with the institution officer role in this municipality."""
    return list(db.session.execute(
        select(User).join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.municipality_id == current_municipality_id(),
               RoleAssignment.role == Role.INSTITUTION_OFFICER.value)
        .order_by(User.name)).scalars())


def user_names(ids) -> dict[int, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def add_officer(user_id: int, institution_id: int) -> InstitutionOfficer:
    """The clean data of ``OfficerInputSchema``: a person with the officer role, a usable institution."""
    errors: dict[str, str] = {}
    if user_id not in {u.id for u in officer_candidates()}:
        errors["user_id"] = _("Choose a person with the institution officer role in this municipality.")
    if db.session.get(Institution, institution_id) is None:
        errors["institution_id"] = _("Choose an existing institution.")
    else:
        from ..council.references import check_institution_id

        check_institution_id(institution_id, "institution_id", errors)
    if not errors and db.session.execute(select(InstitutionOfficer).where(
            InstitutionOfficer.user_id == user_id, InstitutionOfficer.institution_id == institution_id)).first():
        errors["institution_id"] = _("This person already reports for this institution.")
    if errors:
        raise ValidationFailed(errors)
    officer = InstitutionOfficer(user_id=user_id, institution_id=institution_id)
    db.session.add(officer)
    db.session.flush()
    return officer


def remove_officer(officer: InstitutionOfficer) -> None:
    db.session.delete(officer)
    db.session.flush()


def officer_institution_ids(user_id: int) -> set[int]:
    return set(db.session.execute(select(InstitutionOfficer.institution_id)
                                  .where(InstitutionOfficer.user_id == user_id)).scalars())


def may_report(activity: PlanActivity, user_id: int | None, permissions) -> bool:
    """The secretariat reports on any activity; an officer on their institution's activities only."""
    if Permission.MANAGE_RECORDS in permissions:
        return True
    if Permission.REPORT_PROGRESS not in permissions or user_id is None:
        return False
    mine = officer_institution_ids(user_id)
    return bool(mine & {link.institution_id for link in activity.institution_links})


# --- progress -----------------------------------------------------------------------------------

def monitoring_meetings() -> list[Meeting]:
    """The monitoring meetings progress can be recorded at: held up to today (Albanian time), not to come."""
    tomorrow = datetime.combine(local_today() + timedelta(days=1), time.min)  # meetings' times are local
    return list(db.session.execute(select(Meeting).where(Meeting.kind == "secretariat_monitoring",
                                                         Meeting.status != "cancelled",
                                                         Meeting.starts_at < tomorrow)
                                   .order_by(Meeting.starts_at.desc())).scalars())


def get_entry(entry_id) -> ProgressEntry | None:
    try:
        return db.session.get(ProgressEntry, int(entry_id))
    except (TypeError, ValueError):
        return None


def history(plan_id: int, activity_key: str) -> list[ProgressEntry]:
    """Every entry on an activity (across the plan's versions), the latest first."""
    return list(db.session.execute(select(ProgressEntry).where(ProgressEntry.plan_id == plan_id,
                                                               ProgressEntry.activity_key == activity_key)
                                   .order_by(ProgressEntry.reported_on.desc(), ProgressEntry.id.desc())).scalars())


def _indicator_values(values, item: PlanItem, errors: dict) -> list[tuple[PlanIndicator, float]]:
    indicators = {i.id: i for i in item.indicators}
    if any(v["indicator_id"] not in indicators for v in values):
        errors["indicator_values"] = _("Report values only for the indicators of this activity's item.")
        return []
    return [(indicators[v["indicator_id"]], v["value"]) for v in values]


def record_progress(activity: PlanActivity, data: dict, *, user_id: int | None, permissions,
                    files: list[tuple[str, bytes]] | None = None) -> ProgressEntry:
    """One progress entry (the clean data of ``ProgressInputSchema``): status, progress (%), the indicators'
    current values, a comment, next steps, evidence (documents already uploaded, or files uploaded with it).
    The caller commits."""
    item = services.item_of(activity)
    version = services.version_of_item(item)
    if not may_report(activity, user_id, permissions):
        from ..errors import NotAllowed

        raise NotAllowed({"activity": _("You can report only on the activities your institution is "
                                        "responsible for.")})
    if version.status != "approved":
        raise ValidationFailed({"activity": _("Progress is recorded on the approved plan in force, not on a draft "
                                              "or a replaced version.")})
    errors: dict[str, str] = {}
    status, progress, meeting_id = data["status"], data.get("progress"), data.get("meeting_id")
    if status == "done" and progress is None:
        progress = 100
    today = local_today()
    reported_on = data.get("reported_on") or today
    if meeting_id is not None:
        meeting = db.session.get(Meeting, meeting_id)
        if meeting is None or meeting.kind != "secretariat_monitoring":
            errors["meeting_id"] = _("Choose a Coordination Secretariat monitoring meeting of this municipality.")
        elif meeting.starts_at.date() > today:
            errors["meeting_id"] = _("This monitoring meeting has not taken place yet: record progress at a "
                                     "meeting held up to today.")
        elif data.get("reported_on") is None:
            reported_on = meeting.starts_at.date()
    if reported_on > today:
        errors["reported_on"] = _("Progress cannot be dated after today (%(today)s).",
                                  today=format_date(today, "long"))
    values = _indicator_values(data.get("indicator_values") or [], item, errors)
    documents = []
    for document_id in data.get("evidence_document_ids") or []:
        document = db.session.get(Document, document_id)
        if document is None:
            errors["evidence_document_ids"] = _("Choose documents of this municipality.")
        else:
            documents.append(document)
    if errors:
        raise ValidationFailed(errors)
    institution_id = None
    if Permission.MANAGE_RECORDS not in permissions and user_id is not None:
        mine = officer_institution_ids(user_id)
        institution_id = next((link.institution_id for link in activity.institution_links
                               if link.institution_id in mine), None)
    entry = ProgressEntry(plan_id=version.plan_id, activity_id=activity.id, activity_key=activity.key,
                          meeting_id=meeting_id, institution_id=institution_id, status=status, progress=progress,
                          comment=data.get("comment"), next_steps=data.get("next_steps"), reported_on=reported_on,
                          reported_by_id=user_id)
    db.session.add(entry)
    db.session.flush()
    for indicator, value in values:
        db.session.add(ProgressValue(entry_id=entry.id, indicator_id=indicator.id, indicator_key=indicator.key,
                                     value=value))
    for filename, content in files or []:
        try:
            documents.append(store_document(_("Evidence: %(activity)s", activity=activity.description[:150]),
                                            filename, content, uploaded_by_id=user_id, kind="evidence"))
        except ValidationFailed as exc:
            raise ValidationFailed({"evidence": next(iter(exc.errors.values()))}) from exc
    for document in dict.fromkeys(documents):
        db.session.add(ProgressEvidence(entry_id=entry.id, document_id=document.id))
    db.session.flush()
    db.session.expire(entry, ["values", "evidence"])
    return entry


def latest_entries(plan_id: int, until: date | None = None) -> dict[str, ProgressEntry]:
    """The latest entry of each activity key of a plan (up to ``until``)."""
    return latest_entries_of([plan_id], until).get(plan_id, {})


def latest_entries_of(plan_ids, until: date | None = None) -> dict[int, dict[str, ProgressEntry]]:
    """``{plan_id: {activity_key: latest entry}}`` for several plans in one query: the database
    picks each activity's latest entry (a window over the entries), only those are loaded."""
    ranked = select(ProgressEntry.id, func.row_number().over(
        partition_by=(ProgressEntry.plan_id, ProgressEntry.activity_key),
        order_by=(ProgressEntry.reported_on.desc(), ProgressEntry.id.desc())).label("rank")
    ).where(ProgressEntry.plan_id.in_(list(plan_ids)))
    if until is not None:
        ranked = ranked.where(ProgressEntry.reported_on <= until)
    ranked = ranked.subquery()
    query = select(ProgressEntry).join(ranked, ranked.c.id == ProgressEntry.id).where(ranked.c.rank == 1)
    latest: dict[int, dict[str, ProgressEntry]] = {}
    for entry in db.session.execute(query).scalars():
        latest.setdefault(entry.plan_id, {})[entry.activity_key] = entry
    return latest


def current_values(plan_id: int, until: date | None = None) -> dict[str, float]:
    """The latest reported value of each indicator key of a plan (up to ``until``)."""
    query = (select(ProgressValue.indicator_key, ProgressValue.value)
             .join(ProgressEntry, ProgressEntry.id == ProgressValue.entry_id)
             .where(ProgressEntry.plan_id == plan_id))
    if until is not None:
        query = query.where(ProgressEntry.reported_on <= until)
    values: dict[str, float] = {}
    for key, value in db.session.execute(query.order_by(ProgressEntry.reported_on, ProgressEntry.id)).all():
        values[key] = value
    return values


def days_late(due: date | None, status: str, as_of: date) -> int:
    """How many days an activity is late on ``as_of``: its due date has passed (strictly before ``as_of``)
    and it is neither done nor cancelled; 0 otherwise. The one computation of lateness, for the monitoring
    page, the API and the monitoring report (which counts as of its own date)."""
    if due is None or status in CLOSED or due >= as_of:
        return 0
    return (as_of - due).days


def board(version: PlanVersion, *, today: date | None = None, until: date | None = None) -> list[dict]:
    """Each item with its activities' status (latest entry, up to ``until``), due date and lateness as of
    ``today`` (Albania's today by default; never after ``until``), and its indicators' baseline, target and
    current value."""
    today = today or local_today()
    plan = db.session.get(Plan, version.plan_id)
    latest = latest_entries(plan.id, until)
    values = current_values(plan.id, until)
    rows = []
    for item in version.items:
        activities = []
        for activity in item.activities:
            entry = latest.get(activity.key)
            status = entry.status if entry else "not_started"
            due = services.activity_due(activity, plan.year)
            late = days_late(due, status, min(today, until) if until else today)
            activities.append({"activity": activity, "entry": entry, "status": status,
                               "progress": entry.progress if entry else None, "due": due, "overdue": late > 0,
                               "days_late": late})
        indicators = [{"indicator": i, "current": values.get(i.key)} for i in item.indicators]
        rows.append({"item": item, "activities": activities, "indicators": indicators})
    return rows


# --- "you said, we did" -------------------------------------------------------------------------

def you_said_we_did(concern: Concern) -> dict:
    """What became of a concern: the risks it fed, and the plan items and activities that answer
    those risks (in each plan's version in force, else its latest version), with their status."""
    risks = list(db.session.execute(select(Risk).join(RiskConcern, RiskConcern.risk_id == Risk.id)
                                    .where(RiskConcern.concern_id == concern.id).order_by(Risk.id)).scalars())
    result = []
    for risk in risks:
        answers = []
        items = db.session.execute(select(PlanItem, PlanVersion).join(PlanVersion, PlanVersion.id == PlanItem.version_id)
                                   .where(PlanItem.risk_id == risk.id)
                                   .order_by(PlanVersion.plan_id, PlanVersion.number)).all()
        chosen: dict[int, tuple[PlanItem, PlanVersion]] = {}
        for item, version in items:
            if version.status == "replaced":  # a draft an import set aside answers nothing
                continue
            best = chosen.get(version.plan_id)
            rank = {"approved": 2, "draft": 1, "superseded": 0}
            if best is None or (rank[version.status], version.number) >= (rank[best[1].status], best[1].number):
                chosen[version.plan_id] = (item, version)
        for item, version in chosen.values():
            plan = db.session.get(Plan, version.plan_id)
            latest = latest_entries(plan.id)
            answers.append({
                "plan": plan, "version": version, "item": item,
                "activities": [{"activity": a, "status": latest[a.key].status if a.key in latest else "not_started",
                                "entry": latest.get(a.key)} for a in item.activities]})
        result.append({"risk": risk, "answers": answers})
    return {"concern": concern, "risks": result}
