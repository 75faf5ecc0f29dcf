"""Who sees what in the audit trail (issue 21): its own permission, personal data masked for whoever may
not see it (every unmasked view logged), changes of relations recorded on the parent record, filters by
person, record and date, sentences in the reader's language, sign-ins attributed to the person."""
from datetime import timedelta

from sqlalchemy import select

from safetycouncil.audit.models import AuditEntry
from safetycouncil.extensions import db
from safetycouncil.timeutil import local_today

from ..plans import support

API = "/api/v1/municipalities/elbasan"
MEMBER = {"full_name": "Arben Hoxha", "category": "k", "invited_kind": "", "institution_id": "",
          "position": "Drejtor", "email": "arben.hoxha@example.org", "phone": "+355 69 123 4567",
          "mandate_start": "2024-01-01", "mandate_end": "", "substitute_name": "", "substitute_email": "",
          "substitute_phone": ""}
MEETING = {"kind": "council", "title": "Mbledhja e dytë e KVSP", "starts_at": "2025-10-17T10:00",
           "ends_at": "2025-10-17T12:00", "location": "Salla e Këshillit Bashkiak"}


def _entries(app, **where):
    with app.app_context():
        query = select(AuditEntry).order_by(AuditEntry.id)
        for key, value in where.items():
            query = query.where(getattr(AuditEntry, key) == value)
        return db.session.execute(query).scalars().all()


def _signed_in(app, login, user):
    client = app.test_client()
    login(client, user)
    return client


def test_a_prefecture_never_reads_a_municipality_trail_the_ministry_does(app, make_user, login, api_token):
    """Data minimisation: the trail is for the chair, the technical secretary and the Ministry (README)."""
    prefect = make_user("prefecture", county="elbasan")
    client = _signed_in(app, login, prefect)
    assert client.get("/elbasan/audit").status_code == 404
    assert client.get(f"{API}/audit", headers=api_token(prefect)).status_code == 404
    assert client.get("/elbasan/").status_code == 200  # it still reads the council
    assert "/elbasan/audit" not in client.get("/elbasan/").get_data(as_text=True)
    ministry = make_user("ministry")
    national = _signed_in(app, login, ministry)
    assert national.get("/elbasan/audit").status_code == 200
    assert national.get(f"{API}/audit", headers=api_token(ministry)).status_code == 200
    member = make_user("member", municipality="elbasan")
    assert _signed_in(app, login, member).get(f"{API}/audit", headers=api_token(member)).status_code == 404


def test_personal_data_is_masked_for_the_ministry_and_every_unmasked_view_is_logged(
        app, make_user, login, api_token):
    secretary = make_user("technical_secretary", municipality="elbasan")
    own = _signed_in(app, login, secretary)
    assert own.post("/elbasan/council/members/new", data=MEMBER).status_code == 302

    ministry = make_user("ministry")
    national = _signed_in(app, login, ministry)
    for url in ("/elbasan/audit", "/national/audit"):
        page = national.get(url).get_data(as_text=True)
        assert "arben.hoxha@example.org" not in page and "123 4567" not in page and "Arben Hoxha" not in page, url
        assert "•••" in page
    api = national.get(f"{API}/audit", headers=api_token(ministry)).get_json()
    created = next(e for e in api if e["entity_type"] == "CouncilMember" and e["action"] == "create")
    assert created["changes"]["email"] == [None, "•••"] and "email" in created["masked"]
    assert "arben.hoxha@example.org" not in str(api)
    assert not [e for e in _entries(app, action="personal_data_viewed", entity_type="AuditEntry")
                if e.user_id == ministry.id]  # nothing was shown, nothing to log

    page = own.get("/elbasan/audit").get_data(as_text=True)
    assert "arben.hoxha@example.org" in page and "+355 69 123 4567" in page
    logged = [e for e in _entries(app, action="personal_data_viewed", entity_type="AuditEntry")
              if e.user_id == secretary.id]
    assert len(logged) == 1 and {"email", "phone"} <= set(logged[0].changes["fields"])
    member_entry = next(e for e in _entries(app, entity_type="CouncilMember") if e.action == "create")
    assert member_entry.id in logged[0].changes["ids"]
    api = own.get(f"{API}/audit", headers=api_token(secretary)).get_json()
    assert any(e["changes"].get("email") == [None, "arben.hoxha@example.org"] for e in api)
    assert len([e for e in _entries(app, action="personal_data_viewed", entity_type="AuditEntry")
                if e.user_id == secretary.id]) == 2


