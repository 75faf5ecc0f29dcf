"""The reader's language and the locale Babel formats dates and numbers with (issue 14).

The catalogs are "sq" (Albanian) and "en" (English, the source language). English dates and numbers
are written the British way, as English is read in Albania ("4 December 2026", "04/12/2026",
"1,234.5"), not the American way Babel's bare "en" means ("December 4, 2026", "12/4/26"). So the
locale Flask-Babel works with for English is ``en_GB``; gettext finds the "en" catalog from it
(en_GB falls back to en), and code that asks "which language?" reads ``language()``, never
``str(get_locale())``.

    with force_locale(user.locale):   # "sq" or "en", as stored; formats as sq or en_GB
        ...
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

LANGUAGES = ("sq", "en")
# The language (catalog) -> the locale Babel formats with.
FORMATTING = {"sq": "sq", "en": "en_GB"}


def formatting_locale(language: str | None) -> str | None:
    """"en" -> "en_GB", "sq" -> "sq"; anything else as it is (None stays None)."""
    if not language:
        return language
    return FORMATTING.get(str(language).replace("-", "_").split("_")[0].lower(), str(language))


def language() -> str:
    """The reader's language, "sq" or "en" (Albanian outside a request or for anything unknown)."""
    from flask_babel import get_locale

    current = get_locale()
    code = current.language if current is not None else "sq"
    return code if code in LANGUAGES else "sq"


def requested_language(raw: str | None) -> str:
    """The language asked for (``?lang=sq|en``), else the reader's."""
    return raw if raw in LANGUAGES else language()


@contextmanager
def force_locale(language_code: str | None) -> Iterator[None]:
    """flask_babel.force_locale for a language ("sq"/"en"), formatting English as en_GB."""
    from flask_babel import force_locale as babel_force_locale

    with babel_force_locale(formatting_locale(language_code)):
        yield
