"""Demo meetings for every municipality, 2021-2026: council meetings, open consultations,
monthly Coordination Secretariat monitoring, the odd ad hoc meeting and task force, with their
agenda, invitations (on time or late) and attendance.

Deterministic (one seeded ``random.Random`` per municipality) and idempotent (a municipality that
already has meetings is left alone). Rows are inserted in bulk; no mail is sent.
``council_profile`` says which councils are exemplary and which lag: other areas' demos reuse it.
"""
from __future__ import annotations

import csv
import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from sqlalchemy import insert, select

from .. import workdays
from ..config import PROJECT_ROOT
from ..council.models import INVITED, CouncilMember
from ..extensions import db
from ..tenancy import read_across_tenants, tenant
from .models import AgendaItem, Attendance, ExtraDayOff, Invitation, Meeting
from .. import unified_model
from . import acts_demo
from .services import local_now, local_to_utc

YEARS = range(2021, 2027)
EXEMPLARY = frozenset({"elbasan", "tirane", "fier", "shkoder", "korce", "durres", "vlore", "berat"})


@lru_cache(maxsize=1)
def _all_slugs() -> tuple[str, ...]:
    path = PROJECT_ROOT / "tenants" / "municipalities.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return tuple(sorted(row["slug"] for row in csv.DictReader(fh)))


def council_profile(slug: str) -> str:
    """"exemplary" (Elbasan, Tiranë, Fier, Shkodër, Korçë, Durrës, Vlorë, Berat, and every third
    municipality in alphabetical order of slugs) or "lagging" (the rest)."""
    if slug in EXEMPLARY:
        return "exemplary"
    slugs = _all_slugs()
    if slug in slugs:
        return "exemplary" if slugs.index(slug) % 3 == 0 else "lagging"
    return "exemplary" if sum(slug.encode()) % 3 == 0 else "lagging"


AGENDA = {
    "council": [
        ("Miratimi i planit vendor shumë-agjencior kundër kriminalitetit", "Sekretariati i Koordinimit"),
        ("Raporti i monitorimit të zbatimit të planit", "Sekretariati Teknik"),
        ("Gjendja e rendit publik dhe statistikat e kriminalitetit", "Drejtori i Komisariatit të Policisë"),
        ("Siguria në shkolla dhe në rrugët përreth tyre", "Zyra Vendore Arsimore"),
        ("Dhuna në familje: rastet dhe referimi", "Njësia e Mbrojtjes së Fëmijëve"),
        ("Ndriçimi publik dhe kamerat në lagjet me risk", "Bashkia"),
        ("Rishikimi i planit pas takimit të hapur të konsultimit", "Sekretariati i Koordinimit"),
        ("Informimi i Këshillit Bashkiak për punën e KVSP", "Kryetari i Bashkisë"),
        ("Të ndryshme", None),
    ],
    "council_ad_hoc": [
        ("Situata pas ngjarjes së fundit në qendër të qytetit", "Drejtori i Komisariatit të Policisë"),
        ("Masat e përbashkëta për sezonin turistik", "Bashkia"),
        ("Rastet e fëmijëve në risk: koordinimi me GTN", "Njësia e Mbrojtjes së Fëmijëve"),
    ],
    "open_consultation": [
        ("Shqetësimet e qytetarëve për sigurinë në lagje", None),
        ("Progresi i zbatimit të planit vendor", "Sekretariati i Koordinimit"),
        ("Siguria rrugore pranë shkollave", "Policia Rrugore"),
        ("Propozime nga shoqëria civile dhe bizneset", None),
    ],
    "secretariat_monitoring": [
        ("Ecuria e aktiviteteve të planit për muajin", "Sekretariati i Koordinimit"),
        ("Vlerësimi i intensitetit të rreziqeve të reja", "Sekretariati i Koordinimit"),
        ("Raporti për drejtuesit e tri institucioneve", "Sekretariati Teknik"),
    ],
    "task_force": [
        ("Riintegrimi i të kthyerve nga zonat e konfliktit", "Drejtori i Komisariatit të Policisë"),
        ("Parandalimi i radikalizimit te të rinjtë", "Zyra Vendore Arsimore"),
    ],
}
TITLES = {
    "council": "Mbledhja e KVSP",
    "council_ad_hoc": "Mbledhje ad hoc e KVSP",
    "open_consultation": "Takim i hapur konsultimi me qytetarët",
    "secretariat_monitoring": "Monitorimi mujor i Sekretariatit të Koordinimit",
    "task_force": "Grupi i punës",
}
GUESTS = [
    ("Arben Hoxha", "Shoqata e Banorëve të Lagjes"), ("Elira Dervishi", "Qendra Rinore"),
    ("Gentian Kola", "Dhoma e Tregtisë"), ("Mirela Shehu", "Gazeta lokale"), ("Ilir Basha", None),
    ("Drita Muça", "Shkolla 9-vjeçare"), ("Besnik Leka", "Forumi i Grave"), ("Alma Zeneli", None),
]
CANCEL_REASONS = ["Mungesa e kuorumit", "Kryetari ishte me mision jashtë vendit",
                  "U shty për shkak të zgjedhjeve vendore"]


