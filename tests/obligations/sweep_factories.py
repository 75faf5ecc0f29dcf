"""Ids for the isolation sweep (tests/tenancy/test_isolation_sweep.py): a waiver of an obligation.
Runs inside the current tenant scope."""
from safetycouncil.obligations.models import Waiver


def _waiver(session, tag):
    row = Waiver(rule="monthly-monitoring", key=f"2099-01-{tag}", reason=f"Arsye {tag}")
    session.add(row)
    session.flush()
    return row.id


ID_FACTORIES = {"waiver_id": _waiver}
