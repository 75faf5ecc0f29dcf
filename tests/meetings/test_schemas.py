"""One contract for the meetings' input: the page and the API load the same schema (meetings/schemas.py), so
every field's message comes at once, in the platform's one wording, and the page's limits are the schema's."""
from sqlalchemy import func, select

from safetycouncil.extensions import db
from safetycouncil.meetings.models import Meeting
from safetycouncil.tenancy import tenant

BASE = "/api/v1/municipalities/elbasan"


def test_the_form_gets_every_fields_message_at_once(app, secretary_client, municipality_id):
    response = secretary_client.client.post("/elbasan/meetings/new?lang=en", data={
        "kind": "party", "title": " ", "starts_at": "1999-10-17T10:00", "ends_at": "nesër", "location": "x" * 201})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for field in ("kind", "title", "starts_at", "ends_at", "location"):
        assert f'id="{field}-error"' in page, field
    with app.app_context(), tenant(municipality_id("elbasan")):
        assert db.session.execute(select(func.count()).select_from(Meeting)).scalar() == 0


def test_the_page_takes_its_limits_from_the_schema(secretary_client):
    page = secretary_client.client.get("/elbasan/meetings/new").get_data(as_text=True)
    assert 'name="title" value="" maxlength="200" required' in page
    assert 'name="location" value="" maxlength="200"' in page
    assert 'name="location" value="" maxlength="200" required' not in page


def test_the_api_and_the_page_refuse_with_the_same_words(client, make_user, api_token):
    headers = api_token(make_user("technical_secretary", municipality="elbasan"))
    response = client.post(f"{BASE}/meetings", headers=headers, json={
        "kind": "council", "title": "Mbledhja", "starts_at": "2025-06-13T10:00", "ends_at": "2025-06-13T12:00",
        "location": "x" * 201})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"location": ["Deri në 200 karaktere."]}  # schemas.too_long
    no_time = client.post(f"{BASE}/meetings", headers=headers, json={
        "kind": "council", "title": "Mbledhja", "starts_at": "2025-06-13", "ends_at": "2025-06-13T12:00"})
    assert set(no_time.get_json()["errors"]) == {"starts_at"}
