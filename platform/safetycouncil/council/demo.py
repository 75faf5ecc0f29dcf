"""Demo councils for all 61 municipalities: establishment, members by category, seats, institutions.

Idempotent: a municipality whose council already has members or an establishment is left alone;
institutions are looked up by (name, county) before being created. Shared institutions (the Local
Police Directorate, the District Prosecutor's Office, the regional directorates, the Prefecture)
are created once per county and linked from each municipality of the county.

Every fifth municipality in alphabetical order lags behind: some categories are empty and there is
no Technical Secretariat; every tenth has no prosecution member, no prosecution secretariat seat and
no recorded establishment either. Elbasan follows its own regulation (Decision No. 22 of 04.03.2022,
see the reference document).
"""
from __future__ import annotations

import random
import unicodedata
from datetime import date, timedelta

from sqlalchemy import select

from ..documents.services import store_document
from ..extensions import db
from ..municipalities.models import County
from ..tenancy import tenant
from .models import CouncilEstablishment, CouncilInstitution, CouncilMember, CouncilSeat, Institution
from .models import MunicipalCouncilParty
from .services import STAFF, today

MALE = ["Arben", "Artan", "Besnik", "Dritan", "Edmond", "Ermal", "Fatmir", "Gentian", "Ilir", "Klodian", "Gëzim",
        "Agron", "Bujar", "Erion", "Florian", "Sokol", "Ardit", "Altin", "Blerim", "Kujtim", "Luan", "Mirjan",
        "Petrit", "Skënder", "Valon", "Genci", "Andi", "Elton", "Armand", "Saimir", "Shpëtim", "Astrit",
        "Xhevdet", "Çlirim", "Ledion", "Roland", "Taulant", "Marjan", "Olsi", "Dashnor"]
FEMALE = ["Anila", "Arta", "Blerina", "Brunilda", "Dorina", "Elona", "Elda", "Entela", "Eriona", "Fatjona",
          "Gentiana", "Ilirjana", "Jonida", "Klodiana", "Lindita", "Manjola", "Mimoza", "Ornela", "Rudina",
          "Suela", "Teuta", "Valbona", "Vjollca", "Xhoana", "Albana", "Besjana", "Drita", "Enkeleda", "Flutura",
          "Zamira", "Alketa", "Mirela", "Ledia", "Eda", "Anisa", "Megi"]
SURNAMES = ["Hoxha", "Shehu", "Dervishi", "Leka", "Gjoka", "Krasniqi", "Kola", "Marku", "Prifti", "Çela",
            "Bushati", "Dushku", "Gjini", "Kelmendi", "Muça", "Ndreu", "Osmani", "Pepa", "Qosja", "Sula", "Tafa",
            "Toska", "Vata", "Xhafa", "Zeneli", "Bregu", "Cani", "Dibra", "Elezi", "Gega", "Hysa", "Isufi",
            "Jaupi", "Kaçi", "Laçi", "Malaj", "Nika", "Përmeti", "Ruçi", "Shkurti", "Tahiri", "Veliu", "Zaimi",
            "Koçi", "Mema", "Llanaj", "Dhima", "Thanasi", "Kristo", "Begaj", "Ymeri", "Bajrami", "Hasani", "Duka"]
PARTIES = ["Partia Socialiste", "Partia Demokratike", "Partia e Lirisë", "Partia Socialdemokrate",
           "Partia Drejtësi, Integrim dhe Unitet", "Partia Republikane"]
SCHOOL_NAMES = ["Naim Frashëri", "Sami Frashëri", "Ismail Qemali", "Gjergj Fishta", "Migjeni", "Luigj Gurakuqi",
                "Asim Vokshi", "Andon Zako Çajupi", "Fan Noli", "Petro Nini Luarasi", "Mehmet Akif", "Pashko Vasa"]
RELIGIOUS = ["Myftinia {county}", "Kisha Ortodokse {county}", "Kisha Katolike {county}",
             "Kryegjyshata Bektashiane {county}"]

