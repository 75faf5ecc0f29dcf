"""Demo: what the regulation asks around the meetings (Art. 7.5, 9.4, 9.5) and who attends (Art. 8.1, 8.5,
9.6, 10.2), set on the rows the meetings demo inserts (no second pass over the meetings: the demo of 61
councils stays quick).

Exemplary councils approve every council agenda before the invitation deadline, agree each open consultation
with the Coordination Secretariat beforehand, report to the three heads within days of each monitoring
meeting (a head presents the findings the day the report comes: Art. 9.4), and the heads attend the
consultations, the secretariats the council meetings. A few of them lag in one way each (never Elbasan and
Gramsh, the demos' model councils): agendas approved late this year, or reports to the heads missing this year. Lagging councils record about half of it, some of it late.

Deterministic: its own seeded ``random.Random`` per municipality (the meetings demo's draws are unchanged).
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from .. import workdays
from ..accounts.models import RoleAssignment
from ..accounts.roles import Role
from ..council.models import CouncilSeat
from ..extensions import db
from .acts import HEADS
from .models import COUNCIL_KINDS

MODEL_COUNCILS = frozenset({"elbasan", "gramsh"})
HEAD_CATEGORIES = ("a", "c", "d")
REQUIRED_SEATS = ("secretariat_municipality", "secretariat_police", "secretariat_prosecution",
                  "technical_secretariat")
COLUMNS = ("agenda_approved_on", "agenda_approved_at", "agenda_approved_by_id", "secretariat_agreed_on",
           "report_sent_on", "report_recipients", "report_findings", "findings_presented_by", "findings_presented_on")
FINDINGS = [
    "Aktivitetet e planit ecin sipas kalendarit; patrullimi pranë shkollave u shtua në dy lagje.",
    "Dy aktivitete janë me vonesë: ndriçimi publik në lagjen e stacionit dhe fushata kundër dhunës në familje.",
    "Rastet e raportuara të vjedhjeve u ulën; kërkohet mbështetje nga Bashkia për kamerat në treg.",
    "Shkollat raportuan më pak konflikte; Policia propozon takime me prindërit në tremujorin e ardhshëm.",
]


def chairs() -> dict[int, int]:
    """municipality id -> the chair's account (the approver of the demo's agendas)."""
    return dict(db.session.execute(select(RoleAssignment.municipality_id, RoleAssignment.user_id)
                                   .where(RoleAssignment.role == Role.CHAIR.value)).all())


class Acts:
    """One municipality's acts, decided meeting by meeting while the meetings demo builds its rows (inside the
    municipality's tenant scope)."""

    def __init__(self, municipality, profile: str, chair_id: int | None, days_off, today: date, local_to_utc):
        self.rng = random.Random(f"kvsp-acts-{municipality.slug}")
        self.presenting = random.Random(f"kvsp-findings-{municipality.slug}")  # Art. 9.4, second half
        self.exemplary = profile == "exemplary"
        self.lag = None if not self.exemplary or municipality.slug in MODEL_COUNCILS else self.rng.choice(
            [None, None, None, "agenda_late", "reports_missing"])
        self.chair_id, self.days_off, self.today, self.to_utc = chair_id, days_off, today, local_to_utc
        self.seats = db.session.execute(select(CouncilSeat.seat, CouncilSeat.member_id, CouncilSeat.started_on,
                                               CouncilSeat.ended_on)).all()

    def columns(self, kind: str, day: date, status: str, deadline: date) -> dict:
        """The columns of one meeting row (every key, so the rows insert in one batch)."""
        rng, out = self.rng, dict.fromkeys(COLUMNS)
        this_year = day.year == self.today.year
        if status == "cancelled":
            return out
        if kind in COUNCIL_KINDS:
            if self.exemplary and not (self.lag == "agenda_late" and this_year):
                approved = deadline - timedelta(days=rng.randint(1, 6))
            elif self.exemplary or rng.random() < 0.5:
                approved = deadline + timedelta(days=rng.randint(1, 4))
            else:
                approved = None
            if approved is not None and approved <= self.today and (status == "held" or rng.random() < 0.7):
                out.update(agenda_approved_on=approved, agenda_approved_by_id=self.chair_id,
                           agenda_approved_at=self.to_utc(datetime.combine(approved, time(9, 0))))
        elif kind == "open_consultation":
            if self.exemplary:
                agreed = day - timedelta(days=rng.randint(5, 20))
            elif rng.random() < 0.5:
                agreed = day - timedelta(days=rng.randint(0, 6))
            else:
                agreed = None
            if agreed is not None and agreed <= self.today:
                out["secretariat_agreed_on"] = agreed
        elif kind == "secretariat_monitoring" and status == "held":
            if self.exemplary and not (self.lag == "reports_missing" and this_year and rng.random() < 0.5):
                sent, recipients = workdays.add_working_days(day, rng.randint(0, 3), self.days_off), list(HEADS)
            elif not self.exemplary and rng.random() < 0.4:
                sent = workdays.add_working_days(day, rng.randint(1, 9), self.days_off)
                recipients = list(HEADS) if rng.random() < 0.6 else ["municipality", "police"]
            else:
                sent = None
            if sent is not None and sent <= self.today:
                out.update(report_sent_on=sent, report_recipients=recipients, report_findings=rng.choice(FINDINGS))
                out.update(self._presented(sent))
        return out

    def _presented(self, sent: date) -> dict:
        """Art. 9.4, second half: exemplary councils' heads present the findings (the Mayor, at the municipality's
        weekly meeting) the day the report comes; lagging councils' heads half the time, weeks later."""
        heads, rng = list(HEADS), self.presenting
        if self.exemplary:
            return {"findings_presented_by": rng.choice(heads), "findings_presented_on": sent}
        if rng.random() < 0.5:
            day = sent + timedelta(days=rng.randint(3, 40))
            if day <= self.today:
                return {"findings_presented_by": rng.choice(heads), "findings_presented_on": day}
        return {}

    def must_attend(self, kind: str, day: date, members) -> list[int]:
        """Art. 8.1, 8.5: the heads at an open consultation; Art. 9.6, 10.2: the secretariats at a council
        meeting. Empty for a lagging council (its attendance stays as drawn)."""
        if not self.exemplary:
            return []
        if kind == "open_consultation":
            return [m.id for m in members if m.category in HEAD_CATEGORIES and m.mandate_start <= day
                    and (m.mandate_end is None or m.mandate_end >= day)]
        if kind == "council":
            return list(dict.fromkeys(t.member_id for t in self.seats if t.seat in REQUIRED_SEATS
                                      and t.started_on <= day and (t.ended_on is None or t.ended_on >= day)))
        return []
