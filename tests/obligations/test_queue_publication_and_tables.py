"""The obligations work queue gains what the regulation asks that was judged but not put in front of anyone:

- Art. 13: "This Regulation enters into force with the approval of the Municipal Council and is published on the
  official website of the municipality": after each establishment decision, the publication is a task due the
  model's ``regulation_publication_days`` (15) after it, done when the publication is recorded.
- Art. 9.4, second half ("and they present the findings"): the heads' presentation of a report's findings at the
  first regular council meeting held after it was sent.

Through the API on a fresh municipality (Peqin), on the day before, on and after each due date."""
from __future__ import annotations

from datetime import datetime, time

import pytest

from safetycouncil.timeutil import LOCAL_TIMEZONE, local_today

from .conftest import by_rule

SLUG = "peqin"


@pytest.fixture
def on(monkeypatch):
    """The work queue and the verdicts as of the end of the given day in Albania."""
    from safetycouncil.compliance import engine
    from safetycouncil.obligations import services

    def set_now(day):
        moment = datetime.combine(day, time(23, 59), tzinfo=LOCAL_TIMEZONE)
        monkeypatch.setattr(engine, "_now", lambda: moment)
        monkeypatch.setattr(services, "now_in_albania", lambda: moment)

    return set_now


@pytest.fixture
def secretary(make_user, api_token):
    return api_token(make_user("technical_secretary", municipality=SLUG))


def _publication(client, headers, obligations_api) -> dict:
    items = by_rule(obligations_api(client, headers, SLUG, from_="2026-01-01", to="2026-12-31"), "established")
    assert len(items) == 1, items
    return items[0]


def test_the_regulations_publication_is_a_task_after_each_decision(app, client, secretary, obligations_api, on):
    """Art. 13: the regulation is published on the municipality's official website; due 15 days after the
    decision of 4 May 2026 (19 May), done once the publication is recorded, late after the due date."""
    from datetime import date

    base = f"/api/v1/municipalities/{SLUG}/council/establishments"
    r = client.post(base, headers=secretary, json={"decision_number": "41", "decision_date": "2026-05-04",
                                                   "adopts_unified_model": True})
    assert r.status_code == 201, r.get_json()
    decision = r.get_json()
    due = date(2026, 5, 19)
    on(date(2026, 5, 18))
    item = _publication(client, secretary, obligations_api)
    assert item["due_date"] == "2026-05-19" and item["state"] == "due_soon" and "Art. 13" in item["article"]
    assert item["url"] == f"/{SLUG}/council/establishments" and "41" in item["sentence"]
    on(due)
    assert _publication(client, secretary, obligations_api)["state"] == "due_soon"
    on(date(2026, 5, 20))
    assert _publication(client, secretary, obligations_api)["state"] == "overdue"
    queue = client.get(f"/api/v1/municipalities/{SLUG}/obligations", headers=secretary,
                       query_string={"state": "overdue"})
    if queue.status_code == 200:
        assert any(i["rule"] == "established" for i in queue.get_json()["items"])

    r = client.patch(f"{base}/{decision['id']}", headers=secretary, json={
        "published_on": "2026-05-20", "published_url": "https://peqin.gov.al/rregullorja-kvsp"})
    assert r.status_code == 200, r.get_json()
    item = _publication(client, secretary, obligations_api)
    assert item["state"] == "done" and item["on_time"] is False
    client.patch(f"{base}/{decision['id']}", headers=secretary, json={"published_on": "2026-05-19"})
    on(date(2026, 5, 18))
    assert _publication(client, secretary, obligations_api)["state"] == "due_soon"  # not yet published then
    on(date(2026, 5, 20))
    item = _publication(client, secretary, obligations_api)
    assert item["state"] == "done" and item["on_time"] is True


