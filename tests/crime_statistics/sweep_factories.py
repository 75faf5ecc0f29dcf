"""Factories for the isolation sweep (tests/tenancy/test_isolation_sweep.py): one per id the crime
statistics routes take. Each runs inside the current tenant scope and returns the new id."""
from sqlalchemy import select

from safetycouncil.areas.models import Area
from safetycouncil.crime_statistics.categories import ensure_default_categories
from safetycouncil.crime_statistics.parsing import RawLine, Table
from safetycouncil.crime_statistics.services import add_months, month_key, store_upload, this_month


def make_upload(session, tag):
    """An upload of two months ago, with one line for the municipality's first area (no new area:
    the sweep counts areas)."""
    ensure_default_categories()
    area = session.execute(select(Area).order_by(Area.id)).scalars().first()
    month = month_key(add_months(this_month(), -2))
    table = Table(lines=[RawLine(2, {"month": month, "area": area.name, "category": "theft", "count": 4})],
                  columns={"month": "muaji", "area": "zona", "category": "kategoria", "count": "numri"})
    return store_upload(table, filename=f"sweep-{tag}.csv", uploaded_by_id=None).id


ID_FACTORIES = {"upload_id": make_upload}
