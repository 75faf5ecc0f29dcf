"""Art. 13 and the establishment decisions, through the API on a fresh municipality (Peqin: nothing recorded).

Regulation (Annex 1), Article 13, Entry into force: "1. This Regulation enters into force with the approval of
the Municipal Council and is published on the official website of the municipality."

A municipality keeps several decisions (Elbasan's 2016 decision and its 2022 re-adoption); the rule
``established`` reads the decision in force for the year and checks its publication, due the model's
``regulation_publication_days`` (15) after the decision, or by the start of the year for an older decision."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from safetycouncil.timeutil import LOCAL_TIMEZONE

SLUG = "peqin"
BASE = f"/api/v1/municipalities/{SLUG}/council/establishments"


@pytest.fixture
def on(monkeypatch):
    from safetycouncil.compliance import engine

    def set_now(moment: datetime):
        monkeypatch.setattr(engine, "_now", lambda: moment.replace(tzinfo=LOCAL_TIMEZONE))

    return set_now


@pytest.fixture
def secretary(client, make_user, api_token):
    headers = api_token(make_user("technical_secretary", municipality=SLUG, locale="en"))

    def call(method, path="", **kwargs):
        return client.open(BASE + path, method=method, headers=headers, **kwargs)

    return call


@pytest.fixture
def verdict(client, make_user, api_token):
    headers = api_token(make_user("ministry", locale="en"))

    def get(year: int) -> dict:
        body = client.get(f"/api/v1/compliance/{SLUG}?year={year}", headers=headers).get_json()
        return body["rules"]["established"]

    return get


def _decision(secretary, **values) -> dict:
    response = secretary("POST", json=values)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_two_decisions_are_kept_and_the_one_in_force_is_judged(app, secretary, verdict, on):
    """Art. 13: Elbasan's 2016 decision and its 2022 re-adoption are both recorded; the decision in force for
    the year is judged, and a regulation never published on the official website fails, the evidence naming
    what is missing (the day and the address)."""
    on(datetime(2026, 12, 4, 10, 0))
    old = _decision(secretary, decision_number="86", decision_date="2016-07-28")
    new = _decision(secretary, decision_number="22", decision_date="2022-03-04", adopts_unified_model=True,
                    regulation_adopted_on="2022-03-04")
    listed = secretary("GET").get_json()
    assert [d["decision_number"] for d in listed] == ["22", "86"]
    assert [d["in_force"] for d in listed] == [True, False]
    assert secretary("GET").headers.get("X-Pagination")

    rule = verdict(2026)
    assert rule["verdict"] == "fail"
    missing = [e for e in rule["evidence"] if e["kind"] == "period_missing"]
    assert missing and missing[0]["decision_id"] == new["id"]
    assert "Art. 13" in missing[0]["message"] and "address" in missing[0]["message"]
    # 2021 is judged on the 2016 decision, the one then in force
    assert [e for e in verdict(2021)["evidence"] if e["kind"] == "establishment"][0]["decision_id"] == old["id"]

    response = secretary("PATCH", f"/{new['id']}", json={"published_on": "2022-03-10",
                                                        "published_url": "https://bashkiapeqin.gov.al/rregullore"})
    assert response.status_code == 200, response.get_json()
    assert verdict(2026)["verdict"] == "pass"
    from safetycouncil.audit.models import AuditEntry
    from safetycouncil.extensions import db

    with app.app_context():
        entries = db.session.execute(select(AuditEntry).where(AuditEntry.entity_type == "CouncilEstablishment")
                                     ).scalars().all()
        assert any("published_on" in (e.changes or {}) for e in entries)


@pytest.mark.parametrize(("now", "published", "expected"), [
    (datetime(2026, 3, 19, 23, 0), None, "not_yet_due"),   # the day of the deadline (4 March + 15 days)
    (datetime(2026, 3, 18, 12, 0), None, "not_yet_due"),   # the day before
    (datetime(2026, 3, 20, 0, 30), None, "fail"),          # the day after: not published
    (datetime(2026, 3, 20, 0, 30), "2026-03-19", "pass"),  # published on the last day
    (datetime(2026, 3, 25, 9, 0), "2026-03-20", "fail"),   # published a day late
])
def test_publication_is_due_fifteen_days_after_the_decision(secretary, verdict, on, now, published, expected):
    """Art. 13: "... is published on the official website of the municipality": the model gives 15 days after the
    Municipal Council's decision (4 March 2026: due by the end of 19 March)."""
    on(now)
    decision = _decision(secretary, decision_number="7", decision_date="2026-03-04", adopts_unified_model=True)
    if published:
        assert secretary("PATCH", f"/{decision['id']}", json={
            "published_on": published, "published_url": "https://bashkiapeqin.gov.al/vendim-7"}).status_code == 200
    rule = verdict(2026)
    assert rule["verdict"] == expected, rule
    if published == "2026-03-20":
        late = [e for e in rule["evidence"] if e["kind"] == "period_late"]
        assert late and late[0]["days_late"] == 1 and "after its due date" in late[0]["message"]


