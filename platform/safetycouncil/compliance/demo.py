"""Demo: the records the unified model's rules read that the other areas' demos leave out (the
materials sent with each invitation, the audio recording, the quorum, reports approved on time, the
plan published on the official website, the Municipal Council informed), then compliance snapshots
for 2021-2026, so the trends have years to show.

Exemplary councils keep every record; a few of them lag in one way each (a report approved late,
the plan published late, the Municipal Council not yet informed this year), and lagging councils keep
what their demos gave them. The console's headline then shows councils that comply, that are at
risk before the year ends, and that missed obligations in different ways.
"""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import select

from ..council.models import CouncilMember, MunicipalCouncilSession
from ..documents.services import store_document
from ..extensions import db
from ..meetings.models import AgendaItem, AgendaMaterial, Attendance, Invitation, Meeting
from ..plans.models import MonitoringReport, Plan, PlanVersion
from ..tenancy import tenant
from ..timeutil import local_today
from ..unified_model import ALL_CATEGORIES, APPROVED_VERSION, COUNCIL_KINDS, REPORT_APPROVED
from .services import take_snapshots

DEMO_YEARS = range(2021, 2027)
MATERIAL = b"%PDF-1.4\n% KVSP demo: materiale per rendin e dites\n%%EOF\n"
AUDIO = b"ID3\x03\x00\x00\x00\x00\x00\x00demo"


def load_demo(municipalities) -> None:
    from ..meetings.demo import council_profile

    for m in municipalities:
        with tenant(m.id):
            if db.session.execute(select(MunicipalCouncilSession.id).limit(1)).first() is None:
                _complete_records(m, council_profile(m.slug))
                db.session.flush()
    db.session.commit()
    ids = [m.id for m in municipalities]
    today = local_today()
    for year in DEMO_YEARS:
        if year > today.year:
            break
        take_snapshots(year, as_of=min(today, date(year, 12, 31)), municipality_ids=ids)
    from ..consultation_tables.demo import load_demo as load_tables

    load_tables(municipalities)


def _complete_records(municipality, profile: str) -> None:
    rng = random.Random(f"compliance-{municipality.slug}")
    exemplary = profile == "exemplary"
    # one way of lagging for a quarter of the exemplary councils (never Elbasan, the model council)
    lag = None if not exemplary or municipality.slug == "elbasan" else rng.choice(
        [None, None, None, "report_late", "published_late", "not_informed"])
    today = local_today()
    members = db.session.execute(select(CouncilMember).where(
        CouncilMember.category.in_(ALL_CATEGORIES), CouncilMember.invited_kind.is_(None))).scalars().all()
    if exemplary:
        for meeting in db.session.execute(select(Meeting).where(
                Meeting.kind.in_(COUNCIL_KINDS), Meeting.status != "cancelled")).scalars():
            _complete_meeting(meeting, members, held=meeting.status == "held")
    if exemplary:
        plans = {p.year: p for p in db.session.execute(select(Plan)).scalars()}
        covered = {r.period_end for r in db.session.execute(select(MonitoringReport).where(
            MonitoringReport.kind == "monitoring")).scalars()}
        for year in range(2021, today.year + 1):
            for start, end in ((date(year, 1, 1), date(year, 6, 30)), (date(year, 7, 1), date(year, 12, 31))):
                if end >= today or end in covered or year not in plans:
                    continue
                db.session.add(MonitoringReport(
                    kind="monitoring", plan_id=plans[year].id, period_start=start, period_end=end, language="sq",
                    status="approved", summary="Raport i hartuar nga Sekretariati Teknik dhe Sekretariati i "
                                               "Koordinimit, miratuar nga kryetari."))
        db.session.flush()
    reports = db.session.execute(select(MonitoringReport).where(
        MonitoringReport.kind == "monitoring", MonitoringReport.status.in_(REPORT_APPROVED))).scalars().all()
    for report in reports:
        if exemplary:
            late = lag == "report_late" and report.period_end.year == today.year
            approved = report.period_end + timedelta(days=rng.randint(45, 70) if late else rng.randint(5, 25))
            report.approved_at = datetime.combine(min(approved, today), datetime.min.time()).replace(hour=9)
    for plan in db.session.execute(select(Plan)).scalars():
        first = db.session.execute(select(PlanVersion).where(
            PlanVersion.plan_id == plan.id, PlanVersion.status.in_(APPROVED_VERSION),
            PlanVersion.approved_on.is_not(None)).order_by(PlanVersion.approved_on)).scalars().first()
        if first is None or (not exemplary and rng.random() < 0.6):
            continue
        days = rng.randint(2, 12) if exemplary and lag != "published_late" else rng.randint(25, 60)
        first.published_on = min(first.approved_on + timedelta(days=days), today)
        first.published_url = f"https://{municipality.slug}.gov.al/kvsp/plani-{plan.year}"
    for year in range(2021, today.year + 1):
        if not exemplary and rng.random() < 0.7:
            continue
        if year == today.year and (lag == "not_informed" or not exemplary):
            continue
        held_on = date(year, 11, rng.randint(5, 28)) if year == today.year else date(year, 12, rng.randint(8, 22))
        if held_on > today:
            continue
        db.session.add(MunicipalCouncilSession(
            held_on=held_on, decision_number=f"{rng.randint(40, 180)}/{year}",
            report_title=f"Raporti vjetor i KVSP {municipality.name} për Këshillin Bashkiak, {year}"))


