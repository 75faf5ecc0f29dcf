"""The compliance API's answers have a documented schema (the OpenAPI document describes every field), and
what the API answers matches it exactly: checked with jsonschema against the document, as a client would."""
from __future__ import annotations

from datetime import datetime

from safetycouncil.timeutil import LOCAL_TIMEZONE

from ..api.test_client import OpenApiClient
from .support import council_meeting


def _documented(document, path):
    content = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    ref = content["schema"]["$ref"].rsplit("/", 1)[1]
    return document["components"]["schemas"][ref]


def test_compliance_answers_match_their_documented_schema(app, client, make_user, in_tenant, monkeypatch):
    from safetycouncil.compliance import engine

    monkeypatch.setattr(engine, "_now", lambda: datetime(2026, 12, 4, 10, 0, tzinfo=LOCAL_TIMEZONE))
    with in_tenant("peqin") as s:
        council_meeting(s, datetime(2026, 5, 12, 10, 0), "pq")
    ministry = make_user("ministry")
    api = OpenApiClient(client, "/api/v1/openapi.json")
    api.sign_in(ministry.email, ministry.password)

    listing = _documented(api.document, "/api/v1/compliance")
    assert {"year", "as_of", "councils", "complying", "pass_rates", "items"} <= set(listing["required"])
    council = _documented(api.document, "/api/v1/compliance/{slug}")
    assert {"municipality", "status", "rules", "score"} <= set(council["required"])

    # every answer is checked against the document by the client (jsonschema, formats included)
    body = api.call("GET", "/api/v1/compliance", query={"year": 2026, "page_size": 5}).get_json()
    assert len(body["items"]) == 5 and body["councils"] == 61
    body = api.call("GET", "/api/v1/compliance/{slug}", path={"slug": "peqin"}, query={"year": 2026}).get_json()
    assert body["status"] == "fails" and body["as_of"] == "2026-12-04"
    evidence = body["rules"]["monthly-monitoring"]["evidence"]
    assert evidence and all(e["kind"] and e["message"] for e in evidence)


def test_obligation_answers_match_their_documented_schema(app, client, make_user, in_tenant, monkeypatch):
    with in_tenant("peqin") as s:
        council_meeting(s, datetime(2026, 5, 12, 10, 0), "pq")
    api = OpenApiClient(client, "/api/v1/openapi.json")
    ministry = make_user("ministry")
    api.sign_in(ministry.email, ministry.password)
    for path in ("/api/v1/municipalities/{municipality}/obligations", "/api/v1/obligations"):
        content = api.document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        assert "$ref" in content["schema"], path
    body = api.call("GET", "/api/v1/municipalities/{municipality}/obligations", path={"municipality": "peqin"},
                    query={"from": "2026-01-01", "to": "2026-12-31"}).get_json()
    assert body["items"] and body["total"] == len(body["items"])
    assert {i["state"] for i in body["items"]} & {"overdue", "done", "upcoming", "due_soon"}
    body = api.call("GET", "/api/v1/obligations", query={"state": "overdue", "county": "elbasan"}).get_json()
    assert body["councils"] == 7 and all(i["state"] == "overdue" for i in body["items"])


def test_obligations_of_years_outside_the_platforms_are_refused(client, make_user, api_token):
    """Found by the documented schema: a due date in the year 348 was written with Tirana's local mean time
    (+01:19:20), which is no offset of the document's form."""
    headers = api_token(make_user("ministry"))
    for query in ({"from": "0348-01-01"}, {"to": "2101-01-01"}):
        response = client.get("/api/v1/obligations", headers=headers, query_string=query)
        assert response.status_code == 422 and set(response.get_json()["errors"]) <= {"from", "to"}
