"""The shipped nginx micro-cache (infra/nginx.conf) in front of the public pages: a real nginx
(the same as tests/security/test_behind_the_proxy.py starts) serves a visitor's second request from
its cache, and never stores or serves a cached page to someone with a session."""
from __future__ import annotations

import http.client

from ..security.test_behind_the_proxy import pytestmark, served  # noqa: F401 - the fixture, the skip


def get(port: int, path: str, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_visitors_are_served_from_the_micro_cache_people_with_a_session_never(served):
    status, first, body = get(served, "/public/elbasan/")
    assert status == 200 and first["X-Cache"] in ("MISS", "EXPIRED")
    status, second, again = get(served, "/public/elbasan/")
    assert status == 200 and second["X-Cache"] == "HIT" and again == body
    assert second["ETag"] == first["ETag"] and second["Cache-Control"].startswith("public")
    # a session cookie goes straight through, and what it gets is not stored
    status, signed, _ = get(served, "/public/elbasan/", {"Cookie": "kvsp_session=x"})
    assert signed["X-Cache"] == "BYPASS"
    status, written, _ = get(served, "/public/elbasan/", {"Cookie": "kvsp_primary=9999999999"})
    assert written["X-Cache"] == "BYPASS"
    # pages that are not public are never cached
    status, login, _ = get(served, "/login")
    assert "X-Cache" not in login
