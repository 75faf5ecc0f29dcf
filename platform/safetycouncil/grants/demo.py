"""Demo community grants: in Elbasan, Fier, Korçë and Kurbin a past call (2025), decided by a council
decision, with applications checked and scored by a committee (one conflict of interest declared), awards with
tranches paid and reports (a final report accepted, a narrative one returned with comments); and a call open
today with one application. Grantees and titles follow the small-grants workshop (the reference documents).
Idempotent: a municipality that already has a call is left as it is."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from ..extensions import db
from ..tenancy import tenant
from ..timeutil import local_today
from . import services
from .models import (
    GrantApplication,
    GrantAward,
    GrantBudgetLine,
    GrantCall,
    GrantCallActivity,
    GrantCommitteeMember,
    GrantConflict,
    GrantCriterion,
    GrantEligibilityCheck,
    GrantReport,
    GrantScore,
    GrantTranche,
    new_token,
    token_hash,
)

DEMO_MUNICIPALITIES = ("elbasan", "fier", "korce", "kurbin")
PROJECTS = [
    ("Forumi i Gruas {name}", "L51234567A", "Në partneritet për komunitet më të sigurt",
     "Rritja e besimit te shërbimet e policisë dhe e bashkëpunimit për të ulur krimin: takime lagjeje me "
     "policinë e komunitetit, grupe gratë-polici, fushatë informimi.", 400_000, 60_000),
    ("Qendra Rinore {name}", "K61234567B", "Unë jam polici i së ardhmes",
     "Partneritet i qëndrueshëm midis policisë vendore dhe të rinjve: klube në shkolla, vizita në komisariat.",
     300_000, 40_000),
    ("Shoqata Media dhe Rinia {name}", "M71234567C", "Partneriteti rini-polici-media përballë krimit me armë",
     "Ndërgjegjësimi i medias dhe nxënësve për qasjet e policimit në komunitet në zgjidhjen e problemeve të "
     "adoleshentëve në shkolla.", 350_000, 50_000),
]
SCORERS = [("Arta Leka", "arta.leka@demo.kvsp.al"), ("Gentian Dervishi", "gentian.dervishi@demo.kvsp.al"),
           ("Valbona Shehu", "valbona.shehu@demo.kvsp.al")]


def load_demo(municipalities) -> None:
    for m in municipalities:
        if m.slug not in DEMO_MUNICIPALITIES:
            continue
        with tenant(m.id):
            if db.session.execute(select(GrantCall.id)).first() is not None:
                continue
            _past_call(m)
            _open_call(m)
            db.session.flush()
            _call_documents(m)
    _programme(municipalities)


def _activity_id():
    from ..plans.models import PlanActivity

    return db.session.execute(select(PlanActivity.id).order_by(PlanActivity.id)).scalars().first()


def _decision_id():
    from ..records.models import Decision

    return db.session.execute(select(Decision.id).order_by(Decision.id.desc())).scalars().first()


def _past_call(m) -> None:
    activity_id = _activity_id()
    call = GrantCall(title=f"Grante të vogla për sigurinë në komunitet 2025 — {m.name}",
                     objectives="Mbështetje për organizatat e shoqërisë civile që zbatojnë aktivitete të planit "
                                "vendor shumë-agjencior: partneritet komunitet-polici, parandalim i dhunës, të rinjtë.",
                     budget=1_000_000, max_per_grant=400_000, cofinancing_percent=10,
                     opens_on=date(2025, 3, 3), closes_on=date(2025, 4, 4), decision_on=date(2025, 5, 15),
                     status="decided", opened_at=datetime(2025, 3, 3, 8, 0), closed_at=datetime(2025, 4, 5, 8, 0),
                     decision_id=_decision_id())
    db.session.add(call)
    db.session.flush()
    if activity_id:
        db.session.add(GrantCallActivity(call_id=call.id, activity_id=activity_id))
    eligibility = [GrantCriterion(call_id=call.id, kind="eligibility", position=i, text=text) for i, text in enumerate(
        ("Organizatë jofitimprurëse e regjistruar në Shqipëri (NIPT)", "Vepron në territorin e bashkisë"))]
    scoring = [GrantCriterion(call_id=call.id, kind="scoring", position=100 + i, text=text, weight=weight, max_score=10)
               for i, (text, weight) in enumerate((("Lidhja me planin vendor të sigurisë", 40),
                                                   ("Ndikimi te komuniteti", 35), ("Kosto e arsyeshme", 25)))]
    db.session.add_all(eligibility + scoring)
    db.session.flush()
    members = []
    for name, email in SCORERS:
        member = GrantCommitteeMember(call_id=call.id, name=name, email=email, token_hash=token_hash(new_token()),
                                      invited_at=datetime(2025, 4, 5, 9, 0), declared_at=datetime(2025, 4, 7, 9, 0))
        db.session.add(member)
        members.append(member)
    db.session.flush()
    applications = []
    for index, (org, nipt, title, summary, amount, cofinancing) in enumerate(PROJECTS):
        application = GrantApplication(
            call_id=call.id, reference=f"GR25-{m.id:03d}{index}", organisation=org.format(name=m.name), nipt=nipt,
            contact_name="Personi i kontaktit", contact_email=f"aplikuesi{index}.{m.slug}@demo.kvsp.al",
            project_title=title, summary=summary, activity_id=activity_id, amount_requested=amount,
            cofinancing=cofinancing, status="submitted", token_hash=token_hash(new_token()),
            submitted_at=datetime(2025, 3, 20 + index, 10, 0))
        db.session.add(application)
        db.session.flush()
        db.session.add_all([
            GrantBudgetLine(application_id=application.id, position=0, description="Takime dhe trajnime",
                            amount=amount * 6 // 10, cofinanced=cofinancing),
            GrantBudgetLine(application_id=application.id, position=1, description="Materiale informuese",
                            amount=amount - amount * 6 // 10, cofinanced=0)])
        for criterion in eligibility:
            db.session.add(GrantEligibilityCheck(application_id=application.id, criterion_id=criterion.id, met=True,
                                                 checked_at=datetime(2025, 4, 6, 10, 0)))
        applications.append(application)
    # the third scorer leads the third organisation: declared, excluded from it
    db.session.add(GrantConflict(member_id=members[2].id, application_id=applications[2].id,
                                 reason="Jam anëtare e bordit të shoqatës.", declared_at=datetime(2025, 4, 7, 9, 5)))
    marks = [(9, 8, 7), (8, 8, 8), (7, 6, 8)]
    for application, (a, b, c) in zip(applications, marks, strict=True):
        for member in members:
            if member is members[2] and application is applications[2]:
                continue
            for criterion, score in zip(scoring, (a, b, c), strict=True):
                db.session.add(GrantScore(member_id=member.id, application_id=application.id,
                                          criterion_id=criterion.id, score=score,
                                          comment="Lidhje e qartë me planin." if criterion is scoring[0] else None))
    db.session.flush()
    # the committee's proposal within the budget, approved by the council's decision
    for application in applications:
        application.status = "eligible"
    db.session.flush()
    for row in services.ranking(call):
        row.application.status = "proposed" if row.proposed else "not_funded"
    db.session.flush()
    funded = [a for a in applications if a.status == "proposed"]
    for number, application in enumerate(funded, start=1):
        award = GrantAward(application_id=application.id, call_id=call.id, contract_number=f"{number}/2025",
                           signed_on=date(2025, 6, 2), amount=application.amount_requested, status="running")
        db.session.add(award)
        db.session.flush()
        first = application.amount_requested * 6 // 10
        db.session.add_all([
            GrantTranche(award_id=award.id, position=1, amount=first, due_on=date(2025, 6, 15),
                         condition="Nënshkrimi i kontratës", disbursed_on=date(2025, 6, 16), disbursed_amount=first),
            GrantTranche(award_id=award.id, position=2, amount=application.amount_requested - first,
                         due_on=date(2025, 11, 30), condition="Raporti narrativ i pranuar",
                         disbursed_on=date(2025, 12, 5) if number == 1 else None,
                         disbursed_amount=application.amount_requested - first if number == 1 else None)])
        application.status = "awarded"
        if number == 1:
            results = ("U mbajtën 12 takime lagjeje me 340 banorë dhe policinë e komunitetit; u krijuan 3 grupe "
                       "gratë-polici; sondazhi i fundit tregon më shumë besim te policia.")
            db.session.add_all([
                GrantReport(award_id=award.id, kind="narrative", text="Gjysma e parë: 6 takime lagjeje.",
                            status="accepted", submitted_at=datetime(2025, 9, 1, 10, 0),
                            reviewed_at=datetime(2025, 9, 5, 10, 0)),
                GrantReport(award_id=award.id, kind="final", text=results, spent=application.amount_requested,
                            status="accepted", submitted_at=datetime(2025, 12, 15, 10, 0),
                            reviewed_at=datetime(2025, 12, 20, 10, 0))])
            award.status, award.results = "completed", results
        else:
            db.session.add(GrantReport(award_id=award.id, kind="narrative", status="returned",
                                       text="Klubet u krijuan në dy shkolla.",
                                       submitted_at=datetime(2025, 11, 20, 10, 0),
                                       review_comment="Shtoni listat e pjesëmarrësve dhe fotografitë.",
                                       reviewed_at=datetime(2025, 11, 25, 10, 0)))
    db.session.flush()


def _open_call(m) -> None:
    today = local_today()
    data = {"title": f"Grante për sigurinë në komunitet {today.year} — {m.name}",
            "objectives": "Aktivitete të planit vendor: siguria pranë shkollave, parandalimi i dhunës në familje.",
            "budget": 800_000, "max_per_grant": 300_000, "cofinancing_percent": 10,
            "opens_on": today - timedelta(days=10), "closes_on": today + timedelta(days=20),
            "decision_on": today + timedelta(days=50),
            "activity_ids": [a for a in [_activity_id()] if a],
            "eligibility_criteria": ["Organizatë jofitimprurëse e regjistruar në Shqipëri (NIPT)",
                                     "Vepron në territorin e bashkisë"],
            "scoring_criteria": [{"text": "Lidhja me planin vendor të sigurisë", "weight": 50, "max_score": 10},
                                 {"text": "Ndikimi te komuniteti", "weight": 30, "max_score": 10},
                                 {"text": "Kosto e arsyeshme", "weight": 20, "max_score": 10}]}
    call = services.create_call(data, user_id=None)
    services.open_call(call)
    services.submit_application(call, {
        "organisation": f"Shoqata Prindërit për Shkollën {m.name}", "nipt": "L81234567D",
        "contact_name": "Personi i kontaktit", "contact_email": f"prinderit.{m.slug}@demo.kvsp.al",
        "contact_phone": None, "project_title": "Rrugë e sigurt për në shkollë",
        "summary": "Vullnetarë prindër dhe policia e komunitetit pranë shkollave në orët e hyrjes dhe daljes.",
        "activity_id": data["activity_ids"][0] if data["activity_ids"] else None, "amount_requested": 200_000,
        "cofinancing": 30_000,
        "budget_lines": [{"description": "Jelekë dhe materiale", "amount": 120_000, "cofinanced": 30_000},
                         {"description": "Trajnimi i vullnetarëve", "amount": 80_000, "cofinanced": 0}]})
    # the committee is already named; one scorer has declared. Their links were e-mailed in the demo's past:
    # staff send a new one from the call page ("Send a new link") or the API (committee/<id>/link).
    for name, email in SCORERS[:2]:
        services.add_member(call, name=name, email=email, council_member_id=None)
    services.declare_no_conflict(services.committee(call)[0])


def _call_documents(m) -> None:
    """The terms of reference and the application form of each demo call (a small PDF each)."""
    from .call_documents import add_document

    for call in db.session.execute(select(GrantCall).order_by(GrantCall.id)).scalars():
        for title, name in (("Termat e referencës", "termat-e-references.pdf"),
                            ("Formulari i aplikimit", "formulari-i-aplikimit.pdf")):
            body = (f"%PDF-1.4\n% {title} — {call.title}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").encode()
            add_document(call, title, name, body, user_id=None)


def _programme(municipalities) -> None:
    """The Ministry's 2026 programme with a lot for the county of Elbasan (a budget shared by its
    municipalities' calls) and a lot for Korçë; opened, so each council running a lot has its draft call."""
    from ..municipalities.models import County
    from .models import GrantProgramme
    from .programmes import add_lot, create_programme, open_programme

    slugs = {m.slug for m in municipalities}
    if "elbasan" not in slugs or db.session.execute(select(GrantProgramme.id)).first() is not None:
        return
    korce = next((m for m in municipalities if m.slug == "korce"), None)
    county = db.session.execute(select(County).where(County.slug == "elbasan")).scalar_one_or_none()
    if county is None:
        return
    programme = create_programme(
        {"title": "Programi kombëtar i granteve për sigurinë në komunitet 2026",
         "description": "Grante për organizatat e shoqërisë civile që zbatojnë aktivitete të planeve vendore "
                        "të sigurisë, të drejtuara nga bashkitë.",
         "year": 2026, "opens_on": date(2026, 3, 1), "closes_on": date(2026, 12, 31)}, user_id=None)
    add_lot(programme, {"title": "Qarku i Elbasanit", "county_id": county.id, "budget": 3_000_000,
                        "max_per_grant": 500_000})
    if korce is not None:
        add_lot(programme, {"title": "Bashkia Korçë", "municipality_id": korce.id, "budget": 1_500_000,
                            "max_per_grant": 400_000})
    open_programme(programme, user_id=None)
