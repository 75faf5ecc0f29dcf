"""Data protection (Albania's law on personal data follows the GDPR).

* Citizens' contact details on concerns are kept only for a retention period, then erased by a
  nightly job; the concern stays. The Ministry sets the period on /national/data-protection; until
  it does, the configuration's ``CONCERN_CONTACT_RETENTION_DAYS`` applies.
* Every display of personal data to staff is written to the audit trail as ``personal_data_viewed``.
* The register of personal data (``register.py``) says which tables hold what, and why.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from ..audit.models import AuditEntry
from ..audit.trail import record
from ..concerns.models import Concern
from ..errors import ValidationFailed
from ..extensions import db
from ..municipalities.models import Municipality
from ..tenancy import tenant
from ..timeutil import utcnow
from .models import MAX_RETENTION_DAYS, MIN_RETENTION_DAYS, DataProtectionSettings

PURGE_RUN = "personal_data_purge_run"
PURGED = "personal_data_purged"


def log_personal_data_viewed(entity_type: str, ids, fields: list[str]) -> None:
    """Record that personal data of these records was shown (the caller commits)."""
    ids = [i for i in ids if i is not None]
    if ids:
        record(db.session, "personal_data_viewed", entity_type, ",".join(str(i) for i in ids)[:40],
               details={"fields": fields, "ids": ids})


def log_contacts_shown(entity_type: str, records, fields) -> None:
    """Record, and commit, that the contact details (``fields``) of those ``records`` that hold some
    are being shown. For pages and API reads: the records just read stay loaded (the commit does not
    expire them), so showing a list costs no query per row."""
    shown = [r for r in records if any(getattr(r, f, None) for f in fields)]
    if not shown:
        return
    log_personal_data_viewed(entity_type, [r.id for r in shown],
                             [f for f in fields if any(getattr(r, f, None) for r in shown)])
    session = db.session()
    keep = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


# --- the retention period, a national setting ----------------------------------------------------

def _settings() -> DataProtectionSettings | None:
    return db.session.get(DataProtectionSettings, 1)


def contact_retention_days() -> int:
    """Days citizens' contact details on concerns are kept: the Ministry's setting, else the configuration."""
    settings = _settings()
    if settings is not None and settings.concern_contact_retention_days is not None:
        return settings.concern_contact_retention_days
    return int(current_app.config["CONCERN_CONTACT_RETENTION_DAYS"])


def retention_setting() -> DataProtectionSettings | None:
    """The saved row (who set the period and when), or None while the configuration's default applies."""
    settings = _settings()
    return settings if settings is not None and settings.concern_contact_retention_days is not None else None


def set_contact_retention_days(value, *, updated_by_id: int | None) -> int:
    """Validate and save the national retention period. The caller commits; bad input saves nothing."""
    text = str(value if value is not None else "").strip()
    if not re.fullmatch(r"[0-9]{1,5}", text) or not MIN_RETENTION_DAYS <= int(text) <= MAX_RETENTION_DAYS:
        raise ValidationFailed({"retention_days": _(
            "Enter a whole number of days from %(min)d to %(max)d.", min=MIN_RETENTION_DAYS, max=MAX_RETENTION_DAYS)})
    settings = _settings()
    if settings is None:
        settings = DataProtectionSettings(id=1)
        db.session.add(settings)
    settings.concern_contact_retention_days = int(text)
    settings.updated_at = utcnow()
    settings.updated_by_id = updated_by_id
    db.session.flush()
    return settings.concern_contact_retention_days


# --- erasure ------------------------------------------------------------------------------------------

def purge_concern_contacts(now=None) -> int:
    """Erase contact details older than the retention period, in every municipality. Commits.

    Each municipality where contacts were erased gets a ``personal_data_purged`` entry in its
    audit trail; every run, even one that erased nothing, leaves one ``personal_data_purge_run``."""
    days = contact_retention_days()
    cutoff = (now or utcnow()) - timedelta(days=days)
    total = 0
    for municipality_id in db.session.execute(select(Municipality.id)).scalars().all():
        with tenant(municipality_id):
            result = db.session.execute(
                update(Concern).where(Concern.contact.is_not(None), Concern.created_at < cutoff)
                .values(contact=None).execution_options(synchronize_session=False))
            if result.rowcount:
                record(db.session, PURGED, "Concern", None, municipality_id=municipality_id,
                       details={"contacts_erased": result.rowcount, "older_than_days": days})
                total += result.rowcount
            db.session.commit()
    record(db.session, PURGE_RUN, "Concern", None, details={"contacts_erased": total, "older_than_days": days})
    db.session.commit()
    return total


def nightly_erasure() -> dict:
    """The nightly data-protection job: erase expired contacts, delete expired archives."""
    from .archive import delete_expired_archives

    return {"contacts_erased": purge_concern_contacts(), "archives_deleted": delete_expired_archives()}


def last_purge() -> dict | None:
    """When the erasure last ran and what it erased: {"at", "contacts_erased", "older_than_days",
    "erased_last_year"}, or None before the first run."""
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == PURGE_RUN)
                               .order_by(AuditEntry.id.desc()).limit(1)).scalar_one_or_none()
    if entry is None:
        return None
    since: datetime = utcnow() - timedelta(days=365)
    runs = db.session.execute(select(AuditEntry.changes).where(
        AuditEntry.action == PURGE_RUN, AuditEntry.at >= since)).scalars().all()
    return {"at": entry.at, "contacts_erased": int(entry.changes.get("contacts_erased", 0)),
            "older_than_days": entry.changes.get("older_than_days"),
            "erased_last_year": sum(int(c.get("contacts_erased", 0)) for c in runs)}


def recent_purges(limit: int = 20) -> list[tuple[AuditEntry, str]]:
    """The latest erasures by municipality (entries carry the municipality id), with its name."""
    return db.session.execute(
        select(AuditEntry, Municipality.name).join(Municipality, Municipality.id == AuditEntry.municipality_id)
        .where(AuditEntry.action == PURGED).order_by(AuditEntry.id.desc()).limit(limit)).all()


def stored_contacts() -> int:
    """How many concerns in every municipality still hold a contact (a count, no content)."""
    from ..tenancy import read_across_tenants

    with read_across_tenants():
        return db.session.execute(select(func.count()).select_from(Concern)
                                  .where(Concern.contact.is_not(None))).scalar_one()
