"""What the regulation asks around its meetings, recorded and judged (issue 19, "not recorded at all"):
the chair's approval of the agenda (Art. 7.5), the Coordination Secretariat's prior agreement of public
meetings (Art. 9.5) and its report to the heads after each meeting (Art. 9.4), and the attendance the texts
require (Art. 8.1, 8.5, 9.6, 10.2). Everything is recorded through the API in a fresh municipality and read
back as the Ministry reads it, on the day before, on and after each deadline."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from safetycouncil import workdays
from safetycouncil.council.models import CouncilMember, CouncilSeat, Institution
from safetycouncil.timeutil import LOCAL_TIMEZONE
from tests import factories as make

SLUG = "kucove"
BASE = f"/api/v1/municipalities/{SLUG}"


@pytest.fixture
def on(monkeypatch):
    """Judge as if now were the end of the given day (or the given moment) in Albania."""
    from safetycouncil.compliance import engine

    def set_now(moment):
        if not isinstance(moment, datetime):
            moment = datetime.combine(moment, time(23, 59))
        monkeypatch.setattr(engine, "_now", lambda: moment.replace(tzinfo=LOCAL_TIMEZONE))

    return set_now


@pytest.fixture
def council(in_tenant):
    """The people the rules name: the three heads (categories a, c, d), the Coordination Secretariat's three
    seats (the police's and the prosecution's held by their heads) and the Technical Secretariat."""
    with in_tenant(SLUG) as s:
        inst = {k: Institution(name=f"{k} Kuçovë", kind=k) for k in ("municipality", "police", "prosecution")}
        s.add_all(inst.values())
        s.flush()
        people = {
            "a": CouncilMember(full_name="Kryetari Kuçovë", category="a", mandate_start=date(2020, 1, 1),
                               institution_id=inst["municipality"].id),
            "c": CouncilMember(full_name="Drejtori i Policisë", category="c", mandate_start=date(2020, 1, 1),
                               institution_id=inst["police"].id),
            "d": CouncilMember(full_name="Drejtuesi i Prokurorisë", category="d", mandate_start=date(2020, 1, 1),
                               institution_id=inst["prosecution"].id),
            "sm": CouncilMember(full_name="Përfaqësuesi i Bashkisë", category="staff", mandate_start=date(2020, 1, 1),
                                institution_id=inst["municipality"].id),
            "ts": CouncilMember(full_name="Sekretari Teknik", category="staff", mandate_start=date(2020, 1, 1),
                                institution_id=inst["municipality"].id),
        }
        s.add_all(people.values())
        s.flush()
        for seat, key in (("chair", "a"), ("secretariat_municipality", "sm"), ("secretariat_police", "c"),
                          ("secretariat_prosecution", "d"), ("technical_secretariat", "ts")):
            s.add(CouncilSeat(seat=seat, member_id=people[key].id, started_on=date(2020, 1, 1)))
        s.flush()
        return {k: v.id for k, v in people.items()}


@pytest.fixture
def api(client, make_user, api_token):
    """Tokens: the technical secretary (records), the chair (approves), the Ministry (reads verdicts)."""
    return {"secretary": api_token(make_user("technical_secretary", municipality=SLUG)),
            "chair": api_token(make_user("chair", municipality=SLUG)),
            "ministry": api_token(make_user("ministry"))}


def _meeting(client, token, kind, starts: str, *, agenda=True, held=False) -> dict:
    start = datetime.fromisoformat(starts)
    r = client.post(f"{BASE}/meetings", headers=token, json={
        "kind": kind, "title": f"{kind} {start:%d.%m}", "starts_at": starts,
        "ends_at": (start + timedelta(hours=2)).isoformat(timespec="minutes")})
    assert r.status_code == 201, r.get_json()
    meeting = r.get_json()
    if agenda:
        r = client.post(f"{BASE}/meetings/{meeting['id']}/agenda-items", headers=token,
                        json={"title": "Ecuria e planit shumë-agjencior"})
        assert r.status_code == 201, r.get_json()
    if held:
        r = client.post(f"{BASE}/meetings/{meeting['id']}/held", headers=token)
        assert r.status_code == 200, r.get_json()
    return meeting


def _rule(client, token, rule: str) -> dict:
    body = client.get(f"/api/v1/compliance/{SLUG}?year=2026", headers=token).get_json()
    return body["rules"][rule]


def _verdict(client, api, on, day, rule) -> str:
    on(day)
    return _rule(client, api["ministry"], rule)["verdict"]


# --- Art. 7.5 ----------------------------------------------------------------------------------------------

def test_the_chair_approves_the_agenda_by_the_invitation_deadline(app, client, api, council, on):
    """Art. 7.5: "The LPSC carries out the work according to the agenda approved by the chairman of the LPSC."
    Art. 7.4: the invitation with the agenda is sent at least 5 working days before the meeting, so the agenda
    is approved by then: due at the end of the invitation deadline."""
    meeting = _meeting(client, api["secretary"], "council", "2026-05-15T10:00")
    deadline = date.fromisoformat(meeting["invitation_deadline"])
    assert deadline == date(2026, 5, 8)
    before, after = deadline - timedelta(days=1), deadline + timedelta(days=1)
    assert _verdict(client, api, on, before, "agenda-approved") == "not_yet_due"
    assert _verdict(client, api, on, deadline, "agenda-approved") == "not_yet_due"
    assert _verdict(client, api, on, after, "agenda-approved") == "fail"
    missing = _rule(client, api["ministry"], "agenda-approved")["evidence"][0]
    assert missing["kind"] == "period_missing" and missing["deadline"] == "2026-05-08"
    assert "miratua" in missing["message"] or "approved" in missing["message"]

    # a permission, not a bad input: only the chair approves
    url = f"{BASE}/meetings/{meeting['id']}/agenda-approval"
    refused = client.post(url, headers=api["secretary"], json={})
    assert refused.status_code == 403
    # approved a day late: late is not on time
    r = client.post(url, headers=api["chair"], json={"approved_on": after.isoformat()})
    assert r.status_code == 200 and r.get_json()["agenda_approved_on"] == after.isoformat()
    assert _verdict(client, api, on, after, "agenda-approved") == "fail"
    late = _rule(client, api["ministry"], "agenda-approved")["evidence"][0]
    assert late["kind"] == "period_late" and late["approved"] == after.isoformat() and late["approved_by"]
    # approved on the deadline itself: on time, the day before it was not yet due
    client.post(url, headers=api["chair"], json={"approved_on": deadline.isoformat()})
    assert _verdict(client, api, on, before, "agenda-approved") == "not_yet_due"
    assert _verdict(client, api, on, deadline, "agenda-approved") == "pass"
    assert _verdict(client, api, on, after, "agenda-approved") == "pass"


def test_agenda_approval_refusals_and_withdrawal(app, client, api, council, on):
    """Art. 7.5: the approval concerns an agenda: none without items, none in the future, and a change of
    the agenda before the meeting is no longer the agenda the chair approved."""
    meeting = _meeting(client, api["secretary"], "council", "2027-02-19T10:00", agenda=False)
    url = f"{BASE}/meetings/{meeting['id']}/agenda-approval"
    r = client.post(url, headers=api["chair"], json={})
    assert r.status_code == 422 and "agenda" in r.get_json()["errors"]
    client.post(f"{BASE}/meetings/{meeting['id']}/agenda-items", headers=api["secretary"], json={"title": "Plani"})
    r = client.post(url, headers=api["chair"], json={"approved_on": "2099-01-01"})
    assert r.status_code == 422 and "approved_on" in r.get_json()["errors"]
    r = client.post(url, headers=api["chair"], json={})
    assert r.status_code == 200 and r.get_json()["agenda_approved_on"] is not None
    client.post(f"{BASE}/meetings/{meeting['id']}/agenda-items", headers=api["secretary"], json={"title": "Të tjera"})
    shown = client.get(f"{BASE}/meetings/{meeting['id']}", headers=api["secretary"]).get_json()
    assert shown["agenda_approved_on"] is None
    consultation = _meeting(client, api["secretary"], "open_consultation", "2027-02-20T17:00")
    r = client.post(f"{BASE}/meetings/{consultation['id']}/agenda-approval", headers=api["chair"], json={})
    assert r.status_code == 422


# --- Art. 9.5 ----------------------------------------------------------------------------------------------

def test_the_secretariat_agrees_each_public_meeting_beforehand(app, client, api, council, on):
    """Art. 9.5: "The Coordinating Secretariat agrees on the agenda of public meetings and meeting dates
    beforehand": due at the end of the day before the open consultation."""
    meeting = _meeting(client, api["secretary"], "open_consultation", "2026-06-11T17:00")
    due = date(2026, 6, 10)
    assert _verdict(client, api, on, due - timedelta(days=1), "public-meetings-agreed") == "not_yet_due"
    assert _verdict(client, api, on, due, "public-meetings-agreed") == "not_yet_due"
    assert _verdict(client, api, on, due + timedelta(days=1), "public-meetings-agreed") == "fail"
    url = f"{BASE}/meetings/{meeting['id']}/secretariat-agreement"
    r = client.post(url, headers=api["secretary"], json={"agreed_on": "2026-06-11"})  # on the day: not beforehand
    assert r.status_code == 200 and r.get_json()["secretariat_agreed_on"] == "2026-06-11"
    assert _verdict(client, api, on, due + timedelta(days=1), "public-meetings-agreed") == "fail"
    client.post(url, headers=api["secretary"], json={"agreed_on": due.isoformat()})
    assert _verdict(client, api, on, due - timedelta(days=1), "public-meetings-agreed") == "not_yet_due"
    assert _verdict(client, api, on, due, "public-meetings-agreed") == "pass"
    assert _verdict(client, api, on, due + timedelta(days=1), "public-meetings-agreed") == "pass"
    council_meeting = _meeting(client, api["secretary"], "council", "2026-06-19T10:00")
    r = client.post(f"{BASE}/meetings/{council_meeting['id']}/secretariat-agreement", headers=api["secretary"],
                    json={"agreed_on": "2026-06-01"})
    assert r.status_code == 422 and "agreed_on" in r.get_json()["errors"]


