"""Demo records of the held meetings: minutes (sometimes corrected once), decisions signed and
distributed, press releases published within 24 hours by exemplary councils and late or never
by lagging ones.

Runs after the meetings demo. Deterministic (a seeded ``random.Random`` per municipality) and
idempotent (a municipality that already has any record is left alone). Rows are inserted in
bulk; no mail is sent (distribution is recorded as done, without per-member copies).
"""
from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import insert, select

from .. import unified_model
from ..extensions import db
from ..locales import force_locale
from ..meetings.models import COUNCIL_KINDS, AgendaItem, Attendance, Meeting
from ..tenancy import read_across_tenants, tenant
from ..timeutil import utcnow
from . import services
from .models import Decision, DecisionVersion, MinutesVersion, PressRelease

RELEASE_KINDS = (*COUNCIL_KINDS, "open_consultation")
DECISION_TITLES = [
    "Për miratimin e planit vendor shumë-agjencior kundër kriminalitetit",
    "Për shtimin e patrullimit të përbashkët pranë shkollave",
    "Për vendosjen e kamerave të sigurisë në lagjet me risk",
    "Për ngritjen e grupit të punës për dhunën në familje",
    "Për miratimin e raportit të monitorimit të zbatimit të planit",
    "Për informimin e Këshillit Bashkiak mbi punën e KVSP",
    "Për masat e përbashkëta të sigurisë gjatë sezonit turistik",
    "Për rishikimin e planit pas takimit të hapur të konsultimit",
    "Për përmirësimin e ndriçimit publik në rrugët me risk",
]
DECISION_TEXT = (
    "Këshilli Vendor i Sigurisë Publike, në mbledhjen e datës {date}, pasi shqyrtoi çështjen "
    "\"{item}\", me konsensus të anëtarëve të pranishëm,\n\nVENDOSI:\n\n"
    "1. {action}\n2. Ngarkohen institucionet përgjegjëse për zbatimin e këtij vendimi dhe "
    "Sekretariati i Koordinimit për monitorimin e tij.\n3. Ky vendim hyn në fuqi menjëherë."
)
ACTIONS = [
    "Miratohet propozimi i paraqitur nga Sekretariati i Koordinimit.",
    "Bashkia dhe Komisariati i Policisë hartojnë brenda 30 ditëve një program të përbashkët pune.",
    "Zyra Vendore Arsimore dhe policia organizojnë takime informuese në shkollat e qytetit.",
    "Sekretariati Teknik përgatit një relacion për mbledhjen e radhës të Këshillit.",
]
DISCUSSION = [
    "Anëtarët diskutuan gjerësisht mbi situatën dhe ranë dakord për masat e propozuara.",
    "Përfaqësuesi i policisë paraqiti të dhënat e fundit; anëtarët kërkuan një ndjekje mujore.",
    "U theksua nevoja për bashkëpunim më të ngushtë me shkollat dhe shoqërinë civile.",
    "U propozua që çështja të rishikohet në mbledhjen e ardhshme, pas takimit me banorët.",
    "Anëtarët vlerësuan progresin e arritur dhe kërkuan burime shtesë për zbatimin.",
]


def _council_profile(slug: str) -> str:
    try:
        from ..meetings.demo import council_profile
    except ImportError:  # the meetings demo has not said yet which councils lag
        return "exemplary" if sum(slug.encode()) % 3 == 0 else "lagging"
    return council_profile(slug)


def load_demo(municipalities) -> None:
    municipalities = list(municipalities)
    if not municipalities:
        return
    with read_across_tenants([m.id for m in municipalities]):
        have = set(db.session.execute(select(MinutesVersion.municipality_id).distinct()).scalars())
        have |= set(db.session.execute(select(Decision.municipality_id).distinct()).scalars())
        have |= set(db.session.execute(select(PressRelease.municipality_id).distinct()).scalars())
    now = utcnow()
    for municipality in municipalities:
        if municipality.id in have:
            continue
        with tenant(municipality.id), force_locale("sq"):
            _load_one(municipality, now)
        db.session.commit()


def _minutes_text(rng: random.Random, meeting: Meeting, agenda: list[AgendaItem], present: int) -> str:
    opening = (f"Mbledhja u hap në orën {meeting.starts_at:%H:%M} nga Kryetari i Bashkisë, "
               "i cili përshëndeti të pranishmit")
    parts = [opening + (f" dhe konstatoi se ishin të pranishëm {present} anëtarë." if present else ".")]
    for position, item in enumerate(agenda, start=1):
        who = f" Çështjen e paraqiti {item.presenter}." if item.presenter else ""
        parts.append(f"{position}. {item.title}.{who} {rng.choice(DISCUSSION)}")
    parts.append(f"Mbledhja u mbyll në orën {meeting.ends_at:%H:%M}.")
    return "\n\n".join(parts)


