"""Demo: the Fier Prefecture's consultation table of 9 May 2024 (IPO news room), with the six
municipalities present, the national agencies, the themes presented, its recommendations addressed to
each municipality and to the national bodies, with due dates and follow-up; plus tables of other
Prefectures (Elbasan, Korçë, Shkodër) across the years, some of their recommendations overdue."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from ..extensions import db
from ..municipalities.models import County, Municipality
from ..tenancy import tenant
from ..timeutil import local_today
from . import services
from .models import (
    ConsultationParticipant,
    ConsultationRecommendation,
    ConsultationTable,
    NationalRecommendationFollowUp,
    RecommendationFollowUp,
)

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
# The themes as the IPO news room reports them: (title, presented by, summary).
THEMES = [
    ("Bashkëpunimi ndërinstitucional dhe qytetar-polici", "Arben Velo",
     "Policia duhet të tregojë profesionalizëm dhe integritet, sipas kodit të etikës profesionale; qytetarët dhe "
     "komuniteti duhet të ndërgjegjësohen dhe të edukohen gradualisht për bashkëpunim me policinë."),
    ("Strategjia \"Policimi në komunitet dhe koordinimi ndërinstitucional\"", "Kryekomisar Roland Alushani (DPPSH)",
     "Analizë e përbashkët e problemeve; zgjidhje mbi parimet e policimit në komunitet: angazhim, besim, "
     "fleksibilitet, integritet, dukshmëri, paanshmëri, legjitimitet, respektim i të drejtave të njeriut."),
    ("Koordinimi ndërinstitucional në fushën e policimit në komunitet", "Dr. Mareglen Tomori (IPO)", None),
    ("Parandalimi i bullizmit dhe i krimit në shkolla dhe në komunitet", "Lindona Gega (QPKMR)", None),
    ("Mjedis i sigurt për fëmijët brenda dhe jashtë procesit mësimor", "Elona Halilosmani, Elisa Disdari (ASHDMF)",
     None),
    ("Rehabilitimi afatgjatë i të miturve në konflikt me ligjin", "Dr. Mareglen Tomori (IPO)",
     "Kushte të përshtatshme jetese dhe kurse formimi profesional për të miturit në konflikt me ligjin."),
    ("Dhuna në familje, kujdesi për fëmijët e braktisur dhe fondet për struktura për të miturit",
     "Dr. Mareglen Tomori (IPO)",
     "Fonde jo vetëm nga buxheti por edhe nga donatorë të ndryshëm, për struktura pritëse për të miturit (qendra "
     "ditore) në çdo bashki të qarkut, në bashkëpunim me Ministrinë e Arsimit."),
]
# (text, theme number, due date, municipalities, national bodies, follow-up: {addressee: [(status, note, day)]})
RECOMMENDATIONS = [
    ("Të përfshihet në regjistrin e rreziqeve parandalimi i bullizmit dhe i krimit në shkolla, në bashkëpunim me "
     "drejtoritë e shkollave dhe QPKMR.", 4, date(2024, 9, 30), MUNICIPALITIES, ["QPKMR", "MAS"],
     {"fier": [("in_progress", "U fut në regjistrin e rreziqeve; takim me drejtoritë e shkollave.", date(2024, 6, 20)),
               ("done", "Aktiviteti i planit 2024: fushatë kundër bullizmit në 12 shkolla.", date(2024, 10, 15))],
      "patos": [("in_progress", "U diskutua në mbledhjen e KVSP-së.", date(2024, 7, 3))],
      "QPKMR": [("done", "QPKMR ofroi trajnime për mësuesit në Fier dhe Lushnjë.", date(2024, 11, 12))]}),
    ("Të planifikohen fonde (buxhet dhe donatorë) për një qendër ditore për të miturit dhe për rehabilitimin "
     "afatgjatë të të miturve në konflikt me ligjin.", 7, date(2024, 12, 31), MUNICIPALITIES, ["ASHDMF"],
     {"lushnje": [("not_accepted", "Nuk ka fond në buxhetin 2025; do të rishikohet me donatorët.", date(2025, 1, 20))],
      "ASHDMF": [("in_progress", "ASHDMF kërkoi një plan për qendrat ditore nga çdo bashki.", date(2025, 2, 4))]}),
    ("Të forcohet koordinimi me DVP Fier për policimin në komunitet: analizë e përbashkët e problemeve në çdo "
     "takim të Sekretariatit të Koordinimit.", 2, date(2024, 7, 31), ["fier", "lushnje", "patos"], ["DPPSH"],
     {"fier": [("done", "Analiza e përbashkët është pikë e përhershme e rendit të ditës.", date(2024, 6, 28))],
      "lushnje": [("done", "Po, që nga korriku 2024.", date(2024, 7, 25))]}),
]
# The article gives no amount: the demo's figure is an illustration.
FUNDING = [(Decimal("12000000.00"), "ALL", "ASHDMF", None,
            "Qendra ditore për të miturit në bashkitë e Qarkut Fier dhe rehabilitimi afatgjatë i të miturve në "
            "konflikt me ligjin.", "partly_granted", "Mbështetje për dy qendra (Fier, Lushnjë) në vitin 2025.",
            date(2024, 11, 5), Decimal("5000000.00"))]

# Other Prefectures' tables, across the years: (county, day, title, themes, recommendations, funding).
OTHER_TABLES = [
    ("elbasan", date(2023, 11, 16), "Siguria në shkolla dhe rreth tyre",
     [("Patrullimi pranë shkollave në orët e hyrjes dhe daljes", "DVP Elbasan", None)],
     [("Patrullime të përbashkëta policia-policia bashkiake pranë shkollave.", date(2024, 3, 31),
       ["elbasan", "cerrik", "librazhd"], ["DPPSH"],
       {"elbasan": [("done", "Patrullime çdo ditë mësimi pranë 8 shkollave.", date(2024, 2, 12))]})],
     []),
    ("elbasan", date(2025, 3, 20), "Dhuna në familje: referimi dhe mbështetja",
     [("Mekanizmi i referimit të rasteve të dhunës në familje", "Koordinatorja vendore", None)],
     [("Të caktohet një koordinator për dhunën në familje në çdo bashki dhe të raportohet në KVSP.",
       date(2025, 9, 30), ["elbasan", "belsh", "gramsh", "peqin", "prrenjas"], ["ASHDMF"],
       {"elbasan": [("in_progress", "Koordinatori u emërua; raporti i parë në mbledhjen e radhës.", date(2025, 6, 1))]})],
     [(Decimal("3500000.00"), "ALL", None, "UNICEF Shqipëri", "Trajnime për punonjësit e referimit", "pending", None,
       None, None)]),
    ("korce", date(2025, 10, 9), "Siguria rrugore dhe të rinjtë",
     [("Aksidentet me të rinj në rrugët rurale", "DVP Korçë", None)],
     [("Fushatë ndërgjegjësimi në shkollat e mesme për sigurinë rrugore.", date(2026, 3, 31),
       ["korce", "pogradec", "maliq", "devoll"], ["MAS"], {})],
     []),
    ("shkoder", date(2026, 4, 23), "Emigracioni i paligjshëm i të miturve",
     [("Rreziqet e emigracionit të paligjshëm", "QPKMR", None)],
     [("Të identifikohen familjet në rrezik dhe të përfshihen në programet e shërbimeve sociale.", date(2026, 9, 30),
       ["shkoder", "puke", "vau-i-dejes"], ["QPKMR", "ASHDMF"], {})],
     []),
]


def _follow_up(table, rows, steps) -> None:
    """Record the demo's follow-up steps: in each municipality (its scope) and for each national body."""
    for row in rows:
        if isinstance(row, ConsultationRecommendation):
            slug = db.session.get(Municipality, row.municipality_id).slug
            with tenant(row.municipality_id):
                scoped = db.session.get(ConsultationRecommendation, row.id)
                for status, note, day in steps.get(slug, []):
                    services.record_follow_up(scoped, {"status": status, "note": note, "noted_on": day})
        else:
            for status, note, day in steps.get(row.body.code, []):
                services.record_national_follow_up(row, {"status": status, "note": note, "noted_on": day})


