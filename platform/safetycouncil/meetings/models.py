"""Meetings of every kind, their agenda and materials, invitations and attendance."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, event, false, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..audit.models import Audited
from ..council.models import CouncilMember
from ..documents.models import Document
from ..extensions import db
from ..tenancy import TenantOwned
from ..timestamps import Timestamped
from ..timeutil import local_now, utcnow

MEETING_KINDS = (
    "council",               # a council meeting (Art. 7.2), regular
    "council_ad_hoc",        # ad hoc, with a smaller membership (Art. 7.3)
    "open_consultation",     # open consultation meeting with citizens (Art. 8.5)
    "secretariat_monitoring",  # Coordination Secretariat monitoring meeting (Art. 9.2)
    "task_force",            # thematic task-force meeting
)
COUNCIL_KINDS = ("council", "council_ad_hoc")
MEETING_STATUSES = ("planned", "held", "cancelled")
ATTENDANCE_STATUSES = ("present", "absent", "excused")


class ExtraDayOff(Audited, db.Model):
    """Global (reviewed): a day off the government declares beyond the public holidays."""

    __national_input__ = True  # cached results depend on it (caching.stamps)
    __tablename__ = "extra_days_off"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Meeting(TenantOwned, Audited, Timestamped, db.Model):
    __tablename__ = "meetings"
    __table_args__ = (Index("ix_meetings_municipality_starts", "municipality_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]  # local time (Europe/Tirane), naive
    ends_at: Mapped[datetime]
    location: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="planned")
    cancelled_reason: Mapped[str | None] = mapped_column(String(300))
    invitation_deadline: Mapped[date]  # the last day the invitation may be sent (Art. 7.4), kept in step
    invitation_sent_at: Mapped[datetime | None]  # when invitations were (recorded as) sent
    invitation_working_days_late: Mapped[int | None]  # 0 on time; >0 late by that many working days
    audio_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    reminder_sent_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A meeting created with a start already past: recorded after the fact, by whom (the compliance
    # rules read it: such a meeting's invitations cannot be proven on time by the platform).
    entered_after_the_fact: Mapped[bool] = mapped_column(default=False, server_default=false())
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The public calendar (issue 18): when a public meeting was first shown to the public (planned, not
    # started yet: the public page's "upcoming meetings"), and the iCalendar SEQUENCE, raised by every change
    # of what the calendar shows (title, time, place, status) once it was shown.
    announced_at: Mapped[datetime | None]
    calendar_sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    # Art. 7.5: the council works to the agenda approved by its chair: the day of the approval, who approved it
    # and when it was recorded (a council meeting).
    agenda_approved_on: Mapped[date | None]
    agenda_approved_at: Mapped[datetime | None]
    agenda_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Art. 9.5: the Coordination Secretariat agreed the agenda and the date of a public meeting (an open
    # consultation) beforehand: the day it agreed, and who recorded it.
    secretariat_agreed_on: Mapped[date | None]
    secretariat_agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Art. 9.4: after its meeting the Coordination Secretariat reports to the heads of the three institutions
    # (a secretariat monitoring meeting): the day sent, to whom ("municipality", "police", "prosecution": the
    # heads), the findings they present, and who recorded it.
    report_sent_on: Mapped[date | None]
    report_recipients: Mapped[list | None] = mapped_column(JSON)
    report_findings: Mapped[str | None] = mapped_column(Text)
    report_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Art. 9.4, second half ("and they present the findings"): which head presented the report's findings and
    # where: at a regular council meeting of the municipality (the meeting) or elsewhere on a day (the day);
    # who recorded it.
    findings_presented_by: Mapped[str | None] = mapped_column(String(20))
    findings_presented_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    findings_presented_on: Mapped[date | None]
    findings_presented_recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    # A document with the report's findings (a scanned letter, the report itself), stored like the other
    # attachments (documents, the upload's content checked).
    findings_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))

    agenda_items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position", cascade="all, delete-orphan")
    audio_document: Mapped[Document | None] = relationship(foreign_keys=[audio_document_id])

    @property
    def is_council(self) -> bool:
        return self.kind in COUNCIL_KINDS


PUBLIC_KINDS = ("council", "open_consultation")  # the kinds citizens see (public.services)
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "location", "status")


@event.listens_for(Meeting, "before_insert")
@event.listens_for(Meeting, "before_update")
def _calendar_publication(mapper, connection, meeting: Meeting) -> None:
    """A planned public meeting that has not started is public from the moment it is saved so (the public
    page lists it); once public, each change of what a calendar shows raises its SEQUENCE (RFC 5545 3.8.7.4),
    so that calendars replace the event, or mark it cancelled, instead of keeping the old one."""
    if meeting.announced_at is not None:
        state = inspect(meeting)
        if any(state.attrs[name].history.has_changes() for name in CALENDAR_FIELDS):
            meeting.calendar_sequence = (meeting.calendar_sequence or 0) + 1
        return
    now = local_now()
    if meeting.kind in PUBLIC_KINDS and (meeting.status or "planned") == "planned" and meeting.starts_at >= now:
        meeting.announced_at = utcnow()


class AgendaItem(TenantOwned, Audited, Timestamped, db.Model):
    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    presenter: Mapped[str | None] = mapped_column(String(200))

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items")
    materials: Mapped[list["AgendaMaterial"]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class AgendaMaterial(TenantOwned, Audited, Timestamped, db.Model):
    __tablename__ = "agenda_materials"
    __table_args__ = (UniqueConstraint("agenda_item_id", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="RESTRICT"))

    document: Mapped[Document] = relationship(lazy="joined")


class Invitation(TenantOwned, Timestamped, db.Model):
    """One member invited to one meeting; sending is idempotent (never e-mailed twice)."""

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("council_members.id", ondelete="RESTRICT"))
    email: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending, sent, failed, no_email
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(String(300))
    claimed_at: Mapped[datetime | None]  # when a job set it 'sending' (a stuck row is reset after a while)
    # What the invitation carried of the agenda materials: 'attached' (files in the e-mail), 'link'
    # (a personal link that needs no account), 'none' (the agenda had no materials); empty when the
    # invitation was recorded as sent outside the platform (unknown).
    materials: Mapped[str | None] = mapped_column(String(20))
    material_document_ids: Mapped[list | None] = mapped_column(JSON)

    member: Mapped[CouncilMember] = relationship(lazy="joined")


class MaterialLink(TenantOwned, Audited, db.Model):
    """A personal, expiring, revocable link to a meeting's agenda materials for one invitee; it
    needs no account. Only the token's hash is kept; every opening is counted and audited."""

    __tablename__ = "material_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    first_opened_at: Mapped[datetime | None]
    last_opened_at: Mapped[datetime | None]
    open_count: Mapped[int] = mapped_column(default=0, server_default="0")

    invitation: Mapped[Invitation] = relationship(lazy="joined")


class Attendance(TenantOwned, Audited, Timestamped, db.Model):
    """A member's attendance, or a guest's (member_id empty, guest_name set)."""

    __tablename__ = "attendances"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("council_members.id", ondelete="RESTRICT"))
    guest_name: Mapped[str | None] = mapped_column(String(200))
    guest_institution: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))

    member: Mapped[CouncilMember | None] = relationship(lazy="joined")
