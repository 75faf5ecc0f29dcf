"""English is written the British way (issue 14): "4 December 2026", "04/12/2026", "1,234.5"; Babel formats
English with en_GB while the catalog stays "en" (locales.py). Albanian stays Albanian."""
from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from flask import session
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_babel import gettext as _

from safetycouncil.locales import force_locale, language


@pytest.mark.parametrize("chosen, long, short, number, lang", [
    ("en", "4 December 2026", "04/12/2026", "1,234.5", "en"),
    ("sq", "4 dhjetor 2026", "4.12.26", "1234,5", "sq")])
def test_a_reader_gets_dates_and_numbers_in_their_own_style(app, chosen, long, short, number, lang):
    with app.test_request_context("/"):
        session["locale"] = chosen
        assert language() == lang
        assert format_date(date(2026, 12, 4), "long") == long
        assert format_date(date(2026, 12, 4), "short") == short
        assert format_decimal(1234.5).replace("\u00a0", " ") in (number, "1 234,5")
        if chosen == "en":
            assert str(get_locale()) == "en_GB"  # formatting; the catalog is still "en"
            assert format_datetime(datetime(2026, 12, 4, 9, 30), "medium").startswith("4 Dec 2026")
            assert _("Minutes of the meeting") == "Minutes of the meeting"
        else:
            assert _("Minutes of the meeting") != "Minutes of the meeting"  # the Albanian catalog


def test_forcing_a_language_formats_english_the_british_way(app):
    """E-mails, reminders and documents switch to the recipient's language with locales.force_locale."""
    with app.test_request_context("/"):
        with force_locale("en"):
            assert format_date(date(2026, 12, 4), "long") == "4 December 2026"
            assert language() == "en"
        with force_locale("sq"):
            assert format_date(date(2026, 12, 4), "long") == "4 dhjetor 2026"
            assert _("Minutes of the meeting") != "Minutes of the meeting"


def test_an_english_page_declares_english_and_keeps_its_catalog(client):
    client.post("/language/en")
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert not re.search(r"\b(January|February|March|April|May|June|July|August|September|October|November"
                         r"|December) \d{1,2}, \d{4}", page)  # never "December 4, 2026"
