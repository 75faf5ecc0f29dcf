"""The decisions register: numbers, text versions, the chair's signature, no edits once signed."""
from datetime import timedelta

from safetycouncil.extensions import db
from safetycouncil.meetings.models import Meeting
from safetycouncil.records.models import Decision
from safetycouncil.tenancy import tenant

from safetycouncil.timeutil import local_now
from tests import factories as make

API = "/api/v1/municipalities/elbasan"


def _decision(app, municipality_id, decision_id):
    with app.app_context(), tenant(municipality_id("elbasan")):
        d = db.session.get(Decision, decision_id)
        return {"number": d.number, "title": d.title, "signed": d.signed_by_chair_on,
                "method": d.signature_method, "versions": [(v.version, v.text) for v in d.versions]}


def _meeting(in_tenant, slug="elbasan", **kwargs):
    with in_tenant(slug) as session:
        meeting_id = make.meeting(session, **kwargs).id
        return meeting_id, session.get(Meeting, meeting_id).starts_at.year


def _create(client, headers, meeting_id, **data):
    body = {"meeting_id": meeting_id, "title": "Miratimi i planit vendor",
            "text": "Miratohet plani vendor shumë-agjencior.", **data}
    return client.post(f"{API}/decisions", json=body, headers=headers)


def test_numbers_are_suggested_in_the_year_series_and_unique(app, client, make_user, login, in_tenant):
    secretary = make_user("technical_secretary", municipality="elbasan", locale="en")
    login(client, secretary)
    meeting_id, year = _meeting(in_tenant)
    url = f"/elbasan/meetings/{meeting_id}/decisions/new"
    assert f'value="{year}/1"' in client.get(url).get_data(as_text=True)
    created = client.post(url, data={"number": f"{year}/1", "title": "Miratimi i planit vendor",
                                     "text": "Miratohet plani vendor.", "adopted_by_consensus": "1"})
    assert created.status_code == 302
    assert f'value="{year}/2"' in client.get(url).get_data(as_text=True)
    clash = client.post(url, data={"number": f"{year}/1", "title": "Tjetër", "text": "Tekst"})
    assert clash.status_code == 422
    assert f"already has a decision numbered {year}/1" in clash.get_data(as_text=True)
    register = client.get("/elbasan/meetings/decisions/").get_data(as_text=True)
    assert "Miratimi i planit vendor" in register and f"{year}/1" in register
    assert "Miratimi i planit vendor" in client.get(f"/elbasan/meetings/decisions/?year={year}").get_data(as_text=True)
    assert "Miratimi" not in client.get(f"/elbasan/meetings/decisions/?year={year - 1}").get_data(as_text=True)

    # Another municipality keeps its own series.
    fier_meeting, _ = _meeting(in_tenant, "fier")
    fier = app.test_client()
    login(fier, make_user("technical_secretary", municipality="fier"))
    assert f'value="{year}/1"' in fier.get(f"/fier/meetings/{fier_meeting}/decisions/new").get_data(as_text=True)
    assert "Miratimi" not in fier.get("/fier/meetings/decisions/").get_data(as_text=True)


def test_an_empty_number_takes_the_next_one_and_text_edits_are_versions(app, client, make_user, api_token,
                                                                       in_tenant, municipality_id):
    secretary = make_user("technical_secretary", municipality="elbasan", locale="en")
    headers = api_token(secretary)
    meeting_id, year = _meeting(in_tenant)
    first = _create(client, headers, meeting_id)
    assert first.status_code == 201, first.get_json()
    decision = first.get_json()
    assert decision["number"] == f"{year}/1" and decision["version"] == 1
    assert client.get(f"{API}/meetings/{meeting_id}/decisions/next-number", headers=headers).get_json() == {
        "number": f"{year}/2"}
    url = f"{API}/decisions/{decision['id']}"
    changed = client.patch(url, json={"text": "Miratohet plani, me ndryshimet e propozuara."}, headers=headers)
    assert changed.status_code == 200
    assert changed.get_json()["version"] == 2
    same = client.patch(url, json={"text": "Miratohet plani, me ndryshimet e propozuara."}, headers=headers)
    assert same.get_json()["version"] == 2  # an unchanged text adds no version
    renamed = client.patch(url, json={"title": "Miratimi i planit 2025"}, headers=headers).get_json()
    assert renamed["title"] == "Miratimi i planit 2025" and renamed["version"] == 2
    assert [v["text"] for v in renamed["versions"]] == [
        "Miratohet plani vendor shumë-agjencior.", "Miratohet plani, me ndryshimet e propozuara."]
    assert client.patch(url, json={"title": " "}, headers=headers).status_code == 422
    listed = client.get(f"{API}/decisions?meeting_id={meeting_id}", headers=headers).get_json()
    assert [d["number"] for d in listed] == [f"{year}/1"]


def test_the_web_page_shows_each_version(app, client, make_user, login, api_token, in_tenant):
    secretary = make_user("technical_secretary", municipality="elbasan", locale="en")
    login(client, secretary)
    meeting_id, _ = _meeting(in_tenant)
    decision_id = _create(client, api_token(secretary), meeting_id).get_json()["id"]
    url = f"/elbasan/meetings/decisions/{decision_id}"
    saved = client.post(url, data={"number": "2025/77", "title": "Titulli", "text": "Teksti i ri",
                                   "adopted_by_consensus": "1"})
    assert saved.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Text (version 2)" in page and "Teksti i ri" in page and "2025/77" in page
    old = client.get(f"{url}?version=1").get_data(as_text=True)
    assert "Version 1 of 2" in old and "Miratohet plani vendor shumë-agjencior." in old
    assert client.get(f"{url}?version=5").status_code == 404


