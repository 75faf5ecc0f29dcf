"""Demo: compliance snapshots for 2021-2026, computed from the meetings, records and plans demos
(which create exemplary and lagging councils), so the trends have years to show."""
from __future__ import annotations

from datetime import date

from .engine import local_today
from .services import take_snapshots

DEMO_YEARS = range(2021, 2027)


def load_demo(municipalities) -> None:
    ids = [m.id for m in municipalities]
    today = local_today()
    for year in DEMO_YEARS:
        if year > today.year:
            break
        take_snapshots(year, as_of=min(today, date(year, 12, 31)), municipality_ids=ids)
    from ..consultation_tables.demo import load_demo as load_tables

    load_tables(municipalities)
