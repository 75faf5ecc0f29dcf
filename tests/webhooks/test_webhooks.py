"""Webhooks, against a real HTTP receiver started by the tests: a council's administrators and the Ministry
subscribe; events are delivered signed (HMAC-SHA256 over `timestamp.body`), with an id to deduplicate by;
a failed delivery is retried with back-off, can be replayed by hand, and repeated failures disable the
subscription; addresses that are not public HTTPS are refused when subscribing and when delivering; another
municipality's people see none of it."""
from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest

from safetycouncil.webhooks.services import verify


def _subscribe(client, headers, url, events=("meeting.scheduled", "meeting.changed"), slug="elbasan"):
    response = client.post(f"/api/v1/municipalities/{slug}/webhooks", headers=headers,
                           json={"url": url, "event_types": list(events), "description": "Faqja e bashkisë"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _log(client, headers, subscription_id, slug="elbasan"):
    response = client.get(f"/api/v1/municipalities/{slug}/webhooks/{subscription_id}/deliveries", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.fixture
def secretary(make_user, api_token):
    user = make_user("technical_secretary", municipality="elbasan")
    return user, api_token(user)


def test_a_receiver_gets_each_event_signed_verifies_it_and_deduplicates_a_replay(
        app, client, secretary, receiver, loopback, schedule_meeting, run_jobs):
    _, headers = secretary
    created = _subscribe(client, headers, receiver.url)
    secret = created["secret"]
    assert secret.startswith("whsec_")
    # the secret is shown once: never in a later answer
    again = client.get(f"/api/v1/municipalities/elbasan/webhooks/{created['id']}", headers=headers).get_json()
    assert "secret" not in again and "secret_encrypted" not in again

    meeting_id = schedule_meeting("elbasan")

    assert len(receiver.requests) == 1
    got = receiver.requests[0]
    assert got.path == "/kvsp/events"
    assert verify(secret, got.headers["X-KVSP-Timestamp"], got.body, got.headers["X-KVSP-Signature"])
    assert not verify(secret, got.headers["X-KVSP-Timestamp"], got.body + b" ", got.headers["X-KVSP-Signature"])
    assert not verify("whsec_other", got.headers["X-KVSP-Timestamp"], got.body, got.headers["X-KVSP-Signature"])
    # a captured delivery replayed later is refused by its timestamp
    assert not verify(secret, got.headers["X-KVSP-Timestamp"], got.body, got.headers["X-KVSP-Signature"],
                      now=time.time() + 3600)
    body = got.json
    assert body["type"] == "meeting.scheduled" and got.headers["X-KVSP-Event"] == "meeting.scheduled"
    assert body["id"] == got.headers["X-KVSP-Event-Id"]
    assert body["occurred_at"].endswith("Z")
    assert body["municipality"]["slug"] == "elbasan"
    assert body["data"]["meeting_id"] == meeting_id and body["data"]["starts_at"].endswith(("+01:00", "+02:00"))

    [delivery] = _log(client, headers, created["id"])
    assert delivery["status"] == "delivered" and delivery["event_id"] == body["id"]
    assert delivery["attempt_log"][0]["status_code"] == 200 and delivery["attempt_log"][0]["ok"] is True

    # replay by hand: the same event id again; the receiver deduplicates by it
    response = client.post(f"/api/v1/municipalities/elbasan/webhooks/{created['id']}/deliveries/"
                           f"{delivery['id']}/replay", headers=headers)
    assert response.status_code == 202, response.get_json()
    run_jobs()
    assert len(receiver.requests) == 2
    seen = {r.json["id"] for r in receiver.requests}
    assert seen == {body["id"]}
    [delivery] = _log(client, headers, created["id"])
    assert delivery["attempts"] == 2 and delivery["attempt_log"][1]["manual"] is True

    # a rotated secret signs what follows; the old one no longer verifies
    rotated = client.post(f"/api/v1/municipalities/elbasan/webhooks/{created['id']}/secret", headers=headers)
    assert rotated.status_code == 201
    new_secret = rotated.get_json()["secret"]
    schedule_meeting("elbasan", days=40)
    last = receiver.requests[-1]
    assert verify(new_secret, last.headers["X-KVSP-Timestamp"], last.body, last.headers["X-KVSP-Signature"])
    assert not verify(secret, last.headers["X-KVSP-Timestamp"], last.body, last.headers["X-KVSP-Signature"])


def test_a_failed_delivery_is_retried_with_back_off_and_succeeds(
        app, client, secretary, receiver, loopback, schedule_meeting, run_jobs):
    from safetycouncil.extensions import db
    from safetycouncil.timeutil import utcnow
    from safetycouncil.webhooks import services

    _, headers = secretary
    created = _subscribe(client, headers, receiver.url)
    receiver.statuses = [500]
    schedule_meeting("elbasan")
    [delivery] = _log(client, headers, created["id"])
    assert delivery["status"] == "retrying"
    assert delivery["attempt_log"][0]["status_code"] == 500 and delivery["attempt_log"][0]["ok"] is False
    assert "500" in delivery["last_error"]
    assert delivery["next_attempt_at"].endswith("Z")

    with app.app_context():
        assert services.deliver_due() == 0          # not due yet (back-off)
        db.session.remove()
        assert services.deliver_due(now=utcnow() + timedelta(minutes=5)) == 1
        db.session.remove()
    run_jobs()
    [delivery] = _log(client, headers, created["id"])
    assert delivery["status"] == "delivered" and delivery["attempts"] == 2
    assert [a["status_code"] for a in delivery["attempt_log"]] == [500, 200]
    assert [r.json["id"] for r in receiver.requests] == [delivery["event_id"]] * 2
    # the retried delivery carries a fresh timestamp, correctly signed
    assert receiver.requests[1].headers["X-KVSP-Signature"] != receiver.requests[0].headers["X-KVSP-Signature"] \
        or receiver.requests[1].headers["X-KVSP-Timestamp"] == receiver.requests[0].headers["X-KVSP-Timestamp"]
    sub = client.get(f"/api/v1/municipalities/elbasan/webhooks/{created['id']}", headers=headers).get_json()
    assert sub["consecutive_failures"] == 0 and sub["active"] is True


def test_repeated_failures_disable_the_subscription_with_a_notice(
        app, client, secretary, receiver, loopback, schedule_meeting, login, monkeypatch):
    user, headers = secretary
    monkeypatch.setitem(app.config, "WEBHOOKS_DISABLE_AFTER", 2)
    created = _subscribe(client, headers, receiver.url)
    receiver.default_status = 503
    schedule_meeting("elbasan", days=20)
    schedule_meeting("elbasan", days=21)
    schedule_meeting("elbasan", days=22)   # nothing is sent to a disabled subscription
    assert len(receiver.requests) == 2
    sub = client.get(f"/api/v1/municipalities/elbasan/webhooks/{created['id']}", headers=headers).get_json()
    assert sub["active"] is False and sub["disabled_reason"] and sub["disabled_at"].endswith("Z")
    assert {d["status"] for d in _log(client, headers, created["id"])} == {"failed", "retrying"}
    page = app.test_client()
    login(page, user)
    html = page.get(f"/elbasan/webhooks/{created['id']}").get_data(as_text=True)
    assert "Ky webhook është çaktivizuar: nuk i dërgohet asgjë." in html
    # enabled again: failures reset, deliveries go again
    response = client.patch(f"/api/v1/municipalities/elbasan/webhooks/{created['id']}", headers=headers,
                            json={"active": True})
    assert response.status_code == 200 and response.get_json()["consecutive_failures"] == 0


@pytest.mark.parametrize("url", [
    "http://hooks.example.org/x",          # not https
    "https://127.0.0.1/x", "https://localhost/x", "https://[::1]/x",   # loopback
    "https://10.1.2.3/x", "https://192.168.0.10/x", "https://172.16.5.4/x",   # private
    "https://169.254.169.254/latest/meta-data",   # link-local (cloud metadata)
    "https://[fd00::1]/x", "https://0.0.0.0/x", "https://user:pw@hooks.example.org/x", "ftp://x.example/",
])
def test_addresses_that_are_not_public_https_are_refused(client, secretary, url):
    _, headers = secretary
    response = client.post("/api/v1/municipalities/elbasan/webhooks", headers=headers,
                           json={"url": url, "event_types": ["meeting.scheduled"]})
    assert response.status_code == 422, response.get_json()
    assert "url" in response.get_json()["errors"]


def test_the_platforms_own_network_is_refused(app, client, secretary, monkeypatch):
    from safetycouncil.webhooks import services

    _, headers = secretary
    monkeypatch.setitem(app.config, "WEBHOOKS_BLOCKED_NETWORKS", ["93.184.0.0/16"])
    monkeypatch.setattr(services.socket, "getaddrinfo",
                        lambda host, port, **kw: [(2, 1, 6, "", ("93.184.215.14", port))])
    response = client.post("/api/v1/municipalities/elbasan/webhooks", headers=headers,
                           json={"url": "https://hooks.example.org/x", "event_types": ["meeting.scheduled"]})
    assert response.status_code == 422 and "url" in response.get_json()["errors"]


def test_an_address_that_resolves_elsewhere_at_delivery_time_is_refused_then(
        app, client, secretary, receiver, schedule_meeting, in_tenant):
    """DNS rebinding: the name was public when subscribed; at delivery it leads to the loopback address."""
    from safetycouncil.webhooks.models import Subscription
    from safetycouncil.webhooks.services import encrypt_secret

    _, headers = secretary
    port = receiver.url.split(":")[2].split("/")[0]
    with in_tenant("elbasan") as session, app.test_request_context():
        row = Subscription(url=f"https://localhost:{port}/kvsp/events", event_types=["meeting.scheduled"],
                           secret_encrypted=encrypt_secret("whsec_x"), active=True)
        session.add(row)
        session.flush()
        subscription_id = row.id
    schedule_meeting("elbasan")
    assert receiver.requests == []
    [delivery] = _log(client, headers, subscription_id)
    assert delivery["attempt_log"][0]["status_code"] is None
    assert delivery["attempt_log"][0]["error"] and delivery["status"] == "retrying"


def test_another_municipality_and_readers_cannot_see_or_touch_a_councils_webhooks(
        app, client, secretary, receiver, loopback, make_user, api_token, login):
    _, headers = secretary
    created = _subscribe(client, headers, receiver.url)
    fier = api_token(make_user("technical_secretary", municipality="fier"))
    member = api_token(make_user("member", municipality="elbasan"))
    prefecture = api_token(make_user("prefecture", county="elbasan"))
    base = f"/api/v1/municipalities/elbasan/webhooks/{created['id']}"
    for method, url in (("GET", base), ("PATCH", base), ("DELETE", base), ("POST", f"{base}/secret"),
                        ("GET", f"{base}/deliveries")):
        assert client.open(url, method=method, headers=fier, json={}).status_code == 404, (method, url)
        # Fier's own address with Elbasan's id
        assert client.open(url.replace("elbasan", "fier"), method=method, headers=fier,
                           json={}).status_code == 404, (method, url)
        # a council member (and the Prefecture) may read the council, not its webhooks: nothing to see here
        assert client.open(url, method=method, headers=member, json={}).status_code == 404, (method, url)
    assert client.get("/api/v1/municipalities/elbasan/webhooks", headers=prefecture).status_code == 404
    assert client.get("/api/v1/webhooks", headers=headers).status_code in (403, 404)
    # the Ministry reads a council's webhooks and their log (as its audit trail), and changes nothing
    ministry = api_token(make_user("ministry"))
    assert client.get(base, headers=ministry).status_code == 200
    assert client.get(f"{base}/deliveries", headers=ministry).status_code == 200
    assert client.patch(base, headers=ministry, json={"active": False}).status_code == 403
    assert client.post(f"{base}/secret", headers=ministry).status_code == 403


def test_the_ministry_receives_every_councils_events(
        app, client, receiver, loopback, make_user, api_token, schedule_meeting, run_jobs):
    ministry = api_token(make_user("ministry"))
    response = client.post("/api/v1/webhooks", headers=ministry,
                           json={"url": receiver.url, "event_types": ["meeting.scheduled"]})
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    schedule_meeting("elbasan")
    schedule_meeting("fier")
    assert sorted(r.json["municipality"]["slug"] for r in receiver.requests) == ["elbasan", "fier"]
    for r in receiver.requests:
        assert verify(created["secret"], r.headers["X-KVSP-Timestamp"], r.body, r.headers["X-KVSP-Signature"])
    log = client.get(f"/api/v1/webhooks/{created['id']}/deliveries", headers=ministry).get_json()
    assert sorted(d["municipality"] for d in log) == ["elbasan", "fier"]
    replay = client.post(f"/api/v1/webhooks/{created['id']}/deliveries/{log[0]['id']}/replay", headers=ministry)
    assert replay.status_code == 202
    run_jobs()
    assert len(receiver.requests) == 3


def test_events_are_emitted_where_things_happen(app, client, secretary, receiver, loopback, in_tenant, run_jobs,
                                                 schedule_meeting):
    from safetycouncil.meetings.models import Meeting
    from safetycouncil.meetings.services import cancel_meeting, update_meeting

    _, headers = secretary
    _subscribe(client, headers, receiver.url, events=["meeting.changed"])
    meeting_id = schedule_meeting("elbasan")
    assert receiver.requests == []           # not subscribed to meeting.scheduled
    with in_tenant("elbasan") as session:
        update_meeting(session.get(Meeting, meeting_id), title="Mbledhja e zhvendosur")
    with in_tenant("elbasan") as session:
        update_meeting(session.get(Meeting, meeting_id), title="Mbledhja e zhvendosur")   # nothing changed
    with in_tenant("elbasan") as session:
        cancel_meeting(session.get(Meeting, meeting_id), "Mungesë kuorumi")
    run_jobs()
    assert [(r.json["type"], r.json["data"]["status"]) for r in receiver.requests] == [
        ("meeting.changed", "planned"), ("meeting.changed", "cancelled")]


def test_an_overdue_obligation_is_emitted_once(app, client, secretary, receiver, loopback, run_jobs):
    from safetycouncil.extensions import db
    from safetycouncil.webhooks import services

    _, headers = secretary
    _subscribe(client, headers, receiver.url, events=["obligation.overdue"])
    with app.app_context():
        first = services.emit_overdue_obligations()
        db.session.remove()
        second = services.emit_overdue_obligations()
        db.session.remove()
    run_jobs()
    # a council with no records has missed what the model asks by now (e.g. the monthly secretariat meeting)
    assert first >= 1 and second == 0
    assert len(receiver.requests) == first
    assert {r.json["type"] for r in receiver.requests} == {"obligation.overdue"}
    assert all(r.json["data"]["state"] == "overdue" for r in receiver.requests)


@pytest.mark.parametrize("lang", ["sq", "en"])
def test_the_pages_show_subscriptions_and_the_delivery_log(app, client, make_user, login, receiver, loopback,
                                                           schedule_meeting, lang):
    user = make_user("chair", municipality="elbasan", locale=lang)
    page = app.test_client()
    login(page, user)
    response = page.post("/elbasan/webhooks/", data={"url": "https://10.0.0.1/x", "event_types": ["meeting.scheduled"]})
    assert response.status_code == 422
    response = page.post("/elbasan/webhooks/", data={"url": receiver.url, "event_types": ["meeting.scheduled"],
                                                     "description": "Faqja"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "whsec_" in html
    schedule_meeting("elbasan")
    index = page.get("/elbasan/webhooks/").get_data(as_text=True)
    assert receiver.url in index
    from safetycouncil.extensions import db
    from safetycouncil.tenancy import tenant
    from safetycouncil.webhooks.models import Subscription

    with app.app_context():
        from safetycouncil.municipalities.models import Municipality
        from sqlalchemy import select

        mid = db.session.execute(select(Municipality.id).where(Municipality.slug == "elbasan")).scalar_one()
        with tenant(mid):
            sid = db.session.execute(select(Subscription.id)).scalar_one()
        db.session.remove()
    detail = page.get(f"/elbasan/webhooks/{sid}").get_data(as_text=True)
    assert "200" in detail
    assert ("Delivery log" if lang == "en" else "Regjistri i dërgimeve") in detail
    assert page.get("/national/webhooks/").status_code in (403, 404)


def test_answers_that_carry_a_secret_are_never_cached(client, secretary, receiver, loopback):
    _, headers = secretary
    response = client.post("/api/v1/municipalities/elbasan/webhooks", headers=headers,
                           json={"url": receiver.url, "event_types": ["meeting.scheduled"]})
    assert response.status_code == 201 and response.headers["Cache-Control"] == "private, no-store"
    rotated = client.post(f"/api/v1/municipalities/elbasan/webhooks/{response.get_json()['id']}/secret",
                          headers=headers)
    assert rotated.status_code == 201 and rotated.headers["Cache-Control"] == "private, no-store"
