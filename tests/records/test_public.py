"""Published press releases are public on the council's page; nothing unpublished ever is."""
from datetime import datetime

from safetycouncil.records.models import PressRelease

from tests import factories as make

CONTENTS = dict(time_and_place="E premte, 17 tetor 2025, 10:00–12:00", participation="Kryetari, Policia",
                agenda_summary="1. Plani vendor", discussion_essence="U miratua plani vendor për shkollat.")


def _releases(in_tenant, slug="elbasan"):
    with in_tenant(slug) as session:
        published_meeting = make.meeting(session, title="Mbledhja e tetorit", starts_at=datetime(2025, 10, 17, 10)).id
        draft_meeting = make.meeting(session, title="Mbledhja e nëntorit", starts_at=datetime(2025, 11, 20, 10)).id
        published = PressRelease(meeting_id=published_meeting, title="Njoftim: plani vendor u miratua",
                                 published_at=datetime(2025, 10, 17, 15), hours_after_meeting=3.0,
                                 published_late=False, **CONTENTS)
        draft = PressRelease(meeting_id=draft_meeting, title="Draft sekret i njoftimit",
                             **{**CONTENTS, "discussion_essence": "Teksti i papublikuar"})
        session.add_all([published, draft])
        session.flush()
        return published.id, draft.id


def test_the_public_page_lists_published_releases_only(app, in_tenant):
    published, draft = _releases(in_tenant)
    client = app.test_client()
    page = client.get("/public/elbasan/")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Njoftim: plani vendor u miratua" in body and f"/public/elbasan/press/{published}" in body
    assert "Draft sekret" not in body and f"/press/{draft}" not in body

    release = client.get(f"/public/elbasan/press/{published}")
    assert release.status_code == 200
    text = release.get_data(as_text=True)
    for value in CONTENTS.values():
        assert value in text
    assert client.get(f"/public/elbasan/press/{draft}").status_code == 404
    assert "Teksti i papublikuar" not in client.get(f"/public/elbasan/press/{draft}").get_data(as_text=True)
    assert client.get("/public/elbasan/press/999999").status_code == 404


def test_another_municipality_never_shows_them(app, in_tenant):
    published, draft = _releases(in_tenant)
    client = app.test_client()
    assert client.get(f"/public/fier/press/{published}").status_code == 404
    assert client.get(f"/public/fier/press/{draft}").status_code == 404
    assert "Njoftim: plani vendor" not in client.get("/public/fier/").get_data(as_text=True)


def test_publishing_through_the_platform_makes_it_public(app, make_user, api_token, in_tenant):
    secretary = make_user("technical_secretary", municipality="elbasan", locale="en")
    with in_tenant("elbasan") as session:
        meeting_id = make.meeting(session, title="Mbledhja e dhjetorit").id
    client = app.test_client()
    url = f"/api/v1/municipalities/elbasan/meetings/{meeting_id}/press-release"
    draft = client.put(url, json=CONTENTS, headers=api_token(secretary)).get_json()
    assert draft["public_url"] is None
    assert client.get(f"/public/elbasan/press/{draft['id']}").status_code == 404
    assert draft["title"] not in client.get("/public/elbasan/").get_data(as_text=True)
    published = client.post(f"{url}/publish", json={}, headers=api_token(secretary)).get_json()
    assert client.get(f"/public/elbasan/press/{published['id']}").status_code == 200
    assert "Mbledhja e dhjetorit" in client.get("/public/elbasan/").get_data(as_text=True)
