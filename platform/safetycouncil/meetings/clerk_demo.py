"""Demo of a clerk's daily work, in Elbasan (loaded after the meetings demo; idempotent):

- a council meeting entered after the fact by the technical secretary;
- the next council meeting with a material on its agenda, its invitations recorded per invitee with
  what they carried (attached, or a personal link that has been opened);
- a recommendation of the Prefecture of Elbasan addressed to the council, received and followed up.
"""
from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from ..accounts.models import User
from ..accounts.services import token_hash
from ..council.models import INVITED, CouncilMember
from ..documents.services import store_document
from ..extensions import db
from ..municipalities.models import County
from ..tenancy import tenant
from .materials import link_expiry
from .models import AgendaItem, AgendaMaterial, Attendance, Invitation, MaterialLink, Meeting
from .services import deadline_for, local_now, local_to_utc

AFTER_THE_FACT = "Mbledhja e jashtëzakonshme e KVSP pas përmbytjeve (regjistruar pas faktit)"
NEXT = "Mbledhja e KVSP: plani vendor 2027 dhe siguria gjatë festave"
TABLE = "Tryeza e konsultimit për sigurinë rrugore në qarkun e Elbasanit"
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


def load_demo(municipalities) -> None:
    elbasan = next((m for m in municipalities if m.slug == "elbasan"), None)
    if elbasan is None:
        return
    secretary = db.session.execute(select(User).where(User.email == "sekretari.elbasan@demo.kvsp.al")).scalar_one_or_none()
    with tenant(elbasan.id):
        if db.session.execute(select(Meeting.id).where(Meeting.title == AFTER_THE_FACT)).first() is None:
            _meetings(secretary.id if secretary else None)
            db.session.commit()
    _recommendation(elbasan)
    db.session.commit()


def _members(on: date) -> list[CouncilMember]:
    return [m for m in db.session.execute(select(CouncilMember).order_by(CouncilMember.id)).scalars()
            if m.category != INVITED and m.mandate_start <= on and (m.mandate_end is None or m.mandate_end >= on)]


def _meetings(secretary_id: int | None) -> None:
    now = local_now()
    # Entered after the fact: held three weeks ago, recorded today by the secretary.
    starts = datetime.combine(now.date() - timedelta(days=21), time(11, 0))
    past = Meeting(kind="council_ad_hoc", title=AFTER_THE_FACT, starts_at=starts, ends_at=starts + timedelta(hours=2),
                   location="Bashkia Elbasan", status="held", invitation_deadline=deadline_for(starts.date()),
                   created_by_id=secretary_id, entered_after_the_fact=True, recorded_by_id=secretary_id)
    db.session.add(past)
    db.session.flush()
    db.session.add(AgendaItem(meeting_id=past.id, position=1, title="Masat pas përmbytjeve në Shushicë"))
    # Its invitations were sent by telephone and by hand: recorded as sent outside the platform.
    from .invitations import record_invitations_sent

    record_invitations_sent(past, starts.date() - timedelta(days=9))
    for member in _members(starts.date())[:6]:
        db.session.add(Attendance(meeting_id=past.id, member_id=member.id, status="present"))

    # The next council meeting: a material, invitations sent with it (attached or as a link).
    day = now.date() + timedelta(days=12)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    starts = datetime.combine(day, time(10, 0))
    upcoming = Meeting(kind="council", title=NEXT, starts_at=starts, ends_at=starts + timedelta(hours=2),
                       location="Salla e mbledhjeve, Bashkia Elbasan", status="planned",
                       invitation_deadline=deadline_for(day), created_by_id=secretary_id)
    db.session.add(upcoming)
    db.session.flush()
    item = AgendaItem(meeting_id=upcoming.id, position=1, title="Projekt-plani vendor 2027",
                      presenter="Sekretariati i Koordinimit")
    db.session.add(item)
    db.session.add(AgendaItem(meeting_id=upcoming.id, position=2, title="Siguria gjatë festave të fundvitit"))
    db.session.flush()
    document = store_document("Projekt-plani vendor 2027", "projekt-plani-2027.pdf", PDF, uploaded_by_id=secretary_id,
                              kind="materials")
    db.session.add(AgendaMaterial(agenda_item_id=item.id, document_id=document.id))
    sent_at = local_to_utc(datetime.combine(now.date() - timedelta(days=1), time(9, 30)))  # yesterday
    upcoming.invitation_sent_at, upcoming.invitation_working_days_late = sent_at, 0
    for number, member in enumerate(_members(day)):
        mode = "link" if number % 4 == 3 else "attached"
        row = Invitation(meeting_id=upcoming.id, member_id=member.id, email=member.email,
                         status="sent" if member.email else "no_email", sent_at=sent_at if member.email else None,
                         materials=mode if member.email else None,
                         material_document_ids=[document.id] if member.email else None)
        db.session.add(row)
        db.session.flush()
        if member.email and mode == "link":
            opened = sent_at + timedelta(hours=3)
            db.session.add(MaterialLink(invitation_id=row.id, token_hash=token_hash(secrets.token_urlsafe(32)),
                                        expires_at=link_expiry(upcoming), open_count=number % 3,
                                        first_opened_at=opened if number % 3 else None,
                                        last_opened_at=opened if number % 3 else None))
    db.session.flush()


def _recommendation(elbasan) -> None:
    from ..consultation_tables.models import ConsultationRecommendation, ConsultationTable
    from ..consultation_tables.services import add_recommendation, record_follow_up

    county = db.session.get(County, elbasan.county_id)
    if db.session.execute(select(ConsultationTable.id).where(ConsultationTable.title == TABLE)).first():
        return
    table = ConsultationTable(county_id=county.id, title=TABLE, held_on=local_now().date() - timedelta(days=10),
                              location="Prefektura e Qarkut Elbasan", chaired_by="Prefekti i Qarkut Elbasan")
    db.session.add(table)
    db.session.flush()
    add_recommendation(table, "Të vendosen kamera dhe sinjalistikë pranë shkollave në Rrugën Nacionale "
                              "Elbasan–Cërrik, ku aksidentet u shtuan këtë vit.", [elbasan.id])
    add_recommendation(table, "Të organizohet një takim i hapur me prindërit për sigurinë në rrugë.", [elbasan.id])
    with tenant(elbasan.id):
        first = db.session.execute(select(ConsultationRecommendation).order_by(ConsultationRecommendation.id)
                                   ).scalars().first()
        record_follow_up(first, {"status": "in_progress",
                                 "follow_up": "U fut në regjistrin e rreziqeve; Policia po përgatit vendndodhjet."})
        db.session.flush()