# Institutions shared by the municipalities of a county: key -> (name pattern, kind).
COUNTY_SHARED = {
    "police": ("Drejtoria Vendore e Policisë {county}", "police"),
    "prosecution": ("Prokuroria pranë Gjykatës së Rrethit Gjyqësor {county}", "prosecution"),
    "court": ("Gjykata e Shkallës së Parë e Juridiksionit të Përgjithshëm {county}", "court"),
    "prefecture": ("Prefektura e Qarkut {county}", "prefecture"),
    "education": ("Zyra Vendore Arsimore {county}", "education"),
    "health": ("Drejtoria Vendore e Shëndetit Publik {county}", "health"),
    "social": ("Drejtoria Rajonale e Shërbimit Social Shtetëror {county}", "social_services"),
    "chamber": ("Dhoma e Tregtisë dhe Industrisë {county}", "chamber_of_commerce"),
    **{f"religion{i}": (pattern, "religious_community") for i, pattern in enumerate(RELIGIOUS)},
}
NATIONAL = {
    "children": ("Agjencia Shtetërore për të Drejtat dhe Mbrojtjen e Fëmijës", "national_agency"),
    "cve": ("Qendra e Koordinimit kundër Ekstremizmit të Dhunshëm", "national_agency"),
}
# Institutions of one municipality: key -> (name pattern, kind).
LOCAL = {
    "municipality": ("Bashkia {m}", "municipality"),
    "council": ("Këshilli Bashkiak {m}", "municipal_council"),
    "commissariat": ("Komisariati i Policisë {m}", "police"),
    "youth": ("Këshilli Rinor Vendor {m}", "civil_society"),
    "women": ("Shoqata e Gruas {m}", "civil_society"),
    "business": ("Shoqata e Biznesit {m}", "business"),
    "media": ("Radio Televizioni Lokal {m}", "media"),
}
# (male, female) forms of the positions.
POSITIONS = {
    "a": ("Kryetar i Bashkisë", "Kryetare e Bashkisë"),
    "b": ("Kryetar i Këshillit Bashkiak", "Kryetare e Këshillit Bashkiak"),
    "c": ("Drejtor i Komisariatit të Policisë", "Drejtore e Komisariatit të Policisë"),
    "d": ("Drejtues i Prokurorisë", "Drejtuese e Prokurorisë"),
    "e": ("Anëtar i Këshillit Bashkiak", "Anëtare e Këshillit Bashkiak"),
    "f": ("Drejtor i Zyrës Vendore Arsimore", "Drejtore e Zyrës Vendore Arsimore"),
    "g": ("Drejtor i Shëndetit Publik", "Drejtore e Shëndetit Publik"),
    "h": ("Përfaqësues i Shërbimit Social Shtetëror", "Përfaqësuese e Shërbimit Social Shtetëror"),
    "i": ("Përfaqësues i komunitetit fetar", "Përfaqësuese e komunitetit fetar"),
    "j": ("Përfaqësues i Dhomës së Tregtisë", "Përfaqësuese e Dhomës së Tregtisë"),
    "k": ("Përfaqësues i shoqërisë civile", "Përfaqësuese e shoqërisë civile"),
    "l": ("Përgjegjës i Emergjencave Civile", "Përgjegjëse e Emergjencave Civile"),
    "m": ("Drejtor i Shërbimeve Sociale", "Drejtore e Shërbimeve Sociale"),
    "n": ("Punonjës për Mbrojtjen e Fëmijëve", "Punonjëse për Mbrojtjen e Fëmijëve"),
    "o": ("Drejtor shkolle", "Drejtore shkolle"),
    "coordinator": ("Koordinator i KVSP", "Koordinatore e KVSP"),
    "technical": ("Sekretar Teknik i KVSP", "Sekretare Teknike e KVSP"),
    "police_rep": ("Specialist për Policimin në Komunitet", "Specialiste për Policimin në Komunitet"),
    "prosecutor": ("Prokuror", "Prokurore"),
    "prefect": ("Prefekt i Qarkut", "Prefekte e Qarkut"),
    "judge": ("Kryetar i Gjykatës", "Kryetare e Gjykatës"),
}
ALWAYS_LINKED = ("municipality", "council", "police", "prosecution", "prefecture", "court", "education",
                 "health", "social", "chamber")