def _recommend(table, by_slug, bodies, text, theme, due_on, slugs, codes, steps) -> None:
    ids = [by_slug[s].id for s in slugs if s in by_slug and by_slug[s].county_id == table.county_id]
    body_ids = [bodies[c].id for c in codes if c in bodies]
    if ids or body_ids:
        rows = services.add_recommendation(table, {"text": text, "due_on": due_on, "theme_id": theme,
                                                   "municipality_ids": ids, "body_ids": body_ids})
        _received_after_the_table(table, rows)
        _follow_up(table, rows, steps)


def _received_after_the_table(table, rows) -> None:
    """The demo's recommendations arrived the day after their table (not on the day the demo was loaded)."""
    received = datetime.combine(table.held_on + timedelta(days=1), time(8, 0))
    for row in rows:
        if isinstance(row, ConsultationRecommendation):
            with tenant(row.municipality_id):
                scoped = db.session.get(ConsultationRecommendation, row.id)
                scoped.created_at = received
                for step in db.session.execute(select(RecommendationFollowUp).where(
                        RecommendationFollowUp.recommendation_id == row.id)).scalars():
                    step.recorded_at = received
                db.session.flush()
        else:
            row.created_at = row.updated_at = received
            for step in db.session.execute(select(NationalRecommendationFollowUp).where(
                    NationalRecommendationFollowUp.recommendation_id == row.id)).scalars():
                step.recorded_at = received
    db.session.flush()


