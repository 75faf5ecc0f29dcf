"""Factories for the isolation sweep (tests/tenancy/test_isolation_sweep.py): one per id the
council's routes take. Each runs inside the current tenant scope and returns the new id."""
from datetime import date

from safetycouncil.council.models import CouncilEstablishment, CouncilInstitution, CouncilMember, Institution
from safetycouncil.council.models import MunicipalCouncilParty


def make_member(session, tag):
    member = CouncilMember(full_name=f"Anëtar {tag}", category="k", mandate_start=date(2024, 1, 1),
                           email=f"anetar.{tag}@example.org")
    session.add(member)
    session.flush()
    return member.id


def make_linked_institution(session, tag):
    """A global institution, linked to the current municipality's council only."""
    institution = Institution(name=f"Institucioni {tag}", kind="civil_society")
    session.add(institution)
    session.flush()
    session.add(CouncilInstitution(institution_id=institution.id))
    session.flush()
    return institution.id


def make_decision(session, tag):
    decision = CouncilEstablishment(decision_number=f"{tag}", decision_date=date(2022, 3, 4))
    session.add(decision)
    session.flush()
    return decision.id


def make_party(session, tag):
    party = MunicipalCouncilParty(name=f"Partia {tag}", represented_from=date(2023, 6, 1))
    session.add(party)
    session.flush()
    return party.id


ID_FACTORIES = {"member_id": make_member, "institution_id": make_linked_institution,
                "establishment_id": make_decision, "party_id": make_party}
