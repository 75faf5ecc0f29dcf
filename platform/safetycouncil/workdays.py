"""Working-day arithmetic for Albania (regulation Art. 7.4 invitation notice).

A working day is a Monday to Friday that is not an Albanian public holiday and
not an extra day off declared by the government.  Public holidays come from the
``holidays`` library with ``observed=True``: when a holiday falls on a Saturday
or Sunday, the library adds the following working day(s) (Monday, and Tuesday
when two holidays fall on one weekend) as separate entries named
"... (observed)".  Those days are days off too, and count as such here.

Islamic holidays (Eid al-Fitr, Eid al-Adha) in years the library has not
confirmed are estimates, marked "(estimated)" in their names.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays

__all__ = [
    "DEFAULT_NOTICE_DAYS",
    "add_working_days",
    "holiday_name",
    "invitation_deadline",
    "is_working_day",
    "working_days_between",
    "working_days_late",
]

DEFAULT_NOTICE_DAYS = 5

# Our language codes -> the library's.  Always pass one explicitly: when the
# library gets no (or an unsupported) language it picks one from the process
# locale (LANG, LANGUAGE, ...), so names would depend on the environment.
_LIBRARY_LANGUAGES = {"en": "en_US", "sq": "sq"}

_ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=None)
def _holiday_names(year: int, language: str) -> dict[date, str]:
    """Holiday names for one year, observed days included (cached)."""
    calendar = holidays.country_holidays(
        "AL", years=year, observed=True, language=_LIBRARY_LANGUAGES[language]
    )
    return {day: name for day, name in calendar.items() if day.year == year}


@lru_cache(maxsize=None)
def _holiday_dates(year: int) -> frozenset[date]:
    """Dates of the public holidays and observed days off of one year (cached)."""
    return frozenset(_holiday_names(year, "en"))


def _as_date(day: date) -> date:
    # A datetime never equals a date, so it would never match a holiday.
    return day.date() if isinstance(day, datetime) else day


def _days_off(extra_days_off: Iterable[date]) -> frozenset[date]:
    return frozenset(_as_date(day) for day in extra_days_off)


def _is_working(day: date, days_off: frozenset[date]) -> bool:
    return day.weekday() < 5 and day not in _holiday_dates(day.year) and day not in days_off


def _check_notice_days(notice_days: int) -> None:
    if notice_days < 0:
        raise ValueError(f"notice_days must be 0 or more, got {notice_days}")


def _add(day: date, n: int, days_off: frozenset[date]) -> date:
    step = _ONE_DAY if n > 0 else -_ONE_DAY
    remaining = abs(n)
    while remaining:
        day += step
        if _is_working(day, days_off):
            remaining -= 1
    return day


def _between(start: date, end: date, days_off: frozenset[date]) -> int:
    count = 0
    day = start + _ONE_DAY
    while day <= end:
        if _is_working(day, days_off):
            count += 1
        day += _ONE_DAY
    return count


def is_working_day(day: date, extra_days_off: Iterable[date] = ()) -> bool:
    """Return True if ``day`` is a working day in Albania.

    Saturdays, Sundays, public holidays, observed days off and the dates in
    ``extra_days_off`` are not working days.
    """
    return _is_working(_as_date(day), _days_off(extra_days_off))


def holiday_name(day: date, language: str = "en") -> str | None:
    """Return the library's name of the public holiday on ``day``, or None.

    ``language`` is "en" (English) or "sq" (Albanian).  Observed days off are
    named like "Liberation Day (observed)"; several holidays on one day are
    joined with "; ".  Weekends and extra days off have no name.
    """
    if language not in _LIBRARY_LANGUAGES:
        raise ValueError(f"language must be 'en' or 'sq', got {language!r}")
    day = _as_date(day)
    return _holiday_names(day.year, language).get(day)


def add_working_days(day: date, n: int, extra_days_off: Iterable[date] = ()) -> date:
    """Return the n-th working day after ``day`` (before it when n < 0).

    ``day`` itself is never counted; with n == 0 it is returned unchanged,
    even if it is not a working day.
    """
    return _add(_as_date(day), n, _days_off(extra_days_off))


def working_days_between(start: date, end: date, extra_days_off: Iterable[date] = ()) -> int:
    """Count the working days d with start < d <= end (0 if end <= start)."""
    return _between(_as_date(start), _as_date(end), _days_off(extra_days_off))


def invitation_deadline(
    meeting_day: date,
    notice_days: int = DEFAULT_NOTICE_DAYS,
    extra_days_off: Iterable[date] = (),
) -> date:
    """Return the last day on which the invitation may be sent (Art. 7.4).

    That is the ``notice_days``-th working day before ``meeting_day``; the
    meeting day itself does not count.  With ``notice_days`` == 0 it is the
    meeting day.  Raises ValueError if ``notice_days`` is negative.
    """
    _check_notice_days(notice_days)
    return _add(_as_date(meeting_day), -notice_days, _days_off(extra_days_off))


def working_days_late(
    sent_day: date,
    meeting_day: date,
    notice_days: int = DEFAULT_NOTICE_DAYS,
    extra_days_off: Iterable[date] = (),
) -> int:
    """Return by how many working days the notice falls short (0 if on time).

    0 when ``sent_day`` is on or before the deadline.  Otherwise a sending on
    a non-working day counts as made on the next working day, and the result
    is ``working_days_between(deadline, that working day)``, so it is at
    least 1.  Example: deadline Friday; sent Saturday, Sunday or Monday -> 1,
    Tuesday -> 2.

    For a sending before the meeting day this equals ``notice_days`` minus
    the working days d with sent_day <= d < meeting_day.  A sending on the
    meeting day is ``notice_days`` short; later sendings keep counting up.
    Raises ValueError if ``notice_days`` is negative.
    """
    _check_notice_days(notice_days)
    days_off = _days_off(extra_days_off)
    sent_day = _as_date(sent_day)
    deadline = _add(_as_date(meeting_day), -notice_days, days_off)
    if sent_day <= deadline:
        return 0
    while not _is_working(sent_day, days_off):
        sent_day += _ONE_DAY
    return _between(deadline, sent_day, days_off)
