"""Objects for the isolation sweep (tests/tenancy/test_isolation_sweep.py): one factory per id
that the meetings routes take. Each runs inside the current tenant scope.

The meeting is a council meeting held three days ago, with an agenda item and minutes, so that
the records area's pages under the same meeting (minutes, press release) have what they show.
"""
from datetime import timedelta

from safetycouncil.documents.services import store_document
from safetycouncil.meetings.models import AgendaItem, AgendaMaterial, Meeting
from safetycouncil.meetings.services import deadline_for, local_now
from safetycouncil.records.models import MinutesVersion

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_meeting(session, tag, *, days_ago=3, status="held", kind="council"):
    starts = local_now().replace(hour=10, minute=0, second=0) - timedelta(days=days_ago)
    meeting = Meeting(kind=kind, title=f"Mbledhja e KVSP {tag}", starts_at=starts, ends_at=starts + timedelta(hours=2),
                      location="Salla e Këshillit", status=status, invitation_deadline=deadline_for(starts.date()))
    session.add(meeting)
    session.flush()
    session.add(AgendaItem(meeting_id=meeting.id, position=1, title=f"Plani vendor {tag}"))
    session.flush()
    return meeting


def _meeting(session, tag):
    meeting = make_meeting(session, tag)
    session.add(MinutesVersion(meeting_id=meeting.id, version=1, text=f"Procesverbali {tag}"))
    session.flush()
    return meeting.id


def _item(session, tag):
    meeting = make_meeting(session, f"{tag} (rendi i ditës)", days_ago=-20, status="planned")
    return meeting.agenda_items[0].id


def _material(session, tag):
    item = session.get(AgendaItem, _item(session, f"{tag} (materiale)"))
    document = store_document(f"Material {tag}", f"material-{tag}.pdf", PDF, uploaded_by_id=None, kind="materials")
    material = AgendaMaterial(agenda_item_id=item.id, document_id=document.id)
    session.add(material)
    session.flush()
    return material.id


def _invitation(session, tag):
    from safetycouncil.council.models import CouncilMember
    from safetycouncil.meetings.models import Invitation

    meeting = make_meeting(session, f"{tag} (ftesa)", days_ago=-20, status="planned")
    member = CouncilMember(full_name=f"Anëtar {tag}", category="a", email=f"anetar-{tag}@example.al".lower().replace(" ", ""),
                           mandate_start=meeting.starts_at.date() - timedelta(days=400))
    session.add(member)
    session.flush()
    invitation = Invitation(meeting_id=meeting.id, member_id=member.id, email=member.email, status="sent")
    session.add(invitation)
    session.flush()
    return invitation.id


ID_FACTORIES = {"meeting_id": _meeting, "item_id": _item, "material_id": _material, "invitation_id": _invitation}
