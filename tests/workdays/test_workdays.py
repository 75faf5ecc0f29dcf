"""Tests for safetycouncil.workdays (Art. 7.4 invitation notice in working days)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from safetycouncil import workdays
from safetycouncil.workdays import (
    add_working_days,
    holiday_name,
    invitation_deadline,
    is_working_day,
    working_days_between,
    working_days_late,
)

D = date


# --- the two examples from the brief -------------------------------------------------------


def test_plain_week_deadline_is_previous_friday():
    assert invitation_deadline(D(2025, 10, 17)) == D(2025, 10, 10)


def test_kurban_bajram_2025_pushes_deadline_to_thursday():
    assert not is_working_day(D(2025, 6, 6))
    assert holiday_name(D(2025, 6, 6)) == "Eid al-Adha"
    assert holiday_name(D(2025, 6, 6), language="sq") == "Dita e Kurban Bajramit"
    assert invitation_deadline(D(2025, 6, 13)) == D(2025, 6, 5)


# --- New Year ------------------------------------------------------------------------------


def test_new_year_2025_deadline_falls_in_previous_year():
    # Tue 7, Mon 6, Fri 3, (Thu 2, Wed 1 holidays), Tue 31 Dec, Mon 30 Dec.
    assert invitation_deadline(D(2025, 1, 8)) == D(2024, 12, 30)


def test_new_year_2026():
    # Tue 6, Mon 5, (Fri 2, Thu 1 holidays), Wed 31, Tue 30, Mon 29 Dec.
    assert invitation_deadline(D(2026, 1, 7)) == D(2025, 12, 29)


def test_new_year_2027_on_friday_and_saturday_gives_observed_monday():
    assert holiday_name(D(2027, 1, 2)) == "New Year's Day"  # Saturday
    assert holiday_name(D(2027, 1, 4)) == "New Year's Day (observed)"
    assert not is_working_day(D(2027, 1, 4))
    assert is_working_day(D(2027, 1, 5))
    # Thu 7, Wed 6, Tue 5, (Mon 4 observed, Fri 1 holiday), Thu 31 Dec, Wed 30 Dec.
    assert invitation_deadline(D(2027, 1, 8)) == D(2026, 12, 30)


# --- 28/29 November ------------------------------------------------------------------------


def test_independence_and_liberation_day_2025_observed_monday():
    # 28 Nov 2025 is a Friday, 29 Nov a Saturday.  Law 7651 (as applied in the official
    # calendars) moves a weekend holiday to the next working day, and the library has
    # Monday 1 December 2025 as "Liberation Day (observed)".
    assert holiday_name(D(2025, 11, 28)) == "Flag and Independence Day"
    assert holiday_name(D(2025, 11, 29)) == "Liberation Day"
    assert holiday_name(D(2025, 12, 1)) == "Liberation Day (observed)"
    assert holiday_name(D(2025, 12, 1), "sq") == "Dita e Çlirimit (ditë pushimi e shtyrë)"
    assert not is_working_day(D(2025, 11, 28))
    assert not is_working_day(D(2025, 12, 1))
    assert is_working_day(D(2025, 11, 27))
    assert is_working_day(D(2025, 12, 2))
    # Thu 4, Wed 3, Tue 2, (Mon 1 observed, Fri 28 holiday), Thu 27, Wed 26.
    assert invitation_deadline(D(2025, 12, 5)) == D(2025, 11, 26)


def test_alphabet_day_2025_on_saturday_gives_observed_monday():
    assert holiday_name(D(2025, 11, 24)) == "Alphabet Day (observed)"
    assert not is_working_day(D(2025, 11, 24))


def test_independence_and_liberation_day_2026_both_on_weekend_give_monday_and_tuesday():
    assert holiday_name(D(2026, 11, 30)) == "Flag and Independence Day (observed)"
    assert holiday_name(D(2026, 12, 1)) == "Liberation Day (observed)"
    # Thu 3, Wed 2, (Tue 1, Mon 30 observed), Fri 27, Thu 26, Wed 25.
    assert invitation_deadline(D(2026, 12, 4)) == D(2026, 11, 25)


# --- holidays on a Sunday: the observed Monday is skipped ----------------------------------


def test_nevruz_2026_on_sunday_and_eid_al_fitr():
    assert D(2026, 3, 22).weekday() == 6
    assert holiday_name(D(2026, 3, 22)) == "Nowruz Day"
    assert holiday_name(D(2026, 3, 23)) == "Nowruz Day (observed)"
    assert holiday_name(D(2026, 3, 20)) == "Eid al-Fitr"
    # Thu 26, Wed 25, Tue 24, (Mon 23 observed, Fri 20 Eid al-Fitr), Thu 19, Wed 18.
    assert invitation_deadline(D(2026, 3, 27)) == D(2026, 3, 18)


def test_summer_day_2027_on_sunday():
    assert holiday_name(D(2027, 3, 14)) == "Summer Day"
    assert holiday_name(D(2027, 3, 15)) == "Summer Day (observed)"
    # Thu 18, Wed 17, Tue 16, (Mon 15 observed), Fri 12, Thu 11.
    assert invitation_deadline(D(2027, 3, 19)) == D(2027, 3, 11)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 3, 13), True),  # Friday before Summer Day
        (D(2026, 3, 16), False),  # Summer Day (Sat 14) observed
        (D(2026, 3, 17), True),
        (D(2025, 3, 24), False),  # Nevruz (Sat 22) observed
        (D(2025, 3, 31), False),  # Eid al-Fitr (Sun 30) observed
        (D(2024, 6, 17), False),  # Eid al-Adha (Sun 16) observed
        (D(2024, 12, 9), False),  # Youth Day (Sun 8) observed
        (D(2024, 3, 15), False),  # one-off government holiday, in the library
        (D(2027, 12, 27), False),  # Christmas (Sat 25) observed
        (D(2025, 12, 26), True),  # declared off for public administration; not in library
        (D(2025, 10, 18), False),  # plain Saturday
        (D(2025, 10, 19), False),  # plain Sunday
    ],
)
def test_is_working_day_table(day, working):
    assert is_working_day(day) is working


# --- Easter (Catholic and Orthodox) and Eid ------------------------------------------------


def test_easter_2026_both_mondays_off():
    assert holiday_name(D(2026, 4, 6)) == "Catholic Easter Sunday (observed)"
    assert holiday_name(D(2026, 4, 13)) == "Orthodox Easter Sunday (observed)"
    # (Mon 13), Fri 10, Thu 9, Wed 8, Tue 7, (Mon 6), Fri 3.
    assert invitation_deadline(D(2026, 4, 14)) == D(2026, 4, 3)
    # Thu 16, Wed 15, Tue 14, (Mon 13), Fri 10, Thu 9.
    assert invitation_deadline(D(2026, 4, 17)) == D(2026, 4, 9)


def test_easter_2025_shared_sunday_gives_a_single_monday():
    assert holiday_name(D(2025, 4, 20)) == "Catholic Easter Sunday; Orthodox Easter Sunday"
    assert holiday_name(D(2025, 4, 21)) == (
        "Catholic Easter Sunday (observed); Orthodox Easter Sunday (observed)"
    )
    assert not is_working_day(D(2025, 4, 21))
    assert is_working_day(D(2025, 4, 22))
    # Fri 25, Thu 24, Wed 23, Tue 22, (Mon 21), Fri 18.
    assert invitation_deadline(D(2025, 4, 28)) == D(2025, 4, 18)


def test_eid_days():
    assert holiday_name(D(2024, 4, 10)) == "Eid al-Fitr"
    assert holiday_name(D(2024, 6, 16)) == "Eid al-Adha"
    assert holiday_name(D(2024, 6, 17)) == "Eid al-Adha (observed)"
    assert holiday_name(D(2025, 3, 30), "sq") == "Dita e Bajramit të Madh"
    # Fri 12, Thu 11, (Wed 10 Eid al-Fitr), Tue 9, Mon 8, Fri 5.
    assert invitation_deadline(D(2024, 4, 15)) == D(2024, 4, 5)


def test_estimated_eid_is_labelled():
    assert holiday_name(D(2027, 5, 17)) == "Eid al-Adha (observed, estimated)"


# --- holiday_name --------------------------------------------------------------------------


def test_holiday_name_none_for_ordinary_days_and_weekends():
    assert holiday_name(D(2025, 10, 15)) is None
    assert holiday_name(D(2025, 10, 18)) is None


def test_holiday_name_rejects_unknown_language():
    with pytest.raises(ValueError):
        holiday_name(D(2025, 6, 6), language="fr")


def test_holiday_names_do_not_depend_on_process_locale(monkeypatch):
    # Without an explicit language the library picks one from these variables.
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.setenv(var, "sq_AL.UTF-8")
    workdays._holiday_names.cache_clear()
    workdays._holiday_dates.cache_clear()
    try:
        assert holiday_name(D(2025, 11, 28)) == "Flag and Independence Day"
        monkeypatch.setenv("LANGUAGE", "en_US")
        monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
        monkeypatch.setenv("LANG", "en_US.UTF-8")
        assert holiday_name(D(2025, 11, 28), "sq") == "Dita Flamurit dhe e Pavarësisë"
    finally:
        workdays._holiday_names.cache_clear()
        workdays._holiday_dates.cache_clear()


# --- extra days off declared by the government ---------------------------------------------


def test_declared_day_off_shifts_deadline_by_one():
    meeting = D(2025, 12, 31)
    # Tue 30, Mon 29, Fri 26, (Thu 25 Christmas), Wed 24, Tue 23.
    assert invitation_deadline(meeting) == D(2025, 12, 23)
    # Council of Ministers made Fri 26 Dec 2025 a day off for the public administration.
    extra = {D(2025, 12, 26)}
    assert not is_working_day(D(2025, 12, 26), extra)
    assert holiday_name(D(2025, 12, 26)) is None
    assert invitation_deadline(meeting, extra_days_off=extra) == D(2025, 12, 22)


def test_extra_days_off_accepts_any_iterable_including_generators():
    meeting = D(2025, 10, 17)
    gen = (d for d in [D(2025, 10, 13)])
    assert invitation_deadline(meeting, extra_days_off=gen) == D(2025, 10, 9)
    assert invitation_deadline(meeting, extra_days_off=[D(2025, 10, 13)]) == D(2025, 10, 9)
    gen = (d for d in [D(2025, 10, 13)])
    assert working_days_late(D(2025, 10, 10), meeting, extra_days_off=gen) == 1


def test_datetimes_are_treated_as_their_date():
    assert not is_working_day(datetime(2025, 6, 6, 9, 30))
    assert not is_working_day(D(2025, 10, 13), [datetime(2025, 10, 13, 0, 0)])
    assert invitation_deadline(datetime(2025, 10, 17, 18, 0)) == D(2025, 10, 10)


# --- lateness ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "late"),
    [
        (D(2025, 10, 1), 0),
        (D(2025, 10, 9), 0),
        (D(2025, 10, 10), 0),  # on the deadline (Friday)
        (D(2025, 10, 11), 1),  # Saturday after the deadline
        (D(2025, 10, 12), 1),  # Sunday after the deadline
        (D(2025, 10, 13), 1),  # one working day after
        (D(2025, 10, 14), 2),
        (D(2025, 10, 16), 4),  # day before the meeting
        (D(2025, 10, 17), 5),  # on the meeting day
        (D(2025, 10, 18), 6),  # after the meeting (Saturday)
        (D(2025, 10, 20), 6),  # after the meeting (Monday)
    ],
)
def test_working_days_late(sent, late):
    assert working_days_late(sent, D(2025, 10, 17)) == late


@pytest.mark.parametrize(
    ("sent", "late"),
    [
        (D(2025, 6, 5), 0),  # deadline
        (D(2025, 6, 6), 1),  # Kurban Bajram, a Friday
        (D(2025, 6, 7), 1),
        (D(2025, 6, 9), 1),
        (D(2025, 6, 10), 2),
    ],
)
def test_working_days_late_around_a_holiday(sent, late):
    assert working_days_late(sent, D(2025, 6, 13)) == late


def test_lateness_equals_notice_days_minus_notice_given():
    meeting = D(2025, 6, 13)
    for notice_days in (0, 1, 5, 10):
        sent = meeting - timedelta(days=40)
        while sent < meeting:
            given = sum(
                1
                for k in range((meeting - sent).days)
                if is_working_day(sent + timedelta(days=k))
            )
            expected = max(0, notice_days - given)
            assert working_days_late(sent, meeting, notice_days) == expected, (sent, notice_days)
            sent += timedelta(days=1)


def test_lateness_with_declared_day_off():
    extra = {D(2025, 12, 26)}
    assert working_days_late(D(2025, 12, 23), D(2025, 12, 31)) == 0
    assert working_days_late(D(2025, 12, 23), D(2025, 12, 31), extra_days_off=extra) == 1
    assert working_days_late(D(2025, 12, 26), D(2025, 12, 31), extra_days_off=extra) == 3


# --- zero and negative notice --------------------------------------------------------------


def test_zero_notice_days():
    meeting = D(2025, 10, 17)
    assert invitation_deadline(meeting, 0) == meeting
    assert working_days_late(meeting, meeting, 0) == 0
    assert working_days_late(D(2025, 10, 18), meeting, 0) == 1  # Saturday after
    assert working_days_late(D(2025, 10, 20), meeting, 0) == 1
    assert working_days_late(D(2025, 10, 21), meeting, 0) == 2
    # A meeting on a non-working day: the deadline is that day.
    assert invitation_deadline(D(2025, 6, 6), 0) == D(2025, 6, 6)


def test_one_notice_day():
    assert invitation_deadline(D(2025, 6, 9), 1) == D(2025, 6, 5)


def test_negative_notice_days_rejected():
    with pytest.raises(ValueError):
        invitation_deadline(D(2025, 10, 17), -1)
    with pytest.raises(ValueError):
        working_days_late(D(2025, 10, 10), D(2025, 10, 17), -1)


# --- working_days_between and add_working_days ---------------------------------------------


def test_working_days_between():
    assert working_days_between(D(2025, 10, 10), D(2025, 10, 17)) == 5
    assert working_days_between(D(2025, 6, 5), D(2025, 6, 13)) == 5  # 6 June is a holiday
    assert working_days_between(D(2025, 10, 10), D(2025, 10, 12)) == 0  # weekend only
    assert working_days_between(D(2025, 10, 10), D(2025, 10, 10)) == 0
    assert working_days_between(D(2025, 10, 17), D(2025, 10, 10)) == 0
    assert working_days_between(D(2025, 10, 9), D(2025, 10, 10)) == 1  # end counts
    assert working_days_between(D(2025, 10, 10), D(2025, 10, 13), [D(2025, 10, 13)]) == 0
    # Whole of 2025: 261 weekdays minus 14 holidays/observed days on weekdays.
    assert working_days_between(D(2024, 12, 31), D(2025, 12, 31)) == 247


def test_add_working_days():
    assert add_working_days(D(2025, 6, 5), 1) == D(2025, 6, 9)
    assert add_working_days(D(2025, 6, 9), -1) == D(2025, 6, 5)
    assert add_working_days(D(2025, 6, 7), 1) == D(2025, 6, 9)  # from Saturday
    assert add_working_days(D(2025, 6, 7), -1) == D(2025, 6, 5)
    assert add_working_days(D(2025, 10, 10), 5) == D(2025, 10, 17)
    assert add_working_days(D(2025, 10, 17), -5) == D(2025, 10, 10)
    assert add_working_days(D(2025, 10, 18), 0) == D(2025, 10, 18)
    assert add_working_days(D(2025, 12, 24), 5) == D(2026, 1, 5)  # 25 Dec, 1-2 Jan off
    assert add_working_days(D(2025, 12, 24), 5, [D(2025, 12, 26)]) == D(2026, 1, 6)


def test_add_and_between_agree():
    start = D(2025, 11, 20)  # a working Thursday
    assert is_working_day(start)
    for n in range(1, 30):
        end = add_working_days(start, n)
        assert is_working_day(end)
        assert working_days_between(start, end) == n
        assert add_working_days(end, -n) == start


# --- many meetings -------------------------------------------------------------------------


def test_ten_thousand_deadlines():
    first = D(2024, 1, 1)
    meetings = [first + timedelta(days=i % 1461) for i in range(10_000)]
    deadlines = [invitation_deadline(m) for m in meetings]
    assert len(deadlines) == 10_000
    for meeting, deadline in zip(meetings[:1461], deadlines[:1461]):
        assert deadline < meeting
        assert is_working_day(deadline)
        assert working_days_between(deadline, meeting - timedelta(days=1)) == 4
    assert deadlines[meetings.index(D(2025, 6, 13))] == D(2025, 6, 5)
