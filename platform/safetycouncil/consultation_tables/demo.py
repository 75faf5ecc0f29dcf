"""Demo: the Fier Prefecture's consultation table of 9 May 2024 (IPO news room), with the six
municipalities present, the national agencies, and its recommendations addressed to each."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..municipalities.models import County
from .models import ConsultationParticipant, ConsultationTable
from .services import add_recommendation

TITLE = "Rëndësia e KVSP-ve në fushën e policimit në komunitet dhe koordinimit ndërinstitucional"
AGENDA = """1. Hapja: z. Arben Velo, Sekretar i Përgjithshëm i Prefekturës Fier, i deleguar si Prefekt
2. Bashkëpunimi ndërinstitucional dhe qytetar-polici (Dr. Mareglen Tomori, IPO)
3. Parandalimi i bullizmit dhe i krimit në shkolla dhe në komunitet (QPKMR)
4. Mjedis i sigurt për fëmijët brenda dhe jashtë procesit mësimor (ASHDMF)
5. Strategjia "Policimi në komunitet dhe koordinimi ndërinstitucional" (Drejtoria e Përgjithshme e Policisë së Shtetit)
6. Rehabilitimi afatgjatë i të miturve në konflikt me ligjin"""
MINUTES = """U diskutua bashkëpunimi ndërinstitucional dhe ai qytetar-polici. Policia duhet të tregojë profesionalizëm
dhe integritet; qytetarët dhe komuniteti duhet të ndërgjegjësohen dhe të ndërtojnë besim.
Kryekomisari Alushani paraqiti strategjinë e policimit në komunitet: analizë e përbashkët e problemeve dhe zgjidhje
të mbështetura në parimet e angazhimit, besimit, fleksibilitetit, integritetit, dukshmërisë, paanshmërisë,
legjitimitetit dhe respektimit të të drejtave të njeriut.
Dr. Tomori theksoi dhunën në familje, kujdesin për fëmijët e braktisur dhe nevojën për fonde (nga buxheti dhe
donatorët) për struktura pritëse për të miturit në çdo bashki, si qendra ditore, në bashkëpunim me Ministrinë e Arsimit."""
PARTICIPANTS = [
    ("Arben Velo", "Sekretar i Përgjithshëm, i deleguar si Prefekt", "Prefektura e Qarkut Fier", None),
    ("Dr. Mareglen Tomori", "President Ekzekutiv", "International Police Organization (IPO)", None),
    ("Lindona Gega", "Specialiste", "Qendra për Parandalimin e Kriminalitetit të të Miturve dhe të Rinjve (QPKMR)",
     None),
    ("Elona Halilosmani", "Specialiste", "Agjencia Shtetërore për të Drejtat dhe Mbrojtjen e Fëmijëve (ASHDMF)", None),
    ("Elisa Disdari", "Specialiste", "Agjencia Shtetërore për të Drejtat dhe Mbrojtjen e Fëmijëve (ASHDMF)", None),
    ("Roland Alushani", "Kryekomisar", "Drejtoria e Përgjithshme e Policisë së Shtetit", None),
    ("Përfaqësues i DVP Fier", None, "Drejtoria Vendore e Policisë Fier", None),
]
MUNICIPALITIES = ["fier", "lushnje", "mallakaster", "roskovec", "patos", "divjake"]
RECOMMENDATIONS = [
    ("Të përfshihet në regjistrin e rreziqeve parandalimi i bullizmit dhe i krimit në shkolla, në bashkëpunim me "
     "drejtoritë e shkollave dhe QPKMR.", MUNICIPALITIES),
    ("Të planifikohen fonde (buxhet dhe donatorë) për një qendër ditore për të miturit dhe për rehabilitimin "
     "afatgjatë të të miturve në konflikt me ligjin.", MUNICIPALITIES),
    ("Të forcohet koordinimi me DVP Fier për policimin në komunitet: analizë e përbashkët e problemeve në çdo "
     "takim të Sekretariatit të Koordinimit.", ["fier", "lushnje", "patos"]),
]


def load_demo(municipalities) -> None:
    county = db.session.execute(select(County).where(County.slug == "fier")).scalar_one_or_none()
    if county is None:
        return
    exists = db.session.execute(select(ConsultationTable).where(
        ConsultationTable.county_id == county.id, ConsultationTable.held_on == date(2024, 5, 9))).scalar_one_or_none()
    if exists is not None:
        return
    by_slug = {m.slug: m for m in municipalities}
    table = ConsultationTable(county_id=county.id, title=TITLE, held_on=date(2024, 5, 9),
                              theme="Rëndësia e KVSP-ve në fushën e policimit në komunitet dhe koordinimit "
                                    "ndërinstitucional", location="Prefektura e Qarkut Fier",
                              chaired_by="Arben Velo", agenda=AGENDA, minutes=MINUTES)
    db.session.add(table)
    db.session.flush()
    for name, position, organisation, _m in PARTICIPANTS:
        db.session.add(ConsultationParticipant(table_id=table.id, name=name, position=position,
                                               organisation=organisation))
    for slug in MUNICIPALITIES:
        m = by_slug.get(slug)
        if m is not None:
            db.session.add(ConsultationParticipant(table_id=table.id, name=f"Përfaqësues i KVSP {m.name}",
                                                   position="Sekretari Teknik", organisation=f"Bashkia {m.name}",
                                                   municipality_id=m.id))
    db.session.flush()
    for text, slugs in RECOMMENDATIONS:
        ids = [by_slug[s].id for s in slugs if s in by_slug and by_slug[s].county_id == county.id]
        if ids:
            add_recommendation(table, text, ids)
    db.session.flush()
