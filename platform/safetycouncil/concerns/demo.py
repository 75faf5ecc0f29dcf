"""Demo concerns: raised at every held open consultation meeting, and a few sent online (some waiting
for moderation, one rejected). Elbasan's concerns are those behind its plan (roadmap, Table 1).

Deterministic, idempotent (a municipality with concerns is left alone), bulk inserts.
"""
from __future__ import annotations

import random
from collections import defaultdict
from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import insert, select

from ..areas.models import Area
from ..extensions import db
from ..meetings.models import Meeting
from ..tenancy import read_across_tenants, tenant
from ..timeutil import utcnow
from .models import Concern, RiskCategory
from .services import ensure_default_categories

# category code -> (source kind, text); "{area}" is the area's name.
CONCERNS = {
    "domestic_violence": [
        ("civil_society", "Gratë e lagjes {area} nuk dinë ku të drejtohen kur përjetojnë dhunë në familje."),
        ("religious_community", "Rastet e dhunës në familje heshten; duhet një linjë telefonike falas për viktimat."),
        ("school", "Mësuesit vënë re fëmijë që vijnë në shkollë me shenja dhune dhe nuk dinë si t'i referojnë."),
    ],
    "youth_substances": [
        ("parent", "Para shkollës në {area} u shitet duhan dhe alkool të miturve."),
        ("student_government", "Në ambientet pranë shkollës qarkullojnë substanca narkotike."),
        ("parent", "Lokalet pranë shkollës u shërbejnë alkool nxënësve pas mësimit."),
    ],
    "hotspots": [
        ("village_head", "Në parkun e {area} mblidhen çdo mbrëmje persona që përdorin drogë."),
        ("citizen", "Pallati i braktisur në {area} është bërë vend takimi për shpërndarës droge."),
        ("business", "Pranë stacionit të autobusëve ka shitje droge natën; bizneset kanë frikë."),
    ],
    "road_safety": [
        ("school", "Makinat kalojnë me shpejtësi të lartë para shkollës në {area}; mungojnë vijat e bardha."),
        ("village_head", "Rruga kryesore e {area} nuk ka ndriçim dhe trotuare."),
        ("parent", "Mungon polic rrugor në orën e hyrjes së nxënësve."),
    ],
    "property_crime": [
        ("citizen", "Këtë dimër u vodhën disa banesa në {area} ndërsa pronarët ishin jashtë."),
        ("business", "Dyqanet në {area} janë grabitur dy herë brenda muajit."),
        ("village_head", "Vjedhjet e bagëtive dhe të veglave bujqësore në {area} janë shtuar."),
    ],
    "school_safety": [
        ("student_government", "Ka raste bullizmi në oborrin e shkollës dhe në rrjetet sociale."),
        ("parent", "Persona të panjohur hyjnë në oborrin e shkollës në {area} gjatë pushimit."),
        ("school", "Shkolla në {area} nuk ka roje dhe kamera."),
    ],
    "juvenile_delinquency": [
        ("civil_society", "Të rinj pa punë dhe pa aktivitete në {area} përfshihen në grindje dhe vandalizëm."),
        ("media", "Raportime për grupe të miturish që dëmtojnë pronën publike në {area}."),
    ],
    "violent_extremism": [
        ("religious_community", "Duhet mbështetje për familjet e të kthyerve nga zonat e konfliktit."),
        ("civil_society", "Të rinjtë ndiqen në internet nga grupe që përhapin urrejtje."),
    ],
    "trafficking": [
        ("civil_society", "Vajza të reja nga {area} rekrutohen me oferta pune të dyshimta jashtë vendit."),
        ("media", "Fëmijë që lypin në rrugë në orët e vona; dyshohet shfrytëzim."),
    ],
    "public_order": [
        ("citizen", "Zhurma dhe përleshje natën pranë lokaleve në {area}."),
        ("business", "Tregu në {area} nuk ka rregull; ka grindje të shpeshta."),
        ("media", "Qytetarët ankohen se policia nuk vjen kur telefonohet natën."),
    ],
    "civil_emergencies": [
        ("village_head", "Përroi në {area} del nga shtrati sa herë bie shi i fortë."),
        ("citizen", "Nuk ka plan evakuimi për lagjen {area} në rast tërmeti."),
    ],
}
# Elbasan (roadmap, Table 1): what citizens said at the consultations behind items 1.2, 1.4, 1.5, 1.7.
ELBASAN = [
    ("youth_substances", "parent", "Prindërit e shkollës \"Kostandin Kristoforidhi\" kërkojnë orë mësimi për "
                                   "ligjin: të rinjtë përdorin narkotikë, alkool dhe duhan."),
    ("youth_substances", "student_government", "Qeveria e nxënësve: pranë shkollës shpërndahet drogë; nxënësit "
                                               "nuk kanë besim te policia."),
    ("domestic_violence", "civil_society", "Forumi i Gruas Elbasan: viktimat e dhunës në familje nuk kanë një "
                                           "numër pa pagesë ku të telefonojnë."),
    ("domestic_violence", "village_head", "Ndërlidhësi i komunitetit në Shirgjan: rastet e dhunës në familje "
                                          "nuk raportohen nga frika."),
    ("hotspots", "citizen", "Në Lagjen Kala mblidhen natën përdorues droge; kamerat e qytetit nuk funksionojnë."),
    ("hotspots", "business", "Bizneset pranë stacionit të trenit: shpërndarës droge çdo mbrëmje."),
    ("public_order", "media", "Gazetarët lokalë: institucionet e \"trekëndëshit\" nuk informojnë qytetarët; "
                              "mbizotëron \"kultura e heshtjes\"."),
    ("public_order", "civil_society", "OJF-të kërkojnë takime të rregullta me policinë, prokurorinë dhe bashkinë."),
]
ONLINE = [
    ("road_safety", "Semafori në kryqëzimin pranë tregut nuk punon prej dy javësh.", "pending_moderation", None),
    ("public_order", "Qentë endacakë sulmojnë kalimtarët në mëngjes herët.", "pending_moderation", None),
    ("hotspots", "Në shkallët e pallatit tonë gjejmë shiringa çdo javë.", "accepted", None),
    ("property_crime", "Shes makinë me çmim të mirë, telefononi!", "rejected",
     "Nuk ka të bëjë me sigurinë publike (reklamë)."),
]


