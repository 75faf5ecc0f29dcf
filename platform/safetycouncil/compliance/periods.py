"""Periods and due dates: the one table that the verdicts and the councils' obligations both read.

Every rule of the unified model, read forward, is a list of dated obligations (``Due``): the
invitation of each council meeting by the 5th working day before it, the press release by the
meeting's end + 24 hours, the Coordination Secretariat's meeting in each month, the open
consultation in each half-year, the plan approved by the date the Ministry sets... Each one says
when it is due (Albanian time), who must act, what record it concerns, and — once the record
exists — when it was fulfilled. The engine (``engine.py``) builds them from the records, set-wise,
and judges each rule from them: a due that has passed and was not met on time fails the rule.

A deadline on a day falls at the END of that day in Albanian time (23:59:59.999999): an obligation
met during its due day is on time; on the next day it is late. The press release's deadline is an
exact time (the meeting's end + the model's hours).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from datetime import UTC, date, datetime, time, timedelta

from ..timeutil import LOCAL_TIMEZONE


@lru_cache(maxsize=4096)
def end_of_day(day: date) -> datetime:
    """The last instant of ``day`` in Albania: a deadline "by ``day``"."""
    return datetime.combine(day, time.max, tzinfo=LOCAL_TIMEZONE)


def local_naive_to_aware(value: datetime) -> datetime:
    """A local, naive timestamp (meetings' start and end) as an aware datetime in Albania."""
    return value.replace(tzinfo=LOCAL_TIMEZONE)


def utc_naive_to_aware(value: datetime | None) -> datetime | None:
    """A stored timestamp (naive UTC) as an aware datetime."""
    return None if value is None else value.replace(tzinfo=UTC).astimezone(LOCAL_TIMEZONE)


def day_done(day: date | None) -> datetime | None:
    """A record dated by day only (a signature, an approval day): fulfilled during that day.
    Taken as the day's first instant, so that it is on time for a deadline on the same day."""
    return None if day is None else datetime.combine(day, time.min, tzinfo=LOCAL_TIMEZONE)


def as_moment(as_of: date | datetime | None, default: datetime) -> datetime:
    """The moment a judgement is made: a date means the end of that day (so a deadline falling on
    it is not yet missed), a naive datetime is Albanian local time."""
    if as_of is None:
        return default
    if isinstance(as_of, datetime):
        return as_of if as_of.tzinfo else as_of.replace(tzinfo=LOCAL_TIMEZONE)
    return end_of_day(as_of)


def press_release_due(meeting_ends_at: datetime, hours: int) -> datetime:
    """Art. 11: the press release within ``hours`` of the meeting (its end, local naive time)."""
    return local_naive_to_aware(meeting_ends_at) + timedelta(hours=hours)


@lru_cache(maxsize=256)
def months_of(year: int, months: int) -> tuple[tuple[date, date], ...]:
    """The year cut into periods of ``months`` months (6: the two halves; 1: the months)."""
    months = max(1, min(12, months))
    out, start = [], 1
    while start <= 12:
        end_month = min(12, start + months - 1)
        end = date(year, 12, 31) if end_month == 12 else date(year, end_month + 1, 1) - timedelta(days=1)
        out.append((date(year, start, 1), end))
        start += months
    return tuple(out)


@lru_cache(maxsize=1024)
def period_key(start: date, end: date) -> str:
    """A stable name for a period: "2026-03" (a month), "2026-H1" (a half), "2026" (a year)."""
    if start.month == end.month:
        return f"{start.year}-{start.month:02d}"
    if (start.month, end.month) == (1, 6):
        return f"{start.year}-H1"
    if (start.month, end.month) == (7, 12):
        return f"{start.year}-H2"
    if (start.month, end.month) == (1, 12):
        return str(start.year)
    return f"{start.isoformat()}..{end.isoformat()}"


MET, LATE, MISSING, PENDING = "met", "late", "missing", "pending"


@dataclass(slots=True)
class Due:
    """One dated obligation of one council under one rule."""

    municipality_id: int
    rule: str
    key: str                       # stable within (municipality, rule)
    article: str
    due: datetime                  # aware, Europe/Tirane
    role: str                      # technical_secretary, chair, coordination_secretariat
    subject_kind: str              # meeting, plan, report, month, half_year, year, seat, category, consultation
    subject_id: int | None = None
    period_start: date | None = None
    period_end: date | None = None
    done_at: datetime | None = None
    done_record: dict | None = None
    facts: dict = field(default_factory=dict)

    @property
    def on_time(self) -> bool:
        return self.done_at is not None and self.done_at <= self.due

    def state(self, now: datetime) -> str:
        """met (on time), late (met after the due date), missing (due passed, not met) or pending."""
        if self.done_at is not None and self.done_at <= now:
            return MET if self.done_at <= self.due else LATE
        return MISSING if now > self.due else PENDING

    def as_evidence(self, now: datetime) -> dict:
        """The plain facts of this period for a verdict's evidence (JSON)."""
        state = self.state(now)
        out = {"kind": f"period_{state}", "rule": self.rule, "key": self.key,
               "due": self.due.isoformat(timespec="minutes"), **self.facts}
        if self.period_start is not None:
            out.setdefault("period_start", self.period_start.isoformat())
            out.setdefault("period_end", self.period_end.isoformat())
        if self.done_at is not None and state in (MET, LATE):
            out["done"] = self.done_at.isoformat(timespec="minutes")
            if state == LATE:
                late = self.done_at - self.due
                out.setdefault("days_late", late.days + 1)  # started days after the deadline
                out["hours_late"] = round(late.total_seconds() / 3600, 2)
        if self.done_record:
            out.setdefault("record", self.done_record)
        return out


def dues_for(municipality_ids, year: int, now: datetime | None = None) -> dict[int, list[Due]]:
    """Every obligation of each council in ``year`` (past and future periods), judged as of ``now``
    (default: now in Albania), read set-wise inside ``read_across_tenants``."""
    from . import engine

    evaluation = engine.evaluate(municipality_ids, year, now)
    return {mid: list(result.dues) for mid, result in evaluation.results.items()}