# --- Art. 9.4 ----------------------------------------------------------------------------------------------

def test_the_secretariat_reports_to_the_three_heads_after_each_meeting(app, client, api, council, on):
    """Art. 9.4: "The Coordination Secretariat reports to the heads of the institutions and they present on the
    findings": after each of its meetings, the report with its findings to the heads of the municipality, the
    police and the prosecution, within the model's working days (5 in version 1)."""
    meeting = _meeting(client, api["secretary"], "secretariat_monitoring", "2026-07-07T09:00", held=True)
    due = workdays.add_working_days(date(2026, 7, 7), 5)
    assert due == date(2026, 7, 14)
    assert _verdict(client, api, on, due - timedelta(days=1), "secretariat-reports") == "not_yet_due"
    assert _verdict(client, api, on, due, "secretariat-reports") == "not_yet_due"
    assert _verdict(client, api, on, due + timedelta(days=1), "secretariat-reports") == "fail"
    url = f"{BASE}/meetings/{meeting['id']}/secretariat-report"
    findings = "Dy aktivitete të vonuara: patrullimi pranë shkollave dhe ndriçimi i rrugëve."
    # sent to two heads only: the evidence names the third
    r = client.put(url, headers=api["secretary"], json={"sent_on": due.isoformat(), "findings": findings,
                                                         "recipients": ["municipality", "police"]})
    assert r.status_code == 200 and r.get_json()["report_recipients"] == ["municipality", "police"]
    assert _verdict(client, api, on, due + timedelta(days=1), "secretariat-reports") == "fail"
    item = _rule(client, api["ministry"], "secretariat-reports")["evidence"][0]
    assert item["not_sent_to"] == ["prosecution"] and item["message"]
    # sent a day late to all three: late
    everyone = ["municipality", "police", "prosecution"]
    client.put(url, headers=api["secretary"], json={"sent_on": (due + timedelta(days=1)).isoformat(),
                                                     "findings": findings, "recipients": everyone})
    assert _verdict(client, api, on, due + timedelta(days=1), "secretariat-reports") == "fail"
    assert _rule(client, api["ministry"], "secretariat-reports")["evidence"][0]["kind"] == "period_late"
    # sent on the due day to all three, with the findings: met
    client.put(url, headers=api["secretary"], json={"sent_on": due.isoformat(), "findings": findings,
                                                     "recipients": everyone})
    assert _verdict(client, api, on, due - timedelta(days=1), "secretariat-reports") == "not_yet_due"
    assert _verdict(client, api, on, due, "secretariat-reports") == "pass"
    assert _verdict(client, api, on, due + timedelta(days=1), "secretariat-reports") == "pass"


