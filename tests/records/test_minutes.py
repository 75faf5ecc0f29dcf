"""Minutes: every save is a new version; earlier versions stay readable; nothing is lost."""
from sqlalchemy import select

from safetycouncil.extensions import db
from safetycouncil.records.models import MinutesVersion
from safetycouncil.tenancy import tenant

from tests import factories as make


def _versions(app, municipality_id, meeting_id):
    with app.app_context(), tenant(municipality_id("elbasan")):
        rows = db.session.execute(select(MinutesVersion).where(MinutesVersion.meeting_id == meeting_id)
                                  .order_by(MinutesVersion.version)).scalars().all()
        return [(r.version, r.text, r.created_by_id) for r in rows]


def test_each_save_adds_a_version_and_earlier_ones_stay_readable(app, client, make_user, login, in_tenant,
                                                                  municipality_id):
    secretary = make_user("technical_secretary", municipality="elbasan", locale="en")
    login(client, secretary)
    with in_tenant("elbasan") as session:
        meeting_id = make.meeting(session).id
    url = f"/elbasan/meetings/{meeting_id}/minutes"
    page = client.get(url)
    assert page.status_code == 200 and "No minutes have been written yet." in page.get_data(as_text=True)

    first = client.post(url, data={"text": "Hapja e mbledhjes nga Kryetari.", "based_on_version": "0"})
    assert first.status_code == 302
    second = client.post(url, data={"text": "Hapja e mbledhjes nga Kryetari.\n\nU diskutua plani vendor.",
                                    "based_on_version": "1"})
    assert second.status_code == 302
    assert _versions(app, municipality_id, meeting_id) == [
        (1, "Hapja e mbledhjes nga Kryetari.", secretary.id),
        (2, "Hapja e mbledhjes nga Kryetari.\n\nU diskutua plani vendor.", secretary.id)]

    current = client.get(url).get_data(as_text=True)
    assert "Current text (version 2)" in current and "U diskutua plani vendor." in current
    assert f"{url}?version=1" in current
    earlier = client.get(f"{url}?version=1").get_data(as_text=True)
    assert "Version 1 of 2" in earlier and "You are reading an earlier version" in earlier
    assert client.get(f"{url}?version=9").status_code == 404


def test_a_stale_save_is_refused_and_the_text_kept_in_the_form(app, client, make_user, login, in_tenant,
                                                               municipality_id):
    secretary = make_user("technical_secretary", municipality="elbasan", locale="en")
    login(client, secretary)
    with in_tenant("elbasan") as session:
        meeting_id = make.meeting(session).id
    url = f"/elbasan/meetings/{meeting_id}/minutes"
    client.post(url, data={"text": "Versioni i parë", "based_on_version": "0"})
    client.post(url, data={"text": "Versioni i dytë nga kolegu", "based_on_version": "1"})
    stale = client.post(url, data={"text": "Teksti im i ri", "based_on_version": "1"})
    assert stale.status_code == 422
    body = stale.get_data(as_text=True)
    assert "Someone saved version 2 while you were editing version 1" in body
    assert "Teksti im i ri" in body  # the writer's text is still in the form
    same = client.post(url, data={"text": "Versioni i dytë nga kolegu", "based_on_version": "2"})
    assert same.status_code == 422 and "nothing to save" in same.get_data(as_text=True)
    empty = client.post(url, data={"text": "   ", "based_on_version": "2"})
    assert empty.status_code == 422
    assert [v for v, _, _ in _versions(app, municipality_id, meeting_id)] == [1, 2]


def test_members_read_the_minutes_but_cannot_write_them(app, client, make_user, login, in_tenant):
    with in_tenant("elbasan") as session:
        meeting_id = make.meeting(session).id
        session.add(MinutesVersion(meeting_id=meeting_id, version=1, text="Procesverbali"))
    member = make_user("member", municipality="elbasan")
    login(client, member)
    url = f"/elbasan/meetings/{meeting_id}/minutes"
    page = client.get(url)
    assert page.status_code == 200 and "Procesverbali" in page.get_data(as_text=True)
    assert 'name="text"' not in page.get_data(as_text=True)
    assert client.post(url, data={"text": "x"}).status_code == 403


def test_minutes_through_the_api(app, client, make_user, api_token, in_tenant):
    secretary = make_user("technical_secretary", municipality="elbasan", locale="en")
    headers = api_token(secretary)
    with in_tenant("elbasan") as session:
        meeting_id = make.meeting(session).id
    url = f"/api/v1/municipalities/elbasan/meetings/{meeting_id}/minutes"
    empty = client.get(url, headers=headers).get_json()
    assert empty["latest_version"] is None and empty["versions"] == [] and empty["text"] is None
    assert client.post(url, json={"text": "Një"}, headers=headers).status_code == 201
    created = client.post(url, json={"text": "Një\nDy", "based_on_version": 1}, headers=headers)
    assert created.status_code == 201
    body = created.get_json()
    assert body["latest_version"] == 2 and body["text"] == "Një\nDy"
    assert [v["version"] for v in body["versions"]] == [1, 2]
    assert body["versions"][0]["created_by_id"] == secretary.id
    assert body["created_at"].endswith("Z")  # api.contract.UtcDateTime
    old = client.get(f"{url}?version=1", headers=headers).get_json()
    assert old["version"] == 1 and old["text"] == "Një" and old["latest_version"] == 2
    stale = client.post(url, json={"text": "Tre", "based_on_version": 1}, headers=headers)
    assert stale.status_code == 422 and "text" in stale.get_json()["errors"]
    assert client.get(f"{url}?version=7", headers=headers).status_code == 404
    assert client.post(url, json={"text": ""}, headers=headers).status_code == 422


def test_a_cancelled_meeting_gets_no_minutes(app, client, make_user, api_token, in_tenant):
    secretary = make_user("technical_secretary", municipality="elbasan", locale="en")
    headers = api_token(secretary)
    with in_tenant("elbasan") as session:
        meeting_id = make.meeting(session, status="cancelled").id
    response = client.post(f"/api/v1/municipalities/elbasan/meetings/{meeting_id}/minutes",
                           json={"text": "x"}, headers=headers)
    assert response.status_code == 422
    assert "cancelled" in response.get_json()["errors"]["text"]
