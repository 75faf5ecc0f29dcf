"""Invitations (Art. 7.4): who is invited, e-mailing them in the background, recording invitations
sent after the fact, and reminding the technical secretary before the deadline.

Sending is idempotent: one Invitation row per invitee and meeting; a row is claimed before its
mail goes out and marked sent after, so running the job again never e-mails anyone twice.
"""
from __future__ import annotations

import logging
import smtplib
from datetime import date, datetime, time, timedelta

from flask import current_app, render_template
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update

from .. import jobs, mail, unified_model
from ..accounts.models import RoleAssignment, User
from ..accounts.roles import Role
from ..council import services as council_services
from ..council.models import INVITED, CouncilMember
from ..errors import ValidationFailed
from ..extensions import db
from ..municipalities.models import Municipality
from ..tenancy import tenant
from ..timeutil import utcnow
from .. import workdays
from . import calendar, materials, services
from .models import Invitation, Meeting

log = logging.getLogger(__name__)

UNSENT = ("pending", "failed", "no_email")
INVITATION_STATUSES = ("pending", "sending", "sent", "failed", "no_email")


# --- who is invited ----------------------------------------------------------------------------

def _active_members(on: date) -> list[CouncilMember]:
    """Members (with the secretariats' staff) and invited participants whose mandate covers ``on``."""
    return council_services.active_members(on) + council_services.invited_participants(on)


def automatic_invitees(meeting: Meeting) -> list[CouncilMember]:
    """A regular council meeting invites every active member (categories a-o); other kinds of
    meeting invite only the people chosen for them."""
    if meeting.kind != "council":
        return []
    return [m for m in _active_members(meeting.starts_at.date()) if m.category != INVITED]


def choosable_members(meeting: Meeting) -> list[CouncilMember]:
    """Whom one may choose to invite: for a council meeting the invited participants (Art. 4.2-4.3;
    the members are invited anyway), for the other kinds anyone active on the meeting day."""
    active = _active_members(meeting.starts_at.date())
    if meeting.kind == "council":
        return [m for m in active if m.category == INVITED]
    return active


def list_invitations(meeting: Meeting) -> list[Invitation]:
    rows = db.session.execute(select(Invitation).where(Invitation.meeting_id == meeting.id)).scalars().all()
    return sorted(rows, key=lambda r: (r.member.full_name.lower(), r.id))


def invitees(meeting: Meeting) -> list[CouncilMember]:
    """Everyone the meeting's invitation goes to: automatic invitees and those chosen."""
    people = {m.id: m for m in automatic_invitees(meeting)}
    for row in list_invitations(meeting):
        people.setdefault(row.member_id, row.member)
    return sorted(people.values(), key=lambda m: (m.full_name.lower(), m.id))


def choose_invitees(meeting: Meeting, member_ids) -> list[Invitation]:
    """Set who is invited (ad hoc meetings under Art. 7.3, other kinds, or invited participants of a
    council meeting). Someone already e-mailed stays invited."""
    if meeting.status != "planned":
        raise ValidationFailed({"member_ids": _("Invitees can only be chosen for a planned meeting.")})
    allowed = {m.id: m for m in choosable_members(meeting)}
    chosen: set[int] = set()
    for raw in member_ids or []:
        try:
            member_id = int(raw)
        except (TypeError, ValueError):
            member_id = None
        if member_id not in allowed:
            raise ValidationFailed({"member_ids": _(
                "Choose among the council's members and invited participants active on the meeting day.")})
        chosen.add(member_id)
    automatic = {m.id for m in automatic_invitees(meeting)}
    for row in db.session.execute(select(Invitation).where(Invitation.meeting_id == meeting.id)).scalars():
        if row.member_id in chosen:
            chosen.discard(row.member_id)
        elif row.status in ("pending", "no_email", "failed") and row.member_id not in automatic:
            db.session.delete(row)
    for member_id in chosen:
        member = allowed[member_id]
        db.session.add(Invitation(meeting_id=meeting.id, member_id=member_id, email=member.email or None,
                                  status="pending"))
    db.session.flush()
    return list_invitations(meeting)


