"""Small helpers: the reader's language, names folded for comparison, refusing (404) an id that is not the
current municipality's before a view runs, and the input readers the plans' activities, progress and
approvals (and grants' and the audit's filters) still use; new input goes through a schema (``schemas.py``),
whose messages and year range these share."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime

from flask import request
from flask_babel import gettext as _

from ..locales import language as current_language
from ..schemas import FIRST_YEAR, LAST_YEAR, blank, too_long

LANGUAGES = ("sq", "en")
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y")


def locale() -> str:
    current = current_language()
    return current if current in LANGUAGES else "sq"


def language(raw: str | None) -> str:
    return raw if raw in LANGUAGES else locale()


def fold(text: str | None) -> str:
    """Case- and diacritics-insensitive form of a name: "Bashkia Elbasan" == "bashkia  elbasan",
    "ë" == "e", "ç" == "c"; punctuation becomes a space."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[’'`]", "", text.casefold())
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def text(value, field: str, errors: dict, *, max_length: int, required: str | None = None) -> str | None:
    """A stripped text, or None; records a message in ``errors`` when required and empty, or too long."""
    if blank(value):
        if required:
            errors[field] = required
        return None
    value = str(value).strip()
    if len(value) > max_length:
        errors[field] = str(too_long(max_length))
    return value


def integer(value, field: str, errors: dict, *, required: str | None = None) -> int | None:
    if blank(value):
        if required:
            errors[field] = required
        return None
    if isinstance(value, bool):
        errors[field] = _("Enter a whole number.")
        return None
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        errors[field] = _("Enter a whole number.")
        return None


def number(value, field: str, errors: dict) -> float | None:
    if blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raw = str(value).strip().replace(" ", "")
    if "," in raw and "." not in raw:
        raw = raw.replace(",", ".")
    try:
        return float(raw)
    except ValueError:
        errors[field] = _("Enter a number.")
        return None


def parse_date(value, field: str, errors: dict, *, required: str | None = None) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if blank(value):
        if required:
            errors[field] = required
        return None
    raw = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
        if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
            break
        return parsed
    errors[field] = _("Enter a date as DD.MM.YYYY.")
    return None


def choice(value, field: str, errors: dict, choices, *, required: str | None = None) -> str | None:
    if blank(value):
        if required:
            errors[field] = required
        return None
    value = str(value).strip()
    if value not in choices:
        errors[field] = required or _("Choose one of the options.")
        return None
    return value


def form_ids(name: str) -> list[int]:
    """Whole numbers from a multi-valued form field (checkboxes, multiple selects)."""
    return [int(v) for v in request.form.getlist(name) if str(v).strip().isdigit()]


def require_existing(blueprint, models: Mapping[str, type]) -> None:
    """The guard layer's id check (``tenancy.web``) for every route of ``blueprint``: see ``scope(ids=...)``."""
    from ..tenancy.web import require_ids

    require_ids(blueprint, models)