def test_a_report_is_refused_with_a_clear_message(app, client, api, council):
    """Art. 9.4: the report follows the meeting; it names the heads it went to and the findings."""
    planned = _meeting(client, api["secretary"], "secretariat_monitoring", "2027-03-09T09:00")
    body = {"sent_on": "2026-07-08", "findings": "Gjetjet", "recipients": ["police"]}
    r = client.put(f"{BASE}/meetings/{planned['id']}/secretariat-report", headers=api["secretary"], json=body)
    assert r.status_code == 422
    held = _meeting(client, api["secretary"], "secretariat_monitoring", "2026-07-07T09:00", held=True)
    url = f"{BASE}/meetings/{held['id']}/secretariat-report"
    r = client.put(url, headers=api["secretary"], json={**body, "sent_on": "2026-07-01"})
    assert r.status_code == 422 and "sent_on" in r.get_json()["errors"]
    r = client.put(url, headers=api["secretary"], json={**body, "recipients": ["mayor"]})
    assert r.status_code == 422 and "recipients" in r.get_json()["errors"]
    r = client.put(url, headers=api["secretary"], json={**body, "findings": "  "})
    assert r.status_code == 422 and "findings" in r.get_json()["errors"]
    shown = client.get(f"{BASE}/meetings/{held['id']}", headers=api["secretary"]).get_json()
    assert shown["report_sent_on"] is None


