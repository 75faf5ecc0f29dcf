"""A plan a year: a draft approved at a council meeting (linked to its decision), revised after an open
consultation and approved again; every version kept, approved ones never edited, any two compared."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from safetycouncil.plans.models import PlanItem, PlanVersion

from tests import factories as make

from . import support

API = "/api/v1/municipalities/elbasan/plans"


@pytest.fixture
def headers(make_user, api_token):
    return api_token(make_user("technical_secretary", municipality="elbasan"))


@pytest.fixture
def decisions(in_tenant):
    with in_tenant("elbasan") as session:
        police = support.institution(session, "Drejtoria Vendore e Policisë Elbasan", "police").id
        school = support.institution(session, "Zyra Vendore Arsimore Elbasan", "education").id
        # Approvals take decisions of council meetings held after the draft was created (drafts are made now).
        first = support.decision(session, support.after_today(1), "1/2025").id
        second = support.decision(session, support.after_today(30), "7/2025").id
        consultation = make.meeting(session, "open_consultation", support.after_today(10, 17)).id
        monitoring_meeting = make.meeting(session, "secretariat_monitoring", datetime(2025, 3, 5, 9)).id
        task_force = support.decision(session, support.after_today(2), "TF-1", kind="task_force").id
    return {"first": first, "second": second, "consultation": consultation, "police": police, "school": school,
            "task_force": task_force, "monitoring": monitoring_meeting}


def _draft(client, headers, ids):
    plan = client.post(API, headers=headers, json={"year": 2025}).get_json()
    version_id = plan["versions"][0]["id"]
    items = []
    for number, issue, intensity in (("1", "Dhuna në familje", "high"), ("2", "Siguria rrugore", "moderate"),
                                     ("3", "Vjedhjet", "low")):
        item = client.post(f"{API}/versions/{version_id}/items", headers=headers,
                           json={"number": number, "issue": issue, "intensity": intensity}).get_json()
        activity = client.post(f"{API}/items/{item['id']}/activities", headers=headers, json={
            "description": f"Aktivitet për {issue}", "institution_ids": [ids["police"]],
            "timing_kind": "period", "timing_value": "first_half"})
        assert activity.status_code == 201, activity.get_json()
        client.post(f"{API}/items/{item['id']}/indicators", headers=headers,
                    json={"name": f"Tregues {number}", "unit": "raste", "baseline": 10, "target": 5})
        items.append(item)
    return plan, version_id, items


def test_a_draft_is_approved_at_a_council_meeting_by_its_decision(client, headers, decisions):
    plan, version_id, _ = _draft(client, headers, decisions)
    assert plan["versions"][0]["status"] == "draft"
    not_council = client.post(f"{API}/versions/{version_id}/approval", headers=headers,
                              json={"decision_id": decisions["task_force"]})
    assert not_council.status_code == 422 and "decision_id" in not_council.get_json()["errors"]
    approved = client.post(f"{API}/versions/{version_id}/approval", headers=headers,
                           json={"decision_id": decisions["first"]})
    assert approved.status_code == 200, approved.get_json()
    version = approved.get_json()
    assert version["status"] == "approved" and version["approved_decision_id"] == decisions["first"]
    assert version["approved_on"] == support.after_today(1).date().isoformat() and version["gaps"] == []


def test_an_approved_version_cannot_be_edited_in_place(client, headers, decisions, make_user, login, app):
    _, version_id, items = _draft(client, headers, decisions)
    client.post(f"{API}/versions/{version_id}/approval", headers=headers, json={"decision_id": decisions["first"]})
    item = client.get(f"{API}/items/{items[0]['id']}", headers=headers).get_json()
    attempts = [
        client.patch(f"{API}/items/{item['id']}", headers=headers, json={"issue": "Ndryshuar"}),
        client.delete(f"{API}/items/{item['id']}", headers=headers),
        client.post(f"{API}/versions/{version_id}/items", headers=headers, json={"issue": "E re"}),
        client.post(f"{API}/items/{item['id']}/activities", headers=headers, json={"description": "E re"}),
        client.patch(f"{API}/activities/{item['activities'][0]['id']}", headers=headers,
                     json={"description": "Ndryshuar"}),
        client.patch(f"{API}/indicators/{item['indicators'][0]['id']}", headers=headers, json={"target": 1}),
        client.post(f"{API}/versions/{version_id}/approval", headers=headers,
                    json={"decision_id": decisions["second"]}),
    ]
    for response in attempts:
        assert response.status_code == 409, response.get_json()
        assert "revision" in response.get_json()["message"] or "rishikim" in response.get_json()["message"]
    english = client.patch(f"{API}/items/{item['id']}", headers={**headers, "Accept-Language": "en"},
                           json={"issue": "Changed"})
    assert english.status_code == 409
    assert client.get(f"{API}/items/{item['id']}", headers=headers).get_json()["issue"] == "Dhuna në familje"
    web = app.test_client()
    login(web, make_user("technical_secretary", municipality="elbasan"))
    page = web.post(f"/elbasan/plans/items/{item['id']}", data={"action": "update", "issue": "Ndryshuar"})
    assert page.status_code == 422


def test_a_revision_is_copied_approved_at_the_next_meeting_and_compared(client, headers, decisions, in_tenant):
    plan, version_id, _items = _draft(client, headers, decisions)
    client.post(f"{API}/versions/{version_id}/approval", headers=headers, json={"decision_id": decisions["first"]})
    revision = client.post(f"{API}/{plan['id']}/versions", headers=headers, json={
        "consultation_meeting_id": decisions["consultation"], "note": "Qytetarët kërkuan më shumë ndriçim"})
    assert revision.status_code == 201, revision.get_json()
    draft = revision.get_json()
    assert (draft["number"], draft["status"], draft["based_on_id"]) == (2, "draft", version_id)
    old = client.get(f"{API}/versions/{version_id}", headers=headers).get_json()
    assert [i["key"] for i in draft["items"]] == [i["key"] for i in old["items"]]
    assert [a["key"] for i in draft["items"] for a in i["activities"]] == \
        [a["key"] for i in old["items"] for a in i["activities"]]
    assert client.post(f"{API}/{plan['id']}/versions", headers=headers, json={}).status_code == 422  # one draft

    new_items = {i["number"]: i for i in draft["items"]}
    client.patch(f"{API}/items/{new_items['1']['id']}", headers=headers, json={"intensity": "moderate"})
    client.post(f"{API}/items/{new_items['1']['id']}/activities", headers=headers, json={
        "description": "Linjë telefonike falas për viktimat", "institution_ids": [decisions["school"]],
        "timing_kind": "recurrence", "timing_value": "all_year"})
    client.patch(f"{API}/activities/{new_items['2']['activities'][0]['id']}", headers=headers,
                 json={"timing_kind": "deadline", "timing_value": "2025-12-31"})
    assert client.delete(f"{API}/items/{new_items['3']['id']}", headers=headers).status_code == 204
    added = client.post(f"{API}/versions/{draft['id']}/items", headers=headers,
                        json={"number": "4", "issue": "Ndriçimi i rrugëve", "intensity": "high"})
    assert added.status_code == 201

    comparison = client.get(f"{API}/{plan['id']}/comparison", headers=headers).get_json()
    assert comparison["from_version"]["number"] == 1 and comparison["to_version"]["number"] == 2
    assert comparison["summary"] == {"added": 1, "removed": 1, "changed": 2, "unchanged": 0}
    rows = {r["number"]: r for r in comparison["items"]}
    assert rows["1"]["change"] == "changed" and rows["1"]["fields"]["intensity"] == {"from": "high", "to": "moderate"}
    assert [a["change"] for a in rows["1"]["activities"]] == ["unchanged", "added"]
    assert rows["2"]["activities"][0]["change"] == "changed"
    assert rows["2"]["activities"][0]["fields"]["timing_kind"] == {"from": "period", "to": "deadline"}
    assert rows["3"]["change"] == "removed" and rows["4"]["change"] == "added"
    backwards = client.get(f"{API}/{plan['id']}/comparison?from={draft['id']}&to={version_id}",
                           headers=headers).get_json()
    assert backwards["summary"] == {"added": 1, "removed": 1, "changed": 2, "unchanged": 0}

    approved = client.post(f"{API}/versions/{draft['id']}/approval", headers=headers,
                           json={"decision_id": decisions["second"]})
    assert approved.status_code == 200
    versions = client.get(f"{API}/{plan['id']}/versions", headers=headers).get_json()
    assert [(v["number"], v["status"]) for v in versions] == [(1, "superseded"), (2, "approved")]
    # Every version is kept, the first one as it was approved.
    first = client.get(f"{API}/versions/{version_id}", headers=headers).get_json()
    assert [i["number"] for i in first["items"]] == ["1", "2", "3"] and first["items"][0]["intensity"] == "high"
    with in_tenant("elbasan") as session:
        assert session.execute(select(func.count()).select_from(PlanVersion)).scalar() == 2
        assert session.execute(select(func.count()).select_from(PlanItem)).scalar() == 6


def test_one_plan_a_year_and_the_plan_pages(app, client, headers, decisions, make_user, login):
    plan, version_id, items = _draft(client, headers, decisions)
    again = client.post(API, headers=headers, json={"year": 2025})
    assert again.status_code == 422 and "year" in again.get_json()["errors"]
    web = app.test_client()
    login(web, make_user("technical_secretary", municipality="elbasan"))
    for url in ("/elbasan/plans/", f"/elbasan/plans/{plan['id']}", f"/elbasan/plans/{plan['id']}/compare",
                f"/elbasan/plans/versions/{version_id}", f"/elbasan/plans/items/{items[0]['id']}",
                "/elbasan/plans/monitoring", "/elbasan/plans/reports", "/elbasan/plans/officers",
                "/elbasan/plans/import"):
        assert web.get(url).status_code == 200, url
    # The web forms: an activity with a deadline, then the approval.
    activity = web.post(f"/elbasan/plans/items/{items[0]['id']}", data={
        "action": "activity", "description": "Takime me OJF", "institution_ids": [str(decisions["police"])],
        "timing_kind": "deadline", "timing_deadline": "30.09.2025"})
    assert activity.status_code == 302
    approve = web.post(f"/elbasan/plans/versions/{version_id}", data={"action": "approve",
                                                                       "decision_id": decisions["first"]})
    assert approve.status_code == 302
    page = web.get(f"/elbasan/plans/versions/{version_id}").get_data(as_text=True)
    assert "30.09.2025" in page and "Takime me OJF" in page
    public = app.test_client().get("/public/elbasan/plan").get_data(as_text=True)
    assert "Takime me OJF" in public


def test_an_incomplete_plan_says_what_is_missing(client, headers, decisions):
    plan = client.post(API, headers=headers, json={"year": 2024}).get_json()
    version_id = plan["versions"][0]["id"]
    client.post(f"{API}/versions/{version_id}/items", headers=headers, json={"issue": "Bullizmi"})
    gaps = client.get(f"{API}/versions/{version_id}", headers=headers).get_json()["gaps"]
    assert len(gaps) == 1 and len(gaps[0]["missing"]) == 3  # intensity, activities, an indicator
