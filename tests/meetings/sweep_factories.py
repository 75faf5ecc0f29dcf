"""Objects for the isolation sweep (tests/tenancy/test_isolation_sweep.py): one factory per id
that the meetings routes take. Each runs inside the current tenant scope.

The meeting is a council meeting held three days ago, with an agenda item and minutes, so that
the records area's pages under the same meeting (minutes, press release) have what they show.
"""
from sqlalchemy import select

from safetycouncil.documents.services import store_document
from safetycouncil.meetings.models import AgendaMaterial, Invitation
from tests import factories as make

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _meeting(session, tag):
    return make.meeting(session, starts_at=make.day(-3), title=f"Mbledhja e KVSP {tag}", agenda=[f"Plani vendor {tag}"],
                        minutes=f"Procesverbali {tag}").id


def _planned(session, tag, **options):
    return make.meeting(session, starts_at=make.day(20), title=f"Mbledhja e KVSP {tag}", status="planned",
                        agenda=[f"Plani vendor {tag}"], **options)


def _item(session, tag):
    return _planned(session, f"{tag} (rendi i ditës)").agenda_items[0].id


def _material(session, tag):
    document = store_document(f"Material {tag}", f"material-{tag}.pdf", PDF, uploaded_by_id=None, kind="materials")
    material = AgendaMaterial(agenda_item_id=_item(session, f"{tag} (materiale)"), document_id=document.id)
    session.add(material)
    session.flush()
    return material.id


def _invitation(session, tag):
    member = make.member(session, f"Anëtar {tag}", email=f"anetar-{tag}@example.al".lower().replace(" ", ""))
    meeting = _planned(session, f"{tag} (ftesa)", invitations=[member])
    return session.execute(select(Invitation.id).where(Invitation.meeting_id == meeting.id)).scalar_one()


ID_FACTORIES = {"meeting_id": _meeting, "item_id": _item, "material_id": _material, "invitation_id": _invitation}