def test_decisions_need_a_council_meeting_that_took_place(app, client, make_user, api_token, in_tenant):
    headers = api_token(make_user("technical_secretary", municipality="elbasan", locale="en"))
    consultation, _ = _meeting(in_tenant, kind="open_consultation")
    future, _ = _meeting(in_tenant, ends_hours_ago=-48)
    cancelled, _ = _meeting(in_tenant, status="cancelled")
    for meeting_id, phrase in ((consultation, "Only council meetings"), (future, "has not taken place"),
                               (cancelled, "cancelled")):
        response = _create(client, headers, meeting_id)
        assert response.status_code == 422
        assert phrase in response.get_json()["errors"]["meeting_id"]
    assert _create(client, headers, 999999).status_code == 422
    ad_hoc, _ = _meeting(in_tenant, kind="council_ad_hoc")
    assert _create(client, headers, ad_hoc).status_code == 201


def test_only_the_chair_signs_or_the_secretary_records_the_paper_signature(app, make_user, api_token, in_tenant,
                                                                          municipality_id):
    chair = make_user("chair", municipality="elbasan", locale="en")
    secretary = make_user("technical_secretary", municipality="elbasan", locale="en")
    police = make_user("secretariat_police", municipality="elbasan", locale="en")
    client = app.test_client()
    meeting_id, _ = _meeting(in_tenant, ends_hours_ago=24 * 5)
    first = _create(client, api_token(secretary), meeting_id).get_json()["id"]
    second = _create(client, api_token(secretary), meeting_id, title="Vendimi i dytë").get_json()["id"]

    refused = client.post(f"{API}/decisions/{first}/sign", json={}, headers=api_token(police))
    assert refused.status_code == 403
    assert "Only the chair signs decisions" in refused.get_json()["message"]

    no_date = client.post(f"{API}/decisions/{first}/sign", json={}, headers=api_token(secretary))
    assert no_date.status_code == 422 and "signed_by_chair_on" in no_date.get_json()["errors"]
    future = (local_now() + timedelta(days=2)).date().isoformat()
    assert client.post(f"{API}/decisions/{first}/sign", json={"signed_by_chair_on": future},
                       headers=api_token(secretary)).status_code == 422
    before = (local_now() - timedelta(days=30)).date().isoformat()
    too_early = client.post(f"{API}/decisions/{first}/sign", json={"signed_by_chair_on": before},
                            headers=api_token(secretary))
    assert too_early.status_code == 422
    assert "before the meeting" in too_early.get_json()["errors"]["signed_by_chair_on"]
    paper_day = (local_now() - timedelta(days=2)).date()
    paper = client.post(f"{API}/decisions/{first}/sign", json={"signed_by_chair_on": paper_day.isoformat()},
                        headers=api_token(secretary))
    assert paper.status_code == 200
    assert paper.get_json()["signed_by_chair_on"] == paper_day.isoformat()
    assert paper.get_json()["signature_method"] == "paper"
    twice = client.post(f"{API}/decisions/{first}/sign", json={}, headers=api_token(chair))
    assert twice.status_code == 422 and "already signed" in twice.get_json()["errors"]["signed_by_chair_on"]

    signed = client.post(f"{API}/decisions/{second}/sign", json={}, headers=api_token(chair))
    assert signed.status_code == 200
    assert signed.get_json()["signed_by_chair_on"] == local_now().date().isoformat()
    assert _decision(app, municipality_id, second)["method"] == "chair"


def test_a_signed_decision_cannot_be_changed(app, client, make_user, login, api_token, in_tenant, municipality_id):
    chair = make_user("chair", municipality="elbasan", locale="en")
    headers = api_token(chair)
    meeting_id, _ = _meeting(in_tenant)
    decision_id = _create(client, headers, meeting_id).get_json()["id"]
    assert client.post(f"{API}/decisions/{decision_id}/sign", json={}, headers=headers).status_code == 200
    before = _decision(app, municipality_id, decision_id)
    refused = client.patch(f"{API}/decisions/{decision_id}", json={"text": "Tekst tjetër"}, headers=headers)
    assert refused.status_code == 422
    message = refused.get_json()["errors"]["text"]
    assert "signed by the chair" in message and "new decision that amends it" in message
    assert client.patch(f"{API}/decisions/{decision_id}", json={"number": "X/1"}, headers=headers).status_code == 422
    login(client, chair)
    page = client.post(f"/elbasan/meetings/decisions/{decision_id}",
                       data={"number": "X", "title": "X", "text": "Tekst tjetër"})
    assert page.status_code == 422 and "new decision that amends it" in page.get_data(as_text=True)
    assert _decision(app, municipality_id, decision_id) == before


def test_signing_on_the_web_page(app, client, make_user, login, api_token, in_tenant, municipality_id):
    chair = make_user("chair", municipality="elbasan", locale="en")
    member_secretariat = make_user("secretariat_prosecution", municipality="elbasan", locale="en")
    meeting_id, _ = _meeting(in_tenant)
    decision_id = _create(client, api_token(chair), meeting_id).get_json()["id"]
    url = f"/elbasan/meetings/decisions/{decision_id}"

    other = app.test_client()
    login(other, member_secretariat)
    assert "Sign as chair" not in other.get(url).get_data(as_text=True)
    refused = other.post(f"{url}/sign", data={})
    assert refused.status_code == 403 and "Only the chair signs decisions" in refused.get_data(as_text=True)

    login(client, chair)
    assert "Sign as chair" in client.get(url).get_data(as_text=True)
    assert client.post(f"{url}/sign", data={"signed_by_chair_on": ""}).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Signed by the chair on" in page and "Signed by the chair in the platform." in page
    assert "Change the decision" not in page and "Send to every member" in page
