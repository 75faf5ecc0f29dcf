"""Art. 4.1.e through the API on a fresh municipality (Peqin: nothing recorded).

Regulation (Annex 1), Article 4.1: "The Local Public Safety Council consists of the following members: ...
e. Member of the Municipal Council who ensures the representation of each political party in the Municipal
Council". Not one councillor: one of EACH party represented, on every day of the year so far (gaps named)."""
from __future__ import annotations

from datetime import datetime

import pytest

from safetycouncil.timeutil import LOCAL_TIMEZONE

SLUG = "peqin"
BASE = f"/api/v1/municipalities/{SLUG}/council"


@pytest.fixture
def on(monkeypatch):
    from safetycouncil.compliance import engine

    def set_now(moment: datetime):
        monkeypatch.setattr(engine, "_now", lambda: moment.replace(tzinfo=LOCAL_TIMEZONE))

    return set_now


@pytest.fixture
def secretary(client, make_user, api_token):
    headers = api_token(make_user("technical_secretary", municipality=SLUG, locale="en"))

    def call(method, path, **kwargs):
        return client.open(BASE + path, method=method, headers=headers, **kwargs)

    return call


@pytest.fixture
def composition(client, make_user, api_token):
    headers = api_token(make_user("ministry", locale="en"))

    def get(year: int = 2026) -> list[dict]:
        body = client.get(f"/api/v1/compliance/{SLUG}?year={year}", headers=headers).get_json()
        return body["rules"]["composition"]["evidence"]

    return get


def _created(response) -> dict:
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _party_gaps(evidence) -> list[dict]:
    return [e for e in evidence if e["kind"] == "party_gap"]


def _council(secretary) -> dict:
    parties = {name: _created(secretary("POST", "/parties", json={"name": name, "represented_from": start}))
               for name, start in (("Partia Socialiste", "2023-07-10"), ("Partia Demokratike", "2023-07-10"),
                                   ("Partia e Lirisë", "2026-07-10"))}
    for name in ("Partia Socialiste", "Partia Demokratike"):
        _created(secretary("POST", "/members", json={"full_name": f"Këshilltar {name}", "category": "e",
                                                     "mandate_start": "2023-07-10",
                                                     "party_id": parties[name]["id"]}))
    return parties


@pytest.mark.parametrize(("now", "gap"), [
    (datetime(2026, 7, 9, 12, 0), False),   # the day before the party enters the Municipal Council
    (datetime(2026, 7, 10, 12, 0), True),   # the day it enters: no councillor of it in the council
    (datetime(2026, 7, 11, 12, 0), True),   # the day after
])
def test_each_party_represented_needs_its_councillor(secretary, composition, on, now, gap):
    """Art. 4.1.e: from the day a party is represented in the Municipal Council, the council needs a Municipal
    Council member of that party; the evidence names the party and the days without one."""
    on(now)
    _council(secretary)
    gaps = _party_gaps(composition())
    assert [g["party"] for g in gaps] == (["Partia e Lirisë"] if gap else [])
    if gap:
        assert gaps[0]["from"] == "2026-07-10" and "Partia e Lirisë" in gaps[0]["message"]
    assert not [e for e in composition() if e["kind"] == "parties_not_recorded"]


def test_a_councillor_who_arrives_late_leaves_the_days_before_named(secretary, composition, on):
    """Art. 4.1.e, judged on every day of the year so far: a councillor of the new party from 12 July leaves
    10-11 July without one, and the evidence says so."""
    on(datetime(2026, 8, 1, 12, 0))
    parties = _council(secretary)
    _created(secretary("POST", "/members", json={"full_name": "Këshilltare e Lirisë", "category": "e",
                                                 "mandate_start": "2026-07-12",
                                                 "party_id": parties["Partia e Lirisë"]["id"]}))
    gaps = _party_gaps(composition())
    assert [(g["party"], g["from"], g["to"]) for g in gaps] == [("Partia e Lirisë", "2026-07-10", "2026-07-11")]
    listed = secretary("GET", "/parties")
    assert listed.headers.get("X-Pagination") and len(listed.get_json()) == 3
    assert all(p["members"] for p in listed.get_json())


def test_without_the_parties_recorded_the_evidence_says_only_one_councillor_was_checked(
        secretary, composition, on):
    """Art. 4.1.e cannot be judged party by party until the parties are recorded: the evidence says so."""
    on(datetime(2026, 8, 1, 12, 0))
    _created(secretary("POST", "/members", json={"full_name": "Këshilltar", "category": "e",
                                                 "mandate_start": "2023-07-10"}))
    notes = [e for e in composition() if e["kind"] == "parties_not_recorded"]
    assert notes and "not one of each party" in notes[0]["message"]


def test_only_category_e_names_a_party_and_bad_input_is_refused(secretary):
    """A party is named only by a member of category (e); a party's end cannot precede its start."""
    party = _created(secretary("POST", "/parties", json={"name": "Partia X", "represented_from": "2023-07-10"}))
    response = secretary("POST", "/members", json={"full_name": "Drejtor", "category": "f",
                                                   "mandate_start": "2023-07-10", "party_id": party["id"]})
    assert response.status_code == 422 and "party_id" in response.get_json()["errors"]
    response = secretary("PATCH", f"/parties/{party['id']}", json={"represented_until": "2023-01-01"})
    assert response.status_code == 422 and "represented_until" in response.get_json()["errors"]
    assert secretary("GET", f"/parties/{party['id']}").get_json()["represented_until"] is None
    assert secretary("POST", "/parties", json={"represented_from": "2023-07-10"}).status_code == 422


def test_the_parties_page_records_a_party_and_names_its_councillor(client, make_user, login):
    """The page lists the parties of the Municipal Council with their category (e) member, or "none"."""
    login(client, make_user("technical_secretary", municipality=SLUG, locale="en"))
    assert client.post(f"/{SLUG}/council/parties", data={"name": "", "represented_from": ""}).status_code == 422
    response = client.post(f"/{SLUG}/council/parties", data={"name": "Partia Socialiste",
                                                             "represented_from": "2023-07-10"})
    assert response.status_code == 302
    page = client.get(f"/{SLUG}/council/parties").get_data(as_text=True)
    assert "Partia Socialiste" in page and "none" in page
    assert "Party represented" in client.get(f"/{SLUG}/council/members/new").get_data(as_text=True)
