"""Ids for the isolation sweep (tests/tenancy/test_isolation_sweep.py): a ready data archive,
its (small) zip stored under the municipality's prefix. Runs inside the current tenant scope."""
import hashlib

from safetycouncil.data_protection.models import DataArchive
from safetycouncil.storage import object_key, storage
from safetycouncil.tenancy.context import current_municipality_id
from safetycouncil.timeutil import utcnow

ZIP = b"PK\x05\x06" + b"\x00" * 18  # an empty zip


def _archive(session, tag):
    key = object_key(current_municipality_id(), "archives", f"kvsp-{tag}.zip")
    storage().put(key, ZIP, "application/zip")
    row = DataArchive(status="ready", storage_key=key, size_bytes=len(ZIP), sha256=hashlib.sha256(ZIP).hexdigest(),
                      generated_at=utcnow(), summary={"tables": 0, "rows": 0, "files": 0})
    session.add(row)
    session.flush()
    return row.id


ID_FACTORIES = {"archive_id": _archive}