def _weekday_in(rng: random.Random, year: int, month: int, days_off) -> date:
    for _ in range(40):
        day = date(year, month, rng.randint(3, 26))
        if workdays.is_working_day(day, days_off):
            return day
    return date(year, month, 15)


def _plan(profile: str, rng: random.Random) -> list[tuple[str, int, int]]:
    """(kind, year, month) of every meeting to make."""
    plan = []
    for year in YEARS:
        if profile == "exemplary":
            months = [3, 10] + ([6] if rng.random() < 0.4 else [])
            plan += [("council", year, m) for m in months]
            plan += [("open_consultation", year, m) for m in (2, 9)]
            plan += [("secretariat_monitoring", year, m) for m in range(1, 13)]
            if rng.random() < 0.5:
                plan.append(("council_ad_hoc", year, rng.choice([4, 5, 7, 11])))
            if rng.random() < 0.3:
                plan.append(("task_force", year, rng.choice([5, 8, 11])))
        else:
            count = rng.choice([0, 1, 1, 2])
            plan += [("council", year, m) for m in ([4, 11][:count] if count else [])]
            if rng.random() < 0.5:
                plan.append(("open_consultation", year, rng.choice([3, 6, 10])))
            plan += [("secretariat_monitoring", year, m) for m in (2, 5, 9) if rng.random() < 0.4]
    return plan


def load_demo(municipalities) -> None:
    municipalities = list(municipalities)
    if not municipalities:
        return
    ids = [m.id for m in municipalities]
    with read_across_tenants(ids):
        have = set(db.session.execute(select(Meeting.municipality_id).distinct()).scalars())
        members_of: dict[int, list[CouncilMember]] = defaultdict(list)
        for member in db.session.execute(select(CouncilMember).order_by(CouncilMember.id)).scalars():
            members_of[member.municipality_id].append(member)
    days_off = frozenset(db.session.execute(select(ExtraDayOff.day)).scalars())
    chairs = acts_demo.chairs()
    now = local_now()
    for municipality in municipalities:
        if municipality.id in have:
            continue
        with tenant(municipality.id):
            _load_one(municipality, members_of.get(municipality.id, []), days_off, now, chairs.get(municipality.id))
        db.session.commit()
    from .clerk_demo import load_demo as load_clerk_demo  # a clerk's daily work, in Elbasan

    load_clerk_demo(municipalities)


