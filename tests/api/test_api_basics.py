"""The API's foundations: bearer tokens, the error shape and its language, municipalities, the
OpenAPI description, health checks."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from safetycouncil.accounts.models import ApiToken
from safetycouncil.extensions import db
from safetycouncil.tenancy.web import endpoint_scope
from safetycouncil.timeutil import utcnow

WRONG_SQ = "E-mail-i ose fjalëkalimi është i gabuar."
WRONG_EN = "The e-mail or the password is wrong."
SIGN_IN_FIRST_SQ = "Fillimisht hyni në llogari"
SIGN_IN_FIRST_EN = "Sign in first"
NO_MUNICIPALITY_SQ = "Në këtë adresë nuk ka asnjë bashki."
NO_MUNICIPALITY_EN = "There is no municipality at this address."
REQUIRED_SQ = "Kjo fushë është e detyrueshme."
REQUIRED_EN = "This field is required."
SECRETARY_PERMISSIONS = ["export_data", "manage_records", "manage_webhooks", "read", "read_audit",
                         "read_personal_data", "report_progress", "upload", "upload_crime_statistics"]
OVERSIGHT = ["read"]  # a Prefecture; the Ministry may also read the audit trail and take the data archive
NATIONAL_OVERSIGHT = ["export_data", "read", "read_audit"]


def assert_error(response, status: int, message: str | None = None):
    """Every API error is JSON {code, status, message, errors?} with a human message."""
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    payload = response.get_json()
    assert payload["code"] == status
    assert isinstance(payload["status"], str) and payload["status"]
    assert isinstance(payload["message"], str) and payload["message"]
    assert set(payload) <= {"code", "status", "message", "errors"}
    if message is not None:
        assert message in payload["message"], payload
    return payload


def token_for(client, user, **headers):
    return client.post("/api/v1/auth/token", json={"email": user.email, "password": user.password}, headers=headers)


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


# --- tokens -------------------------------------------------------------------------------------

def test_right_credentials_give_a_bearer_token(client, make_user, app):
    user = make_user("technical_secretary", municipality="elbasan")
    response = token_for(client, user)
    assert response.status_code == 201
    payload = response.get_json()
    assert payload["token_type"] == "Bearer"
    assert len(payload["token"]) >= 32
    assert "password" not in payload
    # Valid for API_TOKEN_VALID_HOURS, stored only as a hash.
    with app.app_context():
        row = db.session.execute(select(ApiToken).where(ApiToken.user_id == user.id)).scalar_one()
        assert row.token_hash != payload["token"] and payload["token"] not in row.token_hash
        assert timedelta(hours=11) < row.expires_at - utcnow() <= timedelta(hours=12)
    me = client.get("/api/v1/me", headers=bearer(payload["token"]))
    assert me.status_code == 200


def test_me_describes_the_caller_and_their_roles(client, make_user):
    user = make_user(("technical_secretary", "elbasan", None), ("prefecture", None, "fier"),
                     name="Besa Leka", locale="en")
    response = client.get("/api/v1/me", headers=bearer(token_for(client, user).get_json()["token"]))
    assert response.status_code == 200
    me = response.get_json()
    assert me["id"] == user.id and me["email"] == user.email
    assert me["name"] == "Besa Leka" and me["locale"] == "en"
    assert sorted(me["roles"], key=lambda r: r["role"]) == [
        {"role": "prefecture", "municipality": None, "county": "fier"},
        {"role": "technical_secretary", "municipality": "elbasan", "county": None},
    ]
    assert "password_hash" not in me and "password" not in me


@pytest.mark.parametrize("headers, message", [({}, WRONG_SQ), ({"Accept-Language": "en"}, WRONG_EN),
                                              ({"Accept-Language": "en-GB,en;q=0.9,sq;q=0.5"}, WRONG_EN),
                                              ({"Accept-Language": "sq-AL"}, WRONG_SQ),
                                              ({"Accept-Language": "fr"}, WRONG_SQ)])
def test_wrong_password_is_a_401_json_error_in_the_callers_language(client, make_user, headers, message):
    user = make_user("technical_secretary", municipality="elbasan")
    response = client.post("/api/v1/auth/token", json={"email": user.email, "password": "not-the-password"},
                           headers=headers)
    payload = assert_error(response, 401, message)
    assert payload["status"] == "Unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    unknown = client.post("/api/v1/auth/token", json={"email": "nobody@test.kvsp.al", "password": "whatever"},
                          headers=headers)
    assert assert_error(unknown, 401)["message"] == payload["message"]


def test_a_throttled_client_gets_no_token_and_the_same_answer_as_a_wrong_password(app, client, make_user):
    """Issue 22, finding 7: the throttle's refusal does not say the account exists or is locked."""
    user = make_user("technical_secretary", municipality="elbasan")
    for _ in range(app.config["LOGIN_FAILURES_BEFORE_LOCK"]):
        client.post("/api/v1/auth/token", json={"email": user.email, "password": "not-the-password"})
    assert_error(token_for(client, user), 401, "E-mail-i ose fjalëkalimi është i gabuar.")
    assert_error(token_for(client, user, **{"Accept-Language": "en"}), 401, "The e-mail or the password is wrong.")


