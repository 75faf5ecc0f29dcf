"""Issue 22, findings 4 and 7: one count of wrong second-factor codes for the web and the API;
sign-in throttling per client and per account that never tells whether an account exists."""
from __future__ import annotations

import time

import pyotp
import pytest

from safetycouncil.accounts.models import User
from safetycouncil.extensions import db

WRONG_SQ = "E-mail-i ose fjalëkalimi është i gabuar."


def client_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def sign_in(client, email, password):
    return client.post("/login", data={"email": email, "password": password})


def test_the_refusals_of_an_existing_and_an_unknown_address_are_the_same(app, make_user):
    """Art. 7 of the issue: the throttle's answer looks like a wrong password, for any address."""
    user = make_user("technical_secretary", municipality="elbasan")
    answers = {}
    for email in (user.email, "nobody.here@test.kvsp.al"):
        client = client_at(app, "127.0.0.5")
        seen = []
        for attempt in range(7):
            response = sign_in(client, email, f"wrong-password-{attempt}")
            seen.append((response.status_code, WRONG_SQ in response.get_data(as_text=True)))
        answers[email] = seen
    assert answers[user.email] == answers["nobody.here@test.kvsp.al"] == [(401, True)] * 7


def test_one_client_cannot_lock_the_owner_out(app, make_user):
    user = make_user("technical_secretary", municipality="elbasan")
    attacker = client_at(app, "127.0.0.6")
    for attempt in range(30):
        assert sign_in(attacker, user.email, f"guess-{attempt}").status_code == 401
    assert sign_in(attacker, user.email, user.password).status_code == 401  # refused unchecked
    assert sign_in(client_at(app, "127.0.0.7"), user.email, user.password).status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).locked_until is None


def test_many_clients_together_are_stopped_per_account(app, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_FAILURES", 6)
    user = make_user("technical_secretary", municipality="elbasan")
    for n in range(3):
        client = client_at(app, f"127.0.1.{n + 1}")
        for attempt in range(2):
            assert sign_in(client, user.email, f"guess-{attempt}").status_code == 401
    response = sign_in(client_at(app, "127.0.2.1"), user.email, user.password)
    assert response.status_code == 401 and WRONG_SQ in response.get_data(as_text=True)


# --- 4. the API counts wrong second-factor codes like the web --------------------------------------

@pytest.fixture
def enrolled_ministry(app, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_ROLES", frozenset({"admin", "ministry"}))
    person = make_user("ministry")
    with app.app_context():
        user = db.session.get(User, person.id)
        user.totp_secret = pyotp.random_base32()
        from safetycouncil.timeutil import utcnow

        user.totp_enabled_at = utcnow()
        db.session.commit()
        person.secret = user.totp_secret
    return person


def _wrong(secret: str) -> str:
    now = pyotp.TOTP(secret).now()
    return "000000" if now != "000000" else "111111"


def test_wrong_codes_through_the_api_lock_the_account_like_the_web(app, enrolled_ministry):
    person = enrolled_ministry
    client = app.test_client()
    body = {"email": person.email, "password": person.password}
    for _ in range(app.config["LOGIN_FAILURES_BEFORE_LOCK"] + 3):
        response = client.post("/api/v1/auth/token", json={**body, "code": _wrong(person.secret)})
        assert response.status_code == 401
    with app.app_context():
        assert db.session.get(User, person.id).locked_until is not None
    totp = pyotp.TOTP(person.secret)
    right = totp.at(time.time() + totp.interval)
    assert client.post("/api/v1/auth/token", json={**body, "code": right}).status_code == 401


def test_one_counter_for_the_web_and_the_api(app, enrolled_ministry):
    person = enrolled_ministry
    limit = app.config["LOGIN_FAILURES_BEFORE_LOCK"]
    web = app.test_client()
    web.post("/login", data={"email": person.email, "password": person.password})
    for _ in range(limit - 2):
        assert web.post("/login/two-factor", data={"code": _wrong(person.secret)}).status_code == 401
    api = app.test_client()
    body = {"email": person.email, "password": person.password}
    # the password alone (right) does not clear the count of wrong codes
    for _ in range(2):
        assert api.post("/api/v1/auth/token", json={**body, "code": _wrong(person.secret)}).status_code == 401
    with app.app_context():
        assert db.session.get(User, person.id).locked_until is not None
