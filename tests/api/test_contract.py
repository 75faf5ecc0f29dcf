"""The API's contract, tried as a new client would: schemathesis generates requests from
/api/v1/openapi.json for every operation, sent with the token of each role that holds one
(technical secretary, member, Prefecture, Ministry, administrator) and with none, against Elbasan's
demo records; every answer must be no server error, a documented status and match its documented
schema. The first example of each operation goes to every caller, the next ones to one caller each in
turn (the runtime stays within a minute or two). Plus one test for each class of out-of-range input (issue 17's reproductions)."""
from __future__ import annotations

import time
from collections import defaultdict

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .contract_support import TOKEN_ROLES, load_elbasan_demo

CHECKS = (not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance)
MAX_EXAMPLES = 7
TIME_LIMIT_SECONDS = 600
HUGE = 46274916431542468608  # beyond 64 bits: issue 17's reproductions (ids are 32-bit columns)


@pytest.fixture
def callers(app, make_user, api_token):
    people = [(role, make_user(role, **where)) for role, where in TOKEN_ROLES]
    return [(role, api_token(person)) for role, person in people] + [("anonymous", {})]


def _describe(exc) -> str:
    """One line per distinct failure: its title and the first lines of its message."""
    found = getattr(exc, "exceptions", None) or [exc]
    return "; ".join(f"{getattr(f, 'title', type(f).__name__)}: "
                     f"{' '.join(str(getattr(f, 'message', f)).split())[:300]}" for f in found)


def _order(operation) -> int:
    """Reads first, then writes, deletions last: a deleted record cannot be read any more."""
    return {"GET": 0, "POST": 1, "PUT": 1, "PATCH": 1, "DELETE": 2}.get(operation.method.upper(), 1)


def test_every_operation_for_every_role_answers_as_documented(app, callers):
    load_elbasan_demo(app)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = sorted((result.ok() for result in schema.get_all_operations()), key=_order)
    assert len(operations) >= 100
    failures: dict[str, list[str]] = defaultdict(list)
    started = time.monotonic()
    checked = 0
    for operation in operations:
        assert time.monotonic() - started < TIME_LIMIT_SECONDS, f"over the time budget after {checked} operations"
        label = f"{operation.method.upper()} {operation.path}"
        revokes = operation.method.upper() == "DELETE" and operation.path.endswith("/auth/token")
        ids = [p.name for p in operation.path_parameters if p.name.endswith("_id")]

        calls = {"n": 0}

        @given(case=operation.as_strategy(), data=st.data())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case, data):
            # Elbasan's records: the municipality of every token, ids that mostly exist.
            for name in ("municipality", "slug"):
                if case.path_parameters and name in case.path_parameters:
                    case.path_parameters[name] = "elbasan"
            for name in ids:
                case.path_parameters[name] = data.draw(st.integers(1, 40) | st.just(case.path_parameters[name]))
            # The first example goes to every caller, the next ones to one caller each, in turn.
            calls["n"] += 1
            turn = callers if calls["n"] == 1 else [callers[calls["n"] % len(callers)]]
            for role, headers in turn:
                if revokes and headers:
                    continue  # would revoke the token the other requests use
                case.headers = {**(case.headers or {}), **headers}
                if not headers:
                    case.headers.pop("Authorization", None)
                response = case.call()
                try:
                    case.validate_response(response, checks=CHECKS)
                except (AssertionError, BaseExceptionGroup) as exc:  # collected, reported together below
                    failures[label].append(f"  as {role}: {case.method} {case.formatted_path} -> "
                                           f"{response.status_code} {response.text[:80]!r}: {_describe(exc)}")

        run()
        checked += 1
    if failures:
        report = "\n".join(f"{label}\n" + "\n".join(lines[:2]) for label, lines in failures.items())
        pytest.fail(f"{len(failures)} of {checked} operations fail:\n{report}", pytrace=False)


# --- issue 17's reproductions, one test per class ------------------------------------------------

