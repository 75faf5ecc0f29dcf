"""The roll-out the Ministry monitors (issue 19): which municipalities adopted the unified-model
regulation and when (their establishment decisions), which Prefectures held consultation tables in
the year (``ConsultationTable`` rows and their dates, read only), and whether each month's crime
statistics were published on time — the Open Government commitment: "State police should make public
information on crime statistics every month". "On time" is a parameter of the model
(``crime_statistics_publication_day``: by the 15th of the following month, versioned like the
others); a month's publication is its first upload (``CrimeStatisticsUpload``).

Read-only, for the Ministry (every municipality) and a Prefecture (its county's), inside
``read_across_tenants(ids)``: a fixed number of queries whatever the number of municipalities.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select

from .. import unified_model
from ..compliance.periods import end_of_day, utc_naive_to_aware
from ..consultation_tables.models import ConsultationTable
from ..council.models import CouncilEstablishment
from ..crime_statistics.models import CrimeStatisticsUpload
from ..extensions import db
from ..municipalities.models import County
from ..tenancy import read_across_tenants
from ..timeutil import now_in_albania

ON_TIME, LATE, MISSING, PENDING = "on_time", "late", "missing", "pending"


def crime_statistics_due(month: date) -> datetime:
    """A month's crime statistics are due by the end of the model's day of the following month."""
    year, number = (month.year + 1, 1) if month.month == 12 else (month.year, month.month + 1)
    day = unified_model.parameter("crime_statistics_publication_day", month.year)
    while True:
        try:
            return end_of_day(date(year, number, max(1, day)))
        except ValueError:
            day -= 1


@dataclass
class MunicipalityRollout:
    municipality: object
    adopted_on: date | None = None          # the first decision adopting the unified-model regulation
    adopted_number: str | None = None
    in_force_number: str | None = None      # the decision in force at the end of the period
    in_force_date: date | None = None
    published_on: date | None = None        # Art. 13: that decision's regulation on the official website
    months: list[dict] = field(default_factory=list)  # {"month", "due", "published", "state", "days_late"}

    def count(self, state: str) -> int:
        return sum(m["state"] == state for m in self.months)

    @property
    def adopted_by_year_end(self) -> bool:
        return self.adopted_on is not None


@dataclass
class Rollout:
    year: int
    now: datetime
    municipalities: list[MunicipalityRollout]
    tables: list[dict]  # per county: {"county", "count", "dates"}

    @property
    def adopted(self) -> int:
        return sum(r.adopted_on is not None for r in self.municipalities)

    @property
    def counties_with_tables(self) -> int:
        return sum(t["count"] > 0 for t in self.tables)

    def crime_total(self, state: str) -> int:
        return sum(r.count(state) for r in self.municipalities)


def rollout(municipalities, year: int, now: datetime | None = None, counties=None) -> Rollout:
    """The roll-out of ``year`` for ``municipalities`` (and the consultation tables of ``counties``,
    by default the municipalities' counties), as of ``now`` (Albanian time)."""
    now = now or now_in_albania()
    last_day = min(now.date(), date(year, 12, 31))
    ids = [m.id for m in municipalities]
    with read_across_tenants(ids):
        decisions = db.session.execute(select(
            CouncilEstablishment.id, CouncilEstablishment.municipality_id, CouncilEstablishment.decision_number,
            CouncilEstablishment.decision_date, CouncilEstablishment.adopts_unified_model,
            CouncilEstablishment.published_on)).all()
        uploads = db.session.execute(
            select(CrimeStatisticsUpload.municipality_id, CrimeStatisticsUpload.month,
                   func.min(CrimeStatisticsUpload.uploaded_at))
            .where(CrimeStatisticsUpload.month >= date(year, 1, 1), CrimeStatisticsUpload.month <= date(year, 12, 1))
            .group_by(CrimeStatisticsUpload.municipality_id, CrimeStatisticsUpload.month)).all()
    by_municipality = defaultdict(list)
    for d in decisions:
        by_municipality[d.municipality_id].append(d)
    published = {(u[0], u[1]): utc_naive_to_aware(u[2]) for u in uploads}
    rows = []
    for m in municipalities:
        row = MunicipalityRollout(m)
        mine = sorted((d for d in by_municipality.get(m.id, []) if d.decision_date <= last_day),
                      key=lambda d: (d.decision_date, d.id))
        unified = [d for d in mine if d.adopts_unified_model]
        if unified:
            row.adopted_on, row.adopted_number = unified[0].decision_date, unified[0].decision_number
        if mine:
            current = mine[-1]
            row.in_force_number, row.in_force_date = current.decision_number, current.decision_date
            row.published_on = current.published_on
        for number in range(1, 13):
            month = date(year, number, 1)
            if month > last_day:
                break
            due = crime_statistics_due(month)
            at = published.get((m.id, month))
            if at is not None and at <= now:
                state = ON_TIME if at <= due else LATE
            else:
                state = MISSING if now > due else PENDING
            entry = {"month": month, "due": due, "published": at, "state": state}
            if state == LATE:
                entry["days_late"] = (at.date() - due.date()).days
            row.months.append(entry)
        rows.append(row)
    county_ids = sorted({m.county_id for m in municipalities}) if counties is None else [c.id for c in counties]
    held = db.session.execute(select(ConsultationTable.county_id, ConsultationTable.held_on)
                              .where(ConsultationTable.county_id.in_(county_ids),
                                     ConsultationTable.held_on >= date(year, 1, 1),
                                     ConsultationTable.held_on <= last_day)
                              .order_by(ConsultationTable.held_on)).all()
    dates = defaultdict(list)
    for county_id, day in held:
        dates[county_id].append(day)
    names = {c.id: c for c in db.session.execute(select(County).where(County.id.in_(county_ids))).scalars()}
    tables = [{"county": names[cid], "count": len(dates.get(cid, [])), "dates": dates.get(cid, [])}
              for cid in sorted(county_ids, key=lambda i: names[i].name) if cid in names]
    return Rollout(year, now, rows, tables)
