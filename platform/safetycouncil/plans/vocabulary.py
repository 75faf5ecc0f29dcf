"""The words of the plan's table, in Albanian and English, as municipal staff write them.

These are data, not interface messages: the spreadsheet layout (headers, priority words, timing
phrases) must read and write the same words whatever the catalog holds, so that an exported
plan imports again unchanged and a sheet typed by hand in either language is understood.
"""
from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, datetime

from ..wording import fold
from ..schemas import FIRST_YEAR, LAST_YEAR
from .models import PERIODS, RECURRENCES

# Columns of the Elbasan table (Table 1), in order, plus two optional ones.
COLUMNS = ("number", "issue", "priority", "activities", "institutions", "timing", "partners", "indicators", "risk",
           "institution_ids")
REQUIRED_COLUMNS = ("number", "issue", "priority", "activities", "institutions", "timing")
HEADERS = {
    "sq": {"number": "Nr.", "issue": "Problemi i identifikuar", "priority": "Prioriteti",
           "activities": "Aktivitetet", "institutions": "Institucioni përgjegjës", "timing": "Afati",
           "partners": "Organizatat partnere", "indicators": "Treguesit", "risk": "Nr. i rrezikut",
           "institution_ids": "Kodet e institucioneve"},
    "en": {"number": "No.", "issue": "Identified issue", "priority": "Priority",
           "activities": "Activities", "institutions": "Responsible institution", "timing": "Timing",
           "partners": "Partner organisations", "indicators": "Indicators", "risk": "Risk no.",
           "institution_ids": "Institution codes"},
}
# Written by the export so that a round trip loses nothing: the risk an item answers (its number in
# the municipality's register) and the responsible institutions' stable codes, in the order of the names.
FULL_COLUMNS = ("risk", "institution_ids")


def column_of(header) -> str | None:
    """Which column a header cell names (Albanian or English, any case, with or without diacritics)."""
    h = fold(header)
    if not h:
        return None
    if "kod" in h or "code" in h:
        return "institution_ids"
    if h in ("nr i rrezikut", "risk no", "rreziku nr", "risk number", "rreziku ne regjister", "risk id"):
        return "risk"
    if h in ("nr", "no", "number", "numri", "nr rendor", "item", "pika"):
        return "number"
    if "tregues" in h or "indicator" in h:
        return "indicators"
    if "partner" in h:
        return "partners"
    if "aktivitet" in h or "activit" in h or "masat" in h or "measures" in h:
        return "activities"
    if "institucion" in h or "institution" in h or "pergjegjes" in h or "responsible" in h:
        return "institutions"
    if "priorit" in h or "intensit" in h:
        return "priority"
    if "problem" in h or "issue" in h or "ceshtj" in h or "rrezik" in h or h == "risk":
        return "issue"
    if h in ("afati", "afatet", "koha", "timing", "deadline", "deadlines", "time", "afati kohor", "periudha",
             "timeframe", "time frame", "kalendari", "calendar"):
        return "timing"
    return None


# --- priority (intensity) -------------------------------------------------------------------

PRIORITY_WORDS = {
    "sq": {"high": "I lartë", "moderate": "Mesatar", "low": "I ulët"},
    "en": {"high": "High", "moderate": "Moderate", "low": "Low"},
}
_PRIORITY_STEMS = {
    "high": ("larte", "high"),
    "moderate": ("mesatar", "mesatare", "mesme", "moderuar", "moderate", "medium"),
    "low": ("ulet", "low"),
}
_PRIORITY_FILLER = {"i", "e", "te", "priority", "prioritet", "prioriteti", "intensity", "intensitet",
                    "intensiteti", "me", "risk", "rrezik"}


def parse_priority(raw) -> str | None:
    """"i lartë", "E lartë", "lartë", "High Priority" -> "high"; None when not understood."""
    words = [w for w in fold(raw).split() if w not in _PRIORITY_FILLER]
    if len(words) != 1:
        return None
    for code, stems in _PRIORITY_STEMS.items():
        if words[0] in stems:
            return code
    return None


# --- timing -------------------------------------------------------------------------------

