"""Meetings of a municipality's council: planning and holding them, their agenda and materials,
attendance, the audio recording, and the invitation deadline of Art. 7.4.

Runs inside the municipality's tenant scope (``recompute_future_deadlines`` and the Ministry's
extra days off are the exceptions: they are national). Services flush; callers commit.

Times: ``Meeting.starts_at``/``ends_at`` are local times in Europe/Tirane (naive);
``invitation_sent_at`` and ``reminder_sent_at`` are naive UTC, like every other timestamp.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, extract, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .. import schemas, unified_model, uploads, workdays
from ..council.models import CouncilMember
from ..documents.models import Document
from ..documents.services import store_document
from ..errors import ValidationFailed
from ..extensions import db
from ..municipalities.models import Municipality
from ..records.models import Decision, MinutesVersion, PressRelease
from ..tenancy import tenant
from . import acts
from . import schemas as meeting_schemas
from ..timeutil import LOCAL_TIMEZONE, local_now, local_to_utc, local_today, utc_to_local  # noqa: F401 (read as services.*)
from .models import (
    ATTENDANCE_STATUSES,
    MEETING_KINDS,
    AgendaItem,
    AgendaMaterial,
    Attendance,
    ExtraDayOff,
    Invitation,
    Meeting,
)

# Art. 7.4: the invitation reaches members at least this many working days before the meeting.
# A parameter of the unified model: the compliance work will make it editable by the Ministry.
# The technical secretary is warned when the deadline is this many working days away (or less).
REMINDER_WORKING_DAYS = 2
MAX_MATERIAL_BYTES = uploads.DEFAULT_MAX_BYTES
MAX_AUDIO_BYTES = 300 * 1024 * 1024  # a full recording of a long meeting (Art. 10.2)
AUDIO_TYPES = frozenset({"mp3", "m4a", "wav", "ogg"})

KIND_LABELS = {
    "council": _l("Council meeting"),
    "council_ad_hoc": _l("Ad hoc council meeting"),
    "open_consultation": _l("Open consultation meeting"),
    "secretariat_monitoring": _l("Coordination Secretariat monitoring meeting"),
    "task_force": _l("Task force meeting"),
}
STATUS_LABELS = {
    "planned": _l("Planned"),
    "held": _l("Held"),
    "cancelled": _l("Cancelled"),
}
ATTENDANCE_LABELS = {
    "present": _l("Present"),
    "absent": _l("Absent"),
    "excused": _l("Excused"),
}


# --- time ------------------------------------------------------------------------------------

def sent_day(meeting: Meeting) -> date | None:
    """The day (in Albania) the invitations were sent, or None."""
    return utc_to_local(meeting.invitation_sent_at).date() if meeting.invitation_sent_at else None


# --- the invitation deadline (Art. 7.4) -------------------------------------------------------

def extra_days_off() -> frozenset[date]:
    """The days off the government declared beyond the public holidays (global, Ministry-kept)."""
    return frozenset(db.session.execute(select(ExtraDayOff.day)).scalars())


def deadline_for(meeting_day: date, days_off=None) -> date:
    """The last day the invitation to a meeting on ``meeting_day`` may be sent: the model's working
    days of notice in force that year (Art. 7.4), the same computation as the compliance rule."""
    return workdays.invitation_deadline(meeting_day, unified_model.notice_working_days(meeting_day),
                                        extra_days_off() if days_off is None else days_off)


def lateness_for(sent_on: date, meeting_day: date, days_off=None) -> int:
    """By how many working days an invitation sent on ``sent_on`` is late (0: on time)."""
    return workdays.working_days_late(sent_on, meeting_day, unified_model.notice_working_days(meeting_day),
                                      extra_days_off() if days_off is None else days_off)


def refresh_deadline(meeting: Meeting, days_off=None) -> None:
    """Keep the deadline (and the lateness of invitations already sent) in step with the start."""
    days_off = extra_days_off() if days_off is None else days_off
    deadline = deadline_for(meeting.starts_at.date(), days_off)
    if meeting.invitation_deadline is not None and meeting.invitation_deadline != deadline:
        meeting.reminder_sent_at = None  # a new deadline deserves a new reminder
    meeting.invitation_deadline = deadline
    if meeting.invitation_sent_at is not None:
        meeting.invitation_working_days_late = lateness_for(sent_day(meeting), meeting.starts_at.date(), days_off)


def set_invitation_sent(meeting: Meeting, sent_at_utc: datetime, days_off=None) -> None:
    """Record when the invitations were sent, and how late that was."""
    meeting.invitation_sent_at = sent_at_utc
    meeting.invitation_working_days_late = lateness_for(
        sent_day(meeting), meeting.starts_at.date(), extra_days_off() if days_off is None else days_off)


def deadline_status(meeting: Meeting, today: date | None = None) -> dict:
    """What the scheduling screen says about the deadline."""
    today = today or local_today()
    deadline = meeting.invitation_deadline
    status = {"deadline": deadline, "sent": meeting.invitation_sent_at is not None,
              "late_by": meeting.invitation_working_days_late, "remaining": None, "late_if_sent_today": None,
              "meeting_passed": meeting.starts_at.date() < today}
    if meeting.invitation_sent_at is None and deadline is not None:
        if deadline >= today:
            status["remaining"] = workdays.working_days_between(today, deadline, extra_days_off())
        else:
            status["late_if_sent_today"] = lateness_for(today, meeting.starts_at.date())
    return status


def recompute_future_deadlines() -> int:
    """After the Ministry changes the extra days off: recompute every municipality's future
    meetings' deadlines (each inside its own tenant scope). Commits. Returns how many changed."""
    days_off = extra_days_off()
    today = local_today()
    changed = 0
    ids = db.session.execute(select(Municipality.id).order_by(Municipality.id)).scalars().all()
    db.session.commit()
    for municipality_id in ids:
        with tenant(municipality_id):
            meetings = db.session.execute(select(Meeting).where(
                Meeting.starts_at >= datetime.combine(today, time()), Meeting.status == "planned")).scalars().all()
            for meeting in meetings:
                before = (meeting.invitation_deadline, meeting.invitation_working_days_late)
                refresh_deadline(meeting, days_off)
                changed += before != (meeting.invitation_deadline, meeting.invitation_working_days_late)
            db.session.commit()
    return changed


