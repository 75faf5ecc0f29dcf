"""Compliance services: the model's versions (the Ministry edits them), snapshots (the nightly job),
and the figures the console shows. Everything here reads several municipalities only through
the engine's ``read_across_tenants(ids)``, with the ids the caller may see."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from ..errors import ValidationFailed
from ..extensions import db
from ..municipalities.models import County, Municipality
from ..tenancy import read_across_tenants, tenant
from ..timeutil import utcnow
from . import engine
from .models import ComplianceModelVersion, ComplianceSnapshot
from .rules import DEFAULT_ARTICLES, DEFAULT_PARAMETERS, RULE_IDS

FIRST_YEAR = 2020


# --- who may see what ---------------------------------------------------------------------------

def municipalities(county_id: int | None = None) -> list[Municipality]:
    stmt = select(Municipality).join(County).where(Municipality.active.is_(True)).order_by(County.name,
                                                                                            Municipality.name)
    if county_id is not None:
        stmt = stmt.where(Municipality.county_id == county_id)
    return list(db.session.execute(stmt).scalars())


def municipality_in(slug: str, county_id: int | None) -> Municipality | None:
    """A municipality by slug, only if it is inside the county (or anywhere, for the Ministry)."""
    stmt = select(Municipality).where(Municipality.slug == slug, Municipality.active.is_(True))
    if county_id is not None:
        stmt = stmt.where(Municipality.county_id == county_id)
    return db.session.execute(stmt).scalar_one_or_none()


# --- the model ------------------------------------------------------------------------------------

def current_parameters(year: int) -> dict:
    return dict(engine.model_for(year).parameters)


def current_rules(year: int) -> list[dict]:
    return [dict(r) for r in engine.model_for(year).rules]


def versions_in_use() -> set[int]:
    """Versions that stored snapshots were judged by: never edited, only followed by new versions."""
    with read_across_tenants():
        return set(db.session.execute(select(ComplianceSnapshot.model_version_id).distinct()).scalars())


def create_model_version(valid_from, parameters: dict, rules: list[dict], *, note: str | None,
                         user_id: int | None) -> ComplianceModelVersion:
    """A new version of the model, in force from ``valid_from`` (a year). A version already used by
    snapshots is never changed: the same year is refused if its version is in use (choose a later
    one); an unused version of that year is replaced. The caller commits."""
    errors: dict[str, str] = {}
    try:
        valid_from = int(valid_from)
    except (TypeError, ValueError):
        valid_from = None
    if valid_from is None or not FIRST_YEAR <= valid_from <= 2100:
        errors["valid_from"] = _("Enter the first year the version is in force (from %(y)d).", y=FIRST_YEAR)
    clean_params = {}
    for name in DEFAULT_PARAMETERS:
        try:
            raw = parameters.get(name)
            value = int(DEFAULT_PARAMETERS[name] if raw in (None, "") else raw)
        except (TypeError, ValueError):
            value = -1
        if not 0 <= value <= 366:
            errors[f"param_{name}"] = _("Enter a whole number from 0 to 366.")
        clean_params[name] = value
    for name in ("consultation_interval_months", "monitoring_interval_months", "monitoring_report_interval_months",
                 "plan_approval_due_month"):
        if not errors.get(f"param_{name}") and not 1 <= clean_params[name] <= 12:
            errors[f"param_{name}"] = _("Enter a number of months from 1 to 12.")
    for name, low, high in (("plan_approval_due_day", 1, 31), ("quorum_percent", 0, 100),
                            ("ad_hoc_meetings_count", 0, 1)):
        if not errors.get(f"param_{name}") and not low <= clean_params[name] <= high:
            errors[f"param_{name}"] = _("Enter a whole number from %(low)d to %(high)d.", low=low, high=high)
    clean_rules = []
    for rule in rules:
        if rule.get("id") in RULE_IDS and rule["id"] not in {r["id"] for r in clean_rules}:
            article = str(rule.get("article") or DEFAULT_ARTICLES[rule["id"]]).strip()[:60]
            clean_rules.append({"id": rule["id"], "article": article})
    if not clean_rules:
        errors["rules"] = _("Keep at least one rule in the model.")
    if errors:
        raise ValidationFailed(errors)
    existing = db.session.execute(select(ComplianceModelVersion).where(
        ComplianceModelVersion.valid_from == valid_from)).scalar_one_or_none()
    if existing is not None:
        if existing.id in versions_in_use():
            raise ValidationFailed({"valid_from": _(
                "Version %(n)d, in force from %(y)d, has already been used to judge councils: it cannot be changed. "
                "Create a version from a later year.", n=existing.number, y=valid_from)})
        db.session.delete(existing)
        db.session.flush()
    number = (db.session.execute(select(func.max(ComplianceModelVersion.number))).scalar() or 0) + 1
    version = ComplianceModelVersion(number=number, valid_from=valid_from, parameters=clean_params,
                                     rules=clean_rules, note=(note or "").strip() or None, created_by_id=user_id)
    db.session.add(version)
    db.session.flush()
    return version


def ensure_version_one() -> ComplianceModelVersion:
    """Version 1 (seeded by migration 0008); recreated from the defaults if the table was emptied."""
    version = db.session.execute(select(ComplianceModelVersion).order_by(ComplianceModelVersion.valid_from)
                                 ).scalars().first()
    if version is None:
        version = ComplianceModelVersion(number=1, valid_from=FIRST_YEAR, parameters=dict(DEFAULT_PARAMETERS),
                                         rules=[{"id": r, "article": DEFAULT_ARTICLES[r]} for r in RULE_IDS],
                                         note="The unified model as in the IDM roadmap and the Elbasan regulation.")
        db.session.add(version)
        db.session.flush()
    return version


# --- snapshots -----------------------------------------------------------------------------------

def take_snapshots(year: int | None = None, as_of: date | None = None, municipality_ids=None) -> int:
    """Judge every council for ``year`` (default: this year, so far) and store one row per council
    and rule, replacing that year's previous rows. Returns the number of rows written."""
    year = year or engine.local_today().year
    ids = [m.id for m in municipalities()] if municipality_ids is None else list(municipality_ids)
    # as of today: through the cache, so the nightly job also warms it for the day's first readers
    evaluation = engine.evaluate_cached(ids, year) if as_of is None else engine.evaluate(ids, year, as_of)
    model = evaluation.model
    model_id = model.id if model.id is not None else ensure_version_one().id
    now = utcnow()
    written = 0
    for mid, result in evaluation.results.items():
        with tenant(mid):
            db.session.execute(delete(ComplianceSnapshot).where(ComplianceSnapshot.year == year))
            for rule_id, verdict in result.verdicts.items():
                db.session.add(ComplianceSnapshot(year=year, rule=rule_id, verdict=verdict.status,
                                                  evidence=verdict.evidence, model_version_id=model_id,
                                                  as_of=evaluation.as_of, computed_at=now))
                written += 1
            db.session.flush()
    db.session.commit()
    return written


