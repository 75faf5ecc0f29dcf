"""Signing in on the web: landing pages, refusals, locks, rate limits, server-side sessions, CSRF."""
from __future__ import annotations

import logging
import re
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select, update

from safetycouncil.accounts.models import User, UserSession
from safetycouncil.audit.models import AuditEntry
from safetycouncil.extensions import db

WRONG_SQ = "E-mail-i ose fjalëkalimi është i gabuar."
WRONG_EN = "The e-mail or the password is wrong."
DISABLED_SQ = "Kjo llogari është çaktivizuar. Drejtojuni administratorit tuaj."
DISABLED_EN = "This account is disabled. Ask your administrator."
TOO_MANY_SQ = "Keni bërë shumë përpjekje. Prisni një minutë dhe provoni përsëri."
TOO_MANY_EN = "Too many attempts. Wait a minute and try again."
FORM_EXPIRED_SQ = "Formulari ka skaduar. Ringarkoni faqen dhe provoni përsëri."
FORM_EXPIRED_EN = "The form expired. Reload the page and try again."
COOKIE = "kvsp_session"


def body(response) -> str:
    return response.get_data(as_text=True)


def location(response) -> str:
    """The path (and query) a redirect points to, whether or not the header is absolute."""
    parts = urlsplit(response.headers["Location"])
    return parts.path + (f"?{parts.query}" if parts.query else "")


def browser_target(header: str, base: str = "http://localhost/login") -> str:
    """Where a browser goes with this Location header: like the WHATWG URL parser, it drops tabs and
    newlines and reads a backslash as a slash before resolving against the current page."""
    cleaned = re.sub(r"[\t\n\r]", "", header).replace("\\", "/")
    return urljoin(base, cleaned)


def post_login(client, email, password, **kwargs):
    return client.post("/login", data={"email": email, "password": password}, **kwargs)


def set_user(app, user_id, **values):
    with app.app_context():
        db.session.execute(update(User).where(User.id == user_id).values(**values))
        db.session.commit()


def get_user(app, user_id, *columns):
    with app.app_context():
        row = db.session.execute(select(*(getattr(User, c) for c in columns)).where(User.id == user_id)).one()
        return row if len(columns) > 1 else row[0]


def is_signed_in(client) -> bool:
    response = client.get("/account")
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and location(response).startswith("/login"), response.status_code
    return False


@pytest.fixture
def other_app(base_config, app):
    """Another application on the same (already migrated) database, with some settings changed."""
    from safetycouncil.app import create_app

    made = []

    def make(**overrides):
        application = create_app({**base_config, **overrides})
        made.append(application)
        return application

    yield make
    for application in made:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


# --- where people land ---------------------------------------------------------------------

@pytest.mark.parametrize("grants, landing", [
    (("technical_secretary", "elbasan", None), "/elbasan/"),
    (("chair", "fier", None), "/fier/"),
    (("ministry", None, None), "/national/"),
    (("admin", None, None), "/national/"),
    (("prefecture", None, "elbasan"), "/prefecture/elbasan/"),
])
def test_right_password_lands_on_the_page_for_the_role(client, make_user, grants, landing):
    user = make_user(grants)
    response = post_login(client, user.email, user.password)
    assert response.status_code == 302
    assert location(response) == landing
    assert client.get(landing).status_code == 200


def test_roles_in_two_municipalities_land_on_the_account_page(client, make_user):
    user = make_user(("technical_secretary", "elbasan", None), ("member", "fier", None))
    response = post_login(client, user.email, user.password)
    assert response.status_code == 302
    assert location(response) == "/account"
    page = client.get("/account")
    assert page.status_code == 200
    assert "/elbasan/" in body(page) and "/fier/" in body(page)


def test_the_email_is_matched_whatever_its_case_and_spaces(client, make_user):
    user = make_user("technical_secretary", municipality="elbasan")
    response = post_login(client, f"  {user.email.upper()} ", user.password)
    assert response.status_code == 302
    assert location(response) == "/elbasan/"


def test_signed_in_person_opening_login_goes_to_their_landing_page(client, make_user, login):
    user = make_user("technical_secretary", municipality="elbasan")
    login(client, user)
    response = client.get("/login")
    assert response.status_code == 302
    assert location(response) == "/elbasan/"


# --- refusals ------------------------------------------------------------------------------

def test_wrong_password_and_unknown_email_get_the_same_clear_message(client, make_user):
    user = make_user("technical_secretary", municipality="elbasan")
    wrong = post_login(client, user.email, "not-the-password-at-all")
    unknown = post_login(client, "nobody@test.kvsp.al", user.password)
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert WRONG_SQ in body(response)
        assert 'lang="sq"' in body(response)
    assert not is_signed_in(client)
    # The e-mail typed is kept in the form; the password is never echoed back.
    assert user.email in body(wrong)
    assert user.password not in body(unknown)


