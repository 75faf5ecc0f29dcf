"""A judgement holds until its council's next change, not for an hour.

``engine.next_change`` names the first moment at which a council's verdicts can change while its
records stay as they are (midnight, a meeting's start, a due date, a record's time to come). The
cache keeps a judgement exactly until then, so the verdict a person sees is the one ``evaluate``
would give at that instant: Art. 11's 24 hours end at the minute, not at the next hour.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from safetycouncil.compliance import engine
from safetycouncil.timeutil import LOCAL_TIMEZONE

from .support import YEAR

TINY = timedelta(microseconds=1)


def _plain(result):
    return {rule: (v.status, v.evidence, v.at_risk) for rule, v in result.verdicts.items()}


def _judge(mid, when):
    return engine.evaluate([mid], YEAR, when).results[mid]


def test_nothing_changes_before_the_next_change(app, councils):
    """At random moments of the year, the verdicts just before the next change (and half-way to it)
    are the verdicts judged at the moment itself."""
    rng = random.Random(2024)
    start = datetime(YEAR, 1, 1, tzinfo=LOCAL_TIMEZONE)
    with app.app_context():
        for mid in councils:
            for _ in range(12):
                when = start + timedelta(seconds=rng.randrange(0, 366 * 24 * 3600))
                first = _judge(mid, when)
                until = first.valid_until
                assert when < until <= datetime.combine(when.date() + timedelta(days=1), time.min,
                                                        tzinfo=LOCAL_TIMEZONE)
                for later in (when + (until - when) / 2, until - TINY):
                    assert _plain(_judge(mid, later)) == _plain(first), (mid, when, later)


def test_a_due_date_ends_the_judgement_at_that_minute(app, councils, municipality_id):
    """Art. 11.3: "within 24 hours". Judged 10 minutes before the deadline, the judgement ends at the
    deadline itself, and the release not yet published fails from the next instant."""
    fier = municipality_id("fier")
    with app.app_context():
        meeting = next(d for d in _judge(fier, date(YEAR, 12, 31)).dues
                       if d.rule == "press-release" and d.done_at is not None and d.done_at > d.due)
        before = meeting.due - timedelta(minutes=10)
        result = _judge(fier, before)
        assert result.valid_until <= meeting.due
    # the release was published late: judged from the deadline's next instant, the rule fails
    with app.app_context():
        assert _judge(fier, meeting.due + TINY).verdicts["press-release"].status == "fail"


def test_the_cache_serves_a_judgement_only_until_its_next_change(app, councils, monkeypatch, municipality_id):
    """The cached verdicts equal ``evaluate`` at every moment: served from the cache inside a
    judgement's time, judged again from its next change on."""
    fier = municipality_id("fier")
    calls = []
    real = engine.evaluate

    def counting(ids, year, as_of=None, **kw):
        calls.append(list(ids))
        return real(ids, year, as_of, **kw)

    monkeypatch.setattr(engine, "evaluate", counting)
    when = datetime(YEAR, 10, 18, 11, 0, tzinfo=LOCAL_TIMEZONE)
    with app.app_context():
        monkeypatch.setattr(engine, "_now", lambda: when)
        first = engine.evaluate_cached([fier], YEAR)
        until = real([fier], YEAR, when).results[fier].valid_until
        monkeypatch.setattr(engine, "_now", lambda: until - TINY)
        again = engine.evaluate_cached([fier], YEAR)
        assert len(calls) == 1 and _plain(again.results[fier]) == _plain(first.results[fier])
        monkeypatch.setattr(engine, "_now", lambda: until)
        later = engine.evaluate_cached([fier], YEAR)
        assert len(calls) == 2
        assert _plain(later.results[fier]) == _plain(real([fier], YEAR, until).results[fier])
