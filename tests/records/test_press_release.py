"""The press release (Art. 11): drafted from the meeting's record, published with its four contents,
measured against the 24 hours from the meeting's end, and then public."""
from datetime import datetime, timedelta

import pytest

from safetycouncil.extensions import db
from safetycouncil.records.models import MinutesVersion, PressRelease
PRESS_RELEASE_HOURS = 24  # Art. 11, version 1 of the model
from safetycouncil.tenancy import tenant

from tests import factories as make

API = "/api/v1/municipalities/elbasan"
CONTENTS = {"time_and_place": "E premte, 17 tetor 2025, 10:00–12:00, Salla e Këshillit",
            "participation": "Kryetari, Policia, Prokuroria", "agenda_summary": "1. Plani vendor",
            "discussion_essence": "U miratua plani vendor."}


def _meeting_with_record(session, **kwargs):
    mayor = make.member(session, "Gazment Bardhi", category="a", position="Kryetar i Bashkisë",
                        institution="Bashkia Elbasan").id
    police = make.member(session, "Arben Hoxha", category="c", institution="Komisariati i Policisë Elbasan").id
    absent = make.member(session, "Anëtari Mungues", category="k").id
    guest = {"guest_name": "Elira Dervishi", "guest_institution": "Qendra Rinore"}
    return make.meeting(session, title="Mbledhja e tetorit", starts_at=datetime(2025, 10, 17, 10, 0),
                        location="Salla e Këshillit Bashkiak", agenda=["Miratimi i planit vendor", "Siguria në shkolla"],
                        attendance=[mayor, police, (absent, "absent"), guest], **kwargs).id


def _release(app, municipality_id, meeting_id):
    from sqlalchemy import select

    with app.app_context(), tenant(municipality_id("elbasan")):
        return db.session.execute(
            select(PressRelease).where(PressRelease.meeting_id == meeting_id)).scalar_one_or_none()


def test_the_draft_is_prefilled_from_the_meeting(app, make_user, api_token, in_tenant):
    secretary = make_user("technical_secretary", municipality="elbasan", locale="en")
    with in_tenant("elbasan") as session:
        meeting_id = _meeting_with_record(session)
    client = app.test_client()
    draft = client.get(f"{API}/meetings/{meeting_id}/press-release", headers=api_token(secretary)).get_json()
    assert draft["id"] is None and draft["published_at"] is None
    assert "Mbledhja e tetorit" in draft["title"]
    assert draft["time_and_place"].startswith("Friday, 17 October 2025, 10:00")  # en-GB (issue 14)
    assert "12:00" in draft["time_and_place"] and "Salla e Këshillit Bashkiak" in draft["time_and_place"]
    participation = draft["participation"]
    assert "Gazment Bardhi, Kryetar i Bashkisë (Bashkia Elbasan)" in participation
    assert "Arben Hoxha (Komisariati i Policisë Elbasan)" in participation
    assert "Elira Dervishi (Qendra Rinore)" in participation
    assert "Mungues" not in participation
    assert draft["agenda_summary"] == "1. Miratimi i planit vendor\n2. Siguria në shkolla"
    assert draft["discussion_essence"] == ""
    assert draft["missing"] == ["discussion_essence"]

    # In Albanian, for an Albanian reader; the essence starts from the minutes once there are some.
    with in_tenant("elbasan") as session:
        session.add(MinutesVersion(meeting_id=meeting_id, version=1,
                                   text="Kryetari hapi mbledhjen.\n\nU diskutua plani vendor. " + "fjalë " * 200))
    albanian = make_user("technical_secretary", municipality="elbasan", locale="sq")
    draft = client.get(f"{API}/meetings/{meeting_id}/press-release", headers=api_token(albanian)).get_json()
    assert "17 tetor 2025" in draft["time_and_place"] and "e premte" in draft["time_and_place"].lower()
    assert draft["discussion_essence"].startswith("Kryetari hapi mbledhjen.")
    assert len(draft["discussion_essence"]) < 700