def load_demo(municipalities) -> None:
    municipalities = list(municipalities)
    if not municipalities:
        return
    ensure_default_categories()
    db.session.commit()
    categories = {c.code: c.id for c in db.session.execute(select(RiskCategory)).scalars()}
    ids = [m.id for m in municipalities]
    with read_across_tenants(ids):
        have = set(db.session.execute(select(Concern.municipality_id).distinct()).scalars())
        # Plain copies: ORM objects expire at each commit and could not be reloaded outside their scope.
        areas: dict[int, list[SimpleNamespace]] = defaultdict(list)
        for area in db.session.execute(select(Area).order_by(Area.id)).scalars():
            areas[area.municipality_id].append(SimpleNamespace(id=area.id, name=area.name))
        consultations: dict[int, list[SimpleNamespace]] = defaultdict(list)
        for meeting in db.session.execute(select(Meeting).where(Meeting.kind == "open_consultation",
                                                                Meeting.status == "held")
                                          .order_by(Meeting.starts_at)).scalars():
            consultations[meeting.municipality_id].append(SimpleNamespace(id=meeting.id, ends_at=meeting.ends_at))
    now = utcnow()
    for municipality in municipalities:
        if municipality.id in have or not areas.get(municipality.id):
            continue
        rows = _rows(municipality, categories, areas[municipality.id], consultations.get(municipality.id, []), now)
        if rows:
            with tenant(municipality.id):
                db.session.execute(insert(Concern), rows)
            db.session.commit()


def _rows(municipality, categories: dict, areas: list, meetings: list, now) -> list[dict]:
    from ..meetings.demo import council_profile

    from .models import REFERENCE_ALPHABET

    rng = random.Random(f"kvsp-concerns-{municipality.slug}")
    references = random.Random(f"kvsp-concern-references-{municipality.slug}")  # apart: the rows stay the same

    def reference() -> str:
        code = "".join(references.choice(REFERENCE_ALPHABET) for _ in range(8))
        return f"{code[:4]}-{code[4:]}"

    exemplary = council_profile(municipality.slug) == "exemplary"
    rows = []

    def add(code, source, text, meeting=None, *, status="accepted", channel="meeting", note=None, at=None,
            contact=None):
        area = rng.choice(areas)
        rows.append({"municipality_id": municipality.id, "text": text.format(area=area.name), "source_kind": source,
                     "source_name": None, "area_id": area.id, "category_id": categories[code],
                     "meeting_id": meeting.id if meeting else None, "channel": channel, "status": status,
                     "contact": contact, "moderation_note": note,
                     "moderated_at": (at + timedelta(days=2)) if status != "pending_moderation" and channel == "online"
                     else None, "moderated_by_id": None, "recorded_by_id": None,
                     "created_at": at or now, "reference": reference()})

    codes = list(CONCERNS)
    for index, meeting in enumerate(meetings):
        at = meeting.ends_at
        if municipality.slug == "elbasan" and index % 2 == 0:
            for code, source, text in ELBASAN:
                add(code, source, text, meeting, at=at)
            continue
        focus = rng.sample(codes, 3 if exemplary else 2)
        for _ in range(rng.randint(4, 6) if exemplary else rng.randint(1, 3)):
            code = rng.choice(focus)
            source, text = rng.choice(CONCERNS[code])
            add(code, source, text, meeting, at=at)
    if exemplary or rng.random() < 0.3:
        for offset, (code, text, status, note) in enumerate(ONLINE):
            add(code, "citizen", text, status=status, channel="online", note=note,
                at=now - timedelta(days=3 + 9 * offset), contact="06x xxx xxxx" if offset % 2 == 0 else None)
    return rows
