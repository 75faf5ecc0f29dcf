"""The one set of builders the tests share: a meeting of a kind at a time, held or planned, with its
agenda, attendance, minutes, invitations and press release as options; a decision; a council member.
Each writes rows over the models in the current tenant scope and flushes, so ids are there."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from safetycouncil.council.models import CouncilMember, Institution
from safetycouncil.meetings.models import AgendaItem, Attendance, Invitation, Meeting
from safetycouncil.meetings.services import deadline_for
from safetycouncil.records.models import Decision, DecisionVersion, MinutesVersion, PressRelease
from safetycouncil.timeutil import local_now


def day(days: int = 0, hour: int = 10) -> datetime:
    """A local time ``days`` from today (negative: ago) at ``hour`` o'clock."""
    return (local_now() + timedelta(days=days)).replace(hour=hour, minute=0, second=0)


def meeting(session, kind: str = "council", starts_at: datetime | None = None, *, title: str | None = None,
            status: str = "held", hours: float = 2, ends_hours_ago: float = 3, location: str | None = "Salla e Këshillit",
            deadline: date | None = None, sent_days_before: int | None = None, agenda=(), attendance=(),
            minutes: str | None = None, invitations=(), press_release: dict | None = None) -> Meeting:
    """A meeting of ``kind`` at ``starts_at`` (local; by default it ended ``ends_hours_ago`` hours ago).
    The invitation deadline is the model's (``deadline_for``) unless given; ``sent_days_before`` records the
    invitation as sent that many days before (at 8:00). ``agenda``: item titles; ``attendance``: member ids
    present, (member id, status) pairs or a guest's attendance columns; ``minutes``: version 1's text; ``invitations``: members (rows)
    invited, sent; ``press_release``: the release's columns."""
    if starts_at is None:
        starts_at = local_now().replace(second=0) - timedelta(hours=ends_hours_ago + hours)
    row = Meeting(kind=kind, title=title or f"Mbledhja e KVSP {starts_at:%d.%m.%Y}", starts_at=starts_at,
                  ends_at=starts_at + timedelta(hours=hours), location=location, status=status,
                  invitation_deadline=deadline or deadline_for(starts_at.date()),
                  invitation_sent_at=(starts_at - timedelta(days=sent_days_before)).replace(hour=8)
                  if sent_days_before else None)
    session.add(row)
    session.flush()
    session.add_all(AgendaItem(meeting_id=row.id, position=n, title=t) for n, t in enumerate(agenda, start=1))
    for present in attendance:
        columns = present if isinstance(present, dict) else dict(
            zip(("member_id", "status"), present if isinstance(present, tuple) else (present,)))
        session.add(Attendance(meeting_id=row.id, **{"status": "present", **columns}))
    if minutes is not None:
        session.add(MinutesVersion(meeting_id=row.id, version=1, text=minutes))
    session.add_all(Invitation(meeting_id=row.id, member_id=m.id, email=m.email, status="sent") for m in invitations)
    if press_release is not None:
        session.add(PressRelease(meeting_id=row.id, **press_release))
    session.flush()
    return row


def decision(session, meeting_id: int, number: str, *, title: str = "Vendim", text: str | None = None,
             **columns) -> Decision:
    """A decision of a meeting; ``text`` adds its version 1."""
    row = Decision(meeting_id=meeting_id, number=number, title=title, **columns)
    session.add(row)
    session.flush()
    if text is not None:
        session.add(DecisionVersion(decision_id=row.id, version=1, text=text))
        session.flush()
    return row


def member(session, name: str, *, category: str = "a", institution: str | None = None,
           mandate_start: date = date(2020, 1, 1), **columns) -> CouncilMember:
    """A council member; ``institution`` names a new institution (kind "other") the member comes from."""
    if institution:
        inst = Institution(name=institution, kind="other")
        session.add(inst)
        session.flush()
        columns["institution_id"] = inst.id
    row = CouncilMember(full_name=name, category=category, mandate_start=mandate_start, **columns)
    session.add(row)
    session.flush()
    return row
