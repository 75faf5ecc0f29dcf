"""What a meeting leaves behind: minutes, decisions, the press release.

Runs inside the municipality's tenant scope; every query is scoped by the ORM layer.
Services raise ``ValidationFailed`` with messages for people; callers commit.

Times: a meeting's ``starts_at``/``ends_at`` are local (Europe/Tirane) and naive; every
other timestamp (``published_at``, ``distributed_at``, ``created_at``) is naive UTC.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import format_date, format_datetime, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import unified_model
from ..accounts.models import User
from ..accounts.roles import Role
from ..council.models import INVITED, CouncilMember
from ..errors import NotAllowed, ValidationFailed
from ..extensions import db
from ..meetings.models import COUNCIL_KINDS, AgendaItem, Attendance, Meeting
from ..timeutil import local_to_utc as to_utc
from ..timeutil import local_today, utcnow
from ..timeutil import utc_to_local as to_local
from .models import Decision, DecisionDistribution, DecisionVersion, MinutesVersion, PressRelease
from .schemas import MAX_TITLE

log = logging.getLogger(__name__)

# The four contents Art. 11 requires, in the order the release presents them.
PRESS_CONTENTS = ("time_and_place", "participation", "agenda_summary", "discussion_essence")
PRESS_CONTENT_HEADINGS = {
    "time_and_place": _l("Time and place of the meeting"),
    "participation": _l("Who took part"),
    "agenda_summary": _l("Agenda items"),
    "discussion_essence": _l("Essence of the discussion"),
}
PRESS_CONTENT_MISSING = {
    "time_and_place": _l("Say when the meeting took place, with its time (and where)."),
    "participation": _l("Say who took part in the meeting."),
    "agenda_summary": _l("List the items on the agenda."),
    "discussion_essence": _l("Write the essence of the discussion."),
}
ATTENDANCE_LABELS = {
    "present": _l("Present"),
    "absent": _l("Absent"),
    "excused": _l("Excused"),
}
SIGNATURE_METHODS = ("chair", "paper")
ESSENCE_PREFILL_CHARS = 600


class SignatureRefused(NotAllowed):
    """The person may not record a chair's signature (a permission matter: HTTP 403)."""