def _complete_meeting(meeting, members, *, held: bool) -> None:
    """Art. 7.4: agenda with materials, sent to every member; Art. 7.7, 10.2: quorum and audio."""
    items = db.session.execute(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                               .order_by(AgendaItem.position)).scalars().all()
    if items and not db.session.execute(select(AgendaMaterial.id).where(
            AgendaMaterial.agenda_item_id.in_([i.id for i in items])).limit(1)).first():
        doc = store_document(f"Materiale për {meeting.title}"[:200], "materiale.pdf", MATERIAL, uploaded_by_id=None,
                             kind="agenda")
        db.session.add(AgendaMaterial(agenda_item_id=items[0].id, document_id=doc.id))
    day = meeting.starts_at.date()
    active = [x for x in members if x.mandate_start <= day and (x.mandate_end is None or x.mandate_end >= day)]
    sent_at = meeting.invitation_sent_at
    if sent_at is not None:
        invited = {i.member_id: i for i in db.session.execute(select(Invitation).where(
            Invitation.meeting_id == meeting.id)).scalars()}
        if invited:
            for x in active:
                inv = invited.get(x.id)
                if inv is None:
                    db.session.add(Invitation(meeting_id=meeting.id, member_id=x.id, email=x.email, status="sent",
                                              sent_at=sent_at))
                elif inv.status != "sent" or inv.sent_at is None or inv.sent_at > sent_at:
                    inv.status, inv.sent_at, inv.error = "sent", sent_at, None
    if not held:
        return
    if meeting.audio_document_id is None:
        meeting.audio_document_id = store_document(f"Regjistrimi audio, {meeting.title}"[:200], "regjistrimi.mp3",
                                                   AUDIO, uploaded_by_id=None, kind="audio").id
    present = {a.member_id for a in db.session.execute(select(Attendance).where(
        Attendance.meeting_id == meeting.id, Attendance.status == "present")).scalars()}
    needed = (len(active) + 1) // 2 + 1
    recorded = {a.member_id for a in db.session.execute(select(Attendance).where(
        Attendance.meeting_id == meeting.id)).scalars()}
    for x in active:
        if len(present) >= needed:
            break
        if x.id not in recorded:
            db.session.add(Attendance(meeting_id=meeting.id, member_id=x.id, status="present"))
            present.add(x.id)
