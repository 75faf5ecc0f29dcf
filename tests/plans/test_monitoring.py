"""Monthly monitoring: progress per activity at Coordination Secretariat meetings, officers reporting only on
their institution's activities, overdue activities flagged, and "you said, we did"."""
from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from safetycouncil.plans.models import ProgressEntry, ProgressEvidence

from tests import factories as make

from . import support

API = "/api/v1/municipalities/elbasan"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def plan(client, make_user, api_token, in_tenant):
    """An approved plan of this year: one activity of the police (deadline passed), one of the school."""
    secretary = make_user("technical_secretary", municipality="elbasan")
    headers = api_token(secretary)
    year = date.today().year
    with in_tenant("elbasan") as session:
        police = support.institution(session, "Drejtoria Vendore e Policisë Elbasan", "police").id
        school = support.institution(session, "Shkolla 9-vjeçare Naim Frashëri", "school").id
        today = datetime.combine(date.today(), datetime.min.time())
        decision = support.decision(session, today + timedelta(hours=10)).id  # held after the draft was made
        monthly = make.meeting(session, "secretariat_monitoring", today - timedelta(days=5, hours=-9)).id
        consultation = make.meeting(session, "open_consultation", today - timedelta(days=60, hours=-17)).id
    created = client.post(f"{API}/plans", headers=headers, json={"year": year}).get_json()
    version_id = created["versions"][0]["id"]
    item = client.post(f"{API}/plans/versions/{version_id}/items", headers=headers,
                       json={"number": "1.7", "issue": "Pikat e nxehta", "intensity": "high"}).get_json()
    late = (date.today() - timedelta(days=10)).isoformat()
    police_activity = client.post(f"{API}/plans/items/{item['id']}/activities", headers=headers, json={
        "description": "Përmirësimi i kamerave", "institution_ids": [police], "timing_kind": "deadline",
        "timing_value": late}).get_json()
    school_activity = client.post(f"{API}/plans/items/{item['id']}/activities", headers=headers, json={
        "description": "Orë mësimi për ligjin", "institution_ids": [school], "timing_kind": "recurrence",
        "timing_value": "every_two_months"}).get_json()
    indicator = client.post(f"{API}/plans/items/{item['id']}/indicators", headers=headers, json={
        "name": "Kamera funksionale", "unit": "kamera", "baseline": 12, "target": 40}).get_json()
    assert client.post(f"{API}/plans/versions/{version_id}/approval", headers=headers,
                       json={"decision_id": decision}).status_code == 200
    return {"headers": headers, "secretary": secretary, "police": police, "school": school, "item": item,
            "police_activity": police_activity["id"], "school_activity": school_activity["id"],
            "indicator": indicator["id"], "monthly": monthly, "consultation": consultation,
            "version_id": version_id, "plan_id": created["id"]}


def test_progress_is_recorded_at_a_secretariat_meeting_and_overdue_activities_are_flagged(client, plan):
    headers = plan["headers"]
    board = client.get(f"{API}/plans/monitoring", headers=headers).get_json()
    activities = {a["activity_id"]: a for a in board["items"][0]["activities"]}
    assert board["overdue"] == 1
    assert activities[plan["police_activity"]]["overdue"] and activities[plan["police_activity"]]["days_late"] == 10
    assert not activities[plan["school_activity"]]["overdue"]  # recurring: no single deadline
    entry = client.post(f"{API}/plans/activities/{plan['police_activity']}/progress", headers=headers, json={
        "status": "delayed", "progress": 30, "meeting_id": plan["monthly"], "comment": "Prokurimi u vonua",
        "next_steps": "Kontrata nënshkruhet në muajin e ardhshëm",
        "indicator_values": [{"indicator_id": plan["indicator"], "value": 18}]})
    assert entry.status_code == 201, entry.get_json()
    body = entry.get_json()
    assert body["reported_on"] == (date.today() - timedelta(days=5)).isoformat() and body["values"][0]["value"] == 18
    board = client.get(f"{API}/plans/monitoring", headers=headers).get_json()
    assert board["items"][0]["indicators"][0]["current"] == 18
    assert board["overdue"] == 1  # delayed is still not done
    done = client.post(f"{API}/plans/activities/{plan['police_activity']}/progress", headers=headers,
                       json={"status": "done"})
    assert done.get_json()["progress"] == 100
    board = client.get(f"{API}/plans/monitoring", headers=headers).get_json()
    assert board["overdue"] == 0
    wrong_meeting = client.post(f"{API}/plans/activities/{plan['school_activity']}/progress", headers=headers,
                                json={"status": "in_progress", "meeting_id": plan["consultation"]})
    assert wrong_meeting.status_code == 422 and "meeting_id" in wrong_meeting.get_json()["errors"]
    bad = client.post(f"{API}/plans/activities/{plan['school_activity']}/progress", headers=headers,
                      json={"status": "finished", "progress": 140})
    assert bad.status_code == 422