def _fund(table, bodies, amount, currency, code, donor, purpose, answer_status, answer, answered_on, granted):
    row = services.add_funding_request(table, {"amount": amount, "currency": currency,
                                               "body_id": bodies[code].id if code in bodies else None,
                                               "requested_from": donor, "purpose": purpose})
    if answer_status != "pending":
        services.answer_funding_request(row, {"answer_status": answer_status, "answer": answer,
                                              "answered_on": answered_on, "granted_amount": granted})


def _others(by_slug, bodies) -> None:
    today = local_today()
    for county_slug, held_on, title, themes, recommendations, funding in OTHER_TABLES:
        if held_on > today:
            continue
        county = db.session.execute(select(County).where(County.slug == county_slug)).scalar_one_or_none()
        if county is None or db.session.execute(select(ConsultationTable.id).where(
                ConsultationTable.county_id == county.id, ConsultationTable.held_on == held_on)).first():
            continue
        table = services.create_table(county.id, {"title": title, "held_on": held_on, "theme": title,
                                                  "location": f"Prefektura e Qarkut {county.name}"}, user_id=None)
        theme_ids = [services.add_theme(table, {"title": t, "presented_by": by, "summary": summary}).id
                     for t, by, summary in themes]
        for text, due_on, slugs, codes, steps in recommendations:
            _recommend(table, by_slug, bodies, text, theme_ids[0] if theme_ids else None, due_on, slugs, codes, steps)
        for item in funding:
            _fund(table, bodies, *item)


def load_demo(municipalities) -> None:
    services.ensure_national_bodies()
    bodies = {b.code: b for b in services.national_bodies()}
    by_slug = {m.slug: m for m in municipalities}
    _others(by_slug, bodies)
    county = db.session.execute(select(County).where(County.slug == "fier")).scalar_one_or_none()
    if county is None:
        return
    exists = db.session.execute(select(ConsultationTable).where(
        ConsultationTable.county_id == county.id, ConsultationTable.held_on == date(2024, 5, 9))).scalar_one_or_none()
    if exists is not None:
        return
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
    theme_ids = [services.add_theme(table, {"title": t, "presented_by": by, "summary": summary}).id
                 for t, by, summary in THEMES]
    for text, theme, due_on, slugs, codes, steps in RECOMMENDATIONS:
        _recommend(table, by_slug, bodies, text, theme_ids[theme - 1], due_on, slugs, codes, steps)
    for item in FUNDING:
        _fund(table, bodies, *item)
    db.session.flush()