def test_the_refusal_is_in_english_when_the_session_language_is_english(client, make_user):
    user = make_user("technical_secretary", municipality="elbasan")
    assert client.post("/language/en").status_code == 302
    for response in (post_login(client, user.email, "not-the-password-at-all"),
                     post_login(client, "nobody@test.kvsp.al", "whatever-password")):
        assert response.status_code == 401
        assert WRONG_EN in body(response)
        assert WRONG_SQ not in body(response)


def test_empty_form_is_refused_not_an_error(client):
    response = client.post("/login", data={})
    assert response.status_code == 401
    assert WRONG_SQ in body(response)


def test_a_disabled_account_cannot_sign_in(client, make_user):
    user = make_user("technical_secretary", municipality="elbasan", active=False)
    response = post_login(client, user.email, user.password)
    assert response.status_code == 401
    assert DISABLED_SQ in body(response)
    assert not is_signed_in(client)
    client.post("/language/en")
    response = post_login(client, user.email, user.password)
    assert response.status_code == 401
    assert DISABLED_EN in body(response)


def test_disabling_an_account_ends_its_open_sessions(app, client, make_user, login):
    from safetycouncil.accounts import services

    user = make_user("technical_secretary", municipality="elbasan")
    login(client, user)
    assert is_signed_in(client)
    with app.app_context():
        services.set_active(db.session.get(User, user.id), False)
        db.session.commit()
    assert not is_signed_in(client)


# --- lock after repeated failures ------------------------------------------------------------

def test_repeated_wrong_passwords_stop_that_client_not_the_account(app, client, make_user):
    """Issue 22, finding 7: after 5 wrong passwords this client's attempts at the address are
    refused (as a wrong password: nothing says the account exists or is locked); the account
    itself is not locked, and its owner signs in from elsewhere."""
    assert app.config["LOGIN_FAILURES_BEFORE_LOCK"] == 5
    user = make_user("technical_secretary", municipality="elbasan")
    for attempt in range(1, 6):
        response = post_login(client, user.email, f"wrong-password-{attempt}")
        assert response.status_code == 401
        assert WRONG_SQ in body(response), attempt
    response = post_login(client, user.email, user.password)
    assert response.status_code == 401
    assert WRONG_SQ in body(response)
    assert "bllokuar" not in body(response)
    assert not is_signed_in(client)
    assert get_user(app, user.id, "locked_until") is None
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "127.0.0.9"
    response = post_login(elsewhere, user.email, user.password)
    assert response.status_code == 302
    assert location(response) == "/elbasan/"


def test_a_successful_sign_in_resets_the_failure_count(app, client, make_user):
    user = make_user("technical_secretary", municipality="elbasan")
    for _ in range(4):
        assert post_login(client, user.email, "wrong-password-again").status_code == 401
    assert post_login(client, user.email, user.password).status_code == 302
    other = app.test_client()
    for _ in range(4):
        assert post_login(other, user.email, "wrong-password-again").status_code == 401
    assert post_login(other, user.email, user.password).status_code == 302
    assert get_user(app, user.id, "locked_until") is None


# --- rate limit ------------------------------------------------------------------------------

def test_too_many_sign_in_attempts_from_one_address_get_a_clear_429(other_app, make_user):
    limited = other_app(LOGIN_RATE_LIMIT="3 per minute")
    client = limited.test_client()
    user = make_user("technical_secretary", municipality="elbasan")
    for _ in range(3):
        assert post_login(client, user.email, "wrong-password-here").status_code == 401
    response = post_login(client, user.email, user.password)
    assert response.status_code == 429
    assert TOO_MANY_SQ in body(response)
    assert response.mimetype == "text/html"
    assert not is_signed_in(client)
    client.post("/language/en")
    response = post_login(client, user.email, user.password)
    assert response.status_code == 429
    assert TOO_MANY_EN in body(response)
    # Showing the form is not limited.
    assert client.get("/login").status_code == 200


# --- server-side sessions --------------------------------------------------------------------

def test_after_logout_the_old_session_cookie_no_longer_works(app, client, make_user, login):
    user = make_user("technical_secretary", municipality="elbasan")
    login(client, user)
    assert client.get("/elbasan/").status_code == 200
    stolen = client.get_cookie(COOKIE).value

    response = client.post("/logout")
    assert response.status_code == 302
    assert location(response) == "/login"
    assert "Keni dalë nga llogaria." in body(client.get("/login"))

    replay = app.test_client()
    replay.set_cookie(COOKIE, stolen)
    response = replay.get("/elbasan/people")  # (/elbasan/ itself shows a visitor the public page)
    assert response.status_code == 302
    assert location(response).startswith("/login")
    assert replay.get("/account").status_code == 302


