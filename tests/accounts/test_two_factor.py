"""Two-factor sign-in: required of the Ministry and administrators by policy, never of the others."""
import re
import time

import pyotp
import pytest
from sqlalchemy import select

from safetycouncil.accounts.models import User
from safetycouncil.audit.models import AuditEntry
from safetycouncil.extensions import db


@pytest.fixture
def policy(app, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_ROLES", frozenset({"admin", "ministry"}))


def _password(client, user):
    return client.post("/login", data={"email": user.email, "password": user.password})


def _secret(app, user_id):
    with app.app_context():
        return db.session.get(User, user_id).totp_secret


def _code(secret, steps=0):
    totp = pyotp.TOTP(secret)
    return totp.at(time.time() + steps * totp.interval)


def _allow(app, user):
    """An administrator's leave to set up the second factor (issue 22, finding 8: the password
    alone does not enrol)."""
    from safetycouncil.accounts import two_factor

    with app.app_context():
        two_factor.allow_enrolment(db.session.get(User, user.id))
        db.session.commit()


def _enrol(client, app, user):
    _allow(app, user)
    response = _password(client, user)
    assert response.status_code == 302 and response.headers["Location"].endswith("/login/two-factor/setup")
    page = client.get("/login/two-factor/setup")
    secret = _secret(app, user.id)
    html = page.get_data(as_text=True)
    assert secret in html and "otpauth://totp/" in html and "<svg" in html
    response = client.post("/login/two-factor/setup", data={"code": _code(secret)})
    assert response.status_code == 200
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", response.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def test_a_ministry_user_cannot_reach_the_national_pages_without_the_second_factor(app, client, make_user, policy):
    ministry = make_user("ministry")
    _allow(app, ministry)
    response = _password(client, ministry)
    assert response.status_code == 302 and "/login/two-factor/setup" in response.headers["Location"]
    # The password alone opens nothing.
    assert client.get("/national/").status_code == 302
    assert client.get("/account").status_code == 302
    page = client.get("/login/two-factor/setup")
    assert page.status_code == 200
    assert "otpauth://totp/" in page.get_data(as_text=True)
    assert client.get("/national/").status_code == 302


def test_enrolment_then_sign_in_with_a_code(app, make_user, policy):
    ministry = make_user("ministry")
    client = app.test_client()
    secret, codes = _enrol(client, app, ministry)
    assert client.get("/national/").status_code == 200
    with app.app_context():
        user = db.session.get(User, ministry.id)
        assert user.totp_enabled_at is not None
        assert len(user.recovery_codes.split("\n")) == 10
        assert codes[0] not in user.recovery_codes  # kept hashed
        actions = set(db.session.execute(select(AuditEntry.action)).scalars())
        assert "two_factor_enabled" in actions

    again = app.test_client()
    response = _password(again, ministry)
    assert response.headers["Location"].endswith("/login/two-factor")
    assert again.get("/national/").status_code == 302
    response = again.post("/login/two-factor", data={"code": _code(secret, 1)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/national/")
    assert again.get("/national/").status_code == 200


def test_a_wrong_code_is_refused_with_a_clear_message(app, make_user, policy):
    admin = make_user("admin", locale="en")
    client = app.test_client()
    secret, _codes = _enrol(client, app, admin)
    other = app.test_client()
    _password(other, admin)
    wrong = "000000" if _code(secret) != "000000" else "111111"
    response = other.post("/login/two-factor", data={"code": wrong})
    assert response.status_code == 401
    assert "This code is not right" in response.get_data(as_text=True)
    assert other.get("/admin/").status_code == 302


def test_a_wrong_code_at_enrolment_is_refused(app, client, make_user, policy):
    ministry = make_user("ministry", locale="en")
    _allow(app, ministry)
    _password(client, ministry)
    client.get("/login/two-factor/setup")
    response = client.post("/login/two-factor/setup", data={"code": "12345"})
    assert response.status_code == 401
    assert "This code is not right" in response.get_data(as_text=True)
    assert client.get("/national/").status_code == 302


def test_a_code_is_accepted_only_once_and_a_recovery_code_once(app, make_user, policy):
    ministry = make_user("ministry")
    secret, codes = _enrol(app.test_client(), app, ministry)
    first = app.test_client()
    _password(first, ministry)
    code = _code(secret, 1)
    assert first.post("/login/two-factor", data={"code": code}).status_code == 302
    replay = app.test_client()
    _password(replay, ministry)
    assert replay.post("/login/two-factor", data={"code": code}).status_code == 401
    assert replay.post("/login/two-factor", data={"code": codes[3].upper()}).status_code == 302
    assert replay.get("/national/").status_code == 200
    third = app.test_client()
    _password(third, ministry)
    assert third.post("/login/two-factor", data={"code": codes[3]}).status_code == 401


def test_repeated_wrong_codes_lock_the_account(app, make_user, policy):
    ministry = make_user("ministry")
    _enrol(app.test_client(), app, ministry)
    client = app.test_client()
    _password(client, ministry)
    for _ in range(app.config["LOGIN_FAILURES_BEFORE_LOCK"]):
        response = client.post("/login/two-factor", data={"code": "999999"})
    assert response.status_code == 401
    with app.app_context():
        assert db.session.get(User, ministry.id).locked_until is not None
    assert _password(app.test_client(), ministry).status_code == 401


def test_a_municipality_user_is_not_asked(app, client, make_user, policy):
    secretary = make_user("technical_secretary", municipality="elbasan")
    response = _password(client, secretary)
    assert response.status_code == 302 and "two-factor" not in response.headers["Location"]
    assert client.get("/elbasan/").status_code == 200


def test_the_api_token_needs_the_code_too(app, client, make_user, policy):
    ministry = make_user("ministry")
    body = {"email": ministry.email, "password": ministry.password}
    response = client.post("/api/v1/auth/token", json=body)
    assert response.status_code == 401 and "code" in response.get_json()["message"]
    secret, _codes = _enrol(app.test_client(), app, ministry)
    assert client.post("/api/v1/auth/token", json=body).status_code == 401
    assert client.post("/api/v1/auth/token", json={**body, "code": "000000" if _code(secret, 1) != "000000"
                                                   else "111111"}).status_code == 401
    response = client.post("/api/v1/auth/token", json={**body, "code": _code(secret, 1)})
    assert response.status_code == 201
    member = make_user("member", municipality="elbasan")
    assert client.post("/api/v1/auth/token",
                       json={"email": member.email, "password": member.password}).status_code == 201


def test_an_administrator_resets_a_lost_second_factor(app, make_user, policy, monkeypatch):
    ministry = make_user("ministry")
    _enrol(app.test_client(), app, ministry)
    admin = make_user("admin")
    monkeypatch.setitem(app.config, "TWO_FACTOR_ROLES", frozenset({"ministry"}))
    client = app.test_client()
    assert _password(client, admin).status_code == 302
    assert client.post(f"/admin/users/{ministry.id}", data={"action": "reset_two_factor"}).status_code == 302
    with app.app_context():
        assert db.session.get(User, ministry.id).totp_enabled_at is None
    response = _password(app.test_client(), ministry)
    assert response.headers["Location"].endswith("/login/two-factor/setup")


def test_a_session_without_the_second_factor_is_refused_once_the_policy_applies(app, make_user, monkeypatch):
    ministry = make_user("ministry")
    client = app.test_client()
    assert _password(client, ministry).status_code == 302  # no policy yet
    assert client.get("/national/").status_code == 200
    monkeypatch.setitem(app.config, "TWO_FACTOR_ROLES", frozenset({"ministry"}))
    assert client.get("/national/").status_code == 302


def test_the_password_alone_does_not_set_up_the_second_factor(app, client, make_user, policy, outbox, run_jobs):
    """Issue 22, finding 8: the first person with the password cannot enrol their own phone;
    the invitation's link (or an administrator's leave) is needed."""
    ministry = make_user("ministry", locale="en")
    response = _password(client, ministry)
    assert response.status_code == 401
    assert "Hapni lidhjen në e-mailin e ftesës ose kërkojini një administratori" in response.get_data(as_text=True)
    assert client.get("/login/two-factor/setup").status_code == 302
    with app.app_context():
        assert db.session.get(User, ministry.id).totp_secret is None
    # Through the invitation's link: set the password, then set up the second factor.
    with app.app_context():
        from safetycouncil.accounts import services

        services.invite(db.session.get(User, ministry.id))
    run_jobs()
    link = re.search(r"http://localhost(/account/invitation/[A-Za-z0-9_\-]+)", outbox[-1].get_content()).group(1)
    response = client.post(link, data={"password": "a-brand-new-password", "password_repeat": "a-brand-new-password"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login/two-factor/setup")
    assert client.get("/login/two-factor/setup").status_code == 200