def test_a_disabled_account_gets_no_token(client, make_user):
    user = make_user("technical_secretary", municipality="elbasan", active=False)
    assert_error(token_for(client, user), 401, "Kjo llogari është çaktivizuar.")


def test_a_malformed_json_body_is_a_clear_400(client):
    response = client.post("/api/v1/auth/token", data='{"email": "a@b.al", "password": ',
                           content_type="application/json")
    assert_error(response, 400, "Trupi i kërkesës nuk është JSON i vlefshëm.")
    response = client.post("/api/v1/auth/token", data="{oops", content_type="application/json",
                           headers={"Accept-Language": "en"})
    assert_error(response, 400, "The request body is not valid JSON.")


def test_a_missing_field_is_a_422_naming_the_field(client):
    response = client.post("/api/v1/auth/token", json={"email": "someone@test.kvsp.al"})
    payload = assert_error(response, 422, "Disa fusha nuk janë të vlefshme.")
    assert payload["errors"] == {"password": [REQUIRED_SQ]}
    response = client.post("/api/v1/auth/token", json={"email": "someone@test.kvsp.al"},
                           headers={"Accept-Language": "en"})
    assert assert_error(response, 422)["errors"] == {"password": [REQUIRED_EN]}


def test_empty_fields_are_refused_with_a_translated_message(client):
    payload = assert_error(client.post("/api/v1/auth/token", json={"email": "", "password": ""}), 422)
    assert payload["errors"] == {"email": ["Kjo fushë nuk mund të jetë bosh."],
                                 "password": ["Kjo fushë nuk mund të jetë bosh."]}


@pytest.mark.parametrize("body", [[1, 2], ["email", "password"], "a string", 42, None, True])
def test_a_body_that_is_not_an_object_is_a_4xx_not_a_500(client, body):
    response = client.post("/api/v1/auth/token", json=body)
    payload = assert_error(response, 422)
    assert payload["errors"]


def test_wrong_field_types_and_unknown_fields_are_named(client, make_user):
    payload = assert_error(client.post("/api/v1/auth/token", json={"email": 1, "password": ["x"]}), 422)
    assert payload["errors"] == {"email": ["Shkruani tekst."], "password": ["Shkruani tekst."]}
    user = make_user("technical_secretary", municipality="elbasan")
    payload = assert_error(client.post("/api/v1/auth/token", json={"email": user.email, "password": user.password,
                                                                   "remember": True}), 422)
    assert payload["errors"] == {"remember": ["Kjo fushë nuk njihet."]}


def test_a_form_encoded_body_is_refused_clearly(client, make_user):
    user = make_user("technical_secretary", municipality="elbasan")
    response = client.post("/api/v1/auth/token", data={"email": user.email, "password": user.password})
    payload = assert_error(response, 422)
    assert set(payload["errors"]) == {"email", "password"}


def test_me_needs_a_token(client):
    assert_error(client.get("/api/v1/me"), 401, SIGN_IN_FIRST_SQ)
    assert_error(client.get("/api/v1/me", headers={"Accept-Language": "en"}), 401, SIGN_IN_FIRST_EN)
    assert_error(client.get("/api/v1/me", headers=bearer("made-up-token")), 401, SIGN_IN_FIRST_SQ)
    assert_error(client.get("/api/v1/me", headers={"Authorization": "Basic dXNlcjpwYXNz"}), 401)


def test_a_revoked_token_no_longer_works(client, make_user):
    user = make_user("technical_secretary", municipality="elbasan")
    raw = token_for(client, user).get_json()["token"]
    other = token_for(client, user).get_json()["token"]
    response = client.delete("/api/v1/auth/token", headers=bearer(raw))
    assert response.status_code == 204
    assert_error(client.get("/api/v1/me", headers=bearer(raw)), 401, SIGN_IN_FIRST_SQ)
    # Revoking it twice, or without a token, is refused clearly.
    assert_error(client.delete("/api/v1/auth/token", headers=bearer(raw)), 401,
                 "Dërgoni si bearer token tokenin që doni të shfuqizoni.")
    assert_error(client.delete("/api/v1/auth/token"), 401)
    # Only that token was revoked.
    assert client.get("/api/v1/me", headers=bearer(other)).status_code == 200