# The categories a lagging council may leave empty ((a), (c), (d) are filled except as said above).
OPTIONAL = list("befghijklmno")
MAYORS_ELECTED = date(2023, 7, 10)  # mandates of the mayors elected on 14 May 2023 began in July


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


class _Council:
    """Builds one municipality's council in memory; added to the session in one go."""

    def __init__(self, municipality, county: County, institutions: dict, rng: random.Random, start: date):
        self.m, self.county, self.inst, self.rng, self.start = municipality, county, institutions, rng, start
        self.members: list[CouncilMember] = []
        self.seats: list[CouncilSeat] = []
        # The triangle's and the county's institutions are linked whoever the members are.
        self.linked: set[int] = {id(institutions[key]) for key in ALWAYS_LINKED}
        self.used_names: set[str] = set()
        self.party_of: dict[int, str] = {}  # id(member) -> the party a category (e) member represents

    def party_member(self, member: CouncilMember, party: str) -> CouncilMember:
        self.party_of[id(member)] = party
        return member

    def person(self) -> tuple[str, bool]:
        while True:
            female = self.rng.random() < 0.45
            name = f"{self.rng.choice(FEMALE if female else MALE)} {self.rng.choice(SURNAMES)}"
            if name not in self.used_names:
                self.used_names.add(name)
                return name, female

    def add(self, category: str, institution: Institution | None, role: str | None = None, *, name=None,
            female=None, start=None, end=None, position=None, suffix="", invited_kind=None,
            substitute=False) -> CouncilMember:
        if name is None:
            name, female = self.person()
        else:
            self.used_names.add(name)
        first, last = name.split(" ", 1)
        domain = f"{self.m.slug}.demo.kvsp.al"
        member = CouncilMember(
            full_name=name, category=category, invited_kind=invited_kind, institution=institution,
            position=(position or POSITIONS[role or category][1 if female else 0]) + suffix,
            email=f"{_ascii(first)}.{_ascii(last)}@{domain}",
            phone=f"+355 6{self.rng.choice('789')} {self.rng.randint(100, 999)} {self.rng.randint(1000, 9999)}",
            mandate_start=start or self.start, mandate_end=end)
        if substitute:
            sub_name, _ = self.person()
            sub_first, sub_last = sub_name.split(" ", 1)
            member.substitute_name = sub_name
            member.substitute_email = f"{_ascii(sub_first)}.{_ascii(sub_last)}@{domain}"
        if institution is not None:
            self.linked.add(id(institution))
        self.members.append(member)
        return member

    def seat(self, seat: str, member: CouncilMember, start: date | None = None, end: date | None = None) -> None:
        self.seats.append(CouncilSeat(seat=seat, member=member, started_on=start or member.mandate_start,
                                      ended_on=end if end is not None else member.mandate_end))

    def replace(self, category: str, institution, role: str | None, seat: str | None, on: date, **kwargs):
        """A member replaced on ``on``: the predecessor's mandate (and seat) ended the day before."""
        before = self.add(category, institution, role, end=on - timedelta(days=1), **kwargs)
        after = self.add(category, institution, role, start=on, **kwargs)
        if seat:
            self.seat(seat, before)
            self.seat(seat, after)
        return after

    def links(self) -> list[CouncilInstitution]:
        chosen = {id(i): i for i in self.inst.values() if id(i) in self.linked}
        return [CouncilInstitution(institution=i) for i in chosen.values()]


