"""Each council's latest judgement, kept in the database behind the cache (issue 16: no cold cliff).

The cache (Redis) holds every council's judgement under the stamps of its data until its
``next_change``. When the cache is empty — Redis restarted, a new cache server — every council
would have to be judged again at once: 6.6 s at 2,061 councils. So each judgement is also kept
here, as one row per council and year (``ComplianceJudgement``) with what it was judged from:

* the rules' code (``engine._CODE_VERSION``): a deployment that changes a rule never reads a
  judgement of the old code (and during a rolling deployment, old and new processes keep their own);
* the council's data stamp and the national stamp (``caching.stamps``): a change of any record of
  the council, of the Ministry's days off or of the model makes the row not hold any more;
* the moments between which it holds (``valid_from`` to ``valid_until``, the engine's
  ``next_change``): a due date passing ends it at that very moment.

A row is read only when all three still hold, so what it gives is what ``evaluate`` would give now
(tests/compliance/test_judgements.py compares them). Rows are written only by background work, never
by a person's request (the console may read from a replica):

* ``refresh`` — the schedule, every minute: the councils whose row no longer holds (their records
  changed, a due date passed) are judged again, set-wise, and stored: the table follows the records;
* ``judge_ahead`` — the schedule, before midnight: every council judged as of the coming midnight,
  stored as valid from then, because the structural rules judge every day so far and every
  judgement ends at midnight: the new day (and a new year) starts with every row in place;
* ``engine.warm`` (a deployment, ``flask compliance warm``) — ``refresh`` for the years it warms.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import delete, insert, or_, select

from ..caching import stamps
from ..extensions import db
from ..municipalities.models import Municipality
from ..tenancy import read_across_tenants, tenant
from ..timeutil import LOCAL_TIMEZONE, utcnow
from .models import ComplianceJudgement as Row


def _stamps(ids: list[int]) -> tuple[dict[int, str], str | None]:
    current = stamps.read([stamps.municipality_key(i) for i in ids] + [stamps.NATIONAL])
    by_id = {i: current[stamps.municipality_key(i)] for i in ids if stamps.municipality_key(i) in current}
    return by_id, current.get(stamps.NATIONAL)


def _holding(ids: list[int], year: int, moment: float, columns) -> list:
    """Rows of ``ids`` for ``year`` judged by this code and valid at ``moment`` (stamps not checked)."""
    from .engine import _CODE_VERSION, _scope_of, remember_municipalities

    if len(ids) > 1:
        remember_municipalities()
    stmt = select(Row.municipality_id, Row.data_stamp, Row.national_stamp, Row.valid_until, *columns).where(
        Row.year == year, Row.code_version == _CODE_VERSION, Row.valid_from <= moment, Row.valid_until > moment)
    if len(ids) <= 50:
        stmt = stmt.where(Row.municipality_id.in_(ids))
    wanted = set(ids)
    with read_across_tenants(_scope_of(ids)):
        return [row for row in db.session.execute(stmt) if row.municipality_id in wanted]


def lookup(municipality_ids, year: int, moment: float, *, evidence: bool) -> dict[int, dict]:
    """``{id: judgement}`` for the councils whose stored judgement holds at ``moment`` (epoch seconds),
    in the cache's shape: ``{"until": ..., "verdicts": {rule: (status, evidence, article, at_risk)}}``
    with ``evidence``, else ``{rule: (status, at_risk)}`` (the console: the evidence column is not read)."""
    ids = sorted({int(i) for i in municipality_ids})
    if not ids:
        return {}
    data_stamps, national = _stamps(ids)
    if national is None:
        return {}
    rows = _holding(ids, year, moment, [Row.verdicts] + ([Row.evidence] if evidence else []))
    found = {}
    for row in rows:
        if row.national_stamp != national or row.data_stamp != data_stamps.get(row.municipality_id):
            continue
        if evidence:
            verdicts = {rule: (status, *row.evidence[rule], risk) for rule, (status, risk) in row.verdicts.items()}
        else:
            verdicts = {rule: (status, risk) for rule, (status, risk) in row.verdicts.items()}
        found[row.municipality_id] = {"until": row.valid_until, "verdicts": verdicts}
    return found


def stale(municipality_ids, year: int, moment: float) -> list[int]:
    """The councils of ``municipality_ids`` without a stored judgement that holds at ``moment``."""
    ids = sorted({int(i) for i in municipality_ids})
    if not ids:
        return []
    data_stamps, national = _stamps(ids)
    holding = {row.municipality_id for row in _holding(ids, year, moment, [])
               if row.national_stamp == national and row.data_stamp == data_stamps.get(row.municipality_id)}
    return [i for i in ids if i not in holding]


def judge_and_store(municipality_ids, year: int, moment: datetime) -> int:
    """Judge ``municipality_ids`` for ``year`` as of ``moment`` (now, or a moment to come: the next
    midnight) and store each judgement as valid from ``moment``. The stamps are read before the
    records: a change committed meanwhile leaves a row that does not hold (judged again next time),
    never one that hides the change. Commits. Returns the number of councils stored."""
    from .engine import _CODE_VERSION, _now, _without_gc_pauses, evaluate, remember_municipalities

    ids = sorted({int(i) for i in municipality_ids})
    data_stamps, national = _stamps(ids)
    if not ids or national is None:
        return 0
    if len(ids) > 1:
        remember_municipalities()
    valid_from = moment.timestamp()
    with _without_gc_pauses():
        results = evaluate(ids, year, moment).results
        now, judged_at = _now().timestamp(), utcnow()
        stored = 0
        for mid, result in results.items():
            if mid not in data_stamps:
                continue  # no stamp yet: its key could not change with its records
            with tenant(mid):
                # this code's row for the same moment, and every row that has ended. Rows of another
                # code that still hold are left alone: during a rolling deployment the old and the new
                # processes each keep their own (they end by midnight at the latest)
                db.session.execute(delete(Row).where(
                    Row.year == year,
                    or_(Row.valid_until <= now, (Row.code_version == _CODE_VERSION) & (Row.valid_from == valid_from))))
                db.session.execute(insert(Row).values(
                    municipality_id=mid, year=year, code_version=_CODE_VERSION, data_stamp=data_stamps[mid],
                    national_stamp=national, valid_from=valid_from, valid_until=result.valid_until.timestamp(),
                    verdicts={rule: [v.status, v.at_risk] for rule, v in result.verdicts.items()},
                    evidence={rule: [v.evidence, v.article] for rule, v in result.verdicts.items()},
                    judged_at=judged_at))
            stored += 1
    db.session.commit()
    return stored


def _active_ids() -> list[int]:
    return list(db.session.execute(select(Municipality.id).where(Municipality.active.is_(True))).scalars())


def years_judged_on(day: date) -> list[int]:
    """The years judged on ``day``: this one, and last year in January (its year-end obligations)."""
    return [day.year - 1, day.year] if day.month == 1 else [day.year]


def refresh(years: list[int] | None = None) -> int:
    """Judge again, set-wise, every active council whose stored judgement no longer holds now (its
    records changed, a due date passed, the rules' code changed) and store it. Returns the number
    of councils judged (0 when every row holds: one query per year)."""
    from .engine import _now

    now = _now()
    ids = _active_ids()
    judged = 0
    for year in years or years_judged_on(now.date()):
        todo = stale(ids, year, now.timestamp())
        if todo:
            judged += judge_and_store(todo, year, now)
    return judged


def judge_ahead() -> int:
    """Every active council judged as of the coming midnight in Albania, stored as valid from then (the
    schedule runs it late in the evening): at midnight every judgement of the day ends, and the new
    day's are already in place. A council whose records change before midnight has a new stamp, so
    its row is not read; ``refresh`` judges it again. Returns the number of judgements stored."""
    from .engine import _now

    now = _now()
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=LOCAL_TIMEZONE)
    ids = _active_ids()
    return sum(judge_and_store(ids, year, midnight) for year in years_judged_on(midnight.date()))
