"""One-time links by e-mail: invitations sent by an administrator, and password resets."""
from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select, update

from safetycouncil.accounts.models import AccountToken, User, UserSession
from safetycouncil.extensions import db
from safetycouncil.timeutil import utcnow

NEW_PASSWORD = "my-own-new-password-42"
LINK_USED_SQ = "Kjo lidhje është përdorur tashmë. Kërkoni një lidhje të re."
LINK_USED_EN = "This link has already been used. Ask for a new one."
LINK_EXPIRED_SQ = "Kjo lidhje ka skaduar. Kërkoni një lidhje të re."
LINK_INVALID_SQ = "Kjo lidhje nuk është e vlefshme. Kërkoni një lidhje të re."
TOO_SHORT_SQ = "Fjalëkalimi duhet të ketë të paktën 12 karaktere."
TOO_SHORT_EN = "The password must have at least 12 characters."
NOT_SAME_SQ = "Dy fjalëkalimet nuk përputhen."
RESET_SENT_SQ = ("Nëse ekziston një llogari me këtë adresë, i kemi dërguar asaj një lidhje për rivendosjen e "
                 "fjalëkalimit. Lidhja është e vlefshme për një kohë të shkurtër.")


def body(response) -> str:
    return response.get_data(as_text=True)


def location(response) -> str:
    return urlsplit(response.headers["Location"]).path


def is_signed_in(client) -> bool:
    response = client.get("/account")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def link_in(message, kind: str) -> str:
    """The path of the one-time link in a received e-mail."""
    match = re.search(rf"http://localhost(/account/{kind}/[A-Za-z0-9_\-]+)\s", message.get_content())
    assert match, message.get_content()
    return match.group(1)


def user_by_email(app, email):
    with app.app_context():
        user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
        if user is None:
            return None
        return {"id": user.id, "password_hash": user.password_hash, "locale": user.locale,
                "roles": sorted((r.role, r.municipality.slug if r.municipality else None) for r in user.roles)}