def _load_one(municipality, members: list[CouncilMember], days_off, now: datetime, chair_id=None) -> None:
    profile = council_profile(municipality.slug)
    acts = acts_demo.Acts(municipality, profile, chair_id, days_off, now.date(), local_to_utc)  # Art. 7.5, 9.4, 9.5
    rng = random.Random(f"kvsp-meetings-{municipality.slug}")
    meetings, plans = [], []
    for kind, year, month in _plan(profile, rng):
        day = _weekday_in(rng, year, month, days_off)
        hour = rng.choice([9, 10, 11]) if kind != "open_consultation" else rng.choice([16, 17])
        starts = datetime.combine(day, time(hour, 0))
        ends = starts + timedelta(hours=2 if kind != "secretariat_monitoring" else 1)
        deadline = workdays.invitation_deadline(day, unified_model.notice_working_days(day), days_off)
        row = {"municipality_id": municipality.id, "kind": kind, "starts_at": starts, "ends_at": ends,
               "title": f"{TITLES[kind]}, {month:02d}/{year}",
               "location": ("Salla e mbledhjeve, Bashkia " + municipality.name) if kind != "open_consultation"
               else "Pallati i Kulturës, " + municipality.name,
               "status": "planned", "cancelled_reason": None, "invitation_deadline": deadline,
               "invitation_sent_at": None, "invitation_working_days_late": None, "reminder_sent_at": None,
               "audio_document_id": None, "created_by_id": None,
               "created_at": local_to_utc(datetime.combine(workdays.add_working_days(deadline, -3, days_off),
                                                           time(9, 0)))}
        past = ends < now
        if past and profile == "lagging" and rng.random() < 0.1:
            row["status"], row["cancelled_reason"] = "cancelled", rng.choice(CANCEL_REASONS)
        elif past:
            row["status"] = "held"
            if profile == "exemplary" or rng.random() < 0.55:
                sent_on = workdays.add_working_days(deadline, -rng.randint(0, 3), days_off)
            else:
                sent_on = workdays.add_working_days(deadline, rng.randint(1, 3), days_off)
            row["invitation_sent_at"] = local_to_utc(datetime.combine(sent_on, time(rng.randint(8, 15), 30)))
            row["invitation_working_days_late"] = workdays.working_days_late(sent_on, day, unified_model.notice_working_days(day),
                                                                             days_off)
        elif deadline < now.date() and rng.random() < 0.8:
            sent_on = workdays.add_working_days(deadline, -1, days_off)
            row["invitation_sent_at"] = local_to_utc(datetime.combine(sent_on, time(10, 0)))
            row["invitation_working_days_late"] = 0
        # the public page showed a council meeting or consultation from its creation (it was planned ahead):
        # the public calendar has it, a cancelled one as CANCELLED with a higher SEQUENCE
        announced = kind in ("council", "open_consultation") and local_to_utc(starts) > row["created_at"]
        row["announced_at"] = row["created_at"] if announced else None
        row["calendar_sequence"] = 1 if announced and row["status"] == "cancelled" else 0
        row.update(acts.columns(kind, day, row["status"], deadline))
        meetings.append(row)
        plans.append((kind, day))
    if not meetings:
        return
    meeting_ids = db.session.execute(
        insert(Meeting).returning(Meeting.id, sort_by_parameter_order=True), meetings).scalars().all()

    items, invitations, attendance = [], [], []
    for meeting_id, row, (kind, day) in zip(meeting_ids, meetings, plans, strict=True):
        pool = AGENDA[kind]
        count = min(len(pool), rng.randint(2, 4))
        if kind == "council":  # "Other business" closes every council agenda
            chosen = rng.sample(pool[:-1], count - 1) + [pool[-1]]
        else:
            chosen = rng.sample(pool, count)
        for position, (title, presenter) in enumerate(chosen, start=1):
            items.append({"municipality_id": municipality.id, "meeting_id": meeting_id, "position": position,
                          "title": title, "presenter": presenter, "description": None})
        active = [m for m in members if m.mandate_start <= day and (m.mandate_end is None or m.mandate_end >= day)]
        regular = [m for m in active if m.category != INVITED]
        if kind == "council":
            invitees = regular
        elif kind == "secretariat_monitoring":
            invitees = regular[:3]
        elif kind in ("council_ad_hoc", "task_force"):
            invitees = rng.sample(regular, min(len(regular), rng.randint(3, 6)))
        else:
            invitees = [m for m in regular if m.category in ("a", "c", "d")] or regular[:3]
        if row["invitation_sent_at"] is not None:
            for member in invitees:
                invitations.append({"municipality_id": municipality.id, "meeting_id": meeting_id,
                                    "member_id": member.id, "email": member.email,
                                    "status": "sent" if member.email else "no_email",
                                    "sent_at": row["invitation_sent_at"] if member.email else None, "error": None})
        if row["status"] != "held":
            continue
        present_rate = 0.85 if profile == "exemplary" else 0.6
        required = acts.must_attend(kind, day, active)  # Art. 8.1, 8.5, 9.6, 10.2: present (exemplary councils)
        for member in invitees:
            draw = rng.random()
            status = "present" if draw < present_rate else ("excused" if draw < present_rate + 0.15 else "absent")
            attendance.append({"municipality_id": municipality.id, "meeting_id": meeting_id, "member_id": member.id,
                               "guest_name": None, "guest_institution": None,
                               "status": "present" if member.id in required else status})
        for member_id in [i for i in required if i not in {m.id for m in invitees}]:
            attendance.append({"municipality_id": municipality.id, "meeting_id": meeting_id, "member_id": member_id,
                               "guest_name": None, "guest_institution": None, "status": "present"})
        if kind == "open_consultation":
            for name, institution in rng.sample(GUESTS, rng.randint(3, 6)):
                attendance.append({"municipality_id": municipality.id, "meeting_id": meeting_id, "member_id": None,
                                   "guest_name": name, "guest_institution": institution, "status": "present"})
    if items:
        db.session.execute(insert(AgendaItem), items)
    if invitations:
        db.session.execute(insert(Invitation), invitations)
    if attendance:
        db.session.execute(insert(Attendance), attendance)