def test_the_session_cookie_works_until_logout(app, client, make_user, login):
    """The replay test above is not vacuous: the same copied cookie works while the session is open."""
    user = make_user("technical_secretary", municipality="elbasan")
    login(client, user)
    copy = app.test_client()
    copy.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    assert copy.get("/elbasan/").status_code == 200


def test_each_sign_in_is_a_session_row_and_logout_revokes_only_its_own(app, make_user, login):
    user = make_user("technical_secretary", municipality="elbasan")
    first, second = app.test_client(), app.test_client()
    login(first, user)
    login(second, user)
    first.post("/logout")
    assert not is_signed_in(first)
    assert is_signed_in(second)
    with app.app_context():
        rows = db.session.execute(select(UserSession).where(UserSession.user_id == user.id)).scalars().all()
        assert len(rows) == 2
        assert sum(r.revoked_at is not None for r in rows) == 1
        # Only a hash of the session token is kept.
        assert all(re.fullmatch(r"[0-9a-f]{64}", r.token_hash) for r in rows)


def test_a_password_change_ends_the_other_sessions(app, make_user, login):
    user = make_user("technical_secretary", municipality="elbasan")
    here, elsewhere = app.test_client(), app.test_client()
    login(here, user)
    login(elsewhere, user)
    new_password = "a-brand-new-password-2026"
    response = here.post("/account", data={"current_password": user.password, "new_password": new_password})
    assert response.status_code == 302
    assert location(response) == "/account"
    assert "Fjalëkalimi juaj u ndryshua. Seancat e tjera u mbyllën." in body(here.get("/account"))
    assert is_signed_in(here)
    assert not is_signed_in(elsewhere)
    fresh = app.test_client()
    assert post_login(fresh, user.email, user.password).status_code == 401
    assert post_login(fresh, user.email, new_password).status_code == 302


def test_a_password_change_needs_the_current_password_and_a_long_new_one(app, client, make_user, login):
    user = make_user("technical_secretary", municipality="elbasan")
    login(client, user)
    before = get_user(app, user.id, "password_hash")
    response = client.post("/account", data={"current_password": "not-my-password", "new_password": "x" * 20})
    assert response.status_code == 422
    assert "Fjalëkalimi aktual është i gabuar." in body(response)
    response = client.post("/account", data={"current_password": user.password, "new_password": "short"})
    assert response.status_code == 422
    assert "Fjalëkalimi duhet të ketë të paktën 12 karaktere." in body(response)
    assert get_user(app, user.id, "password_hash") == before
    assert is_signed_in(client)


def test_the_session_cookie_is_httponly_and_samesite_lax(client, make_user):
    user = make_user("technical_secretary", municipality="elbasan")
    response = post_login(client, user.email, user.password)
    assert response.status_code == 302
    cookies = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{COOKIE}=")]
    assert cookies, response.headers.getlist("Set-Cookie")
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in cookies[-1].split(";")[1:]}
    assert "httponly" in attributes
    assert attributes.get("samesite", "").lower() == "samesite=lax"
    cookie = client.get_cookie(COOKIE)
    assert cookie.http_only and cookie.same_site == "Lax"


# --- CSRF --------------------------------------------------------------------------------------

def test_csrf_is_enforced_on_sign_in_with_a_clear_400(other_app, make_user):
    protected = other_app(WTF_CSRF_ENABLED=True)
    client = protected.test_client()
    user = make_user("technical_secretary", municipality="elbasan")

    response = post_login(client, user.email, user.password)
    assert response.status_code == 400
    assert FORM_EXPIRED_SQ in body(response)
    assert not is_signed_in(client)

    response = client.post("/login", data={"email": user.email, "password": user.password, "csrf_token": "forged"})
    assert response.status_code == 400
    assert FORM_EXPIRED_SQ in body(response)

    # With the token from the form, the same request goes through.
    form = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', body(form)).group(1)
    response = client.post("/login", data={"email": user.email, "password": user.password, "csrf_token": token})
    assert response.status_code == 302
    assert location(response) == "/elbasan/"
    # Signing out needs the token too.
    assert client.post("/logout").status_code == 400
    assert is_signed_in(client)


def test_signing_in_starts_a_fresh_session(other_app, make_user):
    """Nothing from before the sign-in carries over: a CSRF token picked up while signed out
    (say, planted by someone else) stops working once the person signs in."""
    protected = other_app(WTF_CSRF_ENABLED=True)
    client = protected.test_client()
    user = make_user("technical_secretary", municipality="elbasan")
    before = re.search(r'name="csrf_token" value="([^"]+)"', body(client.get("/login"))).group(1)
    response = client.post("/login", data={"email": user.email, "password": user.password, "csrf_token": before})
    assert response.status_code == 302
    assert client.post("/logout", data={"csrf_token": before}).status_code == 400
    assert is_signed_in(client)
    after = re.search(r'name="csrf_token" value="([^"]+)"', body(client.get("/account"))).group(1)
    assert client.post("/logout", data={"csrf_token": after}).status_code == 302
    assert not is_signed_in(client)


