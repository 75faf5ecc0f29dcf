"""What citizens see of compliance: each council's score and verdicts for the last full year.

Verdicts and scores are published; the evidence stays in the Ministry's console.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..municipalities.models import County, Municipality
from . import engine


@dataclass
class PublicSummary:
    year: int
    total: int
    complying: int
    results: dict[int, engine.CouncilResult]
    rules: list[str]


def last_full_year() -> int:
    return engine.local_today().year - 1


def summary(year: int | None = None) -> PublicSummary:
    year = year or last_full_year()
    ids = list(db.session.execute(select(Municipality.id).where(Municipality.active.is_(True))).scalars())
    evaluation = engine.evaluate_cached(ids, year, evidence=False)
    return PublicSummary(year, len(ids), evaluation.complying, evaluation.results, list(evaluation.model.rule_ids))


def summary_of(municipality) -> PublicSummary:
    """The same summary for one council (its public page): one council's verdicts, cached like all."""
    year = last_full_year()
    evaluation = engine.evaluate_cached([municipality.id], year, evidence=False)
    return PublicSummary(year, 1, evaluation.complying, evaluation.results, list(evaluation.model.rule_ids))


def open_data_rows(year: int | None = None) -> tuple[list[str], list[dict], int]:
    """One row per council and rule: the verdict, with the council's score."""
    result = summary(year)
    places = db.session.execute(select(Municipality.id, Municipality.slug, Municipality.name, County.name)
                                .join(County)).all()
    columns = ["municipality", "municipality_name", "county", "year", "rule", "verdict", "score"]
    rows = []
    for mid, slug, name, county in sorted(places, key=lambda p: (p[3], p[2])):
        council = result.results.get(mid)
        if council is None:
            continue
        for rule in result.rules:
            rows.append({"municipality": slug, "municipality_name": name, "county": county, "year": result.year,
                         "rule": rule, "verdict": council.verdicts[rule].status, "score": council.score})
    return columns, rows, result.year
