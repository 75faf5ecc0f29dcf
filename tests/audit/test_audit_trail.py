"""Every change of record is audited: who, when, which municipality, before and after."""
from sqlalchemy import select

from safetycouncil.audit.models import AuditEntry
from safetycouncil.extensions import db


def _entries(app, entity_type):
    with app.app_context():
        return db.session.execute(select(AuditEntry).where(AuditEntry.entity_type == entity_type)
                                  .order_by(AuditEntry.id)).scalars().all()


def test_create_update_delete_are_recorded_with_actor_municipality_and_values(
        app, client, make_user, login, municipality_id):
    secretary = make_user("technical_secretary", municipality="elbasan")
    login(client, secretary)
    assert client.post("/elbasan/areas/", data={"name": "Shirgjan", "kind": "administrative_unit"}).status_code == 302
    area = _entries(app, "Area")[-1]
    assert (area.action, area.user_id, area.municipality_id) == ("create", secretary.id, municipality_id("elbasan"))
    assert area.changes["name"] == [None, "Shirgjan"]
    assert area.request_id

    client.post(f"/elbasan/areas/{area.entity_id}", data={"name": "Shirgjani", "kind": "administrative_unit"})
    update = _entries(app, "Area")[-1]
    assert update.action == "update" and update.changes == {"name": ["Shirgjan", "Shirgjani"]}

    client.post(f"/elbasan/areas/{area.entity_id}", data={"action": "delete"})
    deletion = _entries(app, "Area")[-1]
    assert deletion.action == "delete" and deletion.changes["name"] == ["Shirgjani", None]


def test_secrets_never_reach_the_trail(app, make_user):
    make_user("member", municipality="elbasan")
    for entry in _entries(app, "User"):
        assert "password_hash" not in entry.changes


def test_the_trail_is_readable_by_the_municipality_administrators_and_the_ministry_only(
        app, make_user, login, api_token):
    secretary = make_user("technical_secretary", municipality="elbasan")
    own = app.test_client()
    login(own, secretary)
    own.post("/elbasan/areas/", data={"name": "Papër", "kind": "administrative_unit"})

    page = own.get("/elbasan/audit")
    assert page.status_code == 200 and "Papër" in page.get_data(as_text=True)
    api = own.get("/api/v1/municipalities/elbasan/audit", headers=api_token(secretary))
    assert api.status_code == 200 and any(e["changes"].get("name") == [None, "Papër"] for e in api.get_json())

    ministry = make_user("ministry")
    national = app.test_client()
    login(national, ministry)
    assert "Papër" in national.get("/elbasan/audit").get_data(as_text=True)
    assert "Papër" in national.get("/national/audit").get_data(as_text=True)

    member = make_user("member", municipality="elbasan")
    reader = app.test_client()
    login(reader, member)
    assert reader.get("/elbasan/audit").status_code == 404

    other = make_user("technical_secretary", municipality="fier")
    foreign = app.test_client()
    login(foreign, other)
    assert foreign.get("/elbasan/audit").status_code == 404
    assert "Papër" not in foreign.get("/fier/audit").get_data(as_text=True)


def test_refused_input_leaves_no_trace_and_keeps_what_was_typed(app, client, make_user, login):
    secretary = make_user("technical_secretary", municipality="elbasan")
    login(client, secretary)
    response = client.post("/elbasan/areas/", data={"name": "", "kind": "castle"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in body
    assert _entries(app, "Area") == []
    response = client.post("/elbasan/areas/", data={"name": "Tregan", "kind": "castle"})
    assert 'value="Tregan"' in response.get_data(as_text=True)