@pytest.mark.parametrize("missing", ["time_and_place", "participation", "agenda_summary", "discussion_essence"])
def test_publishing_is_refused_while_a_required_content_is_missing(app, make_user, api_token, in_tenant,
                                                                   municipality_id, missing):
    secretary = make_user("technical_secretary", municipality="elbasan", locale="en")
    with in_tenant("elbasan") as session:
        meeting_id = make.meeting(session).id
    client = app.test_client()
    body = {**CONTENTS, missing: "  "}
    response = client.post(f"{API}/meetings/{meeting_id}/press-release/publish", json=body,
                           headers=api_token(secretary))
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {missing, "press_release"}
    names = {"time_and_place": "time and place", "participation": "who took part",
             "agenda_summary": "agenda items", "discussion_essence": "essence of the discussion"}
    assert names[missing] in errors["press_release"]
    assert _release(app, municipality_id, meeting_id) is None  # nothing published, nothing half-saved


def test_the_web_form_names_what_is_missing(app, client, make_user, login, in_tenant, municipality_id):
    login(client, make_user("technical_secretary", municipality="elbasan", locale="en"))
    with in_tenant("elbasan") as session:
        meeting_id = _meeting_with_record(session)
    url = f"/elbasan/meetings/{meeting_id}/press-release"
    page = client.get(url).get_data(as_text=True)
    assert "Gazment Bardhi" in page and "Miratimi i planit vendor" in page
    refused = client.post(url, data={"action": "publish", "title": "Njoftim", "time_and_place": "10:00, bashkia",
                                     "participation": "Anëtarët", "agenda_summary": "Plani vendor",
                                     "discussion_essence": ""})
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "Missing: essence of the discussion" in body and "Write the essence of the discussion." in body
    # Art. 11: "the time of the meeting": a place without a time is not one
    no_time = client.post(url, data={"action": "publish", "title": "Njoftim", "time_and_place": "në bashki",
                                     "participation": "Anëtarët", "agenda_summary": "Plani vendor",
                                     "discussion_essence": "U diskutua plani"})
    assert no_time.status_code == 422 and "with its time" in no_time.get_data(as_text=True)
    saved = client.post(url, data={"action": "save", "title": "Njoftim", "time_and_place": "x",
                                   "participation": "y", "agenda_summary": "z", "discussion_essence": ""})
    assert saved.status_code == 302
    release = _release(app, municipality_id, meeting_id)
    assert release.published_at is None and release.time_and_place == "x"


@pytest.mark.parametrize("hours, late", [(23, False), (PRESS_RELEASE_HOURS, False), (25, True)])
def test_lateness_is_counted_from_the_end_of_the_meeting(app, make_user, api_token, in_tenant, municipality_id,
                                                         hours, late):
    secretary = make_user("technical_secretary", municipality="elbasan", locale="en")
    with in_tenant("elbasan") as session:
        # 17 October 2025, 10:00-12:00 local time (UTC+2): the meeting ended at 10:00 UTC.
        meeting_id = make.meeting(session, starts_at=datetime(2025, 10, 17, 10, 0)).id
    published = datetime(2025, 10, 17, 10, 0) + timedelta(hours=hours)
    published_at = published.isoformat() + "+00:00"
    client = app.test_client()
    response = client.post(f"{API}/meetings/{meeting_id}/press-release/publish",
                           json={**CONTENTS, "published_at": published_at}, headers=api_token(secretary))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["hours_after_meeting"] == hours and body["published_late"] is late
    assert body["clock"]["state"] == ("late" if late else "on_time")
    assert body["published_at"] == published.isoformat(timespec="seconds") + "Z"  # api.contract.UtcDateTime
    release = _release(app, municipality_id, meeting_id)
    assert (release.hours_after_meeting, release.published_late) == (hours, late)


def test_a_release_recorded_after_the_fact_in_local_time(app, client, make_user, login, in_tenant,
                                                         municipality_id):
    login(client, make_user("technical_secretary", municipality="elbasan", locale="en"))
    with in_tenant("elbasan") as session:
        meeting_id = make.meeting(session, starts_at=datetime(2025, 3, 14, 10, 0)).id  # CET: UTC+1
    url = f"/elbasan/meetings/{meeting_id}/press-release"
    response = client.post(url, data={"action": "publish", "title": "Njoftim për shtyp", **CONTENTS,
                                      "published_at": "2025-03-15T13:30"})
    assert response.status_code == 302
    release = _release(app, municipality_id, meeting_id)
    assert release.published_at == datetime(2025, 3, 15, 12, 30)  # stored in UTC
    assert release.hours_after_meeting == 25.5 and release.published_late is True
    page = client.get(url).get_data(as_text=True)
    assert "25.5 hours after the meeting ended" in page and "1 h 30 min later than the 24 hours" in page


