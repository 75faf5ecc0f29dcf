"""The stored judgements behind the cache (issue 16): an empty cache is not a cold judgement of every
council, and what is read from the store is always what ``evaluate`` would give at that instant.

A stored judgement is read only while it holds: judged by the rules' code in force, from the
council's records and the national inputs as they are now (their stamps), and between its first
moment and its next change (a due date passing, midnight). The schedule keeps the rows following the
records (``refresh``, every minute) and judges every council ahead of each midnight (``judge_ahead``).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from safetycouncil.caching import cache
from safetycouncil.compliance import engine, judgements
from safetycouncil.compliance.models import ComplianceJudgement
from safetycouncil.extensions import db
from safetycouncil.meetings.models import Meeting
from safetycouncil.tenancy import read_across_tenants
from safetycouncil.timeutil import LOCAL_TIMEZONE

from .support import YEAR

WHEN = datetime(YEAR, 10, 18, 11, 0, tzinfo=LOCAL_TIMEZONE)
TINY = timedelta(microseconds=1)


def _at(monkeypatch, moment):
    monkeypatch.setattr(engine, "_now", lambda: moment)


def _plain(result):
    return {rule: (v.status, v.evidence, v.article, v.at_risk) for rule, v in result.verdicts.items()}


def _stored(ids, moment):
    found = judgements.lookup(ids, YEAR, moment.timestamp(), evidence=True)
    return {mid: value["verdicts"] for mid, value in found.items()}


def _judged_now(ids, moment):
    return {mid: _plain(r) for mid, r in engine.evaluate(ids, YEAR, moment).results.items()}


def _active():
    from safetycouncil.municipalities.models import Municipality

    return db.session.execute(select(func.count()).select_from(Municipality).where(Municipality.active.is_(True))
                              ).scalar_one()


def test_an_empty_cache_reads_the_stored_judgements_not_the_records(app, councils, monkeypatch):
    """After the schedule's refresh, every council's stored judgement is ``evaluate``'s at that moment,
    evidence included; with the cache emptied (Redis restarted), the console and the council pages
    are answered from the store, without judging anyone."""
    with app.app_context():
        _at(monkeypatch, WHEN)
        assert judgements.refresh([YEAR]) == _active()
        assert judgements.refresh([YEAR]) == 0  # every row holds: nothing judged again
        assert _stored(councils, WHEN) == _judged_now(councils, WHEN)

        cache.clear()
        real = engine.evaluate
        monkeypatch.setattr(engine, "evaluate", lambda *a, **k: (_ for _ in ()).throw(AssertionError("judged")))
        console = engine.evaluate_cached(councils, YEAR, evidence=False)
        pages = engine.evaluate_cached(councils, YEAR)
        expected = real(councils, YEAR, WHEN).results
        for mid in councils:
            assert {r: (v.status, v.at_risk) for r, v in console.results[mid].verdicts.items()} == \
                {r: (v.status, v.at_risk) for r, v in expected[mid].verdicts.items()}
            assert _plain(pages.results[mid]) == _plain(expected[mid])


def test_a_change_of_records_is_never_read_from_the_store(app, councils, in_tenant, monkeypatch):
    """A write gives the council a new stamp: its stored judgement stops holding at once (the others
    still hold), the cache misses too, and the next refresh judges that council alone."""
    elbasan, fier = councils
    with app.app_context():
        _at(monkeypatch, WHEN)
        judgements.refresh([YEAR])
        before = engine.evaluate_cached([elbasan], YEAR).results[elbasan]
    with in_tenant("elbasan") as s:  # the secretariat stops monitoring after spring
        s.execute(delete(Meeting).where(Meeting.kind == "secretariat_monitoring",
                                        Meeting.starts_at >= datetime(YEAR, 5, 1)))
    with app.app_context():
        assert set(_stored(councils, WHEN)) == {fier}
        after = engine.evaluate_cached([elbasan], YEAR).results[elbasan]
        assert _plain(after) == _judged_now([elbasan], WHEN)[elbasan] != _plain(before)
        assert judgements.refresh([YEAR]) == 1
        assert _stored(councils, WHEN) == _judged_now(councils, WHEN)


def test_a_stored_judgement_ends_at_its_next_change(app, councils, monkeypatch):
    """Art. 11.3's 24 hours end at the minute: a stored judgement is read until the instant before its
    next change and not at it; the refresh at that moment judges again only the councils it ended."""
    with app.app_context():
        _at(monkeypatch, WHEN)
        judgements.refresh([YEAR])
        until = min(engine.evaluate(councils, YEAR, WHEN).results[mid].valid_until for mid in councils)
        assert until.date() == WHEN.date() or until == datetime.combine(
            WHEN.date() + timedelta(days=1), datetime.min.time(), tzinfo=LOCAL_TIMEZONE)
        assert _stored(councils, until - TINY) == _judged_now(councils, until - TINY)
        ended = {mid for mid in councils if engine.evaluate([mid], YEAR, WHEN).results[mid].valid_until == until}
        assert not ended & set(_stored(councils, until))
        after = until + timedelta(seconds=1)
        _at(monkeypatch, after)
        assert judgements.refresh([YEAR]) >= len(ended)
        assert _stored(councils, after) == _judged_now(councils, after)


def test_a_deployment_that_changes_the_rules_never_reads_the_old_judgements(app, councils, monkeypatch):
    """The new code judges every council again; during a rolling deployment the processes still on the
    old code keep reading their own rows (neither refresh removes the other's while they hold)."""
    with app.app_context():
        _at(monkeypatch, WHEN)
        judgements.refresh([YEAR])
        old_code = engine._CODE_VERSION
        monkeypatch.setattr(engine, "_CODE_VERSION", "new-rules-code")
        assert _stored(councils, WHEN) == {}
        assert judgements.stale(councils, YEAR, WHEN.timestamp()) == sorted(councils)
        assert judgements.refresh([YEAR]) == _active()
        assert _stored(councils, WHEN) == _judged_now(councils, WHEN)
        monkeypatch.setattr(engine, "_CODE_VERSION", old_code)
        assert judgements.refresh([YEAR]) == 0
        assert _stored(councils, WHEN) == _judged_now(councils, WHEN)


def test_every_council_is_judged_ahead_of_midnight(app, councils, monkeypatch):
    """The structural rules judge every day so far: every judgement ends at midnight. Judged ahead at
    23:40, the next day starts with every council's row in place, equal to ``evaluate`` just after
    midnight; before midnight the rows ahead are not read."""
    evening = datetime(YEAR, 10, 18, 23, 40, tzinfo=LOCAL_TIMEZONE)
    midnight = datetime(YEAR, 10, 19, tzinfo=LOCAL_TIMEZONE)
    with app.app_context():
        _at(monkeypatch, evening)
        assert judgements.judge_ahead() == _active()
        assert _stored(councils, evening) == {}
        for moment in (midnight, midnight + timedelta(seconds=1)):
            assert _stored(councils, moment) == _judged_now(councils, moment)


def test_the_new_year_starts_with_both_years_judged(app, councils, monkeypatch):
    """On 31 December at 23:40 the councils are judged ahead as of 1 January 00:00, for the year that
    ends (its year-end obligations fall due in January) and for the new one."""
    evening = datetime(YEAR, 12, 31, 23, 40, tzinfo=LOCAL_TIMEZONE)
    new_year = datetime(YEAR + 1, 1, 1, tzinfo=LOCAL_TIMEZONE)
    with app.app_context():
        _at(monkeypatch, evening)
        assert judgements.judge_ahead() == 2 * _active()
        assert _stored(councils, new_year) == _judged_now(councils, new_year)
        with read_across_tenants():
            years = set(db.session.execute(select(ComplianceJudgement.year).distinct()).scalars())
        assert years == {YEAR, YEAR + 1}


def test_a_row_judged_before_a_change_is_not_kept_as_current(app, councils, in_tenant, monkeypatch):
    """The stamps are read before the records: a change committed while the councils are judged leaves
    a row that does not hold (judged again by the next refresh), never one that hides the change."""
    elbasan, fier = councils
    real = engine.evaluate

    def judging_while_a_secretary_writes(ids, year, as_of=None, **kw):
        result = real(ids, year, as_of, **kw)
        with in_tenant("fier") as s:
            s.execute(delete(Meeting).where(Meeting.kind == "secretariat_monitoring"))
        return result

    with app.app_context():
        _at(monkeypatch, WHEN)
        monkeypatch.setattr(engine, "evaluate", judging_while_a_secretary_writes)
        judgements.refresh([YEAR])
        monkeypatch.setattr(engine, "evaluate", real)
        assert fier not in _stored(councils, WHEN)
        assert elbasan in _stored(councils, WHEN)


def test_a_council_reads_only_its_own_stored_judgements(app, councils, monkeypatch):
    """The rows name a council's meetings and members in their evidence: tenant-owned like its records.
    In Elbasan's scope only Elbasan's rows are seen (the ORM's filter; on PostgreSQL, row-level
    security even for plain SQL), and a read across tenants sees only the councils it names."""
    from sqlalchemy import text

    from safetycouncil.tenancy import tenant

    from ..conftest import PG

    elbasan, fier = councils
    with app.app_context():
        _at(monkeypatch, WHEN)
        judgements.refresh([YEAR])
        with tenant(elbasan):
            assert set(db.session.execute(select(ComplianceJudgement.municipality_id)).scalars()) == {elbasan}
            if PG:
                assert db.session.execute(text("SELECT DISTINCT municipality_id FROM compliance_judgements")
                                          ).scalars().all() == [elbasan]
        with read_across_tenants([elbasan, fier]):
            assert set(db.session.execute(select(ComplianceJudgement.municipality_id)).scalars()) == {elbasan, fier}
        assert set(judgements.lookup([fier], YEAR, WHEN.timestamp(), evidence=False)) == {fier}