def test_a_change_of_an_activity_institutions_is_an_entry_on_the_activity(app, client, make_user, api_token,
                                                                           in_tenant):
    secretary = make_user("technical_secretary", municipality="elbasan")
    headers = api_token(secretary)
    with in_tenant("elbasan") as session:
        police = support.institution(session, "Drejtoria Vendore e Policisë Elbasan", "police").id
        school = support.institution(session, "Shkolla 9-vjeçare Naim Frashëri", "school").id
    plan = client.post(f"{API}/plans", headers=headers, json={"year": local_today().year}).get_json()
    item = client.post(f"{API}/plans/versions/{plan['versions'][0]['id']}/items", headers=headers,
                       json={"number": "1.1", "issue": "Pikat e nxehta", "intensity": "high"}).get_json()
    activity = client.post(f"{API}/plans/items/{item['id']}/activities", headers=headers, json={
        "description": "Kamera", "institution_ids": [police], "timing_kind": "recurrence",
        "timing_value": "every_two_months"}).get_json()
    first = [e for e in _entries(app, entity_type="PlanActivity", entity_id=str(activity["id"]))
             if "institutions" in e.changes]
    assert len(first) == 1 and first[0].changes["institutions"]["added"] == [
        {"id": police, "label": "Drejtoria Vendore e Policisë Elbasan"}]

    changed = client.patch(f"{API}/plans/activities/{activity['id']}", headers=headers,
                           json={"institution_ids": [school, police]})
    assert changed.status_code == 200, changed.get_json()
    entries = [e for e in _entries(app, entity_type="PlanActivity", entity_id=str(activity["id"]))
               if "institutions" in e.changes]
    assert len(entries) == 2
    change = entries[-1].changes["institutions"]
    assert change == {"added": [{"id": school, "label": "Shkolla 9-vjeçare Naim Frashëri"}], "removed": []}
    assert entries[-1].user_id == secretary.id and entries[-1].action == "update"

    client.patch(f"{API}/plans/activities/{activity['id']}", headers=headers, json={"institution_ids": [school]})
    last = [e for e in _entries(app, entity_type="PlanActivity", entity_id=str(activity["id"]))
            if "institutions" in e.changes][-1]
    assert last.changes["institutions"]["removed"] == [{"id": police, "label": "Drejtoria Vendore e Policisë Elbasan"}]
    # the same institutions again: nothing changed, nothing written
    client.patch(f"{API}/plans/activities/{activity['id']}", headers=headers, json={"institution_ids": [school]})
    assert len([e for e in _entries(app, entity_type="PlanActivity", entity_id=str(activity["id"]))
                if "institutions" in e.changes]) == 3

    sentences = client.get(f"{API}/audit?type=PlanActivity&record={activity['id']}", headers=headers,
                           ).get_json()
    assert any("Shkolla 9-vjeçare Naim Frashëri" in d and "shtua" in d for e in sentences for d in e["details"])


def test_the_trail_reads_in_sentences_and_filters_by_person_record_and_date(app, make_user, login, api_token):
    secretary = make_user("technical_secretary", municipality="elbasan", name="Drita Kola")
    chair = make_user("chair", municipality="elbasan", name="Gazmend Oka")
    own = _signed_in(app, login, secretary)
    assert own.post("/elbasan/meetings/new", data=MEETING).status_code == 302
    meeting = _entries(app, entity_type="Meeting")[-1].entity_id
    assert own.post(f"/elbasan/meetings/{meeting}/edit",
                    data={**MEETING, "starts_at": "2025-10-24T10:00", "ends_at": "2025-10-24T12:00"}).status_code == 302
    other = _signed_in(app, login, chair)
    other.post("/elbasan/areas/", data={"name": "Shirgjan", "kind": "administrative_unit"})

    page = own.get(f"/elbasan/audit?type=Meeting&record={meeting}").get_data(as_text=True)
    assert "Drita Kola ndryshoi: Mbledhja “Mbledhja e dytë e KVSP”" in page
    assert "Data dhe ora e mbledhjes ndryshoi nga 17 tet 2025, 10:00 në 24 tet 2025, 10:00" in page
    assert "Afati i ftesës ndryshoi nga 10 tetor 2025 në 17 tetor 2025" in page  # Art. 7.4: 5 working days
    assert "starts_at" not in page and f"Meeting #{meeting}" not in page and "Shirgjan" not in page

    english = make_user("technical_secretary", municipality="elbasan", locale="en")
    reader = _signed_in(app, login, english)
    page = reader.get(f"/elbasan/audit?type=Meeting&record={meeting}").get_data(as_text=True)
    assert "Drita Kola changed: Meeting “Mbledhja e dytë e KVSP”" in page
    assert "Date and time of the meeting changed from 17 Oct 2025, 10:00 to 24 Oct 2025, 10:00" in page
    assert "Recorded by: Drita Kola" in page

    by_chair = own.get(f"/elbasan/audit?person={chair.id}").get_data(as_text=True)
    assert "Shirgjan" in by_chair and "Mbledhja e dytë" not in by_chair
    api = own.get(f"{API}/audit?person={chair.id}", headers=api_token(secretary)).get_json()
    assert api and all(e["user_id"] == chair.id for e in api)
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    assert "Shirgjan" not in own.get(f"/elbasan/audit?since={tomorrow}").get_data(as_text=True)
    assert "Shirgjan" in own.get(f"/elbasan/audit?until={local_today().isoformat()}").get_data(as_text=True)
    assert own.get(f"{API}/audit?since={tomorrow}", headers=api_token(secretary)).get_json() == []
    bad = own.get("/elbasan/audit?since=dje")
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.get_data(as_text=True)


def test_a_sign_in_is_attributed_to_the_person_not_to_the_system(app, make_user, login):
    secretary = make_user("technical_secretary", municipality="elbasan", name="Drita Kola")
    _signed_in(app, login, secretary)
    sign_in = [e for e in _entries(app, action="sign_in") if e.entity_id == str(secretary.id)]
    assert sign_in and sign_in[-1].user_id == secretary.id
    updates = [e for e in _entries(app, entity_type="User", action="update") if e.entity_id == str(secretary.id)]
    assert updates and all(e.user_id == secretary.id for e in updates)  # last_login_at
    ministry = make_user("ministry")
    page = _signed_in(app, login, ministry).get(f"/national/audit?person={secretary.id}").get_data(as_text=True)
    assert "Drita Kola hyri në platformë" in page
