"""Id factories for the isolation sweep: objects of the records area in the current tenant scope.

``meeting_id`` belongs to the meetings area: its factory (tests/meetings/sweep_factories.py)
is used when it exists; this one only stands in until then.
"""
from datetime import date, datetime, timedelta

from safetycouncil.meetings.models import Meeting
from safetycouncil.records.models import Decision, DecisionVersion, MinutesVersion


def make_held_meeting(session, tag, *, kind="council", days_ago=3, title=None):
    starts = datetime.now().replace(hour=10, minute=0, second=0, microsecond=0) - timedelta(days=days_ago)
    meeting = Meeting(kind=kind, title=title or f"Mbledhja e KVSP {tag}", starts_at=starts,
                      ends_at=starts + timedelta(hours=2), location="Salla e Këshillit", status="held",
                      invitation_deadline=(starts - timedelta(days=7)).date())
    session.add(meeting)
    session.flush()
    return meeting


def _make_meeting(session, tag):
    meeting = make_held_meeting(session, tag)
    session.add(MinutesVersion(meeting_id=meeting.id, version=1, text=f"Procesverbali {tag}"))
    session.flush()
    return meeting.id


def _make_decision(session, tag):
    meeting = make_held_meeting(session, f"{tag} (vendime)")
    decision = Decision(meeting_id=meeting.id, number=f"{date.today().year}/{tag}", title=f"Vendimi {tag}")
    session.add(decision)
    session.flush()
    session.add(DecisionVersion(decision_id=decision.id, version=1, text=f"Teksti i vendimit {tag}"))
    session.flush()
    return decision.id


def _meetings_area_factories() -> dict:
    try:
        from tests.meetings.sweep_factories import ID_FACTORIES as theirs
    except ImportError:
        return {}
    return theirs


ID_FACTORIES = {"decision_id": _make_decision}
if "meeting_id" not in _meetings_area_factories():
    ID_FACTORIES["meeting_id"] = _make_meeting
