"""Demo plans: Elbasan's real plan of 2022 (roadmap, Table 1: items 1.2, 1.4, 1.5, 1.7 with their activities,
institutions and timings) approved at a council meeting, then a plan a year from its risks; several years
of plans for exemplary councils (approved at a council meeting by its decision, revised after the open
consultation and approved again), with monthly progress at the Coordination Secretariat's meetings;
lagging councils with an incomplete plan (items without indicators, activities without a timing) or none.
Elbasan also gets a monitoring report approved by the chair and published, and a yearly report.

Deterministic, idempotent (a municipality with a plan is left alone), bulk inserts.
"""
from __future__ import annotations

import copy
import random
import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import insert, select

from ..accounts.models import RoleAssignment
from ..accounts.roles import Role
from ..concerns.models import RiskCategory
from ..council.models import CouncilInstitution, Institution
from ..extensions import db
from ..meetings.models import COUNCIL_KINDS, Meeting
from ..records.models import Decision
from ..risks.models import Risk
from ..tenancy import read_across_tenants, tenant
from ..timeutil import local_today, utcnow
from .models import (
    InstitutionOfficer,
    MonitoringReport,
    Plan,
    PlanActivity,
    PlanActivityInstitution,
    PlanFunding,
    PlanIndicator,
    PlanItem,
    PlanVersion,
    ProgressEntry,
    ProgressValue,
)
from .vocabulary import due_date

YEARS = range(2023, 2027)