def _ensure_rows(meeting: Meeting) -> list[Invitation]:
    """One row per invitee; unsent rows take the member's current e-mail address."""
    rows = {r.member_id: r for r in db.session.execute(
        select(Invitation).where(Invitation.meeting_id == meeting.id)).scalars()}
    for member in automatic_invitees(meeting):
        if member.id not in rows:
            rows[member.id] = Invitation(meeting_id=meeting.id, member_id=member.id, status="pending")
            rows[member.id].member = member
            db.session.add(rows[member.id])
    for row in rows.values():
        if row.status in UNSENT:
            address = (row.member.email or "").strip() or None
            row.email = address
            if address is None:
                row.status = "no_email"
            elif row.status == "no_email":
                row.status = "pending"
    db.session.flush()
    return list(rows.values())


# --- sending ------------------------------------------------------------------------------------

def prepare_invitations(meeting: Meeting, now: datetime | None = None) -> list[Invitation]:
    """Check the meeting can be announced and make its invitation rows; the caller commits and
    then enqueues ``send_invitations_job``."""
    now = now or services.local_now()
    if meeting.status == "cancelled":
        raise ValidationFailed({"invitations": _("This meeting was cancelled: no invitation can be sent.")})
    if meeting.status == "held" or meeting.starts_at <= now:
        raise ValidationFailed({"invitations": _(
            "This meeting has already started: record the date the invitations were sent instead.")})
    if not meeting.agenda_items:
        raise ValidationFailed({"invitations": _(
            "Add the agenda first: the invitation carries the agenda and its materials (Art. 7.4).")})
    rows = _ensure_rows(meeting)
    if not rows:
        raise ValidationFailed({"invitations": _(
            "Nobody is invited yet: add the council's members, or choose the invitees of this meeting.")})
    if not any(r.status in ("pending", "failed") for r in rows):
        if all(r.status in ("sent", "sending") for r in rows):
            raise ValidationFailed({"invitations": _("Every invitee has already received the invitation.")})
        raise ValidationFailed({"invitations": _(
            "None of the invitees who have not received the invitation has an e-mail address.")})
    return rows


def _when(meeting: Meeting) -> str:
    start, end = meeting.starts_at, meeting.ends_at
    if start.date() == end.date():
        return f"{format_date(start.date(), 'full')}, {start:%H:%M}–{end:%H:%M}"
    return f"{format_date(start.date(), 'full')} {start:%H:%M} – {format_date(end.date(), 'full')} {end:%H:%M}"


def invitation_mail(meeting: Meeting, invitation: Invitation, municipality: Municipality, ics: bytes, *,
                    mode: str = "none", files: list | None = None, link: str | None = None,
                    link_expires=None) -> mail.Mail:
    """The invitation, Albanian first and English second; the materials attached (``files``) or
    behind a personal ``link`` that needs no account (materials.py decides which)."""
    expires_on = services.utc_to_local(link_expires).date() if link_expires else None

    def render():
        subject = _("Invitation: %(title)s, %(date)s", title=meeting.title,
                    date=format_date(meeting.starts_at.date(), "long"))
        text = render_template(
            "meetings/mail/invitation.txt", meeting=meeting, member=invitation.member, municipality=municipality,
            when=_when(meeting), kind=services.KIND_LABELS[meeting.kind], mode=mode, link=link,
            link_expires=format_date(expires_on, "long") if expires_on else None,
            meeting_url=calendar.meeting_url(meeting, municipality))
        return subject, text

    subject, text = mail.bilingual(render)
    return mail.Mail(to=[invitation.email], subject=subject, text=text,
                     attachments=[mail.Attachment(f"kvsp-meeting-{meeting.id}.ics", ics, "text/calendar"),
                                  *(files or [])])


