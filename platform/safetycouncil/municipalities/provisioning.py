"""Creating and updating the tenants from the data files under tenants/. Idempotent."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from ..config import PROJECT_ROOT
from ..extensions import db
from .models import County, Municipality

TENANTS_DIR = PROJECT_ROOT / "tenants"


@dataclass
class ProvisioningReport:
    counties_created: int = 0
    municipalities_created: int = 0
    updated: int = 0


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def provision(directory: Path = TENANTS_DIR) -> ProvisioningReport:
    """Create missing counties and municipalities, update changed names; never delete. Commits."""
    report = ProvisioningReport()
    counties = {c.iso_code: c for c in db.session.execute(select(County)).scalars()}
    for row in _rows(directory / "counties.csv"):
        county = counties.get(row["iso_code"])
        if county is None:
            county = County(slug=row["slug"], name=row["name"], iso_code=row["iso_code"])
            db.session.add(county)
            counties[row["iso_code"]] = county
            report.counties_created += 1
        elif (county.slug, county.name) != (row["slug"], row["name"]):
            county.slug, county.name = row["slug"], row["name"]
            report.updated += 1
    db.session.flush()
    municipalities = {m.slug: m for m in db.session.execute(select(Municipality)).scalars()}
    for row in _rows(directory / "municipalities.csv"):
        county = counties[row["county_iso_code"]]
        municipality = municipalities.get(row["slug"])
        if municipality is None:
            db.session.add(Municipality(slug=row["slug"], name=row["name"], county_id=county.id))
            report.municipalities_created += 1
        elif (municipality.name, municipality.county_id) != (row["name"], county.id):
            municipality.name, municipality.county_id = row["name"], county.id
            report.updated += 1
    db.session.commit()
    return report