PERIOD_WORDS = {
    "sq": {"first_half": "Gjashtëmujori i parë", "second_half": "Gjashtëmujori i dytë",
           "q1": "Tremujori i parë", "q2": "Tremujori i dytë", "q3": "Tremujori i tretë",
           "q4": "Tremujori i katërt"},
    "en": {"first_half": "First six months", "second_half": "Second six months", "q1": "First quarter",
           "q2": "Second quarter", "q3": "Third quarter", "q4": "Fourth quarter"},
}
RECURRENCE_WORDS = {
    "sq": {"weekly": "Çdo javë", "monthly": "Çdo muaj", "every_two_months": "Çdo dy muaj",
           "quarterly": "Çdo tre muaj", "every_six_months": "Çdo gjashtë muaj", "yearly": "Një herë në vit",
           "all_year": "Gjatë gjithë vitit"},
    "en": {"weekly": "Every week", "monthly": "Every month", "every_two_months": "Every two months",
           "quarterly": "Every three months", "every_six_months": "Every six months", "yearly": "Once a year",
           "all_year": "All year round"},
}
_SYNONYMS = {
    ("period", "first_half"): ["first 6 month period", "first six month period", "first 6 months", "first half",
                               "first half of the year", "first semester", "h1", "6 mujori i pare",
                               "gjashte mujori i pare", "gjashte muajt e pare", "6 muajt e pare",
                               "gjysma e pare e vitit", "gjysma e pare", "semestri i pare",
                               "periudha e pare gjashtemujore", "gjashtemujori 1", "gjashtemujori i 1"],
    ("period", "second_half"): ["second 6 month period", "second six month period", "second 6 months",
                                "second half", "second half of the year", "last six months", "last 6 months",
                                "second semester", "h2", "6 mujori i dyte", "gjashte mujori i dyte",
                                "gjashte muajt e dyte", "6 muajt e dyte", "gjashte muajt e fundit",
                                "6 muajt e fundit", "gjysma e dyte e vitit", "gjysma e dyte", "semestri i dyte",
                                "periudha e dyte gjashtemujore", "gjashtemujori 2", "gjashtemujori i 2"],
    ("period", "q1"): ["q1", "1st quarter", "tremujori 1", "tremujori i 1", "3 mujori i pare", "tre muajt e pare"],
    ("period", "q2"): ["q2", "2nd quarter", "tremujori 2", "tremujori i 2", "3 mujori i dyte"],
    ("period", "q3"): ["q3", "3rd quarter", "tremujori 3", "tremujori i 3", "3 mujori i trete"],
    ("period", "q4"): ["q4", "4th quarter", "tremujori 4", "tremujori i 4", "3 mujori i katert",
                       "tre muajt e fundit"],
    ("recurrence", "all_year"): ["all year", "all year long", "throughout the year", "the whole year", "whole year",
                                 "year round", "all the year", "continuous", "continuously", "ongoing",
                                 "gjate gjithe vitit", "gjithe vitin", "gjate vitit", "ne vazhdimesi",
                                 "vazhdimisht", "i vazhdueshem", "vazhdueshem", "pergjate gjithe vitit"],
    ("recurrence", "every_two_months"): ["every 2 months", "bimonthly", "bi monthly", "cdo 2 muaj", "dymujore",
                                         "nje here ne dy muaj", "nje here ne 2 muaj", "every other month"],
    ("recurrence", "monthly"): ["monthly", "every month", "once a month", "mujore", "nje here ne muaj",
                                "cdo 1 muaj", "every 1 month"],
    ("recurrence", "quarterly"): ["quarterly", "every 3 months", "cdo 3 muaj", "tremujore", "nje here ne tre muaj",
                                  "nje here ne 3 muaj"],
    ("recurrence", "every_six_months"): ["every 6 months", "twice a year", "semi annually", "semiannually",
                                         "cdo 6 muaj", "gjashtemujore", "dy here ne vit", "nje here ne 6 muaj",
                                         "nje here ne gjashte muaj"],
    ("recurrence", "weekly"): ["weekly", "once a week", "javore", "nje here ne jave"],
    ("recurrence", "yearly"): ["yearly", "annually", "every year", "cdo vit", "vjetore", "once per year"],
}


def _phrase_table() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for words, kind in ((PERIOD_WORDS, "period"), (RECURRENCE_WORDS, "recurrence")):
        for language in words.values():
            for code, phrase in language.items():
                table[fold(phrase)] = (kind, code)
    for (kind, code), phrases in _SYNONYMS.items():
        for phrase in phrases:
            table[fold(phrase)] = (kind, code)
    return table


_PHRASES = _phrase_table()
_DEADLINE_PREFIX = re.compile(r"^(deri me|deri ne|deri|brenda|by|before|until|deadline|afati|afat)\s+")


def parse_timing(raw) -> tuple[str, str] | None:
    """(kind, value) for a timing cell: a date -> ("deadline", "2022-12-31"); "Every two months" ->
    ("recurrence", "every_two_months"); "First 6-month period" -> ("period", "first_half"). None when
    not understood."""
    if isinstance(raw, datetime):
        return "deadline", raw.date().isoformat()
    if isinstance(raw, date):
        return "deadline", raw.isoformat()
    text = str(raw or "").strip()
    if not text:
        return None
    found = _PHRASES.get(fold(text))
    if found:
        return found
    folded = _DEADLINE_PREFIX.sub("", fold(text))
    match = re.fullmatch(r"(\d{1,2}) (\d{1,2}) (\d{4})", folded)
    parts = (match[3], match[2], match[1]) if match else None
    match = re.fullmatch(r"(\d{4}) (\d{1,2}) (\d{1,2})", folded)
    parts = (match[1], match[2], match[3]) if match else parts
    if parts:
        try:
            parsed = date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError:
            return None
        if FIRST_YEAR <= parsed.year <= LAST_YEAR:
            return "deadline", parsed.isoformat()
    return None