def _load_one(municipality, now: datetime) -> None:
    profile = _council_profile(municipality.slug)
    exemplary = profile == "exemplary"
    rng = random.Random(f"kvsp-records-{municipality.slug}")
    meetings = db.session.execute(
        select(Meeting).where(Meeting.status == "held").order_by(Meeting.starts_at, Meeting.id)).scalars().all()
    if not meetings:
        return
    agenda_of: dict[int, list[AgendaItem]] = defaultdict(list)
    for item in db.session.execute(select(AgendaItem).order_by(AgendaItem.meeting_id, AgendaItem.position)).scalars():
        agenda_of[item.meeting_id].append(item)
    present_of: dict[int, list[Attendance]] = defaultdict(list)
    for row in db.session.execute(select(Attendance).where(Attendance.status == "present")
                                  .order_by(Attendance.id)).scalars():
        present_of[row.meeting_id].append(row)

    mid = municipality.id
    minutes, releases, decisions, decision_texts = [], [], [], []
    numbers: dict[int, int] = defaultdict(int)
    for meeting in meetings:
        end_utc = services.to_utc(meeting.ends_at)
        agenda, present = agenda_of.get(meeting.id, []), present_of.get(meeting.id, [])
        text = None
        if exemplary or rng.random() < 0.7:
            text = _minutes_text(rng, meeting, agenda, sum(1 for a in present if a.member_id))
            written = end_utc + timedelta(hours=rng.randint(2, 72))
            minutes.append({"municipality_id": mid, "meeting_id": meeting.id, "version": 1, "text": text,
                            "created_by_id": None, "created_at": min(written, now)})
            if rng.random() < 0.3:
                text += "\n\nKorrigjim: u shtua lista e plotë e pjesëmarrësve sipas regjistrit të nënshkruar."
                minutes.append({"municipality_id": mid, "meeting_id": meeting.id, "version": 2, "text": text,
                                "created_by_id": None, "created_at": min(written + timedelta(days=2), now)})
        if meeting.kind in COUNCIL_KINDS:
            count = rng.randint(1, 2) if exemplary else rng.choice([0, 1, 1])
            for _ in range(count):
                year = meeting.starts_at.year
                numbers[year] += 1
                meeting_day = meeting.starts_at.date()
                signed = exemplary or rng.random() < 0.6
                signed_on = meeting_day + timedelta(days=rng.randint(0, 3)) if signed else None
                if signed_on and signed_on > services.to_local(now).date():
                    signed_on = services.to_local(now).date()
                distributed = signed and (exemplary or rng.random() < 0.5)
                decisions.append({
                    "municipality_id": mid, "meeting_id": meeting.id, "number": f"{year}/{numbers[year]}",
                    "title": rng.choice(DECISION_TITLES), "adopted_by_consensus": True,
                    "signed_by_chair_on": signed_on, "signature_method": rng.choice(["paper", "paper", "chair"])
                    if signed else None,
                    "distributed_at": min(services.to_utc(datetime.combine(signed_on, meeting.ends_at.time()))
                                          + timedelta(days=1), now) if distributed else None,
                    "created_at": min(end_utc + timedelta(hours=1), now)})
                item = rng.choice(agenda).title if agenda else "Të ndryshme"
                first = DECISION_TEXT.format(date=meeting_day.strftime("%d.%m.%Y"), item=item,
                                             action=rng.choice(ACTIONS))
                texts = [first]
                if rng.random() < 0.2:
                    texts.append(first.replace("menjëherë", "pas nënshkrimit nga Kryetari"))
                decision_texts.append(texts)
        if meeting.kind in RELEASE_KINDS:
            ended_hours_ago = (now - end_utc).total_seconds() / 3600
            if ended_hours_ago < unified_model.press_release_hours(meeting.starts_at):
                continue  # still within its 24 hours: left for the secretary (the page shows the clock)
            draw = rng.random()
            if exemplary:
                hours = rng.uniform(2, 20) if draw < 0.9 else rng.uniform(26, 40)
            elif draw < 0.4:
                continue  # never published
            else:
                hours = rng.uniform(3, 22) if draw < 0.7 else rng.uniform(30, 120)
            values = services.compose_release(meeting, present, [i.title for i in agenda], text)
            if not values["discussion_essence"]:
                values["discussion_essence"] = rng.choice(DISCUSSION)
            if services.missing_contents(values):
                continue  # no attendance or agenda recorded: nothing true to publish
            published_at = (end_utc + timedelta(hours=hours)).replace(microsecond=0)
            if published_at > now:
                continue
            releases.append({"municipality_id": mid, "meeting_id": meeting.id, **values,
                             "published_at": published_at, "hours_after_meeting": round(hours, 2),
                             "published_late": hours > unified_model.press_release_hours(meeting.starts_at),
                             "created_at": published_at - timedelta(hours=1)})
    if minutes:
        db.session.execute(insert(MinutesVersion), minutes)
    if releases:
        db.session.execute(insert(PressRelease), releases)
    if decisions:
        ids = db.session.execute(
            insert(Decision).returning(Decision.id, sort_by_parameter_order=True), decisions).scalars().all()
        versions = []
        for decision_id, row, texts in zip(ids, decisions, decision_texts, strict=True):
            for version, text in enumerate(texts, start=1):
                versions.append({"municipality_id": mid, "decision_id": decision_id, "version": version,
                                 "text": text, "created_by_id": None,
                                 "created_at": row["created_at"] + timedelta(hours=version - 1)})
        db.session.execute(insert(DecisionVersion), versions)
