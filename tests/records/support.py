"""Meetings, members and attendance for the records tests, made directly in a tenant scope."""
from datetime import date, datetime, timedelta

from safetycouncil.council.models import CouncilMember, Institution
from safetycouncil.meetings.models import AgendaItem, Attendance, Meeting
from safetycouncil.records.services import to_local
from safetycouncil.timeutil import utcnow


def local_now() -> datetime:
    return to_local(utcnow()).replace(second=0, microsecond=0)


def add_meeting(session, *, title="Mbledhja e dytë e KVSP", kind="council", status="held",
                ends_hours_ago: float = 3, starts_at: datetime | None = None, hours: float = 2,
                location="Salla e Këshillit Bashkiak") -> int:
    if starts_at is None:
        ends_at = local_now() - timedelta(hours=ends_hours_ago)
        starts_at = ends_at - timedelta(hours=hours)
    else:
        ends_at = starts_at + timedelta(hours=hours)
    meeting = Meeting(kind=kind, title=title, starts_at=starts_at, ends_at=ends_at, location=location,
                      status=status, invitation_deadline=(starts_at - timedelta(days=7)).date())
    session.add(meeting)
    session.flush()
    return meeting.id


def add_member(session, name, *, category="a", email=None, position=None, institution=None,
               mandate_start=date(2020, 1, 1), mandate_end=None, user_id=None) -> int:
    inst_id = None
    if institution:
        inst = Institution(name=institution, kind="other")
        session.add(inst)
        session.flush()
        inst_id = inst.id
    member = CouncilMember(full_name=name, category=category, email=email, position=position,
                           institution_id=inst_id, mandate_start=mandate_start, mandate_end=mandate_end,
                           user_id=user_id)
    session.add(member)
    session.flush()
    return member.id


def add_attendance(session, meeting_id, *, member_id=None, guest_name=None, guest_institution=None,
                   status="present") -> None:
    session.add(Attendance(meeting_id=meeting_id, member_id=member_id, guest_name=guest_name,
                           guest_institution=guest_institution, status=status))
    session.flush()


def add_agenda(session, meeting_id, *titles) -> None:
    for position, title in enumerate(titles, start=1):
        session.add(AgendaItem(meeting_id=meeting_id, position=position, title=title))
    session.flush()
