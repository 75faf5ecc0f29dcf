"""The unified model's vocabulary and numbers, for every area: one place to read them.

The Ministry edits the model's numbers as versions (``compliance.models.ComplianceModelVersion``,
in force from a year); ``parameter(name, year)`` reads the one in force, falling back to version 1's
defaults (``compliance.rules.DEFAULT_PARAMETERS``). Meetings' invitation deadlines, the press
release's deadline, the compliance rules and the councils' obligations all read them here, so a
change of the model moves every screen, reminder and verdict together.
"""
from __future__ import annotations

from datetime import date, datetime

from .timeutil import local_today

# Art. 4.1: the member categories (a)-(o)
ALL_CATEGORIES = tuple("abcdefghijklmno")
# Art. 7.2-7.3: council meetings (the ad hoc one has a smaller membership)
COUNCIL_KINDS = ("council", "council_ad_hoc")
# a plan version approved at a council meeting (later replaced by a revision, or still in force)
APPROVED_VERSION = ("approved", "superseded")
# a monitoring report approved by the chair (and perhaps published)
REPORT_APPROVED = ("approved", "published")
# Art. 9.3, 10.1: the institution each secretariat seat's holder comes from
SEAT_INSTITUTION = {
    "secretariat_municipality": "municipality",
    "secretariat_police": "police",
    "secretariat_prosecution": "prosecution",
    "technical_secretariat": "municipality",
}


def parameters(year: int | None = None) -> dict:
    """The numbers of the model version in force in ``year`` (default: this year in Albania); read
    once per year and request (or application context)."""
    from flask import g, has_app_context

    from .compliance.engine import model_for
    from .compliance.rules import DEFAULT_PARAMETERS

    year = year or local_today().year
    memo = g.setdefault("_kvsp_model_parameters", {}) if has_app_context() else {}
    if year not in memo:
        model = model_for(year)
        memo[year] = {**DEFAULT_PARAMETERS,
                      **{k: v for k, v in model.parameters.items() if k in DEFAULT_PARAMETERS}}
    return memo[year]


# Art. 11: what a press release must say
PRESS_RELEASE_CONTENTS = ("time_and_place", "participation", "agenda_summary", "discussion_essence")


def press_release_missing(values) -> list[str]:
    """Art. 11: the contents a press release lacks. The time of the meeting must name a time (digits);
    the others must say something (a few characters at least). The publishing form, the API and the
    compliance rule all read this."""
    get = values.get if isinstance(values, dict) else (lambda f: getattr(values, f))
    missing = []
    for key in PRESS_RELEASE_CONTENTS:
        text = (get(key) or "").strip()
        ok = any(ch.isdigit() for ch in text) if key == "time_and_place" else len(text) >= 3
        if not ok:
            missing.append(key)
    return missing


def parameter(name: str, year: int | None = None) -> int:
    return int(parameters(year)[name])


def notice_working_days(day: date | datetime) -> int:
    """Art. 7.4: working days of notice for a meeting on ``day``, from the model in force that year."""
    return parameter("notice_working_days", day.year)


def press_release_hours(day: date | datetime) -> int:
    """Art. 11: hours to publish the press release of a meeting on ``day``."""
    return parameter("press_release_hours", day.year)