# The Elbasan plan, roadmap Table 1 (in Albanian): number, issue, intensity, category, activities,
# institutions (by kind), partners, (timing kind, value).
ELBASAN_TABLE_1 = [
    ("1.2", "Trajtimi i fenomenit të \"kulturës së heshtjes\" nga institucionet e \"trekëndëshit\"", "moderate",
     "public_order",
     ["Rritja e komunikimit dhe e transparencës së çdo institucioni me qytetarët në mënyrë të rregullt",
      "Takime të rregullta të institucioneve të \"trekëndëshit\" me OJF-të dhe grupet e tjera të interesit",
      "Rritja e komunikimit dhe e partneritetit të policisë me qytetarët"],
     ["police", "prosecution", "municipality"], None, ("recurrence", "every_two_months")),
    ("1.4", "Përdorimi i narkotikëve, alkoolit dhe duhanit nga të rinjtë (gjatë vitit 2021, DVP Elbasan zbuloi 63 "
            "raste të prodhimit dhe shpërndarjes së narkotikëve, me 102 autorë të identifikuar të përfshirë në këto "
            "vepra penale)", "high", "youth_substances",
     ["Zhvillimi i orëve edukative për ligjin për të rinjtë nga Prokuroria",
      "Përmirësimi i komunikimit dhe i bashkëpunimit ndërmjet policisë, shkollës, nxënësve dhe prindërve",
      "Konsultime me liderët e komunitetit dhe grupet e interesit"],
     ["police", "prosecution", "municipality", "education"], None, ("period", "first_half")),
    ("1.5", "Dhuna në familje (për vitin 2021 u raportuan 56 raste të dhunës në familje në këtë bashki, 7 vepra "
            "penale më pak se në vitin 2020, sipas statistikave të DVP Elbasan) (përditësuar në mbledhjen e KVSP "
            "të datës 3 shkurt 2022)", "high", "domestic_violence",
     ["Konsultime ndërmjet bashkisë dhe OJF-ve për identifikimin e problemeve dhe të zonave prioritare",
      "Nxitja e partneritetit ndërmjet policisë dhe strukturave të komunitetit / ndërlidhësve të komunitetit",
      "Krijimi i një baze të dhënash nga DVP Elbasan",
      "Vendosja e numrave pa pagesë për viktimat e dhunës dhe për përfaqësuesit e Komisariatit të Policisë"],
     ["police", "prosecution", "municipality", "ngo"], None, ("recurrence", "all_year")),
    ("1.7", "Pikat e nxehta të përdoruesve dhe shpërndarësve të drogës ose të autorëve të veprave penale "
            "(përditësuar në mbledhjen e KVSP të datës 3 shkurt 2022)", "high", "hotspots",
     ["Identifikimi dhe informimi ose shpallja e pikave të nxehta",
      "Përmirësimi i sistemit të kamerave të vëzhgimit në qytet",
      "Regjistrimi i individëve që frekuentojnë këto zona dhe bashkëpunimi ndërinstitucional për të ulur "
      "intensitetin e përfshirjes së tyre në grupe",
      "Monitorimi i vazhdueshëm i dinamikës së lëvizjes dhe ndryshimit të pikave të nxehta"],
     ["police", "prosecution", "municipality", "ngo"], "Përfaqësues të komunitetit", ("period", "first_half")),
]
# category code -> activities (description, institution kinds, timing)
ACTIVITIES = {
    "domestic_violence": [
        ("Linjë telefonike falas për viktimat e dhunës në familje", ["police", "social"], ("recurrence", "all_year")),
        ("Trajnim i ndërlidhësve të komunitetit për referimin e rasteve", ["municipality", "police"],
         ("period", "first_half")),
        ("Fushatë ndërgjegjësimi \"16 ditë kundër dhunës\"", ["municipality", "ngo"], ("deadline", "12-10")),
    ],
    "youth_substances": [
        ("Orë mësimi për ligjin në shkollat e mesme nga Prokuroria", ["prosecution", "education"],
         ("recurrence", "every_two_months")),
        ("Kontrolle të përbashkëta në lokalet pranë shkollave", ["police", "municipality"],
         ("recurrence", "monthly")),
        ("Takime me prindërit për parandalimin e varësive", ["education", "health"], ("period", "second_half")),
    ],
    "hotspots": [
        ("Hartëzimi i pikave të nxehta me banorët", ["police", "municipality"], ("period", "q1")),
        ("Vendosja e kamerave dhe e ndriçimit në pikat e nxehta", ["municipality", "police"], ("deadline", "09-30")),
        ("Patrullime të shtuara në orët e mbrëmjes", ["police"], ("recurrence", "all_year")),
    ],
    "road_safety": [
        ("Vija të bardha dhe sinjalistikë pranë shkollave", ["municipality"], ("deadline", "09-10")),
        ("Polic rrugor në orët e hyrjes dhe daljes nga shkolla", ["police", "education"],
         ("recurrence", "all_year")),
    ],
    "property_crime": [
        ("Programi \"Fqinji vigjilent\" në lagjet me më shumë vjedhje", ["police", "municipality"],
         ("period", "first_half")),
        ("Ndriçimi i rrugëve dytësore", ["municipality"], ("deadline", "11-30")),
    ],
    "school_safety": [
        ("Programi kundër bullizmit në shkolla", ["education", "ngo"], ("period", "second_half")),
        ("Polic shkolle dhe kamera në hyrje të shkollave", ["police", "education"], ("period", "q3")),
    ],
    "juvenile_delinquency": [
        ("Aktivitete sportive dhe kulturore për të rinjtë në rrezik", ["municipality", "ngo"],
         ("recurrence", "monthly")),
        ("Referimi i të miturve në konflikt me ligjin te shërbimet sociale", ["social", "police"],
         ("recurrence", "all_year")),
    ],
    "violent_extremism": [
        ("Mbështetje psiko-sociale për familjet e të kthyerve", ["social", "municipality"],
         ("recurrence", "all_year")),
        ("Takime me komunitetet fetare dhe të rinjtë", ["religion", "police"], ("recurrence", "quarterly")),
    ],
    "trafficking": [
        ("Informim në shkolla për rreziqet e trafikimit", ["education", "police"], ("period", "q2")),
        ("Identifikimi i fëmijëve në situatë rruge", ["social", "police"], ("recurrence", "monthly")),
    ],
    "public_order": [
        ("Takime të rregullta të \"trekëndëshit\" me qytetarët", ["police", "prosecution", "municipality"],
         ("recurrence", "every_two_months")),
        ("Orari i lokaleve dhe kontrolle për zhurmat", ["municipality", "police"], ("recurrence", "monthly")),
    ],
    "civil_emergencies": [
        ("Pastrimi i shtretërve të përrenjve para sezonit të shirave", ["municipality", "emergencies"],
         ("deadline", "10-15")),
        ("Plan evakuimi dhe stërvitje në lagje", ["emergencies", "police"], ("period", "second_half")),
    ],
}
INDICATORS = {
    "domestic_violence": ("Raste të dhunës në familje të raportuara", "raste", 56, 45, "DVP"),
    "youth_substances": ("Nxënës që ndoqën orët për ligjin", "nxënës", 0, 600, "Zyra Vendore Arsimore"),
    "hotspots": ("Pika të nxehta me kamera funksionale", "pika", 2, 10, "Bashkia"),
    "road_safety": ("Aksidente pranë shkollave", "aksidente", 9, 4, "Policia Rrugore"),
    "property_crime": ("Vjedhje banesash", "raste", 48, 35, "DVP"),
    "school_safety": ("Shkolla me program kundër bullizmit", "shkolla", 1, 8, "Zyra Vendore Arsimore"),
    "juvenile_delinquency": ("Të mitur në aktivitete", "të mitur", 40, 150, "Bashkia"),
    "violent_extremism": ("Familje të mbështetura", "familje", 3, 12, "Shërbimi Social"),
    "trafficking": ("Nxënës të informuar", "nxënës", 0, 800, "Zyra Vendore Arsimore"),
    "public_order": ("Takime me qytetarët", "takime", 2, 6, "Sekretariati Teknik"),
    "civil_emergencies": ("Përrenj të pastruar", "km", 0, 12, "Emergjencat Civile"),
}
DONORS = ["Ambasada e Suedisë (projekti SACP)", "UNDP Shqipëri", "Prezenca e OSBE-së në Shqipëri"]
COMMENTS = {"in_progress": ["Aktiviteti po zbatohet sipas kalendarit.", "U zhvilluan takimet e para."],
            "delayed": ["Vonesë në prokurim.", "Mungojnë fondet; kërkohet rishikim në buxhet."],
            "done": ["U përfundua.", "Aktiviteti u realizua plotësisht."]}