def expire_links(app, user_id):
    with app.app_context():
        db.session.execute(update(AccountToken).where(AccountToken.user_id == user_id)
                           .values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()


@pytest.fixture
def admin_client(app, make_user, login):
    client = app.test_client()
    login(client, make_user("admin"))
    return client


@pytest.fixture
def invite(admin_client, municipality_id, outbox, run_jobs):
    """An administrator invites a person through the admin page; returns the received e-mail."""

    def send(email="drita.hoxha@test.kvsp.al", name="Drita Hoxha", locale="sq", role="technical_secretary",
             municipality="elbasan"):
        response = admin_client.post("/admin/users/new", data={
            "name": name, "email": email, "locale": locale, "role": role,
            "municipality_id": municipality_id(municipality)})
        assert response.status_code == 302, body(response)[:500]
        assert re.fullmatch(r"/admin/users/\d+", location(response))
        run_jobs()
        received = [m for m in outbox if m["To"] == email]
        assert len(received) == 1, [m["To"] for m in outbox]
        return received[0]

    return send


# --- invitations -------------------------------------------------------------------------------

def test_an_invitation_arrives_in_albanian_with_a_one_time_link(app, invite):
    message = invite(locale="sq")
    assert message["Subject"] == ("Ftesë në platformën e Këshillave Vendorë të Sigurisë Publike / "
                                  "Invitation to the Local Public Safety Council platform")
    text = message.get_content()
    assert "Përshëndetje Drita Hoxha," in text
    assert "Ju është krijuar një llogari në platformën e Këshillave Vendorë të Sigurisë Publike." in text
    assert "72 orë" in text
    link_in(message, "invitation")
    person = user_by_email(app, "drita.hoxha@test.kvsp.al")
    assert person["password_hash"] is None
    assert person["roles"] == [("technical_secretary", "elbasan")]


def test_an_invitation_carries_albanian_first_and_english_second(invite):
    message = invite(email="john.smith@test.kvsp.al", name="John Smith", locale="en")
    assert message["Subject"].endswith(" / Invitation to the Local Public Safety Council platform")
    text = message.get_content()
    assert "Hello John Smith," in text
    assert "You have been given an account on the platform of the Local Public Safety Councils." in text
    assert text.index("Përshëndetje John Smith,") < text.index("----- English -----") < text.index("Hello John")
    link_in(message, "invitation")


def test_accepting_the_invitation_sets_the_password_signs_in_and_lands_in_the_municipality(app, invite):
    link = link_in(invite(), "invitation")
    client = app.test_client()
    page = client.get(link)
    assert page.status_code == 200
    assert "Pranoni ftesën" in body(page)
    response = client.post(link, data={"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD})
    assert response.status_code == 302
    assert location(response) == "/elbasan/"
    home = client.get("/elbasan/")
    assert home.status_code == 200
    assert "Fjalëkalimi juaj u vendos. Mirë se erdhët." in body(home)
    assert user_by_email(app, "drita.hoxha@test.kvsp.al")["password_hash"].startswith("$argon2id$")
    # The new password works from another browser.
    other = app.test_client()
    response = other.post("/login", data={"email": "drita.hoxha@test.kvsp.al", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert location(response) == "/elbasan/"


def test_an_invitation_link_works_only_once(app, invite):
    link = link_in(invite(), "invitation")
    client = app.test_client()
    assert client.post(link, data={"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD}).status_code == 302
    stored = user_by_email(app, "drita.hoxha@test.kvsp.al")["password_hash"]

    again = app.test_client()
    response = again.get(link)
    assert response.status_code == 410
    assert LINK_USED_SQ in body(response)
    assert 'name="password"' not in body(response)
    other_password = "somebody-elses-password"
    response = again.post(link, data={"password": other_password, "password_repeat": other_password})
    assert response.status_code == 410
    assert LINK_USED_SQ in body(response)
    assert not is_signed_in(again)
    assert user_by_email(app, "drita.hoxha@test.kvsp.al")["password_hash"] == stored
    again.post("/language/en")
    response = again.get(link)
    assert response.status_code == 410
    assert LINK_USED_EN in body(response)


def test_an_expired_invitation_link_is_refused(app, invite):
    link = link_in(invite(), "invitation")
    person = user_by_email(app, "drita.hoxha@test.kvsp.al")
    expire_links(app, person["id"])
    client = app.test_client()
    response = client.get(link)
    assert response.status_code == 410
    assert LINK_EXPIRED_SQ in body(response)
    response = client.post(link, data={"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD})
    assert response.status_code == 410
    assert LINK_EXPIRED_SQ in body(response)
    assert user_by_email(app, "drita.hoxha@test.kvsp.al")["password_hash"] is None
    assert not is_signed_in(client)


def test_an_invitation_link_of_a_disabled_account_is_refused(app, admin_client, invite):
    link = link_in(invite(), "invitation")
    person = user_by_email(app, "drita.hoxha@test.kvsp.al")
    assert admin_client.post(f"/admin/users/{person['id']}", data={"action": "disable"}).status_code == 302
    client = app.test_client()
    for response in (client.get(link),
                     client.post(link, data={"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD})):
        assert response.status_code == 410
        assert "Kjo llogari është çaktivizuar. Drejtojuni administratorit tuaj." in body(response)
    assert user_by_email(app, "drita.hoxha@test.kvsp.al")["password_hash"] is None
    with app.app_context():
        assert db.session.execute(select(UserSession).where(UserSession.user_id == person["id"])).first() is None


def test_a_made_up_link_is_refused(client):
    for path in ("/account/invitation/not-a-real-token", "/account/reset/not-a-real-token"):
        response = client.get(path)
        assert response.status_code == 410
        assert LINK_INVALID_SQ in body(response)


def test_a_reset_link_does_not_open_the_invitation_page(app, client, make_user, outbox, run_jobs):
    user = make_user("technical_secretary", municipality="elbasan")
    client.post("/account/reset", data={"email": user.email})
    run_jobs()
    token = link_in(outbox[0], "reset").rsplit("/", 1)[1]
    response = client.get(f"/account/invitation/{token}")
    assert response.status_code == 410
    assert LINK_INVALID_SQ in body(response)


@pytest.mark.parametrize("password, repeat, message", [
    ("short-one", "short-one", TOO_SHORT_SQ),
    ("", "", TOO_SHORT_SQ),
    (NEW_PASSWORD, NEW_PASSWORD + "x", NOT_SAME_SQ),
    (NEW_PASSWORD, "", NOT_SAME_SQ),
])
def test_a_short_or_mismatched_password_is_refused_and_nothing_changes(app, invite, password, repeat, message):
    link = link_in(invite(), "invitation")
    client = app.test_client()
    response = client.post(link, data={"password": password, "password_repeat": repeat})
    assert response.status_code == 422
    assert message in body(response)
    assert 'name="password"' in body(response)  # the form is shown again
    assert user_by_email(app, "drita.hoxha@test.kvsp.al")["password_hash"] is None
    assert not is_signed_in(client)
    # The link was not used up: it still works.
    response = client.post(link, data={"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD})
    assert response.status_code == 302
    assert location(response) == "/elbasan/"


def test_the_password_message_is_in_english_in_an_english_session(app, invite):
    link = link_in(invite(), "invitation")
    client = app.test_client()
    client.post("/language/en")
    response = client.post(link, data={"password": "short", "password_repeat": "short"})
    assert response.status_code == 422
    assert TOO_SHORT_EN in body(response)


def test_a_new_invitation_replaces_the_earlier_link(app, admin_client, invite, outbox, run_jobs):
    first = link_in(invite(), "invitation")
    person = user_by_email(app, "drita.hoxha@test.kvsp.al")
    outbox.clear()
    response = admin_client.post(f"/admin/users/{person['id']}", data={"action": "reinvite"})
    assert response.status_code == 302
    run_jobs()
    assert len(outbox) == 1
    second = link_in(outbox[0], "invitation")
    assert second != first
    client = app.test_client()
    assert client.get(first).status_code == 410
    response = client.post(second, data={"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD})
    assert response.status_code == 302


def test_inviting_an_existing_email_is_refused_and_sends_nothing(admin_client, make_user, municipality_id, outbox,
                                                                  run_jobs):
    existing = make_user("member", municipality="fier")
    response = admin_client.post("/admin/users/new", data={
        "name": "Someone", "email": existing.email.upper(), "locale": "sq", "role": "technical_secretary",
        "municipality_id": municipality_id("elbasan")})
    assert response.status_code == 422
    assert "Ekziston tashmë një llogari me këtë adresë e-mail." in body(response)
    run_jobs()
    assert outbox == []


def test_only_an_administrator_can_invite(app, make_user, login, municipality_id, outbox, run_jobs):
    client = app.test_client()
    login(client, make_user("technical_secretary", municipality="elbasan"))
    response = client.post("/admin/users/new", data={
        "name": "Intruder", "email": "intruder@test.kvsp.al", "locale": "sq", "role": "technical_secretary",
        "municipality_id": municipality_id("elbasan")})
    assert response.status_code == 403
    run_jobs()
    assert outbox == []
    assert user_by_email(app, "intruder@test.kvsp.al") is None


# --- password resets ---------------------------------------------------------------------------

def test_a_reset_request_for_an_existing_email_sends_a_link(app, client, make_user, outbox, run_jobs):
    user = make_user("technical_secretary", municipality="elbasan")
    response = client.post("/account/reset", data={"email": user.email})
    assert response.status_code == 200
    assert RESET_SENT_SQ in body(response)
    run_jobs()
    assert len(outbox) == 1
    message = outbox[0]
    assert message["To"] == user.email
    assert message["Subject"] == "Rivendosni fjalëkalimin tuaj / Reset your password"
    assert "Dikush ka kërkuar rivendosjen e fjalëkalimit të llogarisë suaj." in message.get_content()
    assert "2 orë" in message.get_content()
    link_in(message, "reset")


def test_a_reset_mail_carries_albanian_first_and_english_second(client, make_user, outbox, run_jobs):
    user = make_user("technical_secretary", municipality="elbasan", locale="en")
    client.post("/account/reset", data={"email": user.email})
    run_jobs()
    assert len(outbox) == 1
    assert outbox[0]["Subject"] == "Rivendosni fjalëkalimin tuaj / Reset your password"
    text = outbox[0].get_content()
    assert text.index("Dikush ka kërkuar") < text.index("Someone asked to reset the password of your account.")


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"', "", html)


def test_a_reset_request_for_an_unknown_email_shows_the_same_page_and_sends_nothing(
        app, make_user, outbox, run_jobs):
    user = make_user("technical_secretary", municipality="elbasan")
    disabled = make_user("member", municipality="fier", active=False)
    known = app.test_client().post("/account/reset", data={"email": user.email})
    run_jobs()
    assert len(outbox) == 1
    outbox.clear()
    for email in ("nobody@test.kvsp.al", disabled.email):
        unknown = app.test_client().post("/account/reset", data={"email": email})
        assert unknown.status_code == known.status_code == 200
        assert RESET_SENT_SQ in body(unknown)
        assert _without_csrf(body(unknown)) == _without_csrf(body(known))
    assert run_jobs() == 0
    assert outbox == []


def test_the_reset_link_sets_a_new_password_and_ends_other_sessions(app, make_user, login, api_token, outbox,
                                                                    run_jobs):
    user = make_user("technical_secretary", municipality="elbasan")
    elsewhere = app.test_client()
    login(elsewhere, user)
    headers = api_token(user)
    assert elsewhere.get("/api/v1/me", headers=headers).status_code == 200

    client = app.test_client()
    client.post("/account/reset", data={"email": user.email})
    run_jobs()
    link = link_in(outbox[0], "reset")
    page = client.get(link)
    assert page.status_code == 200
    assert "Rivendosni fjalëkalimin tuaj" in body(page)
    response = client.post(link, data={"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD})
    assert response.status_code == 302
    assert location(response) == "/elbasan/"
    assert is_signed_in(client)

    assert not is_signed_in(elsewhere)
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    fresh = app.test_client()
    assert fresh.post("/login", data={"email": user.email, "password": user.password}).status_code == 401
    assert fresh.post("/login", data={"email": user.email, "password": NEW_PASSWORD}).status_code == 302
    # And the link is spent.
    response = app.test_client().get(link)
    assert response.status_code == 410
    assert LINK_USED_SQ in body(response)


def test_a_reset_unlocks_a_locked_account(app, make_user, outbox, run_jobs):
    user = make_user("technical_secretary", municipality="elbasan")
    client = app.test_client()
    for _ in range(app.config["LOGIN_FAILURES_BEFORE_LOCK"]):
        client.post("/login", data={"email": user.email, "password": "wrong-password-typed"})
    assert client.post("/login", data={"email": user.email, "password": user.password}).status_code == 401
    client.post("/account/reset", data={"email": user.email})
    run_jobs()
    link = link_in(outbox[0], "reset")
    assert client.post(link, data={"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD}).status_code == 302
    assert app.test_client().post("/login", data={"email": user.email, "password": NEW_PASSWORD}).status_code == 302


def test_an_expired_reset_link_is_refused(app, client, make_user, outbox, run_jobs):
    user = make_user("technical_secretary", municipality="elbasan")
    client.post("/account/reset", data={"email": user.email})
    run_jobs()
    link = link_in(outbox[0], "reset")
    expire_links(app, user.id)
    response = client.post(link, data={"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD})
    assert response.status_code == 410
    assert LINK_EXPIRED_SQ in body(response)
    assert app.test_client().post("/login", data={"email": user.email, "password": NEW_PASSWORD}).status_code == 401


def test_a_second_reset_request_replaces_the_first_link(app, client, make_user, outbox, run_jobs):
    user = make_user("technical_secretary", municipality="elbasan")
    client.post("/account/reset", data={"email": user.email})
    client.post("/account/reset", data={"email": user.email})
    run_jobs()
    assert len(outbox) == 2
    first, second = link_in(outbox[0], "reset"), link_in(outbox[1], "reset")
    assert app.test_client().get(first).status_code == 410
    assert app.test_client().get(second).status_code == 200