def _institutions(municipalities, counties: dict[int, County]) -> dict:
    """Every demo institution, by (scope, key): created where missing, flushed once."""
    existing = {(i.name, i.county_id): i for i in db.session.execute(select(Institution)).scalars()}
    wanted: dict[tuple, tuple[str, str, int | None, bool]] = {}
    for county in counties.values():
        for key, (pattern, kind) in COUNTY_SHARED.items():
            wanted[("county", county.id, key)] = (pattern.format(county=county.name), kind, county.id, True)
    for key, (name, kind) in NATIONAL.items():
        wanted[("national", None, key)] = (name, kind, None, True)
    for m in municipalities:
        for key, (pattern, kind) in LOCAL.items():
            if key == "commissariat" and m.name == m.county.name:
                continue  # the county's seat is served by the Local Police Directorate itself
            wanted[("municipality", m.id, key)] = (pattern.format(m=m.name), kind, m.county_id, False)
        for i, school in enumerate(SCHOOL_NAMES[:4]):
            wanted[("municipality", m.id, f"school{i}")] = (f"Shkolla e Mesme \"{school}\" {m.name}", "school",
                                                             m.county_id, False)
    elbasan = next((m for m in municipalities if m.slug == "elbasan"), None)
    if elbasan is not None:
        for key, name, kind in (
                ("school_kristoforidhi", "Shkolla e Mesme \"Kostandin Kristoforidhi\" Elbasan", "school"),
                ("school_todri", "Shkolla e Mesme \"Dhaskal Todri\" Elbasan", "school"),
                ("university", "Universiteti \"Aleksandër Xhuvani\" Elbasan", "education"),
                ("women_forum", "Forumi i Gruas Elbasan", "civil_society")):
            wanted[("municipality", elbasan.id, key)] = (name, kind, elbasan.county_id, False)
    found = {}
    for key, (name, kind, county_id, shared) in wanted.items():
        institution = existing.get((name, county_id))
        if institution is None:
            institution = Institution(name=name, kind=kind, county_id=county_id, shared=shared)
            db.session.add(institution)
            existing[(name, county_id)] = institution
        found[key] = institution
    db.session.flush()
    return found


def _for(found: dict, m) -> dict:
    """The institutions one municipality's council may use, by plain key."""
    scopes = {("municipality", m.id), ("county", m.county_id), ("national", None)}
    mine = {key: inst for (kind, owner, key), inst in found.items() if (kind, owner) in scopes}
    if m.name == m.county.name:  # the county's seat: its commissariat is the Local Police Directorate
        mine["commissariat"] = mine["police"]
    return mine


