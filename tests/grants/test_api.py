"""Community grants through the API: staff (a token of the municipality) and public (no token)."""
from datetime import timedelta

from safetycouncil.timeutil import local_today
from tests.grants.support import award_graph


def _call_body(**overrides):
    today = local_today()
    body = {"title": "Thirrje API", "objectives": "Objektiva", "budget": 500000, "max_per_grant": 200000,
            "cofinancing_percent": 0, "opens_on": today.isoformat(), "closes_on": (today + timedelta(days=9)).isoformat(),
            "eligibility_criteria": ["Organizatë e regjistruar"],
            "scoring_criteria": [{"text": "Lidhja me planin", "weight": 70}, {"text": "Kosto", "weight": 30}]}
    body.update(overrides)
    return body


def test_staff_draft_open_and_list_calls_and_read_awards(app, client, make_user, api_token, in_tenant):
    headers = api_token(make_user("technical_secretary", municipality="elbasan"))
    base = "/api/v1/municipalities/elbasan/grants"
    bad = client.post(f"{base}/calls", json=_call_body(scoring_criteria=[{"text": "A", "weight": 50}]),
                      headers=headers)
    assert bad.status_code == 422 and "scoring_criteria" in bad.get_json()["errors"]
    created = client.post(f"{base}/calls", json=_call_body(), headers=headers)
    assert created.status_code == 201, created.get_json()
    call = created.get_json()
    assert call["status"] == "draft" and call["updated_at"].endswith("Z")
    public = client.get("/api/v1/public/municipalities/elbasan/grants/calls")
    assert public.status_code == 200 and public.get_json() == []
    assert client.post(f"{base}/calls/{call['id']}/open", headers=headers).status_code == 200
    listed = client.get("/api/v1/public/municipalities/elbasan/grants/calls").get_json()
    assert listed[0]["title"] == "Thirrje API" and listed[0]["accepting"] and listed[0]["apply_url"]
    assert client.patch(f"{base}/calls/{call['id']}", json={"title": "X"}, headers=headers).status_code == 422
    response = client.get(f"{base}/calls?page=1&page_size=1", headers=headers)
    assert response.status_code == 200 and "X-Pagination" in response.headers
    with in_tenant("elbasan") as session:
        graph = award_graph(session, "elbasan")
        award_id = graph["award"].id
    awards = client.get(f"{base}/awards", headers=headers).get_json()
    assert awards[0]["id"] == award_id and awards[0]["tranches"][0]["amount"] == 300000
    assert client.get(f"{base}/awards/{award_id}", headers=headers).status_code == 200
    register = client.get("/api/v1/public/municipalities/elbasan/grants/awards").get_json()
    assert register[0]["organisation"] == "Shoqata elbasan" and "contact_email" not in register[0]
    other = api_token(make_user("technical_secretary", municipality="fier"))
    assert client.get(f"{base}/awards/{award_id}", headers=other).status_code == 404
    assert client.get(f"/api/v1/municipalities/fier/grants/awards/{award_id}", headers=other).status_code == 404
    assert client.get("/api/v1/public/municipalities/fier/grants/awards").get_json() == []


def test_the_openapi_document_describes_the_grants(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/municipalities/{municipality}/grants/calls" in spec["paths"]
    assert "/api/v1/public/municipalities/{municipality}/grants/awards" in spec["paths"]
