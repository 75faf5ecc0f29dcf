"""What concerns/common.py held, each where it belongs (issue 23, "four validator kits"): the reader's language in
``locales``, names folded in ``wording``, the id guard in ``tenancy.web``, and the few inputs that make no record
read by the schema builders (``schemas.load_fields``, ``schemas.Ids``) with the platform's one wording."""
from __future__ import annotations

from datetime import date

import pytest
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from safetycouncil.errors import ValidationFailed
from safetycouncil.locales import requested_language
from safetycouncil.schemas import Ids, day, integer, load_fields
from safetycouncil.wording import fold


def test_a_few_inputs_are_read_by_the_builders_with_the_one_wording(app):
    with app.test_request_context():
        args = MultiDict({"since": "01.03.2026", "until": "", "year": " 2026 "})
        assert load_fields(args, since=day(), until=day(), year=integer()) == {
            "since": date(2026, 3, 1), "until": None, "year": 2026}
        with pytest.raises(ValidationFailed) as refused:
            load_fields({"on": "", "spent": "shumë", "since": "01.03.1999"},
                        paid_on=day(_("Enter the day the money was paid (not in the future)."), data_key="on"),
                        spent=integer(), since=day())
        assert refused.value.errors == {"on": _("Enter the day the money was paid (not in the future)."),
                                        "spent": _("Enter a whole number."),
                                        "since": _("Enter a date as DD.MM.YYYY.")}  # the one range of years


def test_ids_are_whole_numbers_from_a_list_a_value_or_checkboxes(app):
    from marshmallow import Schema

    with app.test_request_context():
        schema = Schema.from_dict({"ids": Ids(_("Choose existing institutions."))})()
        assert schema.load({"ids": ["3", "", 5]}) == {"ids": [3, 5]}
        assert schema.load({"ids": "7"}) == {"ids": [7]}
        for wrong in (["3", "tre"], [True], {"a": 1}):
            with pytest.raises(Exception) as refused:
                schema.load({"ids": wrong})
            assert _("Choose existing institutions.") in str(refused.value)


def test_names_fold_and_the_language_asked_for(app):
    assert fold("Bashkia  Elbasan") == fold("bashkia elbasan") == "bashkia elbasan"
    assert fold("Korçë’s") == "korces" and fold(None) == ""
    with app.test_request_context():
        assert requested_language("en") == "en"
        assert requested_language("de") == requested_language(None) == "sq"  # the reader's (Albanian by default)