def _generic(m, inst: dict, rng: random.Random, lagging: int,
             today_: date) -> tuple[_Council, CouncilEstablishment | None]:
    decision = date(rng.randint(2016, 2024), rng.randint(1, 12), rng.randint(1, 28))
    decision = min(decision, today_ - timedelta(days=120))
    start = decision + timedelta(days=10)
    council = _Council(m, m.county, inst, rng, start)
    empty = set(rng.sample(OPTIONAL, rng.randint(2, 4))) if lagging else set()
    if lagging > 1:
        empty.add("d")
    # (a) the Mayor chairs; in some municipalities the 2023 elections brought a new Mayor.
    if start < MAYORS_ELECTED - timedelta(days=60) and rng.random() < 0.35:
        council.replace("a", inst["municipality"], None, "chair", MAYORS_ELECTED, substitute=True)
    else:
        council.seat("chair", council.add("a", inst["municipality"], substitute=True))
    fill = {
        "b": lambda: council.add("b", inst["council"]),
        "c": lambda: council.add("c", inst["commissariat"], substitute=True),
        "d": lambda: council.add("d", inst["prosecution"], substitute=True),
        "e": lambda: [council.party_member(council.add("e", inst["council"], suffix=f" ({party})"), party)
                      for party in rng.sample(PARTIES[:4], rng.randint(2, 4))],
        "f": lambda: council.add("f", inst["education"]),
        "g": lambda: council.add("g", inst["health"]),
        "h": lambda: council.add("h", inst["social"]),
        "i": lambda: [council.add("i", inst[f"religion{i}"]) for i in sorted(rng.sample(range(4), rng.randint(1, 2)))],
        "j": lambda: council.add("j", inst["chamber"]),
        "k": lambda: [council.add("k", inst[key]) for key in rng.sample(["youth", "women", "business", "media"],
                                                                        rng.randint(1, 3))],
        "l": lambda: council.add("l", inst["municipality"]),
        "m": lambda: council.add("m", inst["municipality"]),
        "n": lambda: council.add("n", inst["municipality"]),
        "o": lambda: [council.add("o", inst[f"school{i}"]) for i in range(rng.randint(1, 3))],
    }
    change = start + timedelta(days=rng.randint(400, 900))
    for category, make in fill.items():
        if category in empty:
            continue
        if category == "c" and change < today_ - timedelta(days=30) and rng.random() < 0.5:
            council.replace("c", inst["commissariat"], None, None, change, substitute=True)
        else:
            make()
    council.seat("secretariat_municipality", council.add(STAFF, inst["municipality"], "coordinator"))
    council.seat("secretariat_police", council.add(STAFF, inst["commissariat"], "police_rep"))
    if lagging <= 1:
        council.seat("secretariat_prosecution", council.add(STAFF, inst["prosecution"], "prosecutor"))
    if not lagging:
        council.seat("technical_secretariat", council.add(STAFF, inst["municipality"], "technical"))
    council.add("invited", inst["prefecture"], "prefect", invited_kind="prefect")
    if rng.random() < 0.6:
        council.add("invited", inst["court"], "judge", invited_kind="chief_judge")
    if rng.random() < 0.3:
        council.add("invited", inst["children"], position="Specialist për të drejtat e fëmijës",
                    invited_kind="topic_guest")
    establishment = None if lagging > 1 else CouncilEstablishment(
        decision_number=str(rng.randint(1, 160)), decision_date=decision, regulation_adopted_on=decision)
    return council, establishment


ELBASAN_DECISION = """REPUBLIKA E SHQIPËRISË
KËSHILLI BASHKIAK ELBASAN

VENDIM Nr. 22, datë 04.03.2022
"Për rikonceptimin e strukturës dhe të Vendimit të Këshillit Bashkiak Nr. 121, datë 24.10.2016,
'Për përbërjen, detyrat, përgjegjësitë dhe mënyrën e funksionimit të Këshillit Vendor të Sigurisë Publike'"

1. Miratimin e strukturës së Këshillit Vendor të Sigurisë Publike;
2. Miratimin e rregullores për përbërjen, detyrat, përgjegjësitë dhe mënyrën e funksionimit të KVSP;
3. Miratimin e planit të veprimit;
4. Ngarkohet Kryetari i Bashkisë për zbatimin e këtij vendimi;
5. Ky vendim hyn në fuqi 10 ditë pas miratimit në Këshillin Bashkiak.

Sekretari i Këshillit Bashkiak: Klajd Gripshi        Kryetari i Këshillit Bashkiak: Hektor Çiftja
(Dokument demonstrues)
"""
ELBASAN_REGULATION = """REPUBLIKA E SHQIPËRISË
BASHKIA ELBASAN
Nr. 1082 Prot.                 Elbasan, 28.03.2022

RREGULLORE
"Për organizimin dhe funksionimin e Këshillit Vendor të Sigurisë Publike"

Neni 4. Përbërja e KVSP ... Neni 5. Kryetari i KVSP ... Neni 9. Sekretariati i Koordinimit ...
Neni 10. Sekretariati Teknik ... Neni 11. Komunikimi me publikun ... Neni 13. Hyrja në fuqi.
(Dokument demonstrues)
"""