def test_an_expired_token_no_longer_works(app, client, make_user):
    user = make_user("technical_secretary", municipality="elbasan")
    raw = token_for(client, user).get_json()["token"]
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 200
    with app.app_context():
        db.session.execute(update(ApiToken).where(ApiToken.user_id == user.id)
                           .values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert_error(client.get("/api/v1/me", headers=bearer(raw)), 401, SIGN_IN_FIRST_SQ)
    assert_error(client.get("/api/v1/municipalities", headers=bearer(raw)), 401)


def test_a_token_of_a_disabled_account_no_longer_works(app, client, make_user):
    from safetycouncil.accounts import services
    from safetycouncil.accounts.models import User

    user = make_user("technical_secretary", municipality="elbasan")
    raw = token_for(client, user).get_json()["token"]
    with app.app_context():
        services.set_active(db.session.get(User, user.id), False)
        db.session.commit()
    assert_error(client.get("/api/v1/me", headers=bearer(raw)), 401)


def test_a_session_cookie_alone_does_not_authenticate_the_api(client, make_user, login):
    user = make_user("technical_secretary", municipality="elbasan")
    login(client, user)
    assert client.get("/account").status_code == 200  # signed in on the web
    assert_error(client.get("/api/v1/me"), 401, SIGN_IN_FIRST_SQ)
    assert_error(client.get("/api/v1/municipalities"), 401)
    assert_error(client.get("/api/v1/municipalities/elbasan/areas"), 401)


def test_the_token_endpoint_is_rate_limited_with_a_clear_429(base_config, app, make_user):
    from safetycouncil.app import create_app

    limited = create_app({**base_config, "LOGIN_RATE_LIMIT": "3 per minute"})
    try:
        client = limited.test_client()
        user = make_user("technical_secretary", municipality="elbasan")
        for _ in range(3):
            assert client.post("/api/v1/auth/token", json={"email": user.email, "password": "nope"}).status_code == 401
        assert_error(token_for(client, user), 429, "Keni bërë shumë përpjekje. Prisni një minutë")
        assert_error(token_for(client, user, **{"Accept-Language": "en"}), 429, "Too many attempts.")
    finally:
        with limited.app_context():
            db.session.remove()
            db.engine.dispose()


# --- language of a signed-in caller ------------------------------------------------------------

def test_a_signed_in_caller_gets_messages_in_their_own_language(client, make_user):
    english = make_user("technical_secretary", municipality="elbasan", locale="en")
    albanian = make_user("technical_secretary", municipality="elbasan", locale="sq")
    en_headers = bearer(token_for(client, english).get_json()["token"])
    sq_headers = bearer(token_for(client, albanian).get_json()["token"])
    assert_error(client.get("/api/v1/municipalities/atlantis", headers=en_headers), 404, NO_MUNICIPALITY_EN)
    assert_error(client.get("/api/v1/municipalities/atlantis", headers={**sq_headers, "Accept-Language": "en"}),
                 404, NO_MUNICIPALITY_SQ)


# --- municipalities --------------------------------------------------------------------------------

def test_municipalities_list_all_61_with_the_callers_permissions(client, make_user, api_token):
    secretary = make_user("technical_secretary", municipality="elbasan")
    response = client.get("/api/v1/municipalities", headers=api_token(secretary))
    assert response.status_code == 200
    items = response.get_json()
    assert len(items) == 61
    assert len({m["slug"] for m in items}) == 61
    by_slug = {m["slug"]: m for m in items}
    assert by_slug["elbasan"]["permissions"] == SECRETARY_PERMISSIONS
    assert by_slug["elbasan"]["county"]["slug"] == "elbasan"
    assert by_slug["tirane"]["name"] == "Tiranë"
    assert all(m["permissions"] == [] for slug, m in by_slug.items() if slug != "elbasan")
    assert {m["county"]["slug"] for m in items} == {
        "berat", "diber", "durres", "elbasan", "fier", "gjirokaster", "korce", "kukes", "lezhe", "shkoder",
        "tirane", "vlore"}


def test_oversight_roles_see_read_permissions_where_they_oversee(client, make_user, api_token):
    ministry = make_user("ministry")
    items = client.get("/api/v1/municipalities", headers=api_token(ministry)).get_json()
    assert len(items) == 61 and all(m["permissions"] == NATIONAL_OVERSIGHT for m in items)

    prefecture = make_user("prefecture", county="elbasan")
    items = client.get("/api/v1/municipalities", headers=api_token(prefecture)).get_json()
    readable = {m["slug"] for m in items if m["permissions"] == OVERSIGHT}
    assert readable == {m["slug"] for m in items if m["county"]["slug"] == "elbasan"}
    assert "cerrik" in readable and "fier" not in readable
    assert all(m["permissions"] == [] for m in items if m["slug"] not in readable)


def test_one_municipality_and_an_unknown_one(client, make_user, api_token):
    headers = api_token(make_user("member", municipality="fier"))
    response = client.get("/api/v1/municipalities/fier", headers=headers)
    assert response.status_code == 200
    assert response.get_json()["permissions"] == ["read"]
    assert client.get("/api/v1/municipalities/elbasan", headers=headers).get_json()["permissions"] == []
    payload = assert_error(client.get("/api/v1/municipalities/atlantis", headers=headers), 404, NO_MUNICIPALITY_SQ)
    assert payload["status"] == "Not Found"
    assert_error(client.get("/api/v1/municipalities/atlantis", headers={**headers}), 404)
    assert_error(client.get("/api/v1/municipalities"), 401)


def test_public_municipalities_need_no_sign_in(client):
    response = client.get("/api/v1/public/municipalities")
    assert response.status_code == 200
    items = response.get_json()
    assert len(items) == 61
    assert all(set(m) == {"slug", "name", "county"} for m in items)  # no permissions for the public
    one = client.get("/api/v1/public/municipalities/elbasan")
    assert one.status_code == 200 and one.get_json()["name"] == "Elbasan"
    assert_error(client.get("/api/v1/public/municipalities/atlantis"), 404, NO_MUNICIPALITY_SQ)
    assert_error(client.get("/api/v1/public/municipalities/atlantis", headers={"Accept-Language": "en"}), 404,
                 NO_MUNICIPALITY_EN)
    counties = client.get("/api/v1/public/counties")
    assert counties.status_code == 200 and len(counties.get_json()) == 12


def test_unknown_api_addresses_and_methods_answer_json(client, make_user, api_token):
    assert_error(client.get("/api/v1/no-such-thing"), 404, "Në këtë adresë nuk ka asnjë faqe.")
    assert_error(client.put("/api/v1/me", headers=api_token(make_user("ministry"))), 405,
                 "Ky veprim nuk lejohet këtu.")


# --- the OpenAPI description ------------------------------------------------------------------------

def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z_]+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule)


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def api_rules(app):
    return [r for r in app.url_map.iter_rules()
            if r.rule.startswith("/api/v1") and not r.endpoint.startswith("api-docs.")]