# --- extra days off (national, the Ministry's) -----------------------------------------------

def list_days_off() -> list[ExtraDayOff]:
    return list(db.session.execute(select(ExtraDayOff).order_by(ExtraDayOff.day.desc())).scalars())


def add_day_off(day: date, reason: str) -> ExtraDayOff:
    """A day off the government declared (``DayOffSchema``'s clean data)."""
    if db.session.execute(select(ExtraDayOff.id).where(ExtraDayOff.day == day)).first():
        raise ValidationFailed({"day": _("This day is already a declared day off.")})
    if not workdays.is_working_day(day):
        raise ValidationFailed({"day": _("This day is already a weekend day or a public holiday.")})
    row = ExtraDayOff(day=day, reason=reason)
    db.session.add(row)
    db.session.flush()
    return row


def remove_day_off(row: ExtraDayOff) -> None:
    db.session.delete(row)
    db.session.flush()


# --- meetings ----------------------------------------------------------------------------------

def get_meeting(meeting_id: int) -> Meeting | None:
    return db.session.get(Meeting, meeting_id)


def list_meetings(*, kind: str | None = None, year: int | None = None, status: str | None = None,
                  newest_first: bool = False) -> list[Meeting]:
    query = select(Meeting)
    if kind:
        query = query.where(Meeting.kind == kind)
    if year:
        query = query.where(extract("year", Meeting.starts_at) == int(year))
    if status:
        query = query.where(Meeting.status == status)
    order = Meeting.starts_at.desc() if newest_first else Meeting.starts_at
    return list(db.session.execute(query.order_by(order, Meeting.id)).scalars())


