"""Words, numbers and references written one way everywhere (issue 14).

- Dates: ``format_date(d)`` (Babel, "medium": "7 tet 2026" / "7 Oct 2026") is the short style and
  ``format_date(d, "long")`` ("7 tetor 2026") the long one; nothing else (no strftime, no ISO dates).
- Numbers: ``format_decimal`` (Babel) in the reader's locale: "45,5" in Albanian, "45.5" in English.
- Articles of the regulation: ``article(text)`` writes the stored reference ("Art. 4.1",
  "Art. 7.8, 10.2", "Decision; Art. 13") in the reader's language: "Neni 4.1", "Nenet 7.8, 10.2",
  "Vendimi; Neni 13" in Albanian.
- Terms: docs/glossary.md is the glossary the Albanian catalog follows.
"""
from __future__ import annotations

import re
import unicodedata

from flask_babel import gettext as _

_ARTICLE = re.compile(r"\bArt\.\s*([0-9][0-9A-Za-z.\-]*(?:\s*,\s*[0-9][0-9A-Za-z.\-]*)*)")


def article(text: str | None) -> str:
    """A stored article reference in the reader's language (the stored value stays as entered)."""
    if not text:
        return ""

    def one(match: re.Match) -> str:
        numbers = match.group(1)
        if "," in numbers:
            return _("Art. %(numbers)s", numbers=numbers)
        return _("Art. %(number)s", number=numbers)

    out = _ARTICLE.sub(one, str(text))
    return out.replace("Decision;", _("Decision") + ";")


def content_lang() -> str:
    """` lang="sq"` on blocks of what councils write (in Albanian) when the page is read in another
    language, so that screen readers and spell-checkers read them as Albanian; nothing otherwise."""
    from flask_babel import get_locale
    from markupsafe import Markup

    return Markup("") if str(get_locale()) == "sq" else Markup(' lang="sq"')


def fold(text: str | None) -> str:
    """Case- and diacritics-insensitive form of a name: "Bashkia Elbasan" == "bashkia  elbasan",
    "ë" == "e", "ç" == "c"; punctuation becomes a space."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[’'`]", "", text.casefold())
    return re.sub(r"[^a-z0-9]+", " ", text).strip()