def test_the_findings_presentation_is_a_task_once_the_council_meeting_is_held(app, client, make_user, api_token,
                                                                               obligations_api, on):
    """Art. 9.4: "... and they present the findings": a task due at the end of the day of the first regular
    council meeting held after the report was sent, done when the presentation is recorded."""
    from datetime import date

    headers = api_token(make_user("technical_secretary", municipality=SLUG))
    base = f"/api/v1/municipalities/{SLUG}"

    def meeting(kind, starts):
        r = client.post(f"{base}/meetings", headers=headers, json={
            "kind": kind, "title": f"{kind} {starts}", "starts_at": starts, "ends_at": starts[:11] + "23:00"})
        assert r.status_code == 201, r.get_json()
        assert client.post(f"{base}/meetings/{r.get_json()['id']}/held", headers=headers).status_code == 200
        return r.get_json()["id"]

    report = meeting("secretariat_monitoring", "2026-07-07T09:00")
    r = client.put(f"{base}/meetings/{report}/secretariat-report", headers=headers, json={
        "sent_on": "2026-07-08", "findings": "Ndriçimi pranë shkollës mungon.",
        "recipients": ["municipality", "police", "prosecution"]})
    assert r.status_code == 200
    council = meeting("council", "2026-07-17T10:00")

    def task():
        items = [i for i in obligations_api(client, headers, SLUG, from_="2026-07-01", to="2026-07-31")
                 if i["rule"] == "secretariat-reports" and i["key"] == f"findings:{report}"]
        return items[0] if items else None

    on(date(2026, 7, 16))
    assert task() is None  # no council meeting held yet after the report: nothing due
    on(date(2026, 7, 17))
    item = task()
    assert item["state"] == "due_soon" and item["due_date"] == "2026-07-17"
    assert item["url"] == f"/{SLUG}/meetings/{report}#findings-presentation"
    on(date(2026, 7, 18))
    assert task()["state"] == "overdue"
    r = client.put(f"{base}/meetings/{report}/findings-presentation", headers=headers,
                   json={"presented_by": "municipality", "meeting_id": council})
    assert r.status_code == 200, r.get_json()
    item = task()
    assert item["state"] == "done" and item["on_time"] is True


def test_a_tables_recommendation_to_the_municipality_is_in_its_work_queue_when_due_soon_or_overdue(
        app, client, make_user, api_token, login, municipality_id, obligations_api, on):
    """The Prefecture's consultation table addresses a recommendation to Patos, due 30 June 2026: in Patos's work
    queue once it is due soon (the first reminder's lead time) and when overdue, out of it once done; the
    Prefecture's list of its tables shows the overdue ones."""
    from datetime import date

    prefect = api_token(make_user("prefecture", county="fier"))
    r = client.post("/api/v1/prefectures/fier/consultation-tables", headers=prefect,
                    json={"title": "Tryeza e konsultimit, qershor 2026", "held_on": "2026-05-12"})
    assert r.status_code == 201, r.get_json()
    table = r.get_json()["id"]
    r = client.post(f"/api/v1/prefectures/fier/consultation-tables/{table}/recommendations", headers=prefect,
                    json={"text": "Ndriçimi i rrugëve pranë shkollave të Patosit", "due_on": "2026-06-30",
                          "municipality_ids": [municipality_id("patos")]})
    assert r.status_code == 201, r.get_json()
    rec = r.get_json()[0]["id"]
    secretary = api_token(make_user("technical_secretary", municipality="patos"))

    def task():
        items = by_rule(obligations_api(client, secretary, "patos", from_="2026-01-01", to="2026-12-31"),
                        "table-recommendations")
        return items[0] if items else None

    on(date(2026, 6, 15))
    assert task() is None  # due, but not soon: not in the queue yet
    on(date(2026, 6, 29))
    item = task()
    assert item["state"] == "due_soon" and item["due_date"] == "2026-06-30" and item["key"] == f"recommendation:{rec}"
    assert "Ndriçimi" in item["sentence"] and item["url"] == f"/patos/recommendations#recommendation-{rec}"
    on(date(2026, 6, 30))
    assert task()["state"] == "due_soon"
    on(date(2026, 7, 1))
    assert task()["state"] == "overdue"
    # the recommendation is the municipality's own: another council's queue does not have it
    assert not by_rule(obligations_api(client, api_token(make_user("technical_secretary", municipality="fier")),
                                       "fier", from_="2026-01-01", to="2026-12-31"), "table-recommendations")
    web = app.test_client()
    login(web, make_user("prefecture", county="fier", locale="en"))
    page = web.get("/prefecture/fier/consultation-tables").get_data(as_text=True)
    if local_today() > date(2026, 6, 30):  # the page reads today's clock
        assert "1 recommendation overdue" in page
    r = client.post(f"/api/v1/municipalities/patos/recommendations/{rec}/follow-ups", headers=secretary,
                    json={"status": "done", "note": "U vendosën 12 ndriçues."})
    assert r.status_code in (200, 201), r.get_json()
    assert task() is None
