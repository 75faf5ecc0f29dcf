"""A client generated from the OpenAPI document alone, by a standard generator (openapi-python-client, a test
dependency), into a temporary folder: nothing of the platform's code is imported by it. With it, a new
system signs in, pages through a list by the documented `X-Pagination` header, follows `updated_since`,
subscribes a webhook, and receives and verifies a delivery (HMAC-SHA256 over `<timestamp>.<body>`, as the
README tells receivers to)."""
from __future__ import annotations

import hashlib
import hmac
import importlib
import json
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

pytest.importorskip("openapi_python_client")
httpx = pytest.importorskip("httpx")

from ..webhooks.conftest import loopback, receiver  # noqa: E402,F401  (the real HTTP receiver)


@pytest.fixture
def generated(app, client, tmp_path):
    """Generates the client package ``kvsp_client`` from /api/v1/openapi.json and imports it."""
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(client.get("/api/v1/openapi.json").get_json()))
    config = tmp_path / "config.yaml"
    config.write_text("post_hooks: []\nproject_name_override: kvsp-client\npackage_name_override: kvsp_client\n")
    executable = Path(sys.executable).with_name("openapi-python-client")
    result = subprocess.run([str(executable), "generate", "--path", str(document), "--output-path",
                             str(tmp_path / "kvsp_client"), "--meta", "none", "--config", str(config)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield lambda name: importlib.import_module(f"kvsp_client.{name}")
    finally:
        sys.path.remove(str(tmp_path))
        for module in [m for m in sys.modules if m == "kvsp_client" or m.startswith("kvsp_client.")]:
            del sys.modules[module]


def _verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """A receiver's check, written from the README alone."""
    expected = "sha256=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return abs(time.time() - int(timestamp)) <= 300 and hmac.compare_digest(expected, signature)


def test_a_generated_client_pages_follows_updated_since_and_verifies_a_webhook(
        app, make_user, generated, receiver, loopback, run_jobs):  # noqa: F811
    secretary = make_user("technical_secretary", municipality="elbasan")
    transport = {"transport": httpx.WSGITransport(app=app)}
    base = "http://kvsp.test"

    Client = generated("client")
    auth = generated("api.api_auth.post_api_v1_auth_token")
    credentials = generated("models.credentials").Credentials(email=secretary.email, password=secretary.password)
    token = auth.sync(client=Client.Client(base_url=base, httpx_args=transport), body=credentials)
    assert token.token and token.expires_at.tzinfo is not None
    api = Client.AuthenticatedClient(base_url=base, token=token.token, httpx_args=transport,
                                     raise_on_unexpected_status=True)

    # a webhook for the meetings, subscribed through the generated client
    webhooks = generated("api.api_webhooks.post_api_v1_municipalities_municipality_webhooks")
    models = generated("models")
    created = webhooks.sync(municipality="elbasan", client=api, body=models.SubscriptionCreate(
        url=receiver.url, event_types=[models.SubscriptionCreateEventTypesItem("meeting.scheduled")]))
    assert created.secret.startswith("whsec_")

    # five meetings, scheduled through the generated client
    create = generated("api.api_meetings.post_api_v1_municipalities_municipality_meetings")
    start = datetime.now(UTC).replace(microsecond=0, second=0, minute=0) + timedelta(days=30)
    ids = []
    for n in range(5):
        meeting = create.sync(municipality="elbasan", client=api, body=models.MeetingCreate(
            kind=models.MeetingCreateKind("council"), title=f"Mbledhja {n + 1}", starts_at=start + timedelta(days=n),
            ends_at=start + timedelta(days=n, hours=2)))
        ids.append(meeting.id)
    run_jobs()

    # every delivery verifies with the secret, and names a meeting the client created
    assert len(receiver.requests) == 5
    for got in receiver.requests:
        assert _verify(created.secret, got.headers["X-KVSP-Timestamp"], got.body, got.headers["X-KVSP-Signature"])
    assert sorted(r.json["data"]["meeting_id"] for r in receiver.requests) == sorted(ids)
    assert len({r.json["id"] for r in receiver.requests}) == 5

    # paging by the documented header
    listing = generated("api.api_meetings.get_api_v1_municipalities_municipality_meetings")
    seen, page = [], 1
    while True:
        response = listing.sync_detailed(municipality="elbasan", client=api, page=page, page_size=2)
        seen += [m.id for m in response.parsed]
        pagination = json.loads(response.headers["X-Pagination"])
        if "next_page" not in pagination:
            break
        page = pagination["next_page"]
    assert sorted(seen) == sorted(ids) and pagination["total"] == 5 and page == 3

    # keeping a copy in step: only what changed since the mark
    mark = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)
    time.sleep(1.1)
    patch = generated("api.api_meetings.patch_api_v1_municipalities_municipality_meetings_meeting_id")
    patch.sync(municipality="elbasan", meeting_id=ids[2], client=api,
               body=models.MeetingPatch(title="Mbledhja e zhvendosur"))
    changed = listing.sync(municipality="elbasan", client=api, updated_since=mark)
    assert [m.id for m in changed] == [ids[2]] and changed[0].title == "Mbledhja e zhvendosur"
    assert changed[0].updated_at >= mark

    # the delivery log, read through the generated client
    log = generated("api.api_webhooks.get_api_v1_municipalities_municipality_webhooks_subscription_id_deliveries")
    deliveries = log.sync(municipality="elbasan", subscription_id=created.id, client=api)
    assert {d.status for d in deliveries} == {"delivered"} and len(deliveries) == 5
    assert all(d.attempt_log[0].status_code == 200 for d in deliveries)
