"""A municipality's areas: pages, API, and the refusals that protect what depends on them."""
from datetime import date


def _month_ago() -> str:
    today = date.today()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year}-{month:02d}"


def test_areas_through_the_api(client, make_user, api_token):
    headers = api_token(make_user("technical_secretary", municipality="elbasan"))
    created = client.post("/api/v1/municipalities/elbasan/areas", headers=headers,
                          json={"name": "Bradashesh", "kind": "administrative_unit"})
    assert created.status_code == 201
    area = created.get_json()
    child = client.post("/api/v1/municipalities/elbasan/areas", headers=headers,
                        json={"name": "Fshati Bradashesh", "kind": "village", "parent_id": area["id"]})
    assert child.status_code == 201
    renamed = client.patch(f"/api/v1/municipalities/elbasan/areas/{area['id']}", headers=headers,
                           json={"name": "Njësia Bradashesh"})
    assert renamed.get_json()["name"] == "Njësia Bradashesh"
    refused = client.delete(f"/api/v1/municipalities/elbasan/areas/{area['id']}", headers=headers)
    assert refused.status_code == 422 and "area" in refused.get_json()["errors"]
    duplicate = client.post("/api/v1/municipalities/elbasan/areas", headers=headers,
                            json={"name": "njësia bradashesh", "kind": "administrative_unit"})
    assert duplicate.status_code == 422 and "name" in duplicate.get_json()["errors"]
    bad_kind = client.post("/api/v1/municipalities/elbasan/areas", headers={**headers, "Accept-Language": "en"},
                           json={"name": "X", "kind": "castle"})
    assert bad_kind.status_code == 422
    listed = client.get("/api/v1/municipalities/elbasan/areas", headers=headers).get_json()
    assert sorted(a["name"] for a in listed) == ["Fshati Bradashesh", "Njësia Bradashesh"]


def test_an_area_with_statistics_cannot_be_removed_and_the_page_says_why(app, client, make_user, login, api_token):
    from safetycouncil.crime_statistics.categories import ensure_default_categories

    from safetycouncil.extensions import db

    with app.app_context():
        ensure_default_categories()
        db.session.commit()
    secretary = make_user("technical_secretary", municipality="elbasan")
    headers = api_token(secretary)
    area = client.post("/api/v1/municipalities/elbasan/areas", headers=headers,
                       json={"name": "Lagjja Kala", "kind": "neighbourhood"}).get_json()
    upload = client.post("/api/v1/municipalities/elbasan/crime-statistics/uploads", headers=headers,
                         json=[{"month": _month_ago(), "area": "Lagjja Kala", "category": "theft", "count": 4}])
    assert upload.status_code == 201, upload.get_json()
    login(client, secretary)
    response = client.post(f"/elbasan/areas/{area['id']}", data={"action": "delete"})
    assert response.status_code == 422
    assert "statistikat" in response.get_data(as_text=True) or "statistics" in response.get_data(as_text=True)
    assert client.get("/elbasan/areas/").get_data(as_text=True).count("Lagjja Kala") >= 1
