"""Demo: what the regulation asks around the meetings (Art. 7.5, 9.4, 9.5) and who attends (Art. 8.1, 8.5,
9.6, 10.2), on the meetings the meetings demo made.

Exemplary councils approve every council agenda before the invitation deadline, agree each open consultation
with the Coordination Secretariat beforehand, report to the three heads within days of each monitoring
meeting, and the heads attend the consultations, the secretariats the council meetings. A few of them lag in
one way each (never Elbasan and Gramsh, the demos' model councils): agendas approved late this year, or
reports to the heads missing this year. Lagging councils record about half of it, some of it late.

Deterministic (one seeded ``random.Random`` per municipality) and idempotent (a municipality with any of it
recorded is left alone).
"""
from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from sqlalchemy import insert, or_, select, update

from .. import workdays
from ..accounts.models import RoleAssignment
from ..accounts.roles import Role
from ..council.models import CouncilMember, CouncilSeat
from ..extensions import db
from ..tenancy import tenant
from .acts import HEADS
from .models import COUNCIL_KINDS, AgendaItem, Attendance, ExtraDayOff, Meeting
from .services import local_now, local_to_utc

MODEL_COUNCILS = frozenset({"elbasan", "gramsh"})
HEAD_CATEGORIES = ("a", "c", "d")
REQUIRED_SEATS = ("secretariat_municipality", "secretariat_police", "secretariat_prosecution",
                  "technical_secretariat")
FINDINGS = [
    "Aktivitetet e planit ecin sipas kalendarit; patrullimi pranë shkollave u shtua në dy lagje.",
    "Dy aktivitete janë me vonesë: ndriçimi publik në lagjen e stacionit dhe fushata kundër dhunës në familje.",
    "Rastet e raportuara të vjedhjeve u ulën; kërkohet mbështetje nga Bashkia për kamerat në treg.",
    "Shkollat raportuan më pak konflikte; Policia propozon takime me prindërit në tremujorin e ardhshëm.",
]


def load_demo(municipalities) -> None:
    from .demo import council_profile

    chairs = dict(db.session.execute(select(RoleAssignment.municipality_id, RoleAssignment.user_id)
                                     .where(RoleAssignment.role == Role.CHAIR.value)).all())
    days_off = frozenset(db.session.execute(select(ExtraDayOff.day)).scalars())
    for municipality in municipalities:
        with tenant(municipality.id):
            if db.session.execute(select(Meeting.id).where(or_(
                    Meeting.agenda_approved_on.is_not(None), Meeting.secretariat_agreed_on.is_not(None),
                    Meeting.report_sent_on.is_not(None))).limit(1)).first():
                continue
            _load_one(municipality, council_profile(municipality.slug), chairs.get(municipality.id), days_off)
        db.session.commit()


def _load_one(municipality, profile: str, chair_id, days_off) -> None:
    """Set-wise: the meetings read as rows, written back in one bulk UPDATE by primary key, and the missing
    attendance in one bulk INSERT (the demo of 61 councils stays quick)."""
    rng = random.Random(f"kvsp-acts-{municipality.slug}")
    exemplary = profile == "exemplary"
    lag = None if not exemplary or municipality.slug in MODEL_COUNCILS else rng.choice(
        [None, None, None, "agenda_late", "reports_missing"])
    today = local_now().date()
    members = db.session.execute(select(CouncilMember.id, CouncilMember.category, CouncilMember.mandate_start,
                                        CouncilMember.mandate_end)).all()
    seats = db.session.execute(select(CouncilSeat.seat, CouncilSeat.member_id, CouncilSeat.started_on,
                                      CouncilSeat.ended_on)).all()
    with_agenda = set(db.session.execute(select(AgendaItem.meeting_id).distinct()).scalars())
    attendance = {(a.meeting_id, a.member_id): a for a in db.session.execute(select(
        Attendance.id, Attendance.meeting_id, Attendance.member_id, Attendance.status)
        .where(Attendance.member_id.is_not(None))).all()}
    meetings = db.session.execute(select(Meeting.id, Meeting.kind, Meeting.status, Meeting.starts_at,
                                         Meeting.invitation_deadline).where(Meeting.status != "cancelled")
                                  .order_by(Meeting.starts_at)).all()
    updates, present_again, new_rows = [], [], []
    for m in meetings:
        day = m.starts_at.date()
        this_year = day.year == today.year
        change = {}
        if m.kind in COUNCIL_KINDS and m.id in with_agenda:
            if exemplary and not (lag == "agenda_late" and this_year):
                approved = m.invitation_deadline - timedelta(days=rng.randint(1, 6))
            elif exemplary or rng.random() < 0.5:
                approved = m.invitation_deadline + timedelta(days=rng.randint(1, 4))
            else:
                approved = None
            if approved is not None and approved <= today and (m.status == "held" or rng.random() < 0.7):
                change = {"agenda_approved_on": approved, "agenda_approved_by_id": chair_id,
                          "agenda_approved_at": local_to_utc(datetime.combine(approved, time(9, 0)))}
        elif m.kind == "open_consultation":
            if exemplary:
                agreed = day - timedelta(days=rng.randint(5, 20))
            elif rng.random() < 0.5:
                agreed = day - timedelta(days=rng.randint(0, 6))
            else:
                agreed = None
            if agreed is not None and agreed <= today:
                change = {"secretariat_agreed_on": agreed}
        elif m.kind == "secretariat_monitoring" and m.status == "held":
            if exemplary and not (lag == "reports_missing" and this_year and rng.random() < 0.5):
                sent = workdays.add_working_days(day, rng.randint(0, 3), days_off)
                recipients = list(HEADS)
            elif not exemplary and rng.random() < 0.4:
                sent = workdays.add_working_days(day, rng.randint(1, 9), days_off)
                recipients = list(HEADS) if rng.random() < 0.6 else ["municipality", "police"]
            else:
                sent = None
            if sent is not None and sent <= today:
                change = {"report_sent_on": sent, "report_recipients": recipients,
                          "report_findings": rng.choice(FINDINGS)}
        if change:
            updates.append({"id": m.id, **change})
        if exemplary and m.status == "held" and m.kind in ("open_consultation", "council"):
            for member_id in dict.fromkeys(_required(m, members, seats)):
                row = attendance.get((m.id, member_id))
                if row is None:
                    new_rows.append({"municipality_id": municipality.id, "meeting_id": m.id, "member_id": member_id,
                                     "guest_name": None, "guest_institution": None, "status": "present"})
                elif row.status != "present":
                    present_again.append({"id": row.id, "status": "present"})
    if updates:
        for keys in {tuple(sorted(u)) for u in updates}:  # one statement per shape of change
            db.session.execute(update(Meeting), [u for u in updates if tuple(sorted(u)) == keys])
    if present_again:
        db.session.execute(update(Attendance), present_again)
    if new_rows:
        db.session.execute(insert(Attendance), new_rows)


def _required(m, members, seats) -> list[int]:
    day = m.starts_at.date()
    if m.kind == "open_consultation":
        return [x.id for x in members if x.category in HEAD_CATEGORIES and x.mandate_start <= day
                and (x.mandate_end is None or x.mandate_end >= day)]
    return [t.member_id for t in seats if t.seat in REQUIRED_SEATS and t.started_on <= day
            and (t.ended_on is None or t.ended_on >= day)]
