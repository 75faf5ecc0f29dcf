"""One contract for the records' input: the pages and the API load the same schemas (records/schemas.py), so a
form gets every field's message at once, in the platform's one wording, and the pages' limits are the schema's."""
from sqlalchemy import func, select

from safetycouncil.extensions import db
from safetycouncil.records.models import Decision
from safetycouncil.tenancy import tenant

from tests import factories as make

API = "/api/v1/municipalities/elbasan"


def test_a_decision_form_gets_every_fields_message_at_once(app, client, make_user, login, in_tenant,
                                                            municipality_id):
    login(client, make_user("technical_secretary", municipality="elbasan", locale="en"))
    with in_tenant("elbasan") as session:
        meeting_id = make.meeting(session).id
    url = f"/elbasan/meetings/{meeting_id}/decisions/new"
    page = client.get(url).get_data(as_text=True)
    assert 'maxlength="40"' in page and 'name="title" value="" maxlength="300" required' in page
    refused = client.post(url, data={"number": "x" * 41, "title": "  ", "text": "\r\n "})
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    for field in ("number", "title", "text"):
        assert f'id="{field}-error"' in body, field
    assert "At most 40 characters." in body
    with app.app_context(), tenant(municipality_id("elbasan")):
        assert db.session.execute(select(func.count()).select_from(Decision)).scalar() == 0


def test_the_api_loads_the_same_schemas(client, make_user, api_token, in_tenant):
    headers = api_token(make_user("technical_secretary", municipality="elbasan", locale="en"))
    with in_tenant("elbasan") as session:
        meeting_id = make.meeting(session).id
    refused = client.post(f"{API}/decisions", headers=headers, json={"meeting_id": meeting_id, "title": "  "})
    assert refused.status_code == 422 and set(refused.get_json()["errors"]) == {"title", "text"}
    created = client.post(f"{API}/decisions", headers=headers, json={
        "meeting_id": meeting_id, "title": " Miratimi i planit ", "text": "Miratohet.\r\nNë fuqi menjëherë. "})
    assert created.status_code == 201, created.get_json()
    decision = created.get_json()
    assert decision["title"] == "Miratimi i planit" and decision["text"] == "Miratohet.\nNë fuqi menjëherë."
    too_long = client.put(f"{API}/meetings/{meeting_id}/press-release", headers=headers, json={"title": "x" * 301})
    assert too_long.status_code == 422 and too_long.get_json()["errors"] == {"title": ["At most 300 characters."]}
