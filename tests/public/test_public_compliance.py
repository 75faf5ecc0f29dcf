"""Citizens see compliance (issue 21): the national page and every council's page say, in plain words,
whether each council followed the unified model's rules that were due, with the open data linked; a
missing template is an error, never an empty space."""
import pytest
from jinja2 import TemplateNotFound

from safetycouncil.app import MissingTemplate
from safetycouncil.compliance.public import summary
from safetycouncil.extensions import db


def _judgement(app, slug):
    from sqlalchemy import select

    from safetycouncil.municipalities.models import Municipality

    with app.test_request_context():
        mid = db.session.execute(select(Municipality.id).where(Municipality.slug == slug)).scalar_one()
        result = summary()
        return result, result.results[mid]


def test_the_national_page_shows_every_council_compliance_with_the_open_data(app, client):
    result, _ = _judgement(app, "elbasan")
    page = client.get("/").get_data(as_text=True)
    assert f"Zbatimi i modelit të unifikuar në {result.year}" in page
    assert f"{result.complying} nga {result.total} këshillat zbatuan çdo rregull" in page
    assert page.count('class="compliance-badge') == 61
    assert 'href="/public/open-data/compliance.csv"' in page
    # an empty council (no records at all) did not follow the rules due: said plainly, beside its name
    assert "rregulla të pazbatuara" in page or "rregull i pazbatuar" in page or "zbaton modelin e unifikuar" in page
    assert client.get("/public/open-data/compliance.csv").status_code == 200


def test_a_council_page_says_in_plain_words_which_rules_it_did_not_follow(app, client):
    result, council = _judgement(app, "elbasan")
    page = client.get("/public/elbasan/").get_data(as_text=True)
    assert "A e zbaton këshilli modelin e unifikuar?" in page
    assert 'href="/public/open-data/compliance.csv"' in page
    failed = [rule for rule, verdict in council.verdicts.items() if verdict.status == "fail"]
    if council.complies:
        assert "këshilli zbatoi çdo rregull" in page
    else:
        assert f"këshilli nuk zbatoi {len(failed)} nga" in page
        assert "Këshilli i krijuar me vendim të Këshillit Bashkiak" in page  # an empty council: not established


def test_a_missing_template_is_an_error_even_behind_ignore_missing(app):
    with app.test_request_context():
        template = app.jinja_env.from_string('{% include "nowhere/_missing.html" ignore missing %}')
        with pytest.raises(MissingTemplate):
            template.render()
        with pytest.raises(MissingTemplate) as raised:
            app.jinja_env.get_template("nowhere/_missing.html")
        assert isinstance(raised.value.__cause__, TemplateNotFound)
