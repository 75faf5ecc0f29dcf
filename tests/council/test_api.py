"""The council through the API: members, seats, institutions, establishment, composition."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from safetycouncil.council import services
from safetycouncil.council.models import CouncilMember, Institution

BASE = "/api/v1/municipalities/elbasan/council"


@pytest.fixture
def api(app, make_user, api_token):
    user = make_user("technical_secretary", municipality="elbasan", locale="en")
    client = app.test_client()
    headers = api_token(user)

    def call(method, path, **kwargs):
        return client.open(BASE + path, method=method, headers=headers, **kwargs)

    return call


def refused(response, field, phrase):
    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    assert body["code"] == 422 and body["message"]
    messages = body["errors"][field]
    assert phrase in (" ".join(messages) if isinstance(messages, list) else messages), body
    return body


def test_members_list_create_get_patch_and_end_a_mandate(api, council):
    response = api("POST", "/members", json={"full_name": "Gledian Llatja", "category": "a",
                                              "mandate_start": "2024-01-01", "email": "kryetari@example.org",
                                              "substitute_name": "Arta Leka"})
    assert response.status_code == 201, response.get_json()
    member = response.get_json()
    assert member["category"] == "a" and member["active"] is True and member["mandate_end"] is None
    assert api("GET", f"/members/{member['id']}").get_json()["full_name"] == "Gledian Llatja"
    response = api("PATCH", f"/members/{member['id']}", json={"mandate_end": "2025-06-30", "position": "Kryetar"})
    assert response.status_code == 200
    assert response.get_json()["mandate_end"] == "2025-06-30" and response.get_json()["position"] == "Kryetar"
    assert response.get_json()["email"] == "kryetari@example.org"  # untouched by the patch
    listed = api("GET", "/members").get_json()
    assert [m["full_name"] for m in listed] == ["Gledian Llatja"]
    assert api("GET", "/members/999999").status_code == 404


@pytest.mark.parametrize("body, field, phrase", [
    ({"full_name": "X", "category": "a", "mandate_start": "2024-01-01", "mandate_end": "2023-01-01"},
     "mandate_end", "The mandate cannot end before it starts."),
    ({"full_name": "X", "category": "p", "mandate_start": "2024-01-01"}, "category", "Choose one of the categories"),
    ({"full_name": "X", "category": "a", "mandate_start": "2024-01-01", "email": "x@y"}, "email",
     "Enter a valid e-mail address."),
    ({"full_name": "  ", "category": "a", "mandate_start": "2024-01-01"}, "full_name", "Enter the member's full name."),
    ({"category": "a", "mandate_start": "2024-01-01"}, "full_name", "Enter the member's full name."),
    ({"full_name": "X", "category": "a", "mandate_start": "1 March"}, "mandate_start", "Enter a date as DD.MM.YYYY."),
])
def test_bad_members_are_refused_and_nothing_is_saved(api, council, body, field, phrase):
    refused(api("POST", "/members", json=body), field, phrase)
    with council() as session:
        assert session.execute(select(func.count()).select_from(CouncilMember)).scalar() == 0


def test_deleting_a_member_with_a_seat_is_refused(api):
    member = api("POST", "/members", json={"full_name": "Kristina Keka", "category": "staff",
                                           "mandate_start": "2024-01-01"}).get_json()
    assert api("POST", "/seats", json={"seat": "technical_secretariat", "member_id": member["id"],
                                       "started_on": "2024-01-01"}).status_code == 201
    refused(api("DELETE", f"/members/{member['id']}"), "member", "End the mandate instead of deleting")
    other = api("POST", "/members", json={"full_name": "Typo", "category": "k", "mandate_start": "2024-01-01"})
    assert api("DELETE", f"/members/{other.get_json()['id']}").status_code == 204


def test_seats_current_and_past(api):
    mayor = api("POST", "/members", json={"full_name": "Gledian Llatja", "category": "a",
                                          "mandate_start": "2020-01-01"}).get_json()["id"]
    police = api("POST", "/members", json={"full_name": "Ilir Kola", "category": "c",
                                           "mandate_start": "2020-01-01"}).get_json()["id"]
    rep = api("POST", "/members", json={"full_name": "Sokol Dervishi", "category": "staff",
                                        "mandate_start": "2020-01-01"}).get_json()["id"]
    refused(api("POST", "/seats", json={"seat": "chair", "member_id": police, "started_on": "2020-01-01"}),
            "member_id", "The chair is the Mayor")
    assert api("POST", "/seats", json={"seat": "chair", "member_id": mayor}).status_code == 201  # from today
    assert api("POST", "/seats", json={"seat": "secretariat_police", "member_id": police,
                                       "started_on": "2020-02-01"}).status_code == 201
    response = api("POST", "/seats", json={"seat": "secretariat_police", "member_id": rep, "started_on": "2021-02-01"})
    assert response.status_code == 201
    assert response.get_json()["member_name"] == "Sokol Dervishi" and response.get_json()["current"] is True
    refused(api("POST", "/seats", json={"seat": "secretariat_police", "member_id": rep, "started_on": "2022-01-01"}),
            "member_id", "already holds this seat")
    terms = api("GET", "/seats").get_json()
    assert [(t["seat"], t["member_name"], t["ended_on"], t["current"]) for t in terms] == [
        ("chair", "Gledian Llatja", None, True),
        ("secretariat_police", "Sokol Dervishi", None, True),
        ("secretariat_police", "Ilir Kola", "2021-01-31", False),
    ]
    assert api("GET", "/seats").get_json()[0]["started_on"] == services.today().isoformat()


def test_establishment_get_before_and_after_put(api, app, make_user, api_token, council):
    before = api("GET", "/establishment")
    assert before.status_code == 200 and before.get_json()["recorded"] is False
    refused(api("PUT", "/establishment", json={"decision_number": "22", "decision_date": "2022-03-04",
                                               "decision_document_id": 424242}),
            "decision_document_id", "There is no such document")
    response = api("PUT", "/establishment", json={"decision_number": "22", "decision_date": "2022-03-04",
                                                  "regulation_adopted_on": "2022-03-04"})
    assert response.status_code == 200, response.get_json()
    after = api("GET", "/establishment").get_json()
    assert after["recorded"] is True and after["decision_number"] == "22" and after["decision_date"] == "2022-03-04"
    # Uploaded through the documents API, then linked by id.
    from .conftest import PDF
    import io

    user = make_user("technical_secretary", municipality="elbasan", locale="en")
    uploaded = app.test_client().post("/api/v1/municipalities/elbasan/documents", headers=api_token(user),
                                      data={"title": "Rregullorja", "file": (io.BytesIO(PDF), "rregullorja.pdf")},
                                      content_type="multipart/form-data").get_json()
    response = api("PUT", "/establishment", json={"decision_number": "22", "decision_date": "2022-03-04",
                                                  "regulation_document_id": uploaded["id"]})
    assert response.get_json()["regulation_document_id"] == uploaded["id"]
    with council() as session:
        assert services.get_establishment().regulation_document_id == uploaded["id"]


def test_institutions_link_create_search_and_unlink(api, council):
    with council("cerrik") as session:
        county_id = services._municipality().county_id
        shared = Institution(name="Prokuroria pranë Gjykatës së Rrethit Gjyqësor Elbasan", kind="prosecution",
                             county_id=county_id, shared=True)
        session.add(shared)
        session.flush()
        shared_id = shared.id
    found = api("GET", "/institutions/search?q=prokuroria").get_json()
    assert [(i["id"], i["linked"], i["shared"]) for i in found] == [(shared_id, False, True)]
    assert api("GET", f"/institutions/{shared_id}").status_code == 404  # not linked yet
    assert api("POST", "/institutions", json={"institution_id": shared_id}).status_code == 201
    assert api("GET", f"/institutions/{shared_id}").get_json()["name"].startswith("Prokuroria")
    assert api("GET", "/institutions/search?q=prokuroria").get_json()[0]["linked"] is True
    refused(api("POST", "/institutions", json={"name": "PROKURORIA PRANË GJYKATËS SË RRETHIT GJYQËSOR ELBASAN",
                                                "kind": "prosecution"}), "name", "already exists in the county")
    refused(api("POST", "/institutions", json={"name": "Shoqata X"}), "kind", "Choose what kind")
    refused(api("POST", "/institutions", json={"institution_id": 999999}), "institution_id", "Choose an existing")
    created = api("POST", "/institutions", json={"name": "Qendra Rinore Elbasan", "kind": "civil_society"})
    assert created.status_code == 201 and created.get_json()["shared"] is False
    assert sorted(i["name"] for i in api("GET", "/institutions").get_json()) == [
        "Prokuroria pranë Gjykatës së Rrethit Gjyqësor Elbasan", "Qendra Rinore Elbasan"]
    member = api("POST", "/members", json={"full_name": "Arta Leka", "category": "k", "mandate_start": "2024-01-01",
                                           "institution_id": created.get_json()["id"]}).get_json()
    assert member["institution_name"] == "Qendra Rinore Elbasan"
    refused(api("DELETE", f"/institutions/{created.get_json()['id']}"), "institution_id", "Members of the council")
    assert api("DELETE", f"/institutions/{shared_id}").status_code == 204
    assert api("DELETE", f"/institutions/{shared_id}").status_code == 404
    with council("cerrik") as session:  # the institution itself stays, for the others
        assert session.get(Institution, shared_id) is not None


def test_composition_shows_the_gaps(api):
    for category in "abc":
        api("POST", "/members", json={"full_name": f"Anëtar {category}", "category": category,
                                      "mandate_start": "2024-01-01"})
    body = api("GET", "/composition").get_json()
    assert body["gaps"] == list("defghijklmno")
    categories = {c["code"]: c for c in body["categories"]}
    assert categories["d"]["always_required"] and categories["d"]["empty"]
    assert categories["a"]["member_ids"] and categories["a"]["label"] == "Mayor"
    assert body["on"] == services.today().isoformat()
    past = api("GET", "/composition?on=2023-12-31").get_json()
    assert past["on"] == "2023-12-31" and len(past["gaps"]) == 15
    refused(api("GET", "/composition?on=yesterday"), "on", "Enter a date as YYYY-MM-DD.")


def test_a_member_role_reads_but_cannot_write_through_the_api(app, make_user, api_token):
    user = make_user("member", municipality="elbasan", locale="en")
    client = app.test_client()
    headers = api_token(user)
    assert client.get(BASE + "/members", headers=headers).status_code == 200
    response = client.post(BASE + "/members", headers=headers,
                           json={"full_name": "X", "category": "a", "mandate_start": "2024-01-01"})
    assert response.status_code == 403
    assert client.put(BASE + "/establishment", headers=headers, json={}).status_code == 403
