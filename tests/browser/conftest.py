"""Browser journeys: the test application served over HTTP, driven by headless Chromium.

Playwright's own browser download is not used: the tests launch Debian's Chromium
(``apt-get install chromium``) at /usr/bin/chromium. Without it the journeys are skipped,
or fail when KVSP_REQUIRE_SERVICES=1 (CI). They only run in the SQLite pass (tests/conftest.py).
"""
from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest

from ..conftest import REQUIRE_SERVICES, free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000  # a page of this application renders in milliseconds; fail fast, not after 30 s


@pytest.fixture(scope="session")
def live_server(app):
    """The session's test application served on 127.0.0.1 by a threaded Werkzeug server.

    Every request runs in its own thread with its own app context, like under gunicorn; the
    database and the in-memory rate limiter are the ones the other fixtures use, and the
    autouse ``_clean_state`` fixture empties the tables after each test as usual.
    """
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="kvsp-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        message = f"{CHROMIUM} is missing: install Debian's package `chromium` (apt-get install chromium)"
        if REQUIRE_SERVICES:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item so the page fixtures can see a failure."""
    report = yield
    setattr(item, f"kvsp_report_{report.when}", report)
    return report


def _open(browser, live_server, request, viewport):
    context = browser.new_context(base_url=live_server, viewport=viewport, locale="sq-AL",
                                  timezone_id="Europe/Tirane")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        report = getattr(request.node, "kvsp_report_call", None)
        if report is not None and report.failed:
            name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name)
            try:
                page.screenshot(path=f"/tmp/kvsp-browser-{name}.png", full_page=True)
            except Exception:  # noqa: BLE001 - a screenshot must not hide the real failure
                pass
        context.close()


@pytest.fixture
def page(browser, live_server, request):
    """A fresh browser context (no cookies) and page, desktop-sized; relative URLs go to the live server."""
    yield from _open(browser, live_server, request, DESKTOP)


@pytest.fixture
def phone_page(browser, live_server, request):
    """Like ``page``, with a phone's viewport (390×844)."""
    yield from _open(browser, live_server, request, PHONE)
