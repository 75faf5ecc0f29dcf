"""Factories for the isolation sweep (tests/tenancy/test_isolation_sweep.py): one per id the
council's routes take. Each runs inside the current tenant scope and returns the new id."""
from datetime import date

from safetycouncil.council.models import CouncilInstitution, CouncilMember, Institution


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


ID_FACTORIES = {"member_id": make_member, "institution_id": make_linked_institution}