def format_duration(delta: timedelta) -> str:
    """"27 h 05 min" up to two days (the 24-hour rule counts hours), then "12 days 3 h"."""
    minutes = max(0, int(delta.total_seconds() // 60))
    hours, minutes = divmod(minutes, 60)
    if hours >= 48:
        days, hours = divmod(hours, 24)
        return _("%(days)d days %(hours)d h", days=days, hours=hours)
    if hours == 0:
        return _("%(minutes)d min", minutes=minutes)
    return _("%(hours)d h %(minutes)02d min", hours=hours, minutes=minutes)


WHEN_PATTERN = "d MMMM y, HH:mm"


def format_when(value: datetime, *, local: bool = False) -> str:
    """"8 October 2026, 18:20" in the current locale; UTC timestamps are shown in local time,
    ``local=True`` for times that already are (a meeting's, the press-release deadline)."""
    return format_datetime(value, WHEN_PATTERN, rebase=not local)


def format_hours(hours: float) -> str:
    """"19.4" (or "19,4" in Albanian): hours after a meeting, to one decimal."""
    return format_decimal(round(hours, 1), "0.0")


def format_meeting_time(meeting: Meeting, date_format: str = "full") -> str:
    """"Friday, 17 October 2025, 10:00–12:00" in the current locale (meeting times are local)."""
    start, end = meeting.starts_at, meeting.ends_at
    if end.date() == start.date():
        return _("%(date)s, %(start)s–%(end)s", date=format_date(start.date(), date_format),
                 start=format_datetime(start, "HH:mm", rebase=False),
                 end=format_datetime(end, "HH:mm", rebase=False))
    return _("from %(start)s to %(end)s", start=format_when(start, local=True), end=format_when(end, local=True))


# --- meetings (read here; the meetings area owns them) ------------------------------------------

def get_meeting(meeting_id: int) -> Meeting | None:
    return db.session.get(Meeting, meeting_id)


def _refuse_if_cancelled(meeting: Meeting, key: str) -> None:
    if meeting.status == "cancelled":
        raise ValidationFailed({key: _("This meeting was cancelled: it leaves no records.")})


def _refuse_if_not_started(meeting: Meeting, key: str, message: str) -> None:
    if meeting.starts_at > to_local(utcnow()):
        raise ValidationFailed({key: message})


def _user_names(ids) -> dict[int, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def present_attendance(meeting: Meeting) -> list[Attendance]:
    rows = db.session.execute(
        select(Attendance).where(Attendance.meeting_id == meeting.id).order_by(Attendance.id)).scalars().all()
    return [a for a in rows if a.status == "present"]


def all_attendance(meeting: Meeting) -> list[Attendance]:
    return list(db.session.execute(
        select(Attendance).where(Attendance.meeting_id == meeting.id).order_by(Attendance.id)).scalars())


def agenda_items(meeting: Meeting) -> list[AgendaItem]:
    return list(db.session.execute(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id).order_by(AgendaItem.position)).scalars())


def participant_name(row: Attendance) -> str:
    """"Name, position (Institution)" for a member; "Name (Institution)" for a guest."""
    if row.member is not None:
        member = row.member
        text = member.full_name
        if member.position:
            text += f", {member.position}"
        if member.institution is not None:
            text += f" ({member.institution.name})"
        return text
    text = row.guest_name or ""
    if row.guest_institution:
        text = f"{text} ({row.guest_institution})" if text else row.guest_institution
    return text


# --- minutes ------------------------------------------------------------------------------------

def minutes_versions(meeting: Meeting) -> list[MinutesVersion]:
    """Every saved version, oldest first; the last is the current text."""
    return list(db.session.execute(
        select(MinutesVersion).where(MinutesVersion.meeting_id == meeting.id)
        .order_by(MinutesVersion.version)).scalars())


def current_minutes(meeting: Meeting) -> MinutesVersion | None:
    return db.session.execute(
        select(MinutesVersion).where(MinutesVersion.meeting_id == meeting.id)
        .order_by(MinutesVersion.version.desc()).limit(1)).scalar_one_or_none()


def minutes_version(meeting: Meeting, version: int) -> MinutesVersion | None:
    return db.session.execute(
        select(MinutesVersion).where(MinutesVersion.meeting_id == meeting.id,
                                     MinutesVersion.version == version)).scalar_one_or_none()


def version_authors(versions) -> dict[int, str]:
    return _user_names(v.created_by_id for v in versions)


def save_minutes(meeting: Meeting, text: str, *, user_id: int | None,
                 based_on_version: int | None = None) -> MinutesVersion:
    """Add a new version of the minutes (append-only: earlier versions are never changed).

    ``based_on_version`` is the version the writer started from; when someone saved a newer
    one meanwhile, the save is refused so that neither text is silently lost.
    """
    _refuse_if_cancelled(meeting, "text")
    if not text:
        raise ValidationFailed({"text": _("Write the minutes before saving.")})
    current = current_minutes(meeting)
    latest = current.version if current else 0
    if based_on_version is not None and based_on_version != latest:
        raise ValidationFailed({"text": _(
            "Someone saved version %(latest)d while you were editing version %(mine)d. Your text is "
            "still in the form: compare it with the current version, then save again.",
            latest=latest, mine=based_on_version)})
    if current is not None and current.text == text:
        raise ValidationFailed({"text": _("The text is the same as the current version: nothing to save.")})
    row = MinutesVersion(meeting_id=meeting.id, version=latest + 1, text=text, created_by_id=user_id)
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        raise ValidationFailed({"text": _(
            "Someone saved the minutes at the same moment. Reload the page and save again.")}) from None
    return row


# --- decisions ------------------------------------------------------------------------------------

def list_decisions(*, meeting_id: int | None = None, year: int | None = None) -> list[Decision]:
    query = select(Decision).join(Meeting, Meeting.id == Decision.meeting_id)
    if meeting_id is not None:
        query = query.where(Decision.meeting_id == meeting_id)
    if year is not None:
        query = query.where(Meeting.starts_at >= datetime(year, 1, 1), Meeting.starts_at < datetime(year + 1, 1, 1))
    return list(db.session.execute(query.order_by(Meeting.starts_at.desc(), Decision.id.desc())).scalars())


def decision_years() -> list[int]:
    """The years of the meetings that took decisions, newest first (the register's filter)."""
    starts = db.session.execute(select(Meeting.starts_at).join(Decision, Decision.meeting_id == Meeting.id)).scalars()
    return sorted({s.year for s in starts}, reverse=True)


def meetings_by_id(ids) -> dict[int, Meeting]:
    ids = set(ids)
    if not ids:
        return {}
    return {m.id: m for m in db.session.execute(select(Meeting).where(Meeting.id.in_(ids))).scalars()}


def get_decision(decision_id: int) -> Decision | None:
    return db.session.get(Decision, decision_id)


_NUMBER = re.compile(r"^\s*(\d{4})\s*/\s*(\d+)\s*$")


def suggest_number(meeting: Meeting) -> str:
    """The next number in the meeting year's series: "2025/3" after "2025/2"."""
    year = meeting.starts_at.year
    numbers = db.session.execute(select(Decision.number).where(Decision.number.like(f"{year}/%"))).scalars()
    highest = 0
    for number in numbers:
        match = _NUMBER.match(number)
        if match and int(match.group(1)) == year:
            highest = max(highest, int(match.group(2)))
    return f"{year}/{highest + 1}"


def _number_taken(number: str, decision: Decision | None = None) -> bool:
    query = select(func.count()).select_from(Decision).where(func.lower(Decision.number) == number.lower())
    if decision is not None:
        query = query.where(Decision.id != decision.id)
    return bool(db.session.execute(query).scalar())


def _check_number(number: str, decision: Decision | None = None) -> None:
    if _number_taken(number, decision):
        raise ValidationFailed({"number": _(
            "This municipality already has a decision numbered %(number)s.", number=number)})


def create_decision(meeting: Meeting, *, number: str | None = None, title: str, text: str,
                    adopted_by_consensus: bool = True, reviews_plan: bool = False,
                    user_id: int | None) -> Decision:
    """Record a decision of a council meeting (Art. 7.7); its text is version 1 (``DecisionCreateSchema``'s
    clean data). An empty ``number`` takes the suggested next number.
    """
    _refuse_if_cancelled(meeting, "meeting_id")
    if meeting.kind not in COUNCIL_KINDS:
        raise ValidationFailed({"meeting_id": _(
            "Only council meetings take decisions (Art. 7.7); this meeting is of another kind.")})
    _refuse_if_not_started(meeting, "meeting_id", _(
        "This meeting has not taken place yet: record its decisions once it is held."))
    number = number or suggest_number(meeting)
    _check_number(number)
    decision = Decision(meeting_id=meeting.id, number=number, title=title,
                        adopted_by_consensus=bool(adopted_by_consensus), reviews_plan=bool(reviews_plan))
    db.session.add(decision)
    try:
        db.session.flush()
        db.session.add(DecisionVersion(decision_id=decision.id, version=1, text=text, created_by_id=user_id))
        db.session.flush()
    except IntegrityError:
        raise ValidationFailed({"number": _(
            "This municipality already has a decision numbered %(number)s.", number=number)}) from None
    db.session.refresh(decision)
    return decision


def _refuse_if_signed(decision: Decision, key: str = "text") -> None:
    if decision.signed_by_chair_on is not None:
        raise ValidationFailed({key: _(
            "This decision was signed by the chair on %(date)s: it can no longer be changed. "
            "To change it, record a new decision that amends it.",
            date=format_date(decision.signed_by_chair_on, "long"))})


def update_decision(decision: Decision, *, number: str | None = None, title: str | None = None,
                    text: str | None = None, adopted_by_consensus: bool | None = None,
                    reviews_plan: bool | None = None, user_id: int | None) -> Decision:
    """Change an unsigned decision with ``DecisionPatchSchema``'s clean data (None: unchanged); a changed
    text is kept as a new version (earlier ones stay)."""
    _refuse_if_signed(decision)
    if number is not None:
        _check_number(number, decision)
        decision.number = number
    if title is not None:
        decision.title = title
    if adopted_by_consensus is not None:
        decision.adopted_by_consensus = bool(adopted_by_consensus)
    if reviews_plan is not None:
        decision.reviews_plan = bool(reviews_plan)
    if text is not None and text != decision.current_text:
        latest = decision.versions[-1].version if decision.versions else 0
        db.session.add(DecisionVersion(decision_id=decision.id, version=latest + 1, text=text, created_by_id=user_id))
    try:
        db.session.flush()
    except IntegrityError:
        raise ValidationFailed({"text": _(
            "Someone changed this decision at the same moment. Reload the page and try again.")}) from None
    db.session.refresh(decision)
    return decision


def sign_decision(decision: Decision, *, roles, signed_on: date | None = None) -> Decision:
    """Record the chair's signature (Art. 7.7).

    Who may record it (the platform's rule): a person holding the **chair** role in the
    municipality signs in the platform (the date defaults to today); the **technical
    secretary**, who keeps the archive (Art. 10.2), records the date on which the chair
    signed the paper original, which must then be given. Nobody else may.
    """
    roles = {Role(r) for r in roles}
    if Role.CHAIR in roles:
        method = "chair"
    elif Role.TECHNICAL_SECRETARY in roles:
        method = "paper"
        if signed_on is None:
            raise ValidationFailed({"signed_by_chair_on": _(
                "Enter the date on which the chair signed the paper original.")})
    else:
        raise SignatureRefused({"signed_by_chair_on": _(
            "Only the chair signs decisions. The technical secretary can record the date on which "
            "the chair signed the paper original.")})
    if decision.signed_by_chair_on is not None:
        raise ValidationFailed({"signed_by_chair_on": _(
            "This decision was already signed by the chair on %(date)s.",
            date=format_date(decision.signed_by_chair_on, "long"))})
    if not decision.current_text:
        raise ValidationFailed({"text": _("The decision has no text to sign.")})
    today = local_today()
    signed_on = signed_on or today
    meeting = db.session.get(Meeting, decision.meeting_id)
    if signed_on > today:
        raise ValidationFailed({"signed_by_chair_on": _("The date of the signature cannot be in the future.")})
    if signed_on < meeting.starts_at.date():
        raise ValidationFailed({"signed_by_chair_on": _(
            "The chair cannot have signed before the meeting that took the decision (%(date)s).",
            date=format_date(meeting.starts_at.date(), "long"))})
    decision.signed_by_chair_on = signed_on
    decision.signature_method = method
    db.session.flush()
    return decision


def distributions(decision: Decision) -> list[DecisionDistribution]:
    return list(db.session.execute(
        select(DecisionDistribution).where(DecisionDistribution.decision_id == decision.id)
        .order_by(DecisionDistribution.id)).scalars())


def check_distributable(decision: Decision) -> None:
    if decision.signed_by_chair_on is None:
        raise ValidationFailed({"distribution": _(
            "A decision is distributed once the chair has signed it (Art. 7.7-7.8).")})
    if decision.distributed_at is not None:
        raise ValidationFailed({"distribution": _(
            "This decision was already distributed on %(date)s.",
            date=format_when(decision.distributed_at))})


def start_distribution(decision: Decision) -> None:
    """Check, commit, then e-mail a copy to each active member in the background."""
    from .. import jobs
    from ..audit.trail import record
    from .distribution import distribute_decision

    check_distributable(decision)
    if not active_members():
        raise ValidationFailed({"distribution": _(
            "The council has no active members to send the decision to: add them on the council's page first.")})
    record(db.session, "decision_distribution_requested", "Decision", decision.id)
    db.session.commit()
    jobs.enqueue(distribute_decision, decision.id)


def active_members(day: date | None = None) -> list[CouncilMember]:
    """Members (categories a-o, not invited participants) whose mandate covers ``day``."""
    day = day or local_today()
    members = db.session.execute(
        select(CouncilMember).where(CouncilMember.category != INVITED).order_by(CouncilMember.full_name)).scalars()
    return [m for m in members if m.active_on(day)]


# --- the press release (Art. 11) -----------------------------------------------------------

def get_press_release(meeting: Meeting) -> PressRelease | None:
    return db.session.execute(
        select(PressRelease).where(PressRelease.meeting_id == meeting.id)).scalar_one_or_none()


def default_title(meeting: Meeting) -> str:
    return _("Press release: %(title)s", title=meeting.title)[:MAX_TITLE]


def prefill(meeting: Meeting) -> dict[str, str]:
    """The release drafted from the meeting's own record, in the current locale."""
    minutes = current_minutes(meeting)
    return compose_release(meeting, present_attendance(meeting), [item.title for item in agenda_items(meeting)],
                           minutes.text if minutes else None)


def compose_release(meeting: Meeting, present: list[Attendance], agenda_titles: list[str],
                    minutes_text: str | None) -> dict[str, str]:
    """Title and the four contents from a meeting, the people present, its agenda and its minutes."""
    time_and_place = format_meeting_time(meeting)
    if meeting.location:
        time_and_place = _("%(time)s, at %(place)s", time=time_and_place, place=meeting.location)
    members = [participant_name(a) for a in present if a.member_id is not None]
    guests = [participant_name(a) for a in present if a.member_id is None]
    lines = []
    if members:
        lines.append(_("Members of the council present:"))
        lines += [f"- {name}" for name in members]
    if guests:
        lines.append(_("Guests:"))
        lines += [f"- {name}" for name in guests]
    agenda = [f"{i}. {title}" for i, title in enumerate(agenda_titles, start=1)]
    return {"title": default_title(meeting), "time_and_place": time_and_place, "participation": "\n".join(lines),
            "agenda_summary": "\n".join(agenda), "discussion_essence": _first_lines(minutes_text or "")}


def _first_lines(text: str, limit: int = ESSENCE_PREFILL_CHARS) -> str:
    """The opening of the minutes, cut at a paragraph or a word, for the secretary to edit."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    paragraph_end = cut.rfind("\n\n")
    if paragraph_end > limit // 3:
        return cut[:paragraph_end].rstrip()
    return cut[:cut.rfind(" ") if " " in cut else limit].rstrip() + " …"


def release_values(meeting: Meeting, release: PressRelease | None = None) -> dict[str, str]:
    """What the form shows: the saved draft, or the prefilled one when nothing is saved."""
    if release is None:
        return prefill(meeting)
    return {"title": release.title, **{key: getattr(release, key) for key in PRESS_CONTENTS}}


def missing_contents(values: dict) -> list[str]:
    return unified_model.press_release_missing(values)


def _merged_release_values(meeting: Meeting, values: dict, base: dict) -> dict:
    """``PressReleaseInputSchema``'s clean data over the saved (or prefilled) values: a content not given
    keeps its value; an empty title takes the default one."""
    merged = {key: (base.get(key) or "") if values.get(key) is None else values[key]
              for key in ("title", *PRESS_CONTENTS)}
    merged["title"] = merged["title"] or default_title(meeting)
    return merged


def _refuse_if_published(release: PressRelease | None) -> None:
    if release is not None and release.published_at is not None:
        raise ValidationFailed({"press_release": _(
            "This press release was published on %(date)s: it can no longer be changed.",
            date=format_when(release.published_at))})


def save_press_release(meeting: Meeting, values: dict) -> PressRelease:
    """Save the draft. Fields not given keep their saved (or prefilled) value."""
    _refuse_if_cancelled(meeting, "press_release")
    release = get_press_release(meeting)
    _refuse_if_published(release)
    cleaned = _merged_release_values(meeting, values, release_values(meeting, release))
    if release is None:
        release = PressRelease(meeting_id=meeting.id, **cleaned)
        db.session.add(release)
    else:
        for key, value in cleaned.items():
            setattr(release, key, value)
    db.session.flush()
    return release


def publish_press_release(meeting: Meeting, values: dict | None = None, *,
                          published_at: datetime | None = None) -> PressRelease:
    """Publish (on the municipality's public page) and measure it against the 24-hour rule.

    ``published_at`` (naive UTC) records a release published earlier, elsewhere (meetings
    entered after the fact); by default it is now. Lateness is measured from the meeting's end.
    """
    _refuse_if_cancelled(meeting, "press_release")
    _refuse_if_published(get_press_release(meeting))
    release = save_press_release(meeting, values or {})
    missing = missing_contents({key: getattr(release, key) for key in PRESS_CONTENTS})
    if missing:
        errors = {key: str(PRESS_CONTENT_MISSING[key]) for key in missing}
        errors["press_release"] = _(
            "The press release cannot be published without what Art. 11 requires. Missing: %(missing)s.",
            missing=", ".join(str(PRESS_CONTENT_HEADINGS[key]).lower() for key in missing))
        raise ValidationFailed(errors)
    now = utcnow()
    meeting_start, meeting_end = to_utc(meeting.starts_at), to_utc(meeting.ends_at)
    if published_at is None:
        if now < meeting_end:
            raise ValidationFailed({"press_release": _(
                "The meeting has not ended yet: publish the press release after it ends.")})
        published_at = now
    else:
        if published_at > now + timedelta(minutes=1):
            raise ValidationFailed({"published_at": _("The publication time cannot be in the future.")})
        if published_at < meeting_start:
            raise ValidationFailed({"published_at": _(
                "The publication time cannot be before the meeting started.")})
    hours = max(0.0, (published_at - meeting_end).total_seconds() / 3600)
    release.published_at = published_at.replace(microsecond=0)
    release.hours_after_meeting = round(hours, 2)
    release.published_late = published_at > meeting_end + timedelta(
        hours=unified_model.press_release_hours(meeting.starts_at))  # exact, as the rule (Art. 11)
    db.session.flush()
    from ..webhooks import emit, payloads

    emit("press_release.published", meeting.municipality_id, payloads.press_release(release, meeting))
    return release


@dataclass
class PressClock:
    """Where a meeting stands against the 24-hour rule of Art. 11."""

    state: str  # cancelled, upcoming (meeting not over), open, overdue, on_time, late
    deadline: datetime  # local time
    remaining: timedelta | None = None
    overdue_by: timedelta | None = None
    hours_after: float | None = None
    published_at: datetime | None = None  # local time
    hours: int = 24


def press_clock(meeting: Meeting, release: PressRelease | None, now: datetime | None = None) -> PressClock:
    now = now or utcnow()
    end_utc = to_utc(meeting.ends_at)
    hours = unified_model.press_release_hours(meeting.starts_at)
    deadline_utc = end_utc + timedelta(hours=hours)
    deadline = to_local(deadline_utc)
    if release is not None and release.published_at is not None:
        late = bool(release.published_late)
        return PressClock(state="late" if late else "on_time", deadline=deadline, hours=hours,
                          hours_after=release.hours_after_meeting, published_at=to_local(release.published_at),
                          overdue_by=(release.published_at - deadline_utc) if late else None)
    if meeting.status == "cancelled":
        return PressClock(state="cancelled", deadline=deadline, hours=hours)
    if now < end_utc:
        return PressClock(state="upcoming", deadline=deadline, hours=hours)
    if now <= deadline_utc:
        return PressClock(state="open", deadline=deadline, hours=hours, remaining=deadline_utc - now)
    return PressClock(state="overdue", deadline=deadline, hours=hours, overdue_by=now - deadline_utc)


def published_press_releases(limit: int | None = None) -> list[tuple[PressRelease, Meeting]]:
    """Published releases of the current municipality, newest first (the public page)."""
    query = (select(PressRelease, Meeting).join(Meeting, Meeting.id == PressRelease.meeting_id)
             .where(PressRelease.published_at.is_not(None))
             .order_by(PressRelease.published_at.desc(), PressRelease.id.desc()))
    if limit:
        query = query.limit(limit)
    return [tuple(row) for row in db.session.execute(query).all()]


def get_published_press_release(release_id: int) -> tuple[PressRelease, Meeting] | None:
    """A published release, or None: unpublished drafts are never public."""
    row = db.session.execute(
        select(PressRelease, Meeting).join(Meeting, Meeting.id == PressRelease.meeting_id)
        .where(PressRelease.id == release_id, PressRelease.published_at.is_not(None))).first()
    return tuple(row) if row else None


# --- what the meeting page shows ---------------------------------------------------------------

@dataclass
class RecordsSummary:
    meeting: Meeting
    minutes_count: int = 0
    minutes_updated_at: datetime | None = None
    decisions: list[Decision] = field(default_factory=list)
    release: PressRelease | None = None
    clock: PressClock | None = None

    @property
    def takes_decisions(self) -> bool:
        return self.meeting.kind in COUNCIL_KINDS


def records_summary(meeting: Meeting) -> RecordsSummary:
    current = current_minutes(meeting)
    release = get_press_release(meeting)
    return RecordsSummary(
        meeting=meeting, minutes_count=current.version if current else 0,
        minutes_updated_at=current.created_at if current else None,
        decisions=list_decisions(meeting_id=meeting.id), release=release, clock=press_clock(meeting, release))