def timing_words(kind: str | None, value: str | None, language: str) -> str:
    """The words of a timing in ``language`` (as the spreadsheet, the PDF and the Word file print it)."""
    if kind == "deadline" and value:
        try:
            return date.fromisoformat(value).strftime("%d.%m.%Y")
        except ValueError:
            return value
    if kind == "period":
        return PERIOD_WORDS[language].get(value, value or "")
    if kind == "recurrence":
        return RECURRENCE_WORDS[language].get(value, value or "")
    return ""


def valid_timing(kind: str | None, value: str | None) -> bool:
    if kind is None and value is None:
        return True
    if kind == "deadline":
        try:
            date.fromisoformat(value or "")
            return True
        except ValueError:
            return False
    if kind == "period":
        return value in PERIODS
    if kind == "recurrence":
        return value in RECURRENCES
    return False


def due_date(kind: str | None, value: str | None, year: int) -> date | None:
    """When an activity is due: its deadline, or the end of its period in the plan's year.
    Recurring activities have no single due date."""
    if kind == "deadline" and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    if kind == "period":
        month = {"first_half": 6, "second_half": 12, "q1": 3, "q2": 6, "q3": 9, "q4": 12}.get(value)
        if month:
            return date(year, month, monthrange(year, month)[1])
    return None


# --- indicators in one cell: "name | unit | baseline | target | source", one per line ---------

def format_number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def exact_number(value: float | None) -> str:
    """A number written so that reading it again gives the same value (no rounding)."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def indicator_line(indicator) -> str:
    parts = [indicator.name, indicator.unit or "", exact_number(indicator.baseline),
             exact_number(indicator.target), indicator.source or ""]
    while parts and not parts[-1]:
        parts.pop()
    return " | ".join(parts)


# --- funding, on its own sheet ----------------------------------------------------------------------

FUNDING_SHEET = {"sq": "Financimi", "en": "Funding"}
FUNDING_COLUMNS = ("item", "activity", "source", "amount", "currency", "donor", "grantee", "title", "objective",
                   "period", "results")
FUNDING_HEADERS = {
    "sq": {"item": "Nr.", "activity": "Aktiviteti nr.", "source": "Burimi", "amount": "Shuma", "currency": "Monedha",
           "donor": "Donatori", "grantee": "Përfituesi i grantit", "title": "Titulli", "objective": "Objektivi",
           "period": "Periudha", "results": "Rezultatet"},
    "en": {"item": "No.", "activity": "Activity no.", "source": "Source", "amount": "Amount", "currency": "Currency",
           "donor": "Donor", "grantee": "Grantee", "title": "Title", "objective": "Objective", "period": "Period",
           "results": "Results"},
}
FUNDING_WORDS = {
    "sq": {"municipal_budget": "Buxheti i bashkisë", "donor": "Donator", "community_grant": "Grant komunitar"},
    "en": {"municipal_budget": "Municipal budget", "donor": "Donor", "community_grant": "Community grant"},
}


def funding_column_of(header) -> str | None:
    h = fold(header)
    for language in FUNDING_HEADERS.values():
        for code, words in language.items():
            if h == fold(words):
                return code
    return {"no": "item", "nr": "item", "activity": "activity", "aktiviteti": "activity"}.get(h)


def parse_funding_source(raw) -> str | None:
    h = fold(raw)
    for language in FUNDING_WORDS.values():
        for code, words in language.items():
            if h in (fold(words), fold(code)):
                return code
    return None


# --- amounts as people type them ----------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_DOT_GROUPS = re.compile(r"-?\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_COMMA_GROUPS = re.compile(r"-?\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?")


def parse_amount(raw, language: str = "sq") -> float | None:
    """"1.500.000", "1 500 000,50", "1500000.5", "1,5" (Albanian: comma for decimals, dot or space between
    thousands), "1,500,000.50" (English) -> a number; None when empty. ValueError when not a number."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, int | float):
        return float(raw)
    text = _SPACES.sub("", str(raw))
    if not text:
        return None
    if _DOT_GROUPS.fullmatch(text):
        return float(text.replace(".", "").replace(",", "."))
    if _COMMA_GROUPS.fullmatch(text):
        return float(text.replace(",", ""))
    from babel.numbers import NumberFormatError, parse_decimal

    try:
        return float(parse_decimal(text, locale="en" if language == "en" else "sq"))
    except NumberFormatError as exc:
        raise ValueError(raw) from exc