def _elbasan(m, inst: dict, rng: random.Random) -> tuple[_Council, CouncilEstablishment]:
    """Elbasan's council under its 2022 regulation, with the names the decision itself gives."""
    start = date(2022, 3, 14)  # in force 10 days after the decision of 04.03.2022
    council = _Council(m, m.county, inst, rng, start)
    council.seat("chair", council.add("a", inst["municipality"], name="Gledian Llatja", female=False,
                                      substitute=True))
    council.add("b", inst["council"], name="Hektor Çiftja", female=False)
    council.replace("c", inst["police"], None, None, date(2024, 3, 1), substitute=True,
                    position="Drejtor i Drejtorisë Vendore të Policisë Elbasan")
    council.add("d", inst["prosecution"], substitute=True)
    for party in PARTIES[:4]:
        council.party_member(council.add("e", inst["council"], suffix=f" ({party})"), party)
    council.add("f", inst["education"])
    council.add("g", inst["health"])
    council.add("h", inst["social"])
    council.add("i", inst["religion0"])
    council.add("i", inst["religion1"])
    council.add("j", inst["chamber"])
    council.add("k", inst["women_forum"], position="Drejtuese e Forumit të Gruas", female=True)
    council.add("k", inst["youth"])
    council.add("k", inst["business"])
    council.add("k", inst["media"], position="Gazetar")
    council.add("l", inst["municipality"])
    council.add("m", inst["municipality"], name="Shekfi Lika", female=False,
                position="Drejtor i Drejtorisë së Mirëqenies Sociale")
    council.add("n", inst["municipality"], position="Koordinatore për Dhunën në Familje", female=True)
    council.add("o", inst["school_kristoforidhi"])
    council.add("o", inst["school_todri"])
    council.seat("secretariat_municipality", council.add(STAFF, inst["municipality"], "coordinator",
                                                         name="Ervin Muço", female=False))
    council.replace(STAFF, inst["police"], "police_rep", "secretariat_police", date(2024, 3, 1))
    council.seat("secretariat_prosecution", council.add(STAFF, inst["prosecution"], "prosecutor"))
    council.seat("technical_secretariat", council.add(STAFF, inst["municipality"], "technical",
                                                      name="Kristina Keka", female=True))
    council.add("invited", inst["prefecture"], "prefect", invited_kind="prefect")
    council.add("invited", inst["court"], "judge", invited_kind="chief_judge")
    council.add("invited", inst["university"], position="Pedagog, Fakulteti i Shkencave Sociale",
                invited_kind="topic_guest")
    council.add("invited", inst["cve"], position="Specialist për parandalimin e ekstremizmit të dhunshëm",
                invited_kind="topic_guest")
    decision = store_document("Vendimi i Këshillit Bashkiak Nr. 22, datë 04.03.2022", "vendimi-22-2022.txt",
                              ELBASAN_DECISION.encode(), uploaded_by_id=None)
    regulation = store_document("Rregullorja e KVSP Elbasan, Nr. 1082 Prot., 28.03.2022",
                                "rregullorja-kvsp-elbasan.txt", ELBASAN_REGULATION.encode(), uploaded_by_id=None)
    establishment = CouncilEstablishment(
        decision_number="22", decision_date=date(2022, 3, 4), regulation_adopted_on=date(2022, 3, 4),
        decision_document_id=decision.id, regulation_document_id=regulation.id,
        notes="Rikonceptim i VKB Nr. 121, datë 24.10.2016. Rregullorja u protokollua me Nr. 1082 Prot., "
              "datë 28.03.2022; hyn në fuqi 10 ditë pas miratimit.")
    return council, establishment