def test_the_csrf_message_is_translated(other_app):
    protected = other_app(WTF_CSRF_ENABLED=True)
    client = protected.test_client()
    form = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', body(form)).group(1)
    assert client.post("/language/en", data={"csrf_token": token}).status_code == 302
    response = post_login(client, "someone@test.kvsp.al", "whatever-password")
    assert response.status_code == 400
    assert FORM_EXPIRED_EN in body(response)


def test_the_api_is_not_blocked_by_csrf(other_app, make_user):
    protected = other_app(WTF_CSRF_ENABLED=True)
    user = make_user("technical_secretary", municipality="elbasan")
    response = protected.test_client().post("/api/v1/auth/token",
                                            json={"email": user.email, "password": user.password})
    assert response.status_code == 201


# --- how passwords are kept ------------------------------------------------------------------

def test_passwords_are_argon2id_hashes_and_never_written_anywhere(app, client, make_user, login, outbox, run_jobs,
                                                                   caplog):
    caplog.set_level(logging.DEBUG)
    user = make_user("technical_secretary", municipality="elbasan")
    login(client, user)
    wrong_password = "a-wrong-password-typed-by-mistake"
    new_password = "the-new-secret-password-77"
    reset_password = "the-reset-secret-password-88"
    assert post_login(app.test_client(), user.email, wrong_password).status_code == 401
    assert client.post("/account", data={"current_password": user.password,
                                         "new_password": new_password}).status_code == 302
    stored = get_user(app, user.id, "password_hash")
    assert stored.startswith("$argon2id$")
    assert new_password not in stored

    # A password reset by e-mail, the mail included in what is checked.
    anonymous = app.test_client()
    assert anonymous.post("/account/reset", data={"email": user.email}).status_code == 200
    run_jobs()
    assert len(outbox) == 1
    link = re.search(r"http://localhost(/account/reset/\S+)", outbox[0].get_content()).group(1)
    response = anonymous.post(link, data={"password": reset_password, "password_repeat": reset_password})
    assert response.status_code == 302
    stored = get_user(app, user.id, "password_hash")
    assert stored.startswith("$argon2id$")

    secrets = (user.password, wrong_password, new_password, reset_password)
    with app.app_context():
        entries = db.session.execute(select(AuditEntry)).scalars().all()
        trail = repr([(e.action, e.entity_type, e.entity_id, e.changes) for e in entries])
    assert any(e.action == "update" and e.entity_type == "User" for e in entries), trail
    assert "password_hash" not in trail
    mails = "".join(m.as_string() for m in outbox)
    for secret in secrets:
        assert secret not in trail
        assert secret not in mails
        assert secret not in caplog.text


# --- where a sign-in may send people -----------------------------------------------------------

def test_next_sends_to_a_local_page(client, make_user):
    user = make_user("technical_secretary", municipality="elbasan")
    response = client.post("/login?next=/elbasan/areas/", data={"email": user.email, "password": user.password})
    assert response.status_code == 302
    assert location(response) == "/elbasan/areas/"


def test_a_protected_page_asks_for_sign_in_then_returns_there(client, make_user):
    user = make_user("technical_secretary", municipality="elbasan")
    response = client.get("/elbasan/areas/")
    assert response.status_code == 302
    login_url = location(response)
    assert login_url.startswith("/login?next=")
    response = client.post(login_url, data={"email": user.email, "password": user.password})
    assert location(response) == "/elbasan/areas/"


@pytest.mark.parametrize("target", [
    "https://evil.example/steal",
    "http://evil.example",
    "HTTPS://evil.example",
    "https:evil.example",
    "//evil.example/steal",
    "/\\evil.example/steal",
    "\\\\evil.example",
    "/\t/evil.example",
    "javascript:alert(1)",
    "elbasan/",
])
def test_next_to_another_host_is_ignored(client, make_user, target):
    user = make_user("technical_secretary", municipality="elbasan")
    response = client.post("/login", query_string={"next": target},
                           data={"email": user.email, "password": user.password})
    assert response.status_code == 302
    went_to = urlsplit(browser_target(response.headers["Location"]))
    assert (went_to.scheme, went_to.netloc) == ("http", "localhost"), response.headers["Location"]
    if "evil" not in went_to.path:
        # Not merely made harmless by encoding: the target was dropped for the landing page.
        assert went_to.path == "/elbasan/"
