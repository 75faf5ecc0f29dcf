"""No change leaves no trace: every table the platform maps (link tables included) is audited, or is on the
reviewed list below with the reason; no service changes an audited table with a bulk statement (which the
trail, written from the ORM's flush, would not see)."""
import re
from pathlib import Path

from safetycouncil import models  # noqa: F401  (every model is mapped)
from safetycouncil.audit.models import Audited, AuditedLink
from safetycouncil.extensions import db

# Tables whose changes are not written to the trail as such, each with the reason (reviewed).
NOT_AUDITED = {
    "audit_entries": "the trail itself",
    "obligation_reminders_sent": "delivery bookkeeping of reminder digests (a sent log that makes the job "
                                 "idempotent); nothing a council records",
    "account_tokens": "one-time links, kept hashed; sending is recorded (invitation_sent, password_reset_requested)",
    "api_tokens": "kept hashed; issuing is recorded (api_token_issued)",
    "user_sessions": "sign-in sessions; every sign-in is recorded (sign_in)",
    "compliance_snapshots": "derived: the nightly verdicts, recomputed from audited records",
    "compliance_judgements": "derived: each council's latest judgement kept behind the cache, recomputed from "
                             "audited records",
    "counties": "reference data provisioned from tenants/ (under version control), never edited in the platform",
    "municipalities": "reference data provisioned from tenants/ (under version control), never edited in the platform",
    "crime_counts": "figures of an upload, kept as versions (is_current); each upload is audited (crime_statistics_uploads)",
    "data_stamps": "technical: a random token per municipality that changes with every write (caching)",
    "decision_distributions": "delivery bookkeeping of a decision's copies; the request is recorded "
                              "(decision_distribution_requested)",
    "invitations": "delivery bookkeeping of a meeting's invitations (status, errors, retries); the sending is "
                   "on the meeting (invitation_sent_at, audited)",
    "survey_invitations": "single-use anonymous codes, never linked to a person",
    "survey_responses": "anonymous answers: auditing them would link them to a time and a request",
    "webhook_events": "the outbox of events, written by the services whose own records are audited",
    "webhook_deliveries": "delivery bookkeeping of webhooks (state, retries); the log itself is shown to the "
                          "council and the Ministry",
    "webhook_delivery_attempts": "the delivery log of webhooks (each attempt, its status code or error)",
}

# Bulk statements on audited tables, reviewed: each writes its own entry.
BULK_REVIEWED = {
    ("data_protection/services.py", "Concern"): "the retention purge records personal_data_purged per municipality",
    ("meetings/invitations.py", "Meeting"): "the deadline reminders' claim of reminder_sent_at: a compare-and-set "
                                            "so that two schedulers never remind twice (bookkeeping, no one's change)",
}

PACKAGE = Path(__file__).resolve().parents[2] / "platform" / "safetycouncil"


def _mapped() -> dict[str, type]:
    return {m.local_table.name: m.class_ for m in db.Model.registry.mappers}


def test_every_table_is_audited_or_reviewed():
    mapped = _mapped()
    missing = []
    for name in sorted(db.metadata.tables):
        cls = mapped.get(name)  # None: a plain association table, never audited on its own
        audited = cls is not None and issubclass(cls, Audited | AuditedLink)
        if not audited and name not in NOT_AUDITED:
            missing.append(name)
    assert not missing, (f"neither audited nor reviewed: {missing}. Make the model Audited (a record) or "
                         f"AuditedLink (a link between records), or add it to NOT_AUDITED with the reason.")
    stale = sorted(n for n in NOT_AUDITED if n not in db.metadata.tables
                   or issubclass(mapped[n], Audited | AuditedLink))
    assert not stale, f"reviewed but audited now, or gone: {stale}"


def test_every_link_names_its_parent_and_its_records():
    classes = {cls.__name__: cls for cls in _mapped().values()}
    links = [cls for cls in classes.values() if issubclass(cls, AuditedLink)]
    assert {"PlanActivityInstitution", "RiskConcern", "SurveyWaveArea"} <= {cls.__name__ for cls in links}
    for cls in links:
        parent_column, parent_type, relation, target = cls.__audit_link__
        assert parent_column in cls.__table__.columns, cls
        assert issubclass(classes[parent_type], Audited), f"{cls.__name__}: its parent {parent_type} is not audited"
        assert target in cls.__mapper__.relationships, f"{cls.__name__}.{target} is not a relationship"
        assert not issubclass(cls, Audited), f"{cls.__name__}: a link is written on its parent, not twice"


def test_no_service_changes_an_audited_table_behind_the_trail():
    """A bulk UPDATE/DELETE bypasses the flush the trail listens to: a change without a trace."""
    classes = {cls.__name__: cls for cls in _mapped().values()}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.endswith("demo.py"):  # demo data, loaded once by ./scripts/run
            continue
        for name in re.findall(r"\b(?:update|delete)\((\w+)[).]", path.read_text(encoding="utf-8")):
            cls = classes.get(name)
            if cls is not None and issubclass(cls, Audited | AuditedLink) and (relative, name) not in BULK_REVIEWED:
                found.append(f"{relative}: {name}")
    assert not found, f"bulk statements on audited tables (change them through the ORM): {found}"