def test_the_report_due_date_is_a_versioned_parameter(app, client, api, council, on):
    """Art. 9.4 sets no number of days: the Ministry's model does, in versions (2 working days from 2026)."""
    from safetycouncil.compliance import services
    from safetycouncil.compliance.rules import DEFAULT_ARTICLES, DEFAULT_PARAMETERS, RULE_IDS
    from safetycouncil.extensions import db

    with app.app_context():
        services.create_model_version(2026, {**DEFAULT_PARAMETERS, "secretariat_report_working_days": 2},
                                      [{"id": r, "article": DEFAULT_ARTICLES[r]} for r in RULE_IDS], note=None,
                                      user_id=None)
        db.session.commit()
    _meeting(client, api["secretary"], "secretariat_monitoring", "2026-07-07T09:00", held=True)
    assert _verdict(client, api, on, date(2026, 7, 9), "secretariat-reports") == "not_yet_due"
    assert _verdict(client, api, on, date(2026, 7, 10), "secretariat-reports") == "fail"


# --- Art. 8.1, 8.5, 9.6, 10.2 ------------------------------------------------------------------------------

def test_the_heads_attend_open_consultations(app, client, api, council, on):
    """Art. 8.1: the plan "derives from the open public communication of the head of the Municipality, Police
    and Prosecution"; Art. 8.5: the monitoring "is carried out by the head of the Municipality, Police and
    Prosecution, through open consultation meetings". Judged once the meeting's records are due (10 working
    days in version 1); the evidence names who was missing."""
    meeting = _meeting(client, api["secretary"], "open_consultation", "2026-06-11T17:00", held=True)
    client.put(f"{BASE}/meetings/{meeting['id']}/attendance", headers=api["secretary"], json={"members": [
        {"member_id": council["a"], "status": "present"}, {"member_id": council["c"], "status": "present"},
        {"member_id": council["d"], "status": "excused"}]})
    due = workdays.add_working_days(date(2026, 6, 11), 10)
    assert _verdict(client, api, on, due - timedelta(days=1), "required-attendance") == "not_yet_due"
    assert _verdict(client, api, on, due, "required-attendance") == "not_yet_due"
    assert _verdict(client, api, on, due + timedelta(days=1), "required-attendance") == "fail"
    item = _rule(client, api["ministry"], "required-attendance")["evidence"][0]
    assert item["missing"] == ["Drejtuesi i Prokurorisë"] and item["group"] == "heads"
    assert "Drejtuesi i Prokurorisë" in item["message"]
    client.put(f"{BASE}/meetings/{meeting['id']}/attendance", headers=api["secretary"], json={"members": [
        {"member_id": council[k], "status": "present"} for k in "acd"]})
    assert _verdict(client, api, on, due - timedelta(days=1), "required-attendance") == "pass"
    assert _verdict(client, api, on, due + timedelta(days=1), "required-attendance") == "pass"