def split_upcoming(meetings: list[Meeting], now: datetime | None = None) -> tuple[list[Meeting], list[Meeting]]:
    """Upcoming (soonest first) and past (latest first)."""
    now = now or local_now()
    upcoming = sorted((m for m in meetings if m.ends_at >= now), key=lambda m: m.starts_at)
    past = sorted((m for m in meetings if m.ends_at < now), key=lambda m: m.starts_at, reverse=True)
    return upcoming, past


def parse_month(raw) -> date:
    """The first day of a month from "2026-12" (today's month when empty)."""
    text = (raw or "").strip()
    if not text:
        return local_today().replace(day=1)
    try:
        year, month = (int(part) for part in text.split("-", 1))
        if schemas.FIRST_YEAR <= year <= schemas.LAST_YEAR:
            return date(year, month, 1)
    except ValueError:
        pass
    raise ValidationFailed({"month": _("Enter a month as year and month, for example 2026-12.")})


def month_grid(first: date) -> dict:
    """The weeks (Monday first) of the month of ``first``, each day with its meetings."""
    import calendar as pycalendar

    next_first = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    meetings = db.session.execute(select(Meeting).where(
        Meeting.starts_at >= datetime.combine(first, time()), Meeting.starts_at < datetime.combine(next_first, time()))
        .order_by(Meeting.starts_at, Meeting.id)).scalars().all()
    by_day: dict[date, list[Meeting]] = {}
    for meeting in meetings:
        by_day.setdefault(meeting.starts_at.date(), []).append(meeting)
    weeks = [[(d, by_day.get(d, [])) if d.month == first.month else (d, None) for d in week]
             for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)]
    previous = (first - timedelta(days=1)).replace(day=1)
    return {"weeks": weeks, "meetings": meetings, "previous": previous, "next": next_first}


def weekday_names() -> list[str]:
    """Monday to Sunday, abbreviated, in the reader's language."""
    from flask_babel import get_locale

    names = get_locale().days["format"]["abbreviated"]
    return [names[i] for i in range(7)]


def meeting_years() -> list[int]:
    years = db.session.execute(select(extract("year", Meeting.starts_at)).distinct()).scalars()
    return sorted({int(y) for y in years if y is not None}, reverse=True)