def test_publication_times_must_make_sense(app, make_user, api_token, in_tenant):
    secretary = make_user("technical_secretary", municipality="elbasan", locale="en")
    headers = api_token(secretary)
    with in_tenant("elbasan") as session:
        past = make.meeting(session, starts_at=datetime(2025, 10, 17, 10, 0)).id
        ongoing = make.meeting(session, ends_hours_ago=-1).id
        cancelled = make.meeting(session, status="cancelled").id
    client = app.test_client()
    publish = f"{API}/meetings/{{}}/press-release/publish"
    early = client.post(publish.format(past), json={**CONTENTS, "published_at": "2025-10-16T09:00:00+00:00"},
                        headers=headers)
    assert early.status_code == 422 and "before the meeting started" in early.get_json()["errors"]["published_at"]
    future = client.post(publish.format(past), json={**CONTENTS, "published_at": "2099-01-01T09:00:00+00:00"},
                         headers=headers)
    assert future.status_code == 422 and "future" in future.get_json()["errors"]["published_at"]
    not_over = client.post(publish.format(ongoing), json=CONTENTS, headers=headers)
    assert not_over.status_code == 422 and "has not ended yet" in not_over.get_json()["errors"]["press_release"]
    gone = client.post(publish.format(cancelled), json=CONTENTS, headers=headers)
    assert gone.status_code == 422 and "cancelled" in gone.get_json()["errors"]["press_release"]


def test_publishing_now_and_the_24_hour_clock(app, client, make_user, login, api_token, in_tenant, municipality_id):
    secretary = make_user("technical_secretary", municipality="elbasan", locale="en")
    login(client, secretary)
    with in_tenant("elbasan") as session:
        recent = make.meeting(session, ends_hours_ago=3).id
        overdue = make.meeting(session, ends_hours_ago=30).id
        upcoming = make.meeting(session, ends_hours_ago=-50).id
    page = client.get(f"/elbasan/meetings/{recent}/press-release").get_data(as_text=True)
    assert "Publish by" in page and "left of the 24 hours" in page
    assert "20 h 59 min" in page or "21 h 00 min" in page
    page = client.get(f"/elbasan/meetings/{overdue}/press-release").get_data(as_text=True)
    assert "Not published: the deadline was" in page and ("5 h 59 min late" in page or "6 h 00 min late" in page)
    page = client.get(f"/elbasan/meetings/{upcoming}/press-release").get_data(as_text=True)
    assert "due within 24 hours of the meeting" in page

    headers = api_token(secretary)
    clock = client.get(f"{API}/meetings/{recent}/press-release", headers=headers).get_json()["clock"]
    assert clock["state"] == "open" and 20 * 3600 < clock["seconds_left"] <= 21 * 3600
    published = client.post(f"{API}/meetings/{recent}/press-release/publish", json=CONTENTS, headers=headers)
    body = published.get_json()
    assert published.status_code == 200 and body["published_late"] is False
    assert 2.9 < body["hours_after_meeting"] < 3.2
    assert body["public_url"].endswith(f"/public/elbasan/press/{body['id']}")
    late = client.post(f"{API}/meetings/{overdue}/press-release/publish", json=CONTENTS, headers=headers).get_json()
    assert late["published_late"] is True and late["clock"]["seconds_late"] > 5 * 3600


def test_a_published_release_can_no_longer_change(app, make_user, api_token, in_tenant):
    secretary = make_user("technical_secretary", municipality="elbasan", locale="en")
    headers = api_token(secretary)
    with in_tenant("elbasan") as session:
        meeting_id = make.meeting(session).id
    client = app.test_client()
    url = f"{API}/meetings/{meeting_id}/press-release"
    saved = client.put(url, json={"discussion_essence": "Shkurt."}, headers=headers)
    assert saved.status_code == 200 and saved.get_json()["id"] is not None
    assert saved.get_json()["discussion_essence"] == "Shkurt."
    assert client.post(f"{url}/publish", json={}, headers=headers).status_code == 422  # participation, agenda empty
    assert client.post(f"{url}/publish", json=CONTENTS, headers=headers).status_code == 200
    refused = client.put(url, json={"title": "Tjetër"}, headers=headers)
    assert refused.status_code == 422 and "can no longer be changed" in refused.get_json()["errors"]["press_release"]
    assert client.post(f"{url}/publish", json=CONTENTS, headers=headers).status_code == 422