def load_demo(municipalities) -> None:
    municipalities = sorted(municipalities, key=lambda m: m.slug)
    counties = {c.id: c for c in db.session.execute(select(County)).scalars()}
    found = _institutions(municipalities, counties)
    today_ = today()
    for index, m in enumerate(municipalities):
        with tenant(m.id):
            started = db.session.execute(select(CouncilMember.id).limit(1)).first() or \
                db.session.execute(select(CouncilEstablishment.id).limit(1)).first()
            if started:
                continue
            rng = random.Random(m.slug)
            inst = _for(found, m)
            if m.slug == "elbasan":
                council, establishment = _elbasan(m, inst, rng)
            else:
                lagging = 0 if index % 5 != 4 else (2 if index % 10 == 9 else 1)
                council, establishment = _generic(m, inst, rng, lagging, today_)
            if establishment is not None:
                db.session.add(establishment)
            db.session.add_all([*council.members, *council.seats, *council.links()])
            db.session.flush()
            _history_and_parties(m, council, establishment, today_)


def _history_and_parties(m, council: _Council, establishment: CouncilEstablishment | None, today_: date) -> None:
    """Art. 13 and Art. 4.1.e in the demo (its own random stream, so the rest of the demo is unchanged):
    the regulation's publication on the official website (most on time, some late, some never recorded),
    re-adoptions under the unified model (Elbasan: its 2016 decision and the 2022 re-adoption), and the
    parties represented in the Municipal Council, a few without their councillor in category (e)."""
    rng = random.Random(m.slug + ":establishment-history")
    if establishment is not None:
        decisions = [establishment]
        if m.slug == "elbasan":
            establishment.adopts_unified_model = True
            establishment.published_on = date(2022, 3, 28)
            establishment.published_url = "https://elbasani.gov.al/kvsp/rregullorja-2022"
            decisions.append(CouncilEstablishment(
                decision_number="121", decision_date=date(2016, 10, 24), regulation_adopted_on=date(2016, 10, 24),
                adopts_unified_model=False,
                notes="Vendimi i parë i Këshillit Bashkiak për KVSP; rikonceptuar me VKB Nr. 22, datë 04.03.2022."))
        else:
            establishment.adopts_unified_model = establishment.decision_date.year >= 2021
            if not establishment.adopts_unified_model and rng.random() < 0.5:
                day = date(rng.randint(2021, 2025), rng.randint(1, 12), rng.randint(1, 28))
                if day < today_ - timedelta(days=60):
                    decisions.append(CouncilEstablishment(
                        decision_number=str(rng.randint(1, 160)), decision_date=day, regulation_adopted_on=day,
                        adopts_unified_model=True, notes="Rimiratim i rregullores sipas modelit të unifikuar."))
            for decision in decisions:
                luck = rng.random()
                if luck < 0.8:
                    decision.published_on = decision.decision_date + timedelta(days=rng.randint(2, 12))
                elif luck < 0.9:
                    decision.published_on = decision.decision_date + timedelta(days=rng.randint(20, 60))
                if decision.published_on is not None:
                    decision.published_on = min(decision.published_on, today_)
                    decision.published_url = (f"https://{m.slug}.gov.al/kvsp/vendimi-{decision.decision_number}-"
                                              f"{decision.decision_date.year}")
        db.session.add_all(decisions)
        db.session.flush()
    # Art. 4.1.e: the parties represented in the Municipal Council, from the start of the council's members
    names = sorted(set(council.party_of.values()))
    if not names:
        return
    parties = {name: MunicipalCouncilParty(name=name, represented_from=council.start) for name in names}
    if rng.random() < 0.15 and m.slug != "elbasan":  # a party that entered the Municipal Council without a seat here
        extra = next(p for p in PARTIES if p not in parties)
        parties[extra] = MunicipalCouncilParty(name=extra, represented_from=max(MAYORS_ELECTED, council.start),
                                               seats=rng.randint(1, 3))
    db.session.add_all(parties.values())
    db.session.flush()
    for member in council.members:
        if id(member) in council.party_of:
            member.party_id = parties[council.party_of[id(member)]].id
    db.session.flush()
