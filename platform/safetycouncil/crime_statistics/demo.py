"""Demo crime statistics: 36 months of plausible, seasonal counts for every area of every municipality.

Deterministic (random.Random seeded with the municipality's slug) and fast (bulk inserts).
Elbasan has one month missing and one month revised, so that both show on its pages.
Idempotent: a municipality that already has uploads is left alone.
"""
from __future__ import annotations

import math
import random
from datetime import datetime, time

from sqlalchemy import func, insert, select, update

from ..accounts.models import User
from ..areas.models import Area
from ..extensions import db
from ..tenancy import tenant
from ..timeutil import utcnow
from .categories import ensure_default_categories, list_categories
from .models import CrimeCount, CrimeStatisticsUpload
from .services import add_months, month_key, this_month

DEMO_MONTHS = 36
# Monthly offences per category for an area of "size" 1.0, and the month of the seasonal peak.
BASE_RATES = {
    "theft": (9.0, 8), "burglary": (3.0, 12), "robbery": (0.8, 12), "assault": (3.5, 7),
    "domestic_violence": (2.5, 1), "sexual_offences": (0.3, 7), "offences_against_children": (0.4, 9),
    "drugs": (2.0, 8), "road_traffic_injury": (3.0, 8), "fraud": (1.5, 3), "property_damage": (2.5, 6),
    "public_order": (2.0, 7), "weapons": (1.0, 11),
}
LARGE = {"tirane": 12.0, "durres": 5.0, "vlore": 3.5, "elbasan": 3.0, "shkoder": 3.0, "fier": 3.0, "korce": 2.5,
         "berat": 1.6, "lushnje": 1.7, "kamez": 2.2, "kavaje": 1.2, "sarande": 1.2, "pogradec": 1.1}
ELBASAN_MISSING_BACK = 5  # months before the last complete month
ELBASAN_REVISED_BACK = 2


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _area_size(municipality_slug: str, area: Area, rng: random.Random) -> float:
    if municipality_slug != "elbasan":
        return LARGE.get(municipality_slug, rng.uniform(0.3, 1.0))
    if area.kind == "administrative_unit":
        return 1.6 if area.name == "Elbasan" else rng.uniform(0.15, 0.45)
    if area.kind == "neighbourhood":
        return rng.uniform(0.3, 0.6)
    return rng.uniform(0.05, 0.15)


def load_demo(municipalities) -> None:
    ensure_default_categories()
    db.session.commit()
    categories = list_categories()
    last = add_months(this_month(), -1)
    months = [add_months(last, -k) for k in range(DEMO_MONTHS - 1, -1, -1)]
    police = dict(db.session.execute(
        select(User.email, User.id).where(User.email.like("sk.policia.%"))).all())
    for municipality in municipalities:
        with tenant(municipality.id):
            if db.session.execute(select(func.count()).select_from(CrimeStatisticsUpload)).scalar():
                continue
            areas = list(db.session.execute(select(Area).order_by(Area.id)).scalars())
            if not areas:
                continue
            _load_municipality(municipality, areas, categories, months,
                               police.get(f"sk.policia.{municipality.slug}@demo.kvsp.al"))
            db.session.commit()


def _load_municipality(municipality, areas, categories, months, uploaded_by_id) -> None:
    rng = random.Random(municipality.slug)
    sizes = {a.id: _area_size(municipality.slug, a, rng) for a in areas}
    trend = rng.uniform(-0.01, 0.01)  # a slow drift per month
    skip = {add_months(months[-1], -ELBASAN_MISSING_BACK)} if municipality.slug == "elbasan" else set()
    revised = add_months(months[-1], -ELBASAN_REVISED_BACK) if municipality.slug == "elbasan" else None
    upload_rows = []
    for month in months:
        if month in skip:
            continue
        day = min(28, 3 + rng.randrange(8))
        upload_rows.append({
            "municipality_id": municipality.id, "month": month, "revision": 1, "is_revision": False,
            "filename": f"statistika-{municipality.slug}-{month_key(month)}.csv", "source": "csv", "note": None,
            "line_count": 0, "line_report": {"format": "csv", "lines": [], "demo": True},
            "uploaded_by_id": uploaded_by_id,
            "uploaded_at": min(datetime.combine(add_months(month, 1).replace(day=day), time(9)),
                               utcnow().replace(microsecond=0)),
        })
    db.session.execute(insert(CrimeStatisticsUpload), upload_rows)
    upload_ids = dict(db.session.execute(
        select(CrimeStatisticsUpload.month, CrimeStatisticsUpload.id)).all())
    counts, line_counts = [], {}
    for index, month in enumerate(months):
        if month in skip:
            continue
        for area in areas:
            for category in categories:
                rate, peak = BASE_RATES.get(category.code, (1.0, 6))
                season = 1 + 0.25 * math.cos(2 * math.pi * (month.month - peak) / 12)
                lam = rate * sizes[area.id] * season * (1 + trend * (index - len(months)))
                count = _poisson(rng, lam)
                if count:
                    counts.append({"municipality_id": municipality.id, "upload_id": upload_ids[month],
                                   "month": month, "area_id": area.id, "category_id": category.id,
                                   "count": count, "is_current": True})
                    line_counts[month] = line_counts.get(month, 0) + 1
    db.session.execute(insert(CrimeCount), counts)
    for month, n in line_counts.items():
        db.session.execute(update(CrimeStatisticsUpload).where(CrimeStatisticsUpload.id == upload_ids[month])
                           .values(line_count=n))
    if revised is not None:
        _revise(municipality, areas, categories, revised, upload_ids[revised], uploaded_by_id)


def _revise(municipality, areas, categories, month, first_upload_id, uploaded_by_id) -> None:
    """A correction of two figures of one month, as the police would upload it."""
    from .services import store_upload
    from .parsing import RawLine, Table

    by_code = {c.code: c for c in categories}
    city = next((a for a in areas if a.name == "Elbasan"), areas[0])
    current = dict(db.session.execute(
        select(CrimeCount.category_id, CrimeCount.count)
        .where(CrimeCount.upload_id == first_upload_id, CrimeCount.area_id == city.id)).all())
    lines = []
    for number, code in enumerate(("theft", "burglary"), start=2):
        corrected = current.get(by_code[code].id, 0) + (3 if code == "theft" else 1)
        lines.append(RawLine(number, {"month": month_key(month), "area": city.name, "category": code,
                                      "count": corrected}))
    table = Table(lines=lines, columns={"month": "muaji", "area": "zona", "category": "kategoria",
                                        "count": "numri"}, source="csv")
    upload = store_upload(table, filename=f"statistika-{municipality.slug}-{month_key(month)}-korrigjim.csv",
                          note="Korrigjim pas verifikimit të regjistrave të komisariatit.",
                          uploaded_by_id=uploaded_by_id)
    upload.uploaded_at = utcnow().replace(microsecond=0)