def test_the_secretariats_attend_council_meetings(app, client, api, council, on):
    """Art. 9.6: "The Coordination Secretariat participates in LPSC meetings"; Art. 10.2 (b, f): the Technical
    Secretariat records the minutes and keeps the list of participants present."""
    meeting = _meeting(client, api["secretary"], "council", "2026-10-16T10:00", held=True)
    client.put(f"{BASE}/meetings/{meeting['id']}/attendance", headers=api["secretary"], json={"members": [
        {"member_id": council[k], "status": "present"} for k in ("a", "c", "d", "sm")]})
    due = workdays.add_working_days(date(2026, 10, 16), 10)
    assert _verdict(client, api, on, due, "required-attendance") == "not_yet_due"
    assert _verdict(client, api, on, due + timedelta(days=1), "required-attendance") == "fail"
    item = _rule(client, api["ministry"], "required-attendance")["evidence"][0]
    assert item["missing"] == ["Sekretari Teknik"] and item["group"] == "secretariats"
    client.put(f"{BASE}/meetings/{meeting['id']}/attendance", headers=api["secretary"], json={"members": [
        {"member_id": council[k], "status": "present"} for k in ("a", "c", "d", "sm", "ts")]})
    assert _verdict(client, api, on, due + timedelta(days=1), "required-attendance") == "pass"


# --- the meeting page --------------------------------------------------------------------------------------

def test_the_meeting_page_shows_the_approval_and_lets_only_the_chair_approve(app, client, make_user, login, council):
    """Art. 7.5 on the meeting's page: the chair gets the button and approves; the technical secretary sees the
    deadline but no button, and a request of theirs is refused as a permission (403), not as bad input."""
    from safetycouncil.extensions import db
    from safetycouncil.tenancy import tenant

    secretary = make_user("technical_secretary", municipality=SLUG)
    chair = make_user("chair", municipality=SLUG, name="Kryetari i Kuçovës")
    with app.app_context():
        from safetycouncil.municipalities.models import Municipality
        from sqlalchemy import select

        mid = db.session.execute(select(Municipality.id).where(Municipality.slug == SLUG)).scalar_one()
        with tenant(mid):
            meeting_id = make.meeting(db.session, starts_at=datetime(2027, 3, 19, 10), status="planned", location=None,
                                      deadline=date(2027, 3, 12), agenda=["Plani"]).id
            db.session.commit()
    page = f"/{SLUG}/meetings/{meeting_id}"
    login(client, secretary)
    html = client.get(page).get_data(as_text=True)
    assert 'id="agenda-approval"' in html and "/agenda/approve" not in html
    assert client.post(f"{page}/agenda/approve", data={}).status_code == 403
    client.post("/logout")
    login(client, chair)
    html = client.get(page).get_data(as_text=True)
    assert "/agenda/approve" in html
    assert client.post(f"{page}/agenda/approve", data={}).status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "Kryetari i Kuçovës" in html and "/agenda/approve" not in html


def test_the_report_to_the_heads_on_the_meeting_page(app, client, make_user, login, council, api):
    """Art. 9.4 on the secretariat meeting's page: the report is recorded with a form and shown."""
    meeting = _meeting(client, api["secretary"], "secretariat_monitoring", "2026-07-07T09:00", held=True)
    login(client, make_user("secretariat_police", municipality=SLUG))
    page = f"/{SLUG}/meetings/{meeting['id']}"
    assert 'id="secretariat-report"' in client.get(page).get_data(as_text=True)
    r = client.post(f"{page}/secretariat-report", data={
        "sent_on": "2026-07-08", "recipients": ["municipality", "police", "prosecution"],
        "findings": "Patrullimi pranë shkollave u shtua."})
    assert r.status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "Patrullimi pranë shkollave u shtua." in html and "drejtuesi i prokurorisë" in html