def test_an_old_decision_published_late_fails_that_year_only(secretary, verdict, on):
    """Art. 13: a 2016 decision published only on 1 May 2023 was late in 2023; from 2024 the regulation in force
    is on the official website from the year's start."""
    on(datetime(2026, 12, 4, 10, 0))
    decision = _decision(secretary, decision_number="86", decision_date="2016-07-28")
    secretary("PATCH", f"/{decision['id']}", json={"published_on": "2023-05-01",
                                                   "published_url": "https://bashkiapeqin.gov.al/r"})
    assert verdict(2023)["verdict"] == "fail"
    assert verdict(2024)["verdict"] == "pass"


def test_bad_input_is_refused_with_a_message_and_saves_nothing(secretary):
    """A publication needs its day and address, not before the decision, not in the future."""
    decision = _decision(secretary, decision_number="86", decision_date="2016-07-28")
    for body, field in (({"published_on": "2016-07-01", "published_url": "https://a.gov.al/r"}, "published_on"),
                        ({"published_on": "2020-01-01"}, "published_url"),
                        ({"published_url": "not an address", "published_on": "2020-01-01"}, "published_url"),
                        ({"published_on": "2999-01-01", "published_url": "https://a.gov.al/r"}, "published_on")):
        response = secretary("PATCH", f"/{decision['id']}", json=body)
        assert response.status_code == 422, body
        assert field in response.get_json()["errors"], response.get_json()
    assert secretary("GET", f"/{decision['id']}").get_json()["published_on"] is None
    assert secretary("GET", "/99999").status_code == 404


def test_the_pages_list_and_record_the_decisions(app, client, make_user, login):
    """The page lists every decision, marks the one in force, and records the publication (Art. 13)."""
    user = make_user("technical_secretary", municipality=SLUG, locale="en")
    login(client, user)
    response = client.post(f"/{SLUG}/council/establishments", data={
        "decision_number": "86", "decision_date": "2016-07-28"})
    assert response.status_code == 302
    response = client.post(f"/{SLUG}/council/establishments", data={
        "decision_number": "22", "decision_date": "2022-03-04", "adopts_unified_model": "1",
        "published_on": "2022-03-01", "published_url": "https://bashkiapeqin.gov.al/r"})
    assert response.status_code == 422 and "cannot be published before" in response.get_data(as_text=True)
    response = client.post(f"/{SLUG}/council/establishments", data={
        "decision_number": "22", "decision_date": "2022-03-04", "adopts_unified_model": "1",
        "published_on": "2022-03-10", "published_url": "https://bashkiapeqin.gov.al/r"})
    assert response.status_code == 302
    page = client.get(f"/{SLUG}/council/establishments").get_data(as_text=True)
    assert "86" in page and "22" in page and "In force" in page and "https://bashkiapeqin.gov.al/r" in page