def _check_order(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationFailed({"ends_at": str(meeting_schemas.ENDS_BEFORE)})


def create_meeting(kind: str, title: str, starts_at: datetime, ends_at: datetime, location: str | None = None, *,
                   created_by_id: int | None = None, now: datetime | None = None) -> Meeting:
    """Plan a meeting (``MeetingCreateSchema``'s clean data). One whose start is already past is recorded as
    entered after the fact, with who entered it: its invitations cannot be proven by the platform (the
    compliance rules read ``entered_after_the_fact`` and ``recorded_by_id``)."""
    _check_order(starts_at, ends_at)
    values = {"kind": kind, "title": title, "starts_at": starts_at, "ends_at": ends_at, "location": location}
    after_the_fact = values["starts_at"] < (now or local_now())
    meeting = Meeting(**values, status="planned", created_by_id=created_by_id,
                      entered_after_the_fact=after_the_fact, recorded_by_id=created_by_id if after_the_fact else None)
    refresh_deadline(meeting)
    db.session.add(meeting)
    db.session.flush()
    _emit_meeting("meeting.scheduled", meeting)
    return meeting


def _emit_meeting(event_type: str, meeting: Meeting) -> None:
    from ..webhooks import emit, payloads

    emit(event_type, meeting.municipality_id, payloads.meeting(meeting))


def recorded_by_name(meeting: Meeting) -> str | None:
    """The name of the account that entered a meeting after the fact."""
    from ..accounts.models import User

    if not meeting.entered_after_the_fact or meeting.recorded_by_id is None:
        return None
    user = db.session.get(User, meeting.recorded_by_id)
    return (user.name or user.email) if user is not None else None


def update_meeting(meeting: Meeting, **changes) -> Meeting:
    """Change a meeting with ``MeetingPatchSchema``'s clean data (the fields it gives)."""
    _check_open(meeting)
    values = {key: changes.get(key, getattr(meeting, key)) for key in ("kind", "title", "starts_at", "ends_at",
                                                                        "location")}
    _check_order(values["starts_at"], values["ends_at"])
    if values["kind"] != meeting.kind and db.session.execute(
            select(Invitation.id).where(Invitation.meeting_id == meeting.id, Invitation.status == "sent")).first():
        raise ValidationFailed({"kind": _("Invitations have been sent: the kind of meeting can no longer change.")})
    start_changed = values["starts_at"] != meeting.starts_at
    for key, value in values.items():
        setattr(meeting, key, value)
    if start_changed or meeting.invitation_deadline is None:
        refresh_deadline(meeting)
    changed = db.session.is_modified(meeting)
    db.session.flush()
    if changed:
        _emit_meeting("meeting.changed", meeting)
    return meeting


def cancel_meeting(meeting: Meeting, reason: str) -> Meeting:
    if meeting.status != "planned":
        raise ValidationFailed({"reason": _("Only a planned meeting can be cancelled.")})
    meeting.status, meeting.cancelled_reason = "cancelled", reason
    db.session.flush()
    _emit_meeting("meeting.changed", meeting)
    return meeting


def record_held(meeting: Meeting, now: datetime | None = None) -> Meeting:
    """Record that the meeting took place (once it has started)."""
    if meeting.status != "planned":
        raise ValidationFailed({"status": _("Only a planned meeting can be recorded as held.")})
    if meeting.starts_at > (now or local_now()):
        raise ValidationFailed({"status": _("The meeting has not started yet: it can be recorded as held "
                                            "once it has taken place.")})
    meeting.status = "held"
    db.session.flush()
    return meeting


def meeting_records(meeting: Meeting) -> list[str]:
    """What the meeting has on record (each blocks its deletion)."""
    found = []
    if meeting.invitation_sent_at is not None:
        found.append(str(_l("invitations sent")))
    checks = (
        (AgendaItem, AgendaItem.meeting_id, None, _l("agenda items")),
        (Invitation, Invitation.meeting_id, Invitation.status == "sent", _l("invitations sent")),
        (Attendance, Attendance.meeting_id, None, _l("attendance")),
        (MinutesVersion, MinutesVersion.meeting_id, None, _l("minutes")),
        (Decision, Decision.meeting_id, None, _l("decisions")),
        (PressRelease, PressRelease.meeting_id, None, _l("a press release")),
    )
    for model, column, extra, label in checks:
        query = select(func.count()).select_from(model).where(column == meeting.id)
        if extra is not None:
            query = query.where(extra)
        if str(label) not in found and db.session.execute(query).scalar():
            found.append(str(label))
    if meeting.audio_document_id is not None:
        found.append(str(_l("an audio recording")))
    return found


def delete_meeting(meeting: Meeting) -> None:
    """Delete a meeting with nothing on record; otherwise refuse and suggest cancelling it."""
    if meeting.announced_at is not None:  # on the public page and in the public calendar
        raise ValidationFailed({"meeting": _(
            "This meeting has been announced on the public page: cancel it instead, giving the reason, so "
            "that the public calendar shows it as cancelled.")})
    records = meeting_records(meeting)
    if records:
        raise ValidationFailed({"meeting": _(
            "This meeting cannot be deleted because it has records (%(records)s). "
            "Cancel it instead, giving the reason.", records=", ".join(records))})
    db.session.execute(delete(Invitation).where(Invitation.meeting_id == meeting.id))  # chosen, never sent
    db.session.delete(meeting)
    try:
        db.session.flush()
    except IntegrityError:  # other areas' records point at it (concerns, plan approvals, monitoring)
        raise ValidationFailed({"meeting": _(
            "This meeting cannot be deleted because other records refer to it (concerns, plan approvals, "
            "monitoring). Cancel it instead, giving the reason.")}) from None


# --- the agenda ----------------------------------------------------------------------------------

def get_agenda_item(item_id: int) -> AgendaItem | None:
    return db.session.get(AgendaItem, item_id)


def _check_open(meeting: Meeting) -> None:
    if meeting.status == "cancelled":
        raise ValidationFailed({"meeting": _("This meeting was cancelled; it can no longer be changed.")})


def add_agenda_item(meeting: Meeting, title: str, description: str | None = None,
                    presenter: str | None = None) -> AgendaItem:
    _check_open(meeting)
    values = {"title": title, "description": description, "presenter": presenter}
    last = db.session.execute(select(func.max(AgendaItem.position)).where(
        AgendaItem.meeting_id == meeting.id)).scalar() or 0
    item = AgendaItem(meeting_id=meeting.id, position=last + 1, **values)
    db.session.add(item)
    acts.agenda_changed(meeting)  # Art. 7.5: no longer the agenda the chair approved
    db.session.flush()
    db.session.expire(meeting, ["agenda_items"])
    return item


def update_agenda_item(item: AgendaItem, data: dict) -> AgendaItem:
    """Change an item with ``AgendaItemPatchSchema``'s clean data (the fields it gives)."""
    _check_open(item.meeting)
    for key in ("title", "description", "presenter"):
        if key in data:
            setattr(item, key, data[key])
    if db.session.is_modified(item):
        acts.agenda_changed(item.meeting)  # Art. 7.5: no longer the agenda the chair approved
    db.session.flush()
    return item


def _items_of(meeting_id: int) -> list[AgendaItem]:
    return list(db.session.execute(select(AgendaItem).where(AgendaItem.meeting_id == meeting_id)
                                   .order_by(AgendaItem.position, AgendaItem.id)).scalars())


def _renumber(items: list[AgendaItem]) -> None:
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position


def move_agenda_item(item: AgendaItem, position: int) -> AgendaItem:
    """Move an item to ``position`` (1 is first); the others keep their order."""
    _check_open(item.meeting)
    items = [i for i in _items_of(item.meeting_id) if i.id != item.id]
    position = max(1, min(position, len(items) + 1))
    items.insert(position - 1, item)
    _renumber(items)
    if db.session.is_modified(item):
        acts.agenda_changed(item.meeting)  # Art. 7.5: no longer the agenda the chair approved
    db.session.flush()
    db.session.expire(item.meeting, ["agenda_items"])
    return item


def remove_agenda_item(item: AgendaItem) -> None:
    _check_open(item.meeting)
    meeting = item.meeting
    acts.agenda_changed(meeting)  # Art. 7.5: no longer the agenda the chair approved
    db.session.delete(item)
    db.session.flush()
    _renumber(_items_of(meeting.id))
    db.session.flush()
    db.session.expire(meeting, ["agenda_items"])


def get_material(material_id: int) -> AgendaMaterial | None:
    return db.session.get(AgendaMaterial, material_id)


def add_material(item: AgendaItem, title: str, filename: str, data: bytes, *,
                 uploaded_by_id: int | None) -> AgendaMaterial:
    """Check, store and link a file to an agenda item. On refusal nothing is kept (the caller
    rolls back; the file is checked before anything is written)."""
    _check_open(item.meeting)
    uploads.check_upload(filename, data, max_bytes=MAX_MATERIAL_BYTES)
    document = store_document(title, filename, data, uploaded_by_id=uploaded_by_id, kind="materials")
    material = AgendaMaterial(agenda_item_id=item.id, document_id=document.id)
    db.session.add(material)
    db.session.flush()
    db.session.expire(item, ["materials"])
    return material


def remove_material(material: AgendaMaterial) -> None:
    """Unlink a material from its agenda item (the document stays in the municipality's documents)."""
    item = db.session.get(AgendaItem, material.agenda_item_id)
    _check_open(item.meeting)
    db.session.delete(material)
    db.session.flush()
    db.session.expire(item, ["materials"])


# --- the audio recording (Art. 10.2) --------------------------------------------------------------

def attach_audio(meeting: Meeting, filename: str, data: bytes, *, uploaded_by_id: int | None,
                 title: str | None = None, now: datetime | None = None, field: str = "audio") -> Document:
    """Check (audio types only), store and link the meeting's full recording (Art. 10.2)."""
    if meeting.status == "cancelled":
        raise ValidationFailed({field: _("This meeting was cancelled: it has no recording.")})
    if meeting.starts_at > (now or local_now()):
        raise ValidationFailed({field: _("The recording can be added once the meeting has started.")})
    uploads.check_upload(filename, data, allowed=set(AUDIO_TYPES), field=field, max_bytes=MAX_AUDIO_BYTES)
    document = store_document(title or _("Audio recording: %(title)s", title=meeting.title)[:200], filename, data,
                              uploaded_by_id=uploaded_by_id, kind="recordings", max_bytes=MAX_AUDIO_BYTES,
                              allowed=set(AUDIO_TYPES))
    meeting.audio_document_id = document.id
    db.session.flush()
    return document


# --- attendance ---------------------------------------------------------------------------------

def list_attendance(meeting: Meeting) -> list[Attendance]:
    rows = db.session.execute(select(Attendance).where(Attendance.meeting_id == meeting.id)
                              .order_by(Attendance.id)).scalars().all()
    members = sorted((a for a in rows if a.member_id is not None), key=lambda a: a.member.full_name.lower())
    guests = [a for a in rows if a.member_id is None]
    return members + guests


def _check_attendance_open(meeting: Meeting, now: datetime | None = None) -> None:
    if meeting.status == "cancelled":
        raise ValidationFailed({"attendance": _("This meeting was cancelled: there is no attendance to record.")})
    if meeting.starts_at > (now or local_now()):
        raise ValidationFailed({"attendance": _("Attendance can be recorded once the meeting has started.")})


def _member(member_id, field: str = "member_id") -> CouncilMember:
    try:
        member = db.session.get(CouncilMember, int(member_id))
    except (TypeError, ValueError):
        member = None
    if member is None:
        raise ValidationFailed({field: _("There is no such council member in this municipality.")})
    return member


def record_attendance(meeting: Meeting, member_id: int, status: str) -> Attendance:
    """Add one member's attendance; a member already on the list is refused."""
    _check_attendance_open(meeting)
    member = _member(member_id)
    existing = db.session.execute(select(Attendance).where(
        Attendance.meeting_id == meeting.id, Attendance.member_id == member.id)).scalar_one_or_none()
    if existing is not None:
        raise ValidationFailed({"member_id": _(
            "%(name)s is already on the attendance list of this meeting: change their status there.",
            name=member.full_name)})
    row = Attendance(meeting_id=meeting.id, member_id=member.id, status=status)
    db.session.add(row)
    db.session.flush()
    return row


def _check_no_duplicates(member_ids: list[int]) -> None:
    seen: set[int] = set()
    for member_id in member_ids:
        if member_id in seen:
            member = _member(member_id)
            raise ValidationFailed({"member_id": _(
                "%(name)s is listed twice: each member is recorded once per meeting.", name=member.full_name)})
        seen.add(member_id)


def set_member_attendance(meeting: Meeting, entries: list[tuple[int, str | None]]) -> None:
    """Set several members' attendance at once; an empty status removes a member's record."""
    _check_attendance_open(meeting)
    parsed = []
    for raw_id, status in entries:
        member = _member(raw_id)
        parsed.append((member, status or None))
    _check_no_duplicates([m.id for m, _s in parsed])
    existing = {a.member_id: a for a in db.session.execute(select(Attendance).where(
        Attendance.meeting_id == meeting.id, Attendance.member_id.is_not(None))).scalars()}
    for member, status in parsed:
        row = existing.get(member.id)
        if status is None:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(Attendance(meeting_id=meeting.id, member_id=member.id, status=status))
        elif row.status != status:
            row.status = status
    db.session.flush()


def mark_all_present(meeting: Meeting, member_ids: list[int]) -> int:
    """"Mark all present": every listed member without an attendance record is recorded present;
    those already recorded (absent, excused) keep their status. Returns how many were marked."""
    _check_attendance_open(meeting)
    recorded = set(db.session.execute(select(Attendance.member_id).where(
        Attendance.meeting_id == meeting.id, Attendance.member_id.is_not(None))).scalars())
    marked = 0
    for member_id in dict.fromkeys(member_ids):
        if member_id not in recorded:
            member = _member(member_id)
            db.session.add(Attendance(meeting_id=meeting.id, member_id=member.id, status="present"))
            marked += 1
    db.session.flush()
    return marked


def add_guest(meeting: Meeting, name: str, institution: str | None = None) -> Attendance:
    _check_attendance_open(meeting)
    row = Attendance(meeting_id=meeting.id, status="present", guest_name=name, guest_institution=institution)
    db.session.add(row)
    db.session.flush()
    return row


def remove_attendance(meeting: Meeting, attendance_id) -> None:
    try:
        row = db.session.get(Attendance, int(attendance_id))
    except (TypeError, ValueError):
        row = None
    if row is None or row.meeting_id != meeting.id:
        raise ValidationFailed({"attendance": _("There is no such entry on this meeting's attendance list.")})
    db.session.delete(row)
    db.session.flush()


def replace_attendance(meeting: Meeting, members: list[dict], guests: list[dict]) -> list[Attendance]:
    """The whole attendance list at once (the API's PUT): members with a status, and guests."""
    _check_attendance_open(meeting)
    entries = []
    for entry in members:
        entries.append((_member(entry["member_id"]), entry["status"]))
    _check_no_duplicates([m.id for m, _s in entries])
    guest_values = [{"guest_name": g["name"], "guest_institution": g.get("institution")} for g in guests]
    for row in db.session.execute(select(Attendance).where(Attendance.meeting_id == meeting.id)).scalars():
        db.session.delete(row)
    db.session.flush()
    for member, status in entries:
        db.session.add(Attendance(meeting_id=meeting.id, member_id=member.id, status=status))
    for values in guest_values:
        db.session.add(Attendance(meeting_id=meeting.id, status="present", **values))
    db.session.flush()
    return list_attendance(meeting)


def attendance_summary(rows: list[Attendance]) -> dict[str, int]:
    summary = {status: 0 for status in ATTENDANCE_STATUSES}
    summary["guests"] = 0
    for row in rows:
        if row.member_id is None:
            summary["guests"] += 1
        else:
            summary[row.status] = summary.get(row.status, 0) + 1
    return summary


def meetings_with_agenda(meeting_ids: list[int] | None = None):
    """Meetings with their agenda and materials loaded in a fixed number of queries."""
    query = select(Meeting).options(selectinload(Meeting.agenda_items)).order_by(Meeting.starts_at, Meeting.id)
    if meeting_ids is not None:
        query = query.where(Meeting.id.in_(meeting_ids))
    return list(db.session.execute(query).scalars())


def started(meeting: Meeting, now: datetime | None = None) -> bool:
    return meeting.starts_at <= (now or local_now())
