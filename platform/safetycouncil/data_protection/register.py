"""The register of personal data (records of processing, as in Art. 30 GDPR, which Albania's law follows).

Every table of the platform is either here, in ``REGISTER`` (which columns hold personal data,
whose, why, on what legal basis, for how long, and who can see it), or in ``NO_PERSONAL_DATA``
with the reason. A test fails when a new table is in neither, so none is forgotten; another
checks that every column named here exists. The Ministry reads it on /national/data-protection.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

# Whose data.
MEMBERS = _l("Council members, their substitutes and invited participants")
STAFF = _l("Staff accounts: municipal, police and prosecution staff, Prefectures, the Ministry, administrators")
CITIZENS = _l("Citizens who raised concerns")
RESPONDENTS = _l("Survey respondents (anonymous)")
PARTICIPANTS = _l("People taking part in meetings and consultation tables")
NAMED = _l("Staff accounts, and anyone named in the records concerned")
APPLICANTS = _l("Contact people of organisations applying for community grants, and grant scorers")

# On what legal basis.
REGULATION = _l("Public task: the council's regulation, adopted by the Municipal Council")
PUBLICATION = _l("Public task: the regulation requires the press release to be published (Art. 11)")
PLATFORM = _l("Public task: running the platform securely and accountably")
PREFECT = _l("Public task: the Prefect's coordination of the county's councils")
CONSENT = _l("Consent for the contact, which the citizen chose to leave; public task for the concern")
VOLUNTARY = _l("Public task; answering is voluntary and anonymous")
GRANTS = _l("Public task: awarding and accounting for public money to civil-society organisations")

# For how long (CONTACT_RETENTION and ARCHIVE_RETENTION take the current number of days).
RECORDS_KEPT = _l("As long as the council's records are kept in its archive")
WITH_ACCOUNT = _l("While the account exists; a disabled account is kept for the audit trail")
UNTIL_WITHDRAWN = _l("Until the role is withdrawn")
UNTIL_USED = _l("Until used, withdrawn or expired")
AUDIT_KEPT = _l("As long as the records it describes")
SURVEY_KEPT = _l("As long as the survey's results are kept")
CONTACT_RETENTION = "contact"
ARCHIVE_RETENTION = "archive"

# Who can see it.
MUNICIPALITY = _l("People with a role in the municipality, its Prefecture and the Ministry")
MUNICIPALITY_LOGGED = _l("People with a role in the municipality, its Prefecture and the Ministry; "
                         "every display of contact details is written to the audit trail")
STAFF_LOGGED = _l("The municipality's staff who manage its records; every display is written to the audit trail")
ACCOUNTS = _l("The person and the platform administrators; the staff of a municipality see the names and "
              "e-mails of the people with a role there (every display is written to the audit trail)")
ADMINISTRATORS = _l("Platform administrators")
NOBODY = _l("Nobody: only a hash is kept, to check what is presented")
AUDITORS = _l("The municipality's chair and technical secretary, and the Ministry with personal data masked "
              "(not the Prefecture); every unmasked view is written to the audit trail")
ARCHIVE_READERS = _l("The municipality's chair and technical secretary and the Ministry (not the Prefecture); "
                     "every download is written to the audit trail")
PUBLIC = _l("Everyone: published on the council's public page")
COUNTY = _l("The county's Prefecture and the Ministry")
AGGREGATES = _l("The municipality's staff; the public sees only results for groups large enough")
GRANT_STAFF = _l("The municipality's people with a role there, and the Ministry; the applicant through their "
                 "private link; the public sees only awarded organisations, amounts, purposes and results")


@dataclass(frozen=True)
class Entry:
    table: str
    label: object  # a lazy string
    columns: tuple[str, ...]
    subjects: object
    purpose: object
    legal_basis: object
    retention: object  # a lazy string, or CONTACT_RETENTION / ARCHIVE_RETENTION
    access: object


REGISTER: tuple[Entry, ...] = (
    Entry("council_members", _l("Council members and invited participants"),
          ("full_name", "position", "email", "phone", "substitute_name", "substitute_email", "substitute_phone",
           "user_id", "party_id"),
          MEMBERS, _l("The council's composition (Art. 4), invitations (Art. 7.4) and copies of decisions (Art. 7.8)"),
          REGULATION, RECORDS_KEPT, MUNICIPALITY_LOGGED),
    Entry("council_seats", _l("Seats of the council"), ("member_id", "started_on", "ended_on"),
          MEMBERS, _l("Who holds the chair and the secretariats' seats, and since when"),
          REGULATION, RECORDS_KEPT, MUNICIPALITY),
    Entry("invitations", _l("Meeting invitations"), ("member_id", "email", "sent_at", "error"),
          MEMBERS, _l("Sending each meeting's invitation on time (Art. 7.4)"),
          REGULATION, RECORDS_KEPT, MUNICIPALITY_LOGGED),
    Entry("material_links", _l("Links to a meeting's materials"),
          ("invitation_id", "token_hash", "first_opened_at", "last_opened_at", "open_count"),
          MEMBERS, _l("Letting every invitee open the agenda materials without an account (Art. 7.4)"),
          REGULATION, RECORDS_KEPT, MUNICIPALITY_LOGGED),
    Entry("decision_distributions", _l("Copies of decisions"), ("member_id", "email", "sent_at", "error"),
          MEMBERS, _l("Sending each member a copy of the council's decisions (Art. 7.8)"),
          REGULATION, RECORDS_KEPT, MUNICIPALITY),
    Entry("attendances", _l("Attendance at meetings"), ("member_id", "guest_name", "guest_institution", "status"),
          PARTICIPANTS, _l("The list of participants of each meeting (Art. 10.2)"),
          REGULATION, RECORDS_KEPT, MUNICIPALITY),
    Entry("agenda_items", _l("Agenda items"), ("presenter",),
          PARTICIPANTS, _l("Who presents each item of a meeting's agenda"),
          REGULATION, RECORDS_KEPT, MUNICIPALITY),
    Entry("minutes_versions", _l("Minutes"), ("text", "created_by_id"),
          PARTICIPANTS, _l("The minutes of each meeting: who took part and what they said (Art. 10.2)"),
          REGULATION, RECORDS_KEPT, MUNICIPALITY),
    Entry("press_releases", _l("Press releases"), ("participation",),
          PARTICIPANTS, _l("Who took part in each meeting, as the press release must say (Art. 11)"),
          PUBLICATION, RECORDS_KEPT, PUBLIC),
    Entry("documents", _l("Documents and recordings"), ("filename", "storage_key", "uploaded_by_id"),
          NAMED, _l("The files the Technical Secretariat keeps: regulations, decisions, materials, minutes, "
                    "participant lists and the audio recording of each meeting (Art. 10.2)"),
          REGULATION, RECORDS_KEPT, MUNICIPALITY),
    Entry("concerns", _l("Citizens' concerns"), ("source_name", "contact", "text"),
          CITIZENS, _l("Recording the safety concerns citizens raise (Art. 8.5) and getting back to them"),
          CONSENT, CONTACT_RETENTION, STAFF_LOGGED),
    Entry("survey_responses", _l("Answers to local safety surveys"), ("answers", "area_id", "received_on"),
          RESPONDENTS, _l("Measuring how safe citizens feel, area by area, wave after wave"),
          VOLUNTARY, SURVEY_KEPT, AGGREGATES),
    Entry("consultation_participants", _l("Participants in consultation tables"), ("name", "position", "organisation"),
          PARTICIPANTS, _l("Who took part in a Prefect's consultation table"),
          PREFECT, RECORDS_KEPT, COUNTY),
    Entry("consultation_tables", _l("Consultation tables"), ("chaired_by", "minutes"),
          PARTICIPANTS, _l("Who chaired a consultation table, and its minutes"),
          PREFECT, RECORDS_KEPT, COUNTY),
    Entry("consultation_themes", _l("Themes of consultation tables"), ("presented_by", "summary"),
          PARTICIPANTS, _l("Who presented a theme at a consultation table, and what was said"),
          PREFECT, RECORDS_KEPT, COUNTY),
    Entry("users", _l("Accounts"),
          ("name", "email", "password_hash", "totp_secret", "recovery_codes", "last_login_at", "failed_logins",
           "locked_until"),
          STAFF, _l("Signing in, invitations, notifications, and naming who did what"),
          PLATFORM, WITH_ACCOUNT, ACCOUNTS),
    Entry("role_assignments", _l("Roles"), ("user_id", "role", "municipality_id", "county_id", "granted_by_id"),
          STAFF, _l("Who may see and do what, where"),
          PLATFORM, UNTIL_WITHDRAWN, ACCOUNTS),
    Entry("institution_officers", _l("Institution officers"), ("user_id", "institution_id"),
          STAFF, _l("Which officers report progress on the plan for an institution"),
          REGULATION, UNTIL_WITHDRAWN, MUNICIPALITY),
    Entry("user_sessions", _l("Sign-in sessions"), ("user_id", "user_agent", "created_at", "revoked_at"),
          STAFF, _l("Keeping sign-ins secure, and ending them"),
          PLATFORM, WITH_ACCOUNT, ADMINISTRATORS),
    Entry("account_tokens", _l("Invitation and password-reset links"), ("user_id", "token_hash", "used_at"),
          STAFF, _l("Letting a person choose or reset their password"),
          PLATFORM, UNTIL_USED, NOBODY),
    Entry("api_tokens", _l("API tokens"), ("user_id", "token_hash", "revoked_at"),
          STAFF, _l("Access to the platform's API"),
          PLATFORM, UNTIL_USED, NOBODY),
    Entry("audit_entries", _l("Audit trail"), ("user_id", "changes", "request_id"),
          NAMED, _l("Accountability: who changed what, and who was shown personal data"),
          PLATFORM, AUDIT_KEPT, AUDITORS),
    Entry("data_archives", _l("Data archives of a municipality"), ("requested_by_id", "storage_key"),
          NAMED, _l("Exporting all of a municipality's data, for a handover or a request to see one's data"),
          PLATFORM, ARCHIVE_RETENTION, ARCHIVE_READERS),
    Entry("grant_applications", _l("Applications for community grants"),
          ("organisation", "contact_name", "contact_email", "contact_phone", "token_hash"),
          APPLICANTS, _l("Receiving, assessing and following applications for community grants"),
          GRANTS, RECORDS_KEPT, GRANT_STAFF),
    Entry("grant_committee_members", _l("Scoring committees of community grants"),
          ("name", "email", "council_member_id", "token_hash"),
          APPLICANTS, _l("Who scores a call's applications, and their private scoring link"),
          GRANTS, RECORDS_KEPT, MUNICIPALITY),
    Entry("grant_conflicts", _l("Conflicts of interest declared by grant scorers"), ("member_id", "reason"),
          APPLICANTS, _l("Keeping a scorer away from an application they have an interest in"),
          GRANTS, RECORDS_KEPT, MUNICIPALITY),
    Entry("grant_scores", _l("Scores of grant applications"), ("member_id", "comment"),
          APPLICANTS, _l("Each scorer's scores and comments, for a ranking that can be explained"),
          GRANTS, RECORDS_KEPT, MUNICIPALITY),
    Entry("grant_attachments", _l("Files of grant applications and reports"), ("filename", "storage_key"),
          APPLICANTS, _l("The documents an organisation sends with its application or reports"),
          GRANTS, RECORDS_KEPT, GRANT_STAFF),
    Entry("obligation_reminders_sent", _l("Reminders of obligations sent"), ("user_id", "sent_at"),
          STAFF, _l("Sending each reminder of the council's obligations once, and no more"),
          PLATFORM, WITH_ACCOUNT, ADMINISTRATORS),
    Entry("obligation_calendar_feeds", _l("Private calendar addresses of obligations"),
          ("user_id", "token_hash", "revoked_at"),
          STAFF, _l("A person's private calendar of the council's obligations"),
          PLATFORM, UNTIL_USED, NOBODY),
)

# Why a table holds no personal data.
REFERENCE = _l("Reference data: counties and municipalities")
NATIONAL = _l("National lists and settings kept by the Ministry")
RECORDS = _l("The council's records: people appear in them only as the account that made or approved a change "
             "(see Accounts)")
FIGURES = _l("Figures and results for areas or whole municipalities: nobody can be identified")
CODES = _l("Single-use survey codes, never linked to a person")
INSTITUTIONS = _l("Public institutions and their official contact details")
TECHNICAL = _l("Technical bookkeeping of the platform: nothing about any person")

NO_PERSONAL_DATA: dict[str, object] = {
    "counties": REFERENCE, "municipalities": REFERENCE,
    "extra_days_off": NATIONAL, "risk_categories": NATIONAL, "offence_categories": NATIONAL,
    "crime_statistics_settings": NATIONAL, "compliance_model_versions": NATIONAL,
    "survey_questionnaires": NATIONAL, "survey_questions": NATIONAL, "data_protection_settings": NATIONAL,
    "institutions": INSTITUTIONS, "council_institutions": INSTITUTIONS,
    "areas": RECORDS, "council_establishments": RECORDS, "meetings": RECORDS, "agenda_materials": RECORDS,
    "decisions": RECORDS, "decision_versions": RECORDS, "risks": RECORDS, "risk_concerns": RECORDS,
    "risk_evidence": RECORDS, "risk_ratings": RECORDS, "plans": RECORDS, "plan_versions": RECORDS,
    "plan_items": RECORDS, "plan_activities": RECORDS, "plan_activity_institutions": RECORDS,
    "plan_indicators": RECORDS, "plan_funding": RECORDS, "progress_entries": RECORDS, "progress_values": RECORDS,
    "progress_evidence": RECORDS, "monitoring_reports": RECORDS, "consultation_recommendations": RECORDS,
    "recommendation_follow_ups": RECORDS,
    "survey_waves": RECORDS, "survey_wave_areas": RECORDS, "survey_local_questions": RECORDS,
    "survey_imports": RECORDS, "municipal_council_sessions": RECORDS, "municipal_council_parties": RECORDS,
    "survey_invitations": CODES,
    "crime_counts": FIGURES, "crime_statistics_uploads": FIGURES, "compliance_snapshots": FIGURES,
    "compliance_judgements": FIGURES,
    "data_stamps": TECHNICAL,  # tokens that change with every write, for caching
    "obligation_settings": NATIONAL, "obligation_waivers": RECORDS,
    "national_bodies": NATIONAL, "consultation_national_recommendations": RECORDS,
    "national_recommendation_follow_ups": RECORDS, "consultation_funding_requests": RECORDS,
    # webhooks: receivers' addresses (systems, not people), the events (the council's published records) and
    # the delivery log; who created a subscription is an account (see Accounts)
    "webhook_subscriptions": RECORDS, "webhook_national_subscriptions": RECORDS, "webhook_events": RECORDS,
    "webhook_deliveries": TECHNICAL, "webhook_delivery_attempts": TECHNICAL,
    "grant_calls": RECORDS, "grant_call_activities": RECORDS, "grant_criteria": RECORDS,
    "grant_budget_lines": RECORDS, "grant_eligibility_checks": RECORDS, "grant_awards": RECORDS,
    "grant_tranches": RECORDS, "grant_reports": RECORDS,
    "grant_call_documents": RECORDS, "grant_programmes": RECORDS, "grant_lots": RECORDS, "grant_lot_calls": RECORDS,
}


def entries() -> tuple[Entry, ...]:
    return REGISTER


def by_table() -> dict[str, Entry]:
    return {entry.table: entry for entry in REGISTER}
