"""Data protection (Albania's law on personal data follows the GDPR).

* Citizens' contact details on concerns are kept only for a retention period (config
  ``CONCERN_CONTACT_RETENTION_DAYS``), then erased by a nightly job; the concern stays.
* Every display of personal data to staff is written to the audit trail as ``personal_data_viewed``.
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from ..audit.trail import record
from ..concerns.models import Concern
from ..extensions import db
from ..municipalities.models import Municipality
from ..tenancy import tenant
from ..timeutil import utcnow


def log_personal_data_viewed(entity_type: str, ids, fields: list[str]) -> None:
    """Record that personal data of these records was shown (the caller commits)."""
    ids = [i for i in ids if i is not None]
    if ids:
        record(db.session, "personal_data_viewed", entity_type, ",".join(str(i) for i in ids)[:40],
               details={"fields": fields, "ids": ids})


def purge_concern_contacts(now=None) -> int:
    """Erase contact details older than the retention period, in every municipality. Commits."""
    days = current_app.config["CONCERN_CONTACT_RETENTION_DAYS"]
    cutoff = (now or utcnow()) - timedelta(days=days)
    total = 0
    for municipality_id in db.session.execute(select(Municipality.id)).scalars().all():
        with tenant(municipality_id):
            result = db.session.execute(
                update(Concern).where(Concern.contact.is_not(None), Concern.created_at < cutoff)
                .values(contact=None).execution_options(synchronize_session=False))
            if result.rowcount:
                record(db.session, "personal_data_purged", "Concern", None, municipality_id=municipality_id,
                       details={"contacts_erased": result.rowcount, "older_than_days": days})
                total += result.rowcount
            db.session.commit()
    return total