def load_demo(municipalities) -> None:
    from ..meetings.demo import council_profile

    municipalities = list(municipalities)
    if not municipalities:
        return
    ids = [m.id for m in municipalities]
    categories = {c.id: c.code for c in db.session.execute(select(RiskCategory)).scalars()}
    officers = defaultdict(list)
    for user_id, municipality_id in db.session.execute(
            select(RoleAssignment.user_id, RoleAssignment.municipality_id)
            .where(RoleAssignment.role == Role.INSTITUTION_OFFICER.value)).all():
        officers[municipality_id].append(user_id)
    chairs = dict(db.session.execute(select(RoleAssignment.municipality_id, RoleAssignment.user_id)
                                     .where(RoleAssignment.role == Role.CHAIR.value)).all())
    with read_across_tenants(ids):
        have = set(db.session.execute(select(Plan.municipality_id).distinct()).scalars())
        # Plain copies: ORM objects expire at each commit and could not be reloaded outside their scope.
        meetings: dict[int, list[SimpleNamespace]] = defaultdict(list)
        for meeting in db.session.execute(select(Meeting).where(Meeting.status == "held")
                                          .order_by(Meeting.starts_at)).scalars():
            meetings[meeting.municipality_id].append(SimpleNamespace(
                id=meeting.id, kind=meeting.kind, starts_at=meeting.starts_at, ends_at=meeting.ends_at))
        decisions: dict[int, list[SimpleNamespace]] = defaultdict(list)
        for decision in db.session.execute(select(Decision).order_by(Decision.id)).scalars():
            decisions[decision.meeting_id].append(SimpleNamespace(id=decision.id))
        risks: dict[int, list[SimpleNamespace]] = defaultdict(list)
        for risk in db.session.execute(select(Risk).order_by(Risk.id)).scalars():
            risks[risk.municipality_id].append(SimpleNamespace(id=risk.id, title=risk.title, intensity=risk.intensity,
                                                               category_id=risk.category_id))
        institutions: dict[int, list[SimpleNamespace]] = defaultdict(list)
        for municipality_id, institution in db.session.execute(
                select(CouncilInstitution.municipality_id, Institution)
                .join(Institution, Institution.id == CouncilInstitution.institution_id)
                .order_by(Institution.id)).all():
            institutions[municipality_id].append(SimpleNamespace(id=institution.id, kind=institution.kind,
                                                                 name=institution.name))
        linked_officers = set(db.session.execute(select(InstitutionOfficer.municipality_id).distinct()).scalars())
    for municipality in municipalities:
        if municipality.id in have:
            continue
        context = _Context(municipality, council_profile(municipality.slug), meetings[municipality.id], decisions,
                           risks[municipality.id], categories, institutions[municipality.id])
        with tenant(municipality.id):
            context.load()
            police = context.kinds.get("police")
            if police and municipality.id not in linked_officers:
                for user_id in officers.get(municipality.id, []):
                    db.session.execute(insert(InstitutionOfficer), [{
                        "municipality_id": municipality.id, "user_id": user_id, "institution_id": police,
                        "created_at": utcnow()}])
        db.session.commit()
        if municipality.slug == "elbasan":
            _elbasan_reports(municipality, chairs.get(municipality.id))


