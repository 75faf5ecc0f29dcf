"""Roles, what each may do, and where each applies."""
from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Role(StrEnum):
    ADMIN = "admin"
    MINISTRY = "ministry"
    PREFECTURE = "prefecture"
    CHAIR = "chair"
    TECHNICAL_SECRETARY = "technical_secretary"
    SECRETARIAT_MUNICIPALITY = "secretariat_municipality"
    SECRETARIAT_POLICE = "secretariat_police"
    SECRETARIAT_PROSECUTION = "secretariat_prosecution"
    MEMBER = "member"
    INSTITUTION_OFFICER = "institution_officer"


NATIONAL_ROLES = frozenset({Role.ADMIN, Role.MINISTRY})
COUNTY_ROLES = frozenset({Role.PREFECTURE})
MUNICIPALITY_ROLES = frozenset(Role) - NATIONAL_ROLES - COUNTY_ROLES

ROLE_LABELS = {
    Role.ADMIN: _l("Platform administrator"),
    Role.MINISTRY: _l("Ministry of Interior"),
    Role.PREFECTURE: _l("Prefecture"),
    Role.CHAIR: _l("Council chair (Mayor)"),
    Role.TECHNICAL_SECRETARY: _l("Technical secretary"),
    Role.SECRETARIAT_MUNICIPALITY: _l("Coordination Secretariat: municipality"),
    Role.SECRETARIAT_POLICE: _l("Coordination Secretariat: police"),
    Role.SECRETARIAT_PROSECUTION: _l("Coordination Secretariat: prosecution"),
    Role.MEMBER: _l("Council member"),
    Role.INSTITUTION_OFFICER: _l("Institution officer"),
}


class Permission(StrEnum):
    """What a role may do inside a municipality."""

    READ = "read"  # see the council's portal
    MANAGE_RECORDS = "manage_records"  # areas, documents, and later meetings, plans
    READ_AUDIT = "read_audit"  # the municipality's audit trail
    UPLOAD = "upload"  # add documents
    UPLOAD_CRIME_STATISTICS = "upload_crime_statistics"  # the police's monthly crime figures
    REPORT_PROGRESS = "report_progress"  # progress on the plan's activities (officers: their institution's only)
    # the municipality's whole data archive, every personal datum in it: its chair and technical
    # secretary (the controller's people) and the Ministry; not a Prefecture (data minimisation)
    EXPORT_DATA = "export_data"
    # personal data (e-mails, phones, citizens' contacts...) shown unmasked in the audit trail: the
    # municipality's chair and technical secretary, who manage those records; every such view is logged
    READ_PERSONAL_DATA = "read_personal_data"
    # the council's webhooks (subscriptions, their secrets, the delivery log): its chair and technical secretary
    MANAGE_WEBHOOKS = "manage_webhooks"
    # what only the council's chair decides: approving the monitoring report (Art. 8.6), correcting a
    # plan's approval recorded by mistake, waiving an obligation
    CHAIR_DECISIONS = "chair_decisions"


_SECRETARIAT = {Permission.READ, Permission.MANAGE_RECORDS, Permission.UPLOAD, Permission.REPORT_PROGRESS}
MUNICIPALITY_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CHAIR: frozenset({*_SECRETARIAT, Permission.READ_AUDIT, Permission.EXPORT_DATA,
                           Permission.READ_PERSONAL_DATA, Permission.MANAGE_WEBHOOKS, Permission.CHAIR_DECISIONS}),
    Role.TECHNICAL_SECRETARY: frozenset({*_SECRETARIAT, Permission.READ_AUDIT, Permission.UPLOAD_CRIME_STATISTICS,
                                         Permission.EXPORT_DATA, Permission.READ_PERSONAL_DATA,
                                         Permission.MANAGE_WEBHOOKS}),
    Role.SECRETARIAT_MUNICIPALITY: frozenset(_SECRETARIAT),
    Role.SECRETARIAT_POLICE: frozenset({*_SECRETARIAT, Permission.UPLOAD_CRIME_STATISTICS}),
    Role.SECRETARIAT_PROSECUTION: frozenset(_SECRETARIAT),
    Role.MEMBER: frozenset({Permission.READ}),
    Role.INSTITUTION_OFFICER: frozenset({Permission.READ, Permission.UPLOAD, Permission.REPORT_PROGRESS}),
}
# Ministry and administrators read every municipality; a Prefecture reads those of its county.
# None of them writes a municipality's records.
OVERSIGHT_PERMISSIONS = frozenset({Permission.READ})
# ... and the Ministry (not a Prefecture: data minimisation) reads a municipality's audit trail
# (personal data in it masked) and may take its data archive.
NATIONAL_OVERSIGHT_PERMISSIONS = OVERSIGHT_PERMISSIONS | {Permission.READ_AUDIT, Permission.EXPORT_DATA}


def label(role: str) -> str:
    return str(ROLE_LABELS[Role(role)])