def test_an_institution_officer_reports_only_on_their_institutions_activities(app, client, plan, make_user,
                                                                              api_token, login, in_tenant):
    officer = make_user("institution_officer", municipality="elbasan")
    linked = client.post(f"{API}/plans/institution-officers", headers=plan["headers"],
                         json={"user_id": officer.id, "institution_id": plan["police"]})
    assert linked.status_code == 201, linked.get_json()
    not_an_officer = make_user("member", municipality="elbasan")
    refused = client.post(f"{API}/plans/institution-officers", headers=plan["headers"],
                          json={"user_id": not_an_officer.id, "institution_id": plan["police"]})
    assert refused.status_code == 422
    headers = api_token(officer)
    mine = client.post(f"{API}/plans/activities/{plan['police_activity']}/progress", headers=headers,
                       json={"status": "in_progress", "progress": 50, "comment": "10 kamera të reja",
                             "indicator_values": [{"indicator_id": plan["indicator"], "value": 22}]})
    assert mine.status_code == 201, mine.get_json()
    assert mine.get_json()["institution_id"] == plan["police"]
    theirs = client.post(f"{API}/plans/activities/{plan['school_activity']}/progress", headers=headers,
                         json={"status": "done"})
    assert theirs.status_code == 403  # issue 20: another institution's activity is a permission matter
    assert "institution" in theirs.get_json()["errors"]["activity"] or "institucioni" in \
        theirs.get_json()["errors"]["activity"]
    # The officer changes nothing else.
    assert client.patch(f"{API}/plans/items/{plan['item']['id']}", headers=headers,
                        json={"issue": "x"}).status_code == 403
    assert client.post(f"{API}/plans", headers=headers, json={"year": 2040}).status_code == 403
    # An officer without a link reports on nothing.
    other = api_token(make_user("institution_officer", municipality="elbasan"))
    assert client.post(f"{API}/plans/activities/{plan['police_activity']}/progress", headers=other,
                       json={"status": "done"}).status_code == 403
    # The web page: the form for their activity (with evidence), none for the other.
    web = app.test_client()
    login(web, officer)
    page = web.get(f"/elbasan/plans/activities/{plan['police_activity']}/progress").get_data(as_text=True)
    assert 'name="evidence"' in page
    assert 'name="evidence"' not in web.get(f"/elbasan/plans/activities/{plan['school_activity']}/progress")\
        .get_data(as_text=True)
    sent = web.post(f"/elbasan/plans/activities/{plan['police_activity']}/progress",
                    content_type="multipart/form-data",
                    data={"status": "in_progress", "progress": "60", f"indicator-{plan['indicator']}": "25",
                          "evidence": (io.BytesIO(PDF), "foto-kamerat.pdf")})
    assert sent.status_code == 302
    assert web.post(f"/elbasan/plans/activities/{plan['school_activity']}/progress",
                    data={"status": "done"}).status_code == 403
    with in_tenant("elbasan") as session:
        entries = session.execute(select(ProgressEntry).order_by(ProgressEntry.id)).scalars().all()
        assert [e.activity_id for e in entries] == [plan["police_activity"]] * 2
        assert session.execute(select(ProgressEvidence)).scalar_one().document.filename == "foto-kamerat.pdf"
    board = web.get("/elbasan/plans/monitoring").get_data(as_text=True)
    assert "Përmirësimi i kamerave" in board