def _claim(invitation_id: int) -> bool:
    result = db.session.execute(
        update(Invitation).where(Invitation.id == invitation_id, Invitation.status.in_(("pending", "failed")))
        .values(status="sending", claimed_at=utcnow()).execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


class InvitationsStillSending(RuntimeError):
    """Some invitations are claimed by another run, or by one that was killed: the job fails so that
    it is retried (and shown to the administrators); a retry after INVITATION_STUCK_MINUTES puts
    the rows of a killed run back to 'pending'."""


def reset_stuck_invitations(meeting_id: int | None = None, older_than_minutes: int | None = None) -> int:
    """Put invitation rows left 'sending' for longer than a job may run back to 'pending' (their
    worker was killed before it could record the result). Rows marked 'sent' are never touched, so
    nobody already e-mailed is e-mailed again. In the current municipality; returns how many."""
    minutes = current_app.config["INVITATION_STUCK_MINUTES"] if older_than_minutes is None else older_than_minutes
    cutoff = utcnow() - timedelta(minutes=minutes)
    statement = update(Invitation).where(
        Invitation.status == "sending", or_(Invitation.claimed_at.is_(None), Invitation.claimed_at <= cutoff))
    if meeting_id is not None:
        statement = statement.where(Invitation.meeting_id == meeting_id)
    result = db.session.execute(statement.values(status="pending", claimed_at=None)
                                .execution_options(synchronize_session=False))
    if result.rowcount:
        log.warning("%d invitation(s) stuck in 'sending' put back to 'pending' (meeting %s)",
                    result.rowcount, meeting_id)
    db.session.commit()
    return result.rowcount


@jobs.job(before_retry=reset_stuck_invitations)
def send_invitations_job(meeting_id: int) -> int:
    """Job: e-mail the meeting's invitation to every invitee not yet e-mailed. Returns how many
    e-mails went out. Safe to run again (and concurrently): nobody is e-mailed twice."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or meeting.status == "cancelled":
        return 0
    reset_stuck_invitations(meeting_id)
    rows = _ensure_rows(meeting)
    db.session.commit()
    municipality = db.session.get(Municipality, meeting.municipality_id)
    ics = calendar.calendar_bytes([meeting], municipality, method="PUBLISH")
    documents = materials.meeting_documents(meeting)
    mode = materials.delivery_mode(documents)
    files = materials.attachments(documents) if mode == materials.ATTACHED else []
    sent = 0
    for invitation_id in sorted(r.id for r in rows if r.status in ("pending", "failed") and r.email):
        if not _claim(invitation_id):
            continue  # another run has it
        invitation = db.session.get(Invitation, invitation_id)
        link = expires = None
        if mode == materials.LINK:
            link = materials.link_url(municipality, materials.issue_link(invitation, meeting))
            expires = materials.link_expiry(meeting)
            db.session.commit()
        try:
            mail.send(invitation_mail(meeting, invitation, municipality, ics, mode=mode, files=files, link=link,
                                      link_expires=expires))
        except (smtplib.SMTPException, OSError) as exc:
            log.warning("invitation %s to meeting %s not sent: %s", invitation_id, meeting_id, exc)
            invitation.status, invitation.error = "failed", str(exc)[:300]
        else:
            invitation.status, invitation.sent_at, invitation.error = "sent", utcnow(), None
            invitation.materials, invitation.material_document_ids = mode, [d.id for d in documents]
            sent += 1
            if meeting.invitation_sent_at is None:
                services.set_invitation_sent(meeting, invitation.sent_at)
        db.session.commit()
    if sent:
        from ..webhooks import emit, payloads

        emit("invitations.sent", meeting.municipality_id, payloads.invitations(meeting, sent))
        db.session.commit()
    _fail_if_still_sending(meeting_id)
    return sent


def _fail_if_still_sending(meeting_id: int) -> None:
    """On a worker, rows still 'sending' (another run, or a killed one) make the job fail and be
    retried; in-process, the next run takes them up once they are stuck long enough."""
    from rq import get_current_job

    if get_current_job() is None:
        return
    waiting = db.session.execute(select(func.count()).select_from(Invitation).where(
        Invitation.meeting_id == meeting_id, Invitation.status == "sending")).scalar_one()
    if waiting:
        raise InvitationsStillSending(
            f"{waiting} invitation(s) of meeting {meeting_id} are still marked 'sending' (another run, or a "
            f"worker killed while sending); a retry after {current_app.config['INVITATION_STUCK_MINUTES']} "
            "minutes sends them.")


def record_invitations_sent(meeting: Meeting, sent_on: date, today: date | None = None) -> Meeting:
    """Record, without e-mailing, that the invitations were sent on ``sent_on`` (records entered
    after the fact). The same lateness rule applies."""
    today = today or services.local_today()
    if meeting.status == "cancelled":
        raise ValidationFailed({"sent_on": _("This meeting was cancelled: no invitation can be recorded.")})
    if meeting.invitation_sent_at is not None:
        raise ValidationFailed({"sent_on": _("The invitations of this meeting are already recorded as sent on "
                                             "%(date)s.", date=format_date(services.sent_day(meeting)))})
    if sent_on > today:
        raise ValidationFailed({"sent_on": _("The date the invitations were sent cannot be in the future.")})
    if sent_on > meeting.starts_at.date():
        raise ValidationFailed({"sent_on": _("The invitations cannot have been sent after the meeting day.")})
    sent_at = services.local_to_utc(datetime.combine(sent_on, time(12, 0)))
    services.set_invitation_sent(meeting, sent_at)
    rows = {r.member_id: r for r in db.session.execute(
        select(Invitation).where(Invitation.meeting_id == meeting.id)).scalars()}
    for member in automatic_invitees(meeting):
        if member.id not in rows:
            rows[member.id] = Invitation(meeting_id=meeting.id, member_id=member.id, email=member.email or None)
            db.session.add(rows[member.id])
    for row in rows.values():
        if row.status != "sent":
            row.status, row.sent_at, row.error = "sent", sent_at, None
            row.materials = row.material_document_ids = None  # sent outside the platform: not known
    db.session.flush()
    return meeting


# --- reminders before the deadline ----------------------------------------------------------------

def _secretaries(municipality_id: int) -> list[User]:
    return list(db.session.execute(
        select(User).join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.municipality_id == municipality_id,
               RoleAssignment.role == Role.TECHNICAL_SECRETARY.value, User.active.is_(True))
        .order_by(User.id).distinct()).scalars())


def due_for_reminder(today: date, days_off=None) -> list[Meeting]:
    """Planned meetings of the current municipality whose invitations are not sent and whose
    deadline is at most REMINDER_WORKING_DAYS working days away (or passed), not yet reminded."""
    days_off = services.extra_days_off() if days_off is None else days_off
    horizon = workdays.add_working_days(today, services.REMINDER_WORKING_DAYS, days_off)
    return list(db.session.execute(select(Meeting).where(
        Meeting.status == "planned", Meeting.invitation_sent_at.is_(None), Meeting.reminder_sent_at.is_(None),
        Meeting.invitation_deadline <= horizon, Meeting.starts_at >= datetime.combine(today, time()),
    ).order_by(Meeting.invitation_deadline, Meeting.starts_at)).scalars())


def send_deadline_reminders_job(today: str | None = None) -> int:
    """Job (no tenant; run daily): in every municipality, warn the technical secretaries by e-mail
    about planned meetings whose invitation deadline is near and whose invitations are not sent.
    Each meeting is reminded once. Returns how many e-mails went out."""
    day = date.fromisoformat(today) if today else services.local_today()
    days_off = services.extra_days_off()
    sent = 0
    municipalities = db.session.execute(
        select(Municipality).where(Municipality.active.is_(True)).order_by(Municipality.id)).scalars().all()
    for municipality in municipalities:
        with tenant(municipality.id):
            meetings = due_for_reminder(day, days_off)
            if not meetings:
                db.session.rollback()
                continue
            people = _secretaries(municipality.id)
            if not people:
                log.info("no technical secretary to remind in %s", municipality.slug)
                db.session.rollback()
                continue
            stamp = utcnow()
            ids = [m.id for m in meetings]
            claimed = db.session.execute(
                update(Meeting).where(Meeting.id.in_(ids), Meeting.reminder_sent_at.is_(None))
                .values(reminder_sent_at=stamp).execution_options(synchronize_session=False)).rowcount
            db.session.commit()
            if claimed != len(ids):
                meetings = [m for m in db.session.execute(select(Meeting).where(Meeting.id.in_(ids))).scalars()
                            if m.reminder_sent_at == stamp]
            if not meetings:
                continue
            items = [{"meeting": m, "deadline": m.invitation_deadline,
                      "url": calendar.meeting_url(m, municipality),
                      "remaining": workdays.working_days_between(day, m.invitation_deadline, days_off)
                      if m.invitation_deadline >= day else None} for m in meetings]
            for person in people:
                def render(person=person):
                    subject = _("Reminder: invitations to send for the council of %(name)s", name=municipality.name)
                    text = render_template("meetings/mail/reminder.txt", person=person, municipality=municipality,
                                           items=items, today=day, notice=unified_model.notice_working_days(day),
                                           kinds=services.KIND_LABELS)
                    return subject, text

                subject, text = mail.bilingual(render)
                try:
                    mail.send(mail.Mail(to=[person.email], subject=subject, text=text))
                    sent += 1
                except (smtplib.SMTPException, OSError) as exc:
                    log.warning("reminder to %s not sent: %s", person.email, exc)
            db.session.commit()
    return sent