def nightly_snapshot(year: int | None = None) -> int:
    """The background job (jobs.enqueue(nightly_snapshot)): this year so far, and last year in January
    (its last evidence may arrive after 31 December)."""
    today = engine.local_today()
    written = take_snapshots(year or today.year)
    if year is None and today.month == 1:
        written += take_snapshots(today.year - 1)
    return written


def trends(municipality_ids, years: list[int]) -> dict:
    """Per year, the share of councils complying fully and each rule's pass rate, nationally (all of
    ``municipality_ids``) and per county. Closed years come from the snapshots; the current year from
    the same judgement as the console (so the two never disagree), marked ``complete: False``: a
    year so far is not compared with whole years as if it were one."""
    ids = sorted(municipality_ids)
    this_year = engine.local_today().year
    with read_across_tenants(ids):
        rows = db.session.execute(select(
            ComplianceSnapshot.municipality_id, ComplianceSnapshot.year, ComplianceSnapshot.rule,
            ComplianceSnapshot.verdict).where(ComplianceSnapshot.year.in_([y for y in years if y != this_year]))).all()
    rows = list(rows)
    if this_year in years and ids:
        current = engine.evaluate_cached(ids, this_year, evidence=False)
        rows += [(mid, this_year, rule, v.status) for mid, r in current.results.items() for rule, v in r.verdicts.items()]
    county_of = dict(db.session.execute(select(Municipality.id, Municipality.county_id)
                                        .where(Municipality.id.in_(ids))).all())
    not_passed = defaultdict(set)     # (year) -> municipalities with a rule not passed
    seen = defaultdict(set)           # (year) -> municipalities judged
    rule_counts = defaultdict(lambda: [0, 0])  # (year, rule) -> [pass, due]
    for mid, year, rule, verdict in rows:
        seen[year].add(mid)
        if verdict != "pass":
            not_passed[year].add(mid)
        if verdict in ("pass", "fail"):
            rule_counts[(year, rule)][1] += 1
            rule_counts[(year, rule)][0] += verdict == "pass"
    national, by_county = [], defaultdict(list)
    for year in years:
        complying = seen[year] - not_passed[year]
        complete = year < this_year
        national.append({"year": year, "councils": len(seen[year]), "complying": len(complying), "complete": complete,
                         "percent": round(100 * len(complying) / len(seen[year])) if seen[year] else None})
        per_county = defaultdict(lambda: [0, 0])
        for mid in seen[year]:
            per_county[county_of.get(mid)][1] += 1
            per_county[county_of.get(mid)][0] += mid in complying
        for county_id, (ok, total) in per_county.items():
            by_county[county_id].append({"year": year, "complying": ok, "councils": total, "complete": complete,
                                         "percent": round(100 * ok / total) if total else None})
    rules = {rule: [{"year": y, "complete": y < this_year,
                     "rate": (round(100 * rule_counts[(y, rule)][0] / rule_counts[(y, rule)][1])
                              if rule_counts[(y, rule)][1] else None)} for y in years] for rule in RULE_IDS}
    return {"national": national, "by_county": dict(by_county), "rules": rules}


def snapshot_years(municipality_ids) -> list[int]:
    with read_across_tenants(sorted(municipality_ids)):
        return sorted(db.session.execute(select(ComplianceSnapshot.year).distinct()).scalars())
