"""Job functions the job tests enqueue (jobs are called by dotted path)."""
from sqlalchemy import select

from safetycouncil.areas.models import Area
from safetycouncil.extensions import db
from safetycouncil.tenancy import current_municipality_id


def add_area(name: str) -> int:
    """Adds an area in whatever municipality the job runs in, and says which one that was."""
    db.session.add(Area(name=name, kind="village"))
    db.session.commit()
    return current_municipality_id()


def count_areas() -> int:
    return len(db.session.execute(select(Area)).scalars().all())