def test_openapi_description_is_valid_openapi_3(spec):
    from openapi_spec_validator import validate

    assert spec["openapi"].startswith("3.")
    validate(spec)


def test_openapi_description_lists_every_api_route_and_method(app, spec):
    rules = api_rules(app)
    assert len(rules) >= 10
    expected = {}
    for rule in rules:
        expected.setdefault(_openapi_path(rule.rule), set()).update(
            m.lower() for m in rule.methods - {"HEAD", "OPTIONS"})
    documented = {path: {m for m in item if m in {"get", "post", "put", "patch", "delete"}}
                  for path, item in spec["paths"].items()}
    assert set(documented) == set(expected)
    assert documented == expected


def test_openapi_description_declares_bearer_auth_where_it_is_needed(app, spec):
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}
    assert {"bearerAuth": []} in spec["security"]
    for rule in api_rules(app):
        scope = endpoint_scope(app.view_functions[rule.endpoint])
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operation = spec["paths"][_openapi_path(rule.rule)][method.lower()]
            security = operation.get("security", spec["security"])
            needs_token = scope != "public" or (rule.rule == "/api/v1/auth/token" and method == "DELETE")
            if needs_token:
                assert {"bearerAuth": []} in security, (method, rule.rule)
            else:
                assert security == [], (method, rule.rule)


def test_openapi_description_needs_no_sign_in(client):
    assert client.get("/api/v1/openapi.json").status_code == 200


# --- health checks ----------------------------------------------------------------------------------

def test_health_and_readiness_answer_200_json(app, client):
    health = client.get("/healthz")
    assert health.status_code == 200 and health.get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    payload = ready.get_json()
    assert payload["status"] == "ok"
    assert payload["checks"]["database"] == "ok"
    if app.config.get("REDIS_URL"):
        assert payload["checks"]["redis"] == "ok"