def test_progress_continues_across_a_revision(client, plan):
    headers = plan["headers"]
    client.post(f"{API}/plans/activities/{plan['police_activity']}/progress", headers=headers,
                json={"status": "in_progress", "progress": 40})
    revision = client.post(f"{API}/plans/{plan['plan_id']}/versions", headers=headers, json={}).get_json()
    draft_activity = revision["items"][0]["activities"][0]["id"]
    refused = client.post(f"{API}/plans/activities/{draft_activity}/progress", headers=headers,
                          json={"status": "done"})
    assert refused.status_code == 422  # progress goes on the approved plan in force
    history = client.get(f"{API}/plans/activities/{draft_activity}/progress", headers=headers).get_json()
    assert [e["progress"] for e in history] == [40]


def test_you_said_we_did(app, client, plan, in_tenant, make_user, login):
    headers = plan["headers"]
    with in_tenant("elbasan") as session:
        area = support.area(session).id
    concern = client.post(f"{API}/concerns", headers=headers, json={
        "text": "Në parkun pranë stacionit mblidhen të rinj që përdorin drogë.", "source_kind": "student_government",
        "area_id": area, "category_id": support_category(app), "meeting_id": plan["consultation"]}).get_json()
    nothing = client.get(f"{API}/concerns/{concern['id']}/outcome", headers=headers).get_json()
    assert nothing["risks"] == []
    risk = client.post(f"{API}/risks", headers=headers, json={
        "title": "Pika e nxehtë në parkun e stacionit", "concern_ids": [concern["id"]], "intensity": "high",
        "reason": "Shqetësime të përsëritura"}).get_json()
    revision = client.post(f"{API}/plans/{plan['plan_id']}/versions", headers=headers,
                           json={"consultation_meeting_id": plan["consultation"]}).get_json()
    item_id = revision["items"][0]["id"]
    assert client.patch(f"{API}/plans/items/{item_id}", headers=headers,
                        json={"risk_id": risk["id"]}).status_code == 200
    with in_tenant("elbasan") as session:
        decision = support.decision(session, datetime.combine(date.today(), datetime.min.time())
                                    + timedelta(hours=12)).id
    assert client.post(f"{API}/plans/versions/{revision['id']}/approval", headers=headers,
                       json={"decision_id": decision}).status_code == 200
    police_activity = revision["items"][0]["activities"][0]["id"]
    client.post(f"{API}/plans/activities/{police_activity}/progress", headers=headers, json={"status": "done"})
    outcome = client.get(f"{API}/concerns/{concern['id']}/outcome", headers=headers).get_json()
    assert [r["title"] for r in outcome["risks"]] == ["Pika e nxehtë në parkun e stacionit"]
    answer = outcome["risks"][0]["answers"][0]
    assert (answer["number"], answer["version_number"], answer["version_status"]) == ("1.7", 2, "approved")
    assert [(a["description"], a["status"]) for a in answer["activities"]] == [
        ("Përmirësimi i kamerave", "done"), ("Orë mësimi për ligjin", "not_started")]
    web = app.test_client()
    login(web, make_user("member", municipality="elbasan"))
    page = web.get(f"/elbasan/concerns/{concern['id']}").get_data(as_text=True)
    assert "Pika e nxehtë në parkun e stacionit" in page and "Përmirësimi i kamerave" in page


def support_category(app):
    from safetycouncil.concerns.models import RiskCategory
    from safetycouncil.concerns.services import ensure_default_categories
    from safetycouncil.extensions import db

    with app.app_context():
        ensure_default_categories()
        db.session.commit()
        return db.session.execute(select(RiskCategory.id).where(RiskCategory.code == "hotspots")).scalar_one()
