"""Building blocks for the grants tests and the isolation sweep."""
from __future__ import annotations

from datetime import date, timedelta

from safetycouncil.grants import services
from safetycouncil.grants.models import GrantAward, GrantTranche
from safetycouncil.timeutil import local_today

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def call_data(**overrides) -> dict:
    today = local_today()
    data = {"title": "Thirrje për grante të vogla komunitare", "objectives": "Partneritet komunitet-polici",
            "budget": 1_000_000, "max_per_grant": 400_000, "cofinancing_percent": 10,
            "opens_on": today - timedelta(days=5), "closes_on": today + timedelta(days=20),
            "decision_on": today + timedelta(days=40), "activity_ids": [],
            "eligibility_criteria": ["Organizatë e regjistruar", "Vepron në bashki"],
            "scoring_criteria": [{"text": "Lidhja me planin", "weight": 60, "max_score": 10},
                                 {"text": "Kosto e arsyeshme", "weight": 40, "max_score": 10}]}
    data.update(overrides)
    return data


def application_data(**overrides) -> dict:
    data = {"organisation": "Forumi i Gruas Elbasan", "nipt": "L12345678A", "contact_name": "Drita Hoxha",
            "contact_email": "drita@example.org", "contact_phone": None,
            "project_title": "Në partneritet për komunitet më të sigurt",
            "summary": "Takime lagjeje me policinë e komunitetit.", "activity_id": None,
            "amount_requested": 300_000, "cofinancing": 50_000,
            "budget_lines": [{"description": "Takime", "amount": 300_000, "cofinanced": 50_000}]}
    data.update(overrides)
    return data


def open_call(session, **overrides):
    call = services.create_call(call_data(**overrides), user_id=None)
    services.open_call(call)
    return call


def application(session, call, **overrides):
    row, token = services.submit_application(call, application_data(**overrides))
    return row, token


def award_graph(session, tag: str) -> dict:
    """An open call, taken to a decided call with an awarded application, a tranche, a report and a file."""
    call = open_call(session, title=f"Thirrje {tag}")
    row, token = application(session, call, organisation=f"Shoqata {tag}")
    attachment = services.add_attachment(row, "projekti.pdf", PDF)
    call.status = "closed"
    row.status = "proposed"
    call.status = "decided"
    session.flush()
    award = GrantAward(application_id=row.id, call_id=call.id, contract_number=f"K-{tag}",
                       signed_on=date(2026, 1, 15), amount=300_000)
    session.add(award)
    session.flush()
    session.add(GrantTranche(award_id=award.id, position=1, amount=300_000, due_on=date(2026, 2, 1)))
    row.status = "awarded"
    session.flush()
    report = services.submit_report(award, kind="narrative", text=f"Raport {tag}", spent=None)
    return {"call": call, "application": row, "token": token, "award": award, "report": report,
            "attachment": attachment}


def public_and_draft_calls(in_tenant, slug: str, secrets: dict) -> list[int]:
    """For the leak test: an awarded call (with an applicant's e-mail and a scorer's comment, never public)
    and a draft call (never public)."""
    from safetycouncil.grants.models import GrantCommitteeMember, GrantCriterion, GrantScore, token_hash

    with in_tenant(slug) as session:
        graph = award_graph(session, slug)
        graph["application"].contact_email = secrets["grant applicant's e-mail"]
        member = GrantCommitteeMember(call_id=graph["call"].id, name="Vlerësues", email="v@example.org",
                                      token_hash=token_hash("x"))
        session.add(member)
        session.flush()
        criterion = next(c for c in graph["call"].criteria if c.kind == "scoring") if graph["call"].criteria else \
            session.query(GrantCriterion).filter_by(call_id=graph["call"].id, kind="scoring").first()
        session.add(GrantScore(member_id=member.id, application_id=graph["application"].id,
                               criterion_id=criterion.id, score=7, comment=secrets["grant score comment"]))
        draft = services.create_call(call_data(title=secrets["draft grant call"]), user_id=None)
        return [graph["call"].id, draft.id]
