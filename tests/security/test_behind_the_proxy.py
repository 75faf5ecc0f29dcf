"""Issue 22, finding 1: behind the shipped reverse proxy, rate limits are per real client.

A real nginx, started here with the shipped infra/nginx.conf (only its upstream and listening
address templated), stands in front of the application served by a real HTTP server. Two
clients are two loopback source addresses (127.0.0.2 and 127.0.0.3): nginx writes each one's
address into X-Forwarded-For, and TRUSTED_PROXY_COUNT=1 makes the application believe exactly
that one proxy."""
from __future__ import annotations

import http.client
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from tests.conftest import REQUIRE_SERVICES, free_port

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
# CI installs nginx (.ci/run) and sets KVSP_REQUIRE_SERVICES=1: there a missing nginx fails.
pytestmark = pytest.mark.skipif(not os.path.exists(NGINX) and not REQUIRE_SERVICES,
                                reason="nginx is not installed (apt-get install nginx)")


def shipped_site(app_port: int, listen_port: int) -> str:
    """infra/nginx.conf with the upstream and the listening address of this test."""
    site = (ROOT / "infra" / "nginx.conf").read_text()
    site, upstreams = re.subn(r"server\s+web:8000;", f"server 127.0.0.1:{app_port};", site)
    site, listens = re.subn(r"listen\s+80;", f"listen 127.0.0.1:{listen_port};", site)
    assert upstreams == 1 and listens == 1, "infra/nginx.conf changed shape: update this test"
    return site


def shipped_site_in(cache_dir, app_port: int, listen_port: int) -> str:
    """The same, with the micro-cache in ``cache_dir``."""
    site, caches = re.subn(r"proxy_cache_path\s+\S+", f"proxy_cache_path {cache_dir}",
                           shipped_site(app_port, listen_port))
    assert caches == 1, "infra/nginx.conf changed shape: update this test"
    return site


@pytest.fixture
def served(base_config, app, tmp_path):
    """The application (TRUSTED_PROXY_COUNT=1) behind nginx; yields nginx's port."""
    from werkzeug.serving import make_server

    from safetycouncil.app import create_app
    from safetycouncil.extensions import db

    behind = create_app({**base_config, "TRUSTED_PROXY_COUNT": 1, "LOGIN_RATE_LIMIT": "20 per minute"})
    app_port, proxy_port = free_port(), free_port()
    server = make_server("127.0.0.1", app_port, behind, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    work = tmp_path / "nginx"
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (work / sub).mkdir(parents=True)
    os.chmod(tmp_path, 0o755)
    for path in [work, *work.iterdir()]:
        os.chmod(path, 0o777)  # nginx's workers run as nobody when the tests run as root
    # the micro-cache's files are written by nginx's workers (nobody, as root): a directory they reach
    cache_dir = tempfile.mkdtemp(prefix="kvsp-nginx-cache-")
    os.chmod(cache_dir, 0o777)
    (work / "site.conf").write_text(shipped_site_in(cache_dir, app_port, proxy_port))
    (work / "nginx.conf").write_text(f"""
daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 128; }}
http {{
  access_log off;
  client_body_temp_path {work}/body;
  proxy_temp_path {work}/proxy;
  fastcgi_temp_path {work}/fastcgi;
  uwsgi_temp_path {work}/uwsgi;
  scgi_temp_path {work}/scgi;
  include {work}/site.conf;
}}
""")
    proc = subprocess.Popen([NGINX, "-p", str(work), "-c", str(work / "nginx.conf")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while True:
        try:
            status, _ = request(proxy_port, "127.0.0.2", "GET", "/healthz")
            if status == 200:
                break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            server.shutdown()
            pytest.fail(f"nginx did not start: {(work / 'error.log').read_text() if (work / 'error.log').exists() else ''}"
                        f" {proc.stderr.read().decode() if proc.stderr else ''}")
        time.sleep(0.1)
    try:
        yield proxy_port
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        server.shutdown()
        thread.join(timeout=10)
        shutil.rmtree(cache_dir, ignore_errors=True)
        with behind.app_context():
            db.session.remove()
            db.engine.dispose()


def request(port: int, source: str, method: str, path: str, form: dict | None = None,
            headers: dict | None = None) -> tuple[int, str]:
    """One request from the loopback address ``source`` (a client of its own)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
    try:
        body = urllib.parse.urlencode(form) if form is not None else None
        all_headers = {"Content-Type": "application/x-www-form-urlencoded"} if form is not None else {}
        all_headers.update(headers or {})
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def sign_in(port, source, email, password, headers=None) -> int:
    return request(port, source, "POST", "/login", {"email": email, "password": password}, headers)[0]


def test_one_client_hitting_the_sign_in_limit_does_not_block_another(served, make_user):
    user = make_user("technical_secretary", municipality="elbasan")
    # 20 wrong sign-ins a minute are allowed from one client; the 21st is refused with 429 ...
    for attempt in range(20):
        assert sign_in(served, "127.0.0.2", f"nobody{attempt}@test.kvsp.al", "wrong-password-x") == 401
    assert sign_in(served, "127.0.0.2", "nobody@test.kvsp.al", "wrong-password-x") == 429
    # ... and the person elsewhere signs in, through the same proxy.
    assert sign_in(served, "127.0.0.3", user.email, user.password) == 302
    assert sign_in(served, "127.0.0.2", user.email, user.password) == 429


def test_a_client_cannot_choose_its_address_with_its_own_forwarded_header(served):
    for attempt in range(20):
        forged = {"X-Forwarded-For": f"10.0.0.{attempt + 1}"}
        assert sign_in(served, "127.0.0.2", f"nobody{attempt}@test.kvsp.al", "wrong-password-x", forged) == 401
    assert sign_in(served, "127.0.0.2", "nobody@test.kvsp.al", "wrong-password-x",
                   {"X-Forwarded-For": "10.9.9.9"}) == 429