@pytest.mark.parametrize("method,path", [
    ("GET", "/api/v1/municipalities/elbasan/concerns/{id}"),
    ("GET", "/api/v1/municipalities/elbasan/concerns/{id}/outcome"),
    ("PATCH", "/api/v1/municipalities/elbasan/decisions/{id}"),
    ("POST", "/api/v1/municipalities/elbasan/concerns/{id}/moderation"),
    ("POST", "/api/v1/municipalities/elbasan/plans/versions/{id}/approval"),
    ("PATCH", "/api/v1/municipalities/elbasan/plans/items/{id}"),
    ("GET", "/public/elbasan/press/{id}"),
])
@pytest.mark.parametrize("bad_id", [str(HUGE), str(2**63), str(2**31), "-1", "0", "-156343042748534645347097509888"])
def test_an_id_out_of_range_in_a_path_is_not_found(client, make_user, api_token, method, path, bad_id):
    """Web pages and API alike: one URL converter takes positive ids that fit the id columns (32 bits);
    anything else is 404."""
    headers = api_token(make_user("technical_secretary", municipality="elbasan")) if "/api/" in path else {}
    response = client.open(path.format(id=bad_id), method=method, headers=headers, json={})
    assert response.status_code == 404
    if "/api/" in path:
        assert response.get_json()["code"] == 404


def test_the_largest_id_is_looked_up_and_not_found(client, make_user, api_token):
    headers = api_token(make_user("technical_secretary", municipality="elbasan"))
    response = client.get(f"/api/v1/municipalities/elbasan/concerns/{2**31 - 1}", headers=headers)
    assert response.status_code == 404
    assert response.get_json()["code"] == 404


@pytest.mark.parametrize("ids", [[37698404986, -156343042748534645347097509888], [HUGE], [2**63], [2**31]])
def test_an_id_out_of_range_in_a_body_is_refused_with_the_error_envelope(app, client, make_user, api_token, ids):
    load_elbasan_demo(app)
    headers = api_token(make_user("technical_secretary", municipality="elbasan"))
    activities = client.get("/api/v1/municipalities/elbasan/plans", headers=headers)
    assert activities.status_code == 200
    response = client.patch("/api/v1/municipalities/elbasan/plans/activities/1", headers=headers,
                            json={"institution_ids": ids})
    assert response.status_code == 422, response.get_data(as_text=True)
    payload = response.get_json()
    assert payload["code"] == 422 and payload["message"]
    assert "institution_ids" in payload["errors"]


@pytest.mark.parametrize("body,content_type", [
    (b"not json at all", "application/json"),
    (b'{"title": ', "application/json"),
    (b"[1, 2, 3]", "application/json"),
    (b'"a string"', "application/json"),
    (b"\xff\xfe\x00", "application/json"),
    (b"title=x", "application/x-www-form-urlencoded"),
])
def test_a_body_that_is_not_a_json_object_is_refused_not_a_server_error(app, client, make_user, api_token,
                                                                         body, content_type):
    load_elbasan_demo(app)
    headers = api_token(make_user("technical_secretary", municipality="elbasan"))
    for path in ("/api/v1/municipalities/elbasan/plans/items/1", f"/api/v1/municipalities/elbasan/plans/items/{HUGE}"):
        response = client.patch(path, headers={**headers, "Content-Type": content_type}, data=body)
        assert response.status_code in (400, 404, 422), response.get_data(as_text=True)
        payload = response.get_json()
        assert payload["code"] == response.status_code and payload["message"]


def test_timestamps_are_utc_with_z_and_dates_stay_dates(app, client, make_user, api_token):
    """RFC 3339: a date-time carries its offset; the API writes UTC as Z, and says so."""
    user = make_user("technical_secretary", municipality="elbasan")
    token = client.post("/api/v1/auth/token", json={"email": user.email, "password": user.password}).get_json()
    assert token["expires_at"].endswith("Z")
    load_elbasan_demo(app)
    headers = {"Authorization": f"Bearer {token['token']}"}
    concern = client.get("/api/v1/municipalities/elbasan/concerns", headers=headers).get_json()[0]
    assert concern["created_at"].endswith("Z")
    document = client.get("/api/v1/openapi.json").get_json()
    assert "UTC" in document["info"]["description"]
    assert document["components"]["schemas"]["Token"]["properties"]["expires_at"]["format"] == "date-time"