def _key() -> str:
    return uuid.uuid4().hex


class _Context:
    def __init__(self, municipality, profile, meetings, decisions, risks, categories, institutions):
        self.m = municipality
        self.exemplary = profile == "exemplary"
        self.rng = random.Random(f"kvsp-plans-{municipality.slug}")
        self.meetings = meetings
        self.council = [(m, decisions[m.id][0]) for m in meetings if m.kind in COUNCIL_KINDS and decisions.get(m.id)]
        self.consultations = [m for m in meetings if m.kind == "open_consultation"]
        self.monitoring = [m for m in meetings if m.kind == "secretariat_monitoring"]
        self.risks = risks
        self.categories = categories
        self.kinds = self._institution_kinds(institutions)

    @staticmethod
    def _institution_kinds(institutions: list) -> dict[str, int]:
        kinds: dict[str, int] = {}
        for institution in institutions:
            key = {"police": "police", "prosecution": "prosecution", "municipality": "municipality",
                   "education": "education", "health": "health", "social_services": "social",
                   "civil_society": "ngo", "religious_community": "religion",
                   "civil_emergencies": "emergencies"}.get(institution.kind)
            if key is None:
                continue
            if key == "police" and institution.name.startswith("Komisariati"):
                kinds[key] = institution.id  # the commissariat serves the municipality directly
            kinds.setdefault(key, institution.id)
        return kinds

    # --- content ---------------------------------------------------------------------------------

    def _activity(self, description, kinds, timing, year, partners=None, complete=True) -> dict:
        kind, value = timing
        if kind == "deadline" and len(value) == 5:
            value = f"{year}-{value}"
        ids = [self.kinds[k] for k in kinds if k in self.kinds] or [self.kinds.get("municipality")]
        return {"key": _key(), "description": description, "partners": partners,
                "timing_kind": kind if complete or self.rng.random() < 0.5 else None,
                "timing_value": value if complete or self.rng.random() < 0.5 else None,
                "institutions": [i for i in ids if i] if complete or self.rng.random() < 0.6 else [],
                "funding": []}

    def _items(self, year: int) -> list[dict]:
        if self.m.slug == "elbasan" and year == 2022:
            risk_of = {self.categories.get(r.category_id): r.id for r in self.risks}
            return [{"key": _key(), "number": number, "issue": issue, "intensity": intensity,
                     "risk_id": risk_of.get(code),
                     "activities": [self._activity(d, kinds, timing, year, partners) for d in activities],
                     "indicators": [self._indicator(code)]}
                    for number, issue, intensity, code, activities, kinds, partners, timing in ELBASAN_TABLE_1]
        rated = [r for r in self.risks if r.intensity] or self.risks
        order = {"high": 0, "moderate": 1, "low": 2, None: 3}
        chosen = sorted(rated, key=lambda r: (order[r.intensity], r.id))[:self.rng.randint(3, 5)]
        if not chosen:
            codes = self.rng.sample(sorted(ACTIVITIES), 3)
            chosen = [None] * len(codes)
        else:
            codes = [self.categories.get(r.category_id, "public_order") for r in chosen]
        items = []
        for n, (risk, code) in enumerate(zip(chosen, codes, strict=True), start=1):
            pool = ACTIVITIES.get(code, ACTIVITIES["public_order"])
            activities = [self._activity(d, k, t, year, complete=self.exemplary)
                          for d, k, t in self.rng.sample(pool, min(len(pool), self.rng.randint(2, 3)))]
            items.append({"key": _key(), "number": f"{n}", "issue": risk.title if risk else
                          INDICATORS[code][0].replace("Raste të ", "").capitalize(),
                          "intensity": risk.intensity if risk else self.rng.choice(["high", "moderate"]),
                          "risk_id": risk.id if risk else None, "activities": activities,
                          "indicators": [self._indicator(code)] if self.exemplary or self.rng.random() < 0.2
                          else []})
        if self.exemplary:
            self._fund(items, year)
        return items

    def _indicator(self, code: str) -> dict:
        name, unit, baseline, target, source = INDICATORS.get(code, INDICATORS["public_order"])
        return {"key": _key(), "name": name, "unit": unit, "baseline": baseline, "target": target, "source": source}

    def _fund(self, items: list[dict], year: int) -> None:
        activities = [a for item in items for a in item["activities"]]
        for activity in self.rng.sample(activities, min(3, len(activities))):
            source = self.rng.choice(["municipal_budget", "donor", "community_grant"])
            row = {"source": source, "amount": float(self.rng.randrange(150_000, 900_000, 50_000)), "currency": "ALL",
                   "donor": None, "grantee": None, "title": None, "objective": None, "period": None, "results": None}
            if source == "donor":
                row["donor"] = self.rng.choice(DONORS)
            elif source == "community_grant":
                row.update(grantee=f"Qendra Rinore {self.m.name}", title=activity["description"][:120],
                           objective="Angazhimi i të rinjve dhe i komunitetit në parandalimin e kriminalitetit",
                           period=f"Mars–Shtator {year}",
                           results="Aktivitete me mbi 200 pjesëmarrës" if year < local_today().year else None)
            activity["funding"].append(row)

    # --- writing ---------------------------------------------------------------------------------

    def _insert_version(self, plan_id: int, number: int, status: str, items: list[dict], **extra) -> dict:
        mid = self.m.id
        version_id = db.session.execute(insert(PlanVersion).returning(PlanVersion.id), [{
            "municipality_id": mid, "plan_id": plan_id, "number": number, "status": status,
            "created_by_id": None, "approved_by_id": None, "note": None, "based_on_id": None,
            "consultation_meeting_id": None, "approved_meeting_id": None, "approved_decision_id": None,
            "approved_on": None, "created_at": utcnow(), **extra}]).scalar_one()
        item_ids = db.session.execute(insert(PlanItem).returning(PlanItem.id, sort_by_parameter_order=True), [
            {"municipality_id": mid, "version_id": version_id, "key": item["key"], "position": n,
             "number": item["number"], "issue": item["issue"], "risk_id": item["risk_id"],
             "intensity": item["intensity"]} for n, item in enumerate(items, start=1)]).scalars().all()
        activity_rows, indicator_rows, owners = [], [], []
        for item_id, item in zip(item_ids, items, strict=True):
            for n, activity in enumerate(item["activities"], start=1):
                activity_rows.append({"municipality_id": mid, "item_id": item_id, "key": activity["key"],
                                      "position": n, "description": activity["description"],
                                      "partners": activity["partners"], "timing_kind": activity["timing_kind"],
                                      "timing_value": activity["timing_value"]})
                owners.append(activity)
            for n, indicator in enumerate(item["indicators"], start=1):
                indicator_rows.append({"municipality_id": mid, "item_id": item_id, "position": n,
                                       **{k: indicator[k] for k in ("key", "name", "unit", "baseline", "target",
                                                                    "source")}})
        activity_ids = db.session.execute(
            insert(PlanActivity).returning(PlanActivity.id, sort_by_parameter_order=True),
            activity_rows).scalars().all() if activity_rows else []
        links, funding = [], []
        for activity_id, activity in zip(activity_ids, owners, strict=True):
            links += [{"municipality_id": mid, "activity_id": activity_id, "institution_id": i, "position": n}
                      for n, i in enumerate(dict.fromkeys(activity["institutions"]), start=1)]
            funding += [{"municipality_id": mid, "activity_id": activity_id, **f} for f in activity["funding"]]
        if links:
            db.session.execute(insert(PlanActivityInstitution), links)
        if funding:
            db.session.execute(insert(PlanFunding), funding)
        indicator_ids = db.session.execute(
            insert(PlanIndicator).returning(PlanIndicator.id, sort_by_parameter_order=True),
            indicator_rows).scalars().all() if indicator_rows else []
        return {"id": version_id, "activities": dict(zip((a["key"] for a in owners), activity_ids, strict=True)),
                "indicators": dict(zip((r["key"] for r in indicator_rows), indicator_ids, strict=True))}

    def load(self) -> None:
        years = list(YEARS)
        if self.m.slug == "elbasan":
            years = [2022, *years]
        if not self.exemplary:
            if self.rng.random() < 0.5:
                return  # no plan at all
            years = [self.rng.choice([local_today().year - 1, local_today().year])]
        for year in years:
            self._plan(year)

    def _plan(self, year: int) -> None:
        mid = self.m.id
        approvals = [(m, d) for m, d in self.council if m.starts_at.year == year]
        if self.m.slug == "elbasan" and year == 2022 and not approvals:
            approvals = [self._council_decision(datetime(2022, 2, 3, 10, 0))]
        title = f"Plani vendor shumë-agjencior kundër kriminalitetit, Bashkia {self.m.name}, {year}"
        plan_id = db.session.execute(insert(Plan).returning(Plan.id), [{
            "municipality_id": mid, "year": year, "title": title, "created_by_id": None,
            "created_at": datetime(year - 1, 12, 15, 9)}]).scalar_one()
        items = self._items(year)
        drafted = datetime(year - 1, 12, 15, 9)  # approvals take decisions of meetings after the draft (issue 20)
        if not approvals:
            self._insert_version(plan_id, 1, "draft", items, created_at=drafted)
            return
        meeting, decision = approvals[0]
        second = approvals[-1] if len(approvals) > 1 and self.exemplary else None
        first = self._insert_version(plan_id, 1, "superseded" if second else "approved", items,
                                     approved_meeting_id=meeting.id, approved_decision_id=decision.id,
                                     approved_on=meeting.starts_at.date(),
                                     created_at=min(drafted, meeting.starts_at - timedelta(days=7)))
        in_force = [(meeting.starts_at, first, items)]
        if second:
            consultation = next((c for c in self.consultations if meeting.starts_at < c.starts_at
                                 < second[0].starts_at), None)
            revised = self._revise(items, year)
            version = self._insert_version(
                plan_id, 2, "approved", revised, based_on_id=first["id"],
                consultation_meeting_id=consultation.id if consultation else None,
                note="Rishikim pas takimit të hapur të konsultimit: u shtuan masa të reja dhe u rivlerësua "
                     "intensiteti i rreziqeve.", approved_meeting_id=second[0].id, approved_decision_id=second[1].id,
                approved_on=second[0].starts_at.date(),
                created_at=(consultation.starts_at if consultation else meeting.starts_at) + timedelta(days=1))
            in_force.append((second[0].starts_at, version, revised))
            later = [c for c in self.consultations if c.starts_at > second[0].starts_at and c.starts_at.year == year]
            if later and year == local_today().year:
                self._insert_version(plan_id, 3, "draft", self._revise(revised, year), based_on_id=version["id"],
                                     consultation_meeting_id=later[0].id,
                                     note="Nevojat e identifikuara në takimin e hapur të konsultimit.",
                                     created_at=later[0].starts_at + timedelta(days=1))
        self._progress(plan_id, year, in_force)

    def _council_decision(self, when: datetime) -> tuple[SimpleNamespace, SimpleNamespace]:
        meeting = Meeting(kind="council", title="Mbledhja e KVSP, 02/2022", starts_at=when,
                          ends_at=when + timedelta(hours=2), status="held", invitation_deadline=(when - timedelta(
                              days=7)).date(), location=f"Salla e mbledhjeve, Bashkia {self.m.name}")
        db.session.add(meeting)
        db.session.flush()
        decision = Decision(meeting_id=meeting.id, number="1/2022", title="Për miratimin e planit vendor "
                            "shumë-agjencior kundër kriminalitetit", signed_by_chair_on=when.date(),
                            signature_method="paper")
        db.session.add(decision)
        db.session.flush()
        return SimpleNamespace(id=meeting.id, starts_at=when), SimpleNamespace(id=decision.id)

    def _revise(self, items: list[dict], year: int) -> list[dict]:
        revised = copy.deepcopy(items)
        if revised:
            first = revised[0]
            code = next((c for c in ACTIVITIES if ACTIVITIES[c][0][0] in {a["description"] for a in first[
                "activities"]}), self.rng.choice(sorted(ACTIVITIES)))
            extra = [a for a in ACTIVITIES[code] if a[0] not in {x["description"] for x in first["activities"]}]
            description, kinds, timing = extra[0] if extra else (
                "Takim shtesë me banorët e lagjes", ["police", "municipality"], ("recurrence", "quarterly"))
            first["activities"].append(self._activity(description, kinds, timing, year))
        if len(revised) > 1 and revised[-1]["intensity"] != "high":
            revised[-1]["intensity"] = "high"
        return revised

    def _progress(self, plan_id: int, year: int, in_force: list) -> None:
        mid = self.m.id
        today = local_today()
        entries, values = [], []
        meetings = [m for m in self.monitoring if m.starts_at.year == year and m.starts_at >= in_force[0][0]]
        state: dict[str, tuple[str, int]] = {}
        slow = set()
        for _, _, items in in_force:
            for item in items:
                for activity in item["activities"]:
                    if self.rng.random() < (0.15 if self.exemplary else 0.45):
                        slow.add(activity["key"])
        for meeting in meetings:
            version, items = next((v, i) for start, v, i in reversed(in_force) if start <= meeting.starts_at)
            for item in items:
                for activity in item["activities"]:
                    key = activity["key"]
                    if key not in version["activities"] or self.rng.random() < 0.35:
                        continue
                    status, progress = state.get(key, ("not_started", 0))
                    if status in ("done", "cancelled"):
                        continue
                    progress = min(100, progress + self.rng.randint(10, 35) // (2 if key in slow else 1))
                    due = due_date(activity["timing_kind"], activity["timing_value"], year)
                    if progress >= 100:
                        status, progress = "done", 100
                    elif due and meeting.starts_at.date() > due:
                        status = "delayed"
                    else:
                        status = "in_progress"
                    state[key] = (status, progress)
                    entries.append({"municipality_id": mid, "plan_id": plan_id,
                                    "activity_id": version["activities"][key], "activity_key": key,
                                    "meeting_id": meeting.id, "institution_id": None, "status": status,
                                    "progress": progress, "comment": self.rng.choice(COMMENTS[status]),
                                    "next_steps": None if status == "done" else
                                    "Raportim në takimin e ardhshëm të Sekretariatit.",
                                    "reported_on": min(meeting.starts_at.date(), today), "reported_by_id": None,
                                    "created_at": meeting.ends_at})
                    for indicator in item["indicators"]:
                        if indicator["key"] in version["indicators"]:
                            start, goal = indicator["baseline"], indicator["target"]
                            values.append((len(entries) - 1, version["indicators"][indicator["key"]],
                                           indicator["key"], round(start + (goal - start) * progress / 100, 1)))
        if not entries:
            return
        ids = db.session.execute(insert(ProgressEntry).returning(ProgressEntry.id, sort_by_parameter_order=True),
                                 entries).scalars().all()
        rows = {}
        for index, indicator_id, key, value in values:
            rows[(ids[index], indicator_id)] = {"municipality_id": mid, "entry_id": ids[index],
                                                "indicator_id": indicator_id, "indicator_key": key, "value": value}
        if rows:
            db.session.execute(insert(ProgressValue), list(rows.values()))


def _elbasan_reports(municipality, chair_id: int | None) -> None:
    """A monitoring report for the first half of the last plan, approved by the chair and published, and the
    yearly report to the Municipal Council for the previous year: generated now (PDF and Word)."""
    from .reports import generate_report

    with tenant(municipality.id):
        if db.session.execute(select(MonitoringReport.id)).first():
            return
        plans = {p.year: p for p in db.session.execute(select(Plan)).scalars()}
        year = max(plans) if plans else local_today().year
        rows = [("monitoring", plans.get(year), date(year, 1, 1), date(year, 6, 30), True),
                ("yearly", plans.get(year - 1), date(year - 1, 1, 1), date(year - 1, 12, 31), False)]
        ids = []
        for kind, plan, start, end, publish in rows:
            report = MonitoringReport(kind=kind, plan_id=plan.id if plan else None, period_start=start,
                                      period_end=end, language="sq", status="queued",
                                      summary="Raport i hartuar nga Sekretariati Teknik dhe Sekretariati i "
                                              "Koordinimit.")
            db.session.add(report)
            db.session.flush()
            ids.append((report.id, publish))
        db.session.commit()
        for report_id, publish in ids:
            generate_report(report_id)
            report = db.session.get(MonitoringReport, report_id)
            if report.status == "generated":
                report.status, report.approved_by_id, report.approved_at = "approved", chair_id, utcnow()
                if publish:
                    report.status, report.published_at = "published", utcnow()
            db.session.commit()
