"""A real HTTP receiver, started by the tests (http.server in a thread), that answers what it is told
(200 by default, or a queue of status codes) and keeps every request it got."""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes

    @property
    def json(self):
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str
    requests: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    default_status: int = 200

    def next_status(self) -> int:
        return self.statuses.pop(0) if self.statuses else self.default_status


@pytest.fixture
def receiver():
    state: dict = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            rec = state["receiver"]
            rec.requests.append(Received(self.path, {k: v for k, v in self.headers.items()}, body))
            status = rec.next_status()
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state["receiver"] = Receiver(url=f"http://127.0.0.1:{server.server_address[1]}/kvsp/events")
    yield state["receiver"]
    server.shutdown()
    server.server_close()


@pytest.fixture
def loopback(app):
    """Tests only: plain http to the loopback address is allowed while the test runs."""
    app.config["WEBHOOKS_ALLOW_LOOPBACK_HTTP"] = True
    yield
    app.config["WEBHOOKS_ALLOW_LOOPBACK_HTTP"] = False


@pytest.fixture
def schedule_meeting(in_tenant, run_jobs):
    """schedule_meeting("elbasan") -> id of a council meeting just planned through the service (which emits
    meeting.scheduled); the queued deliveries are run."""

    def make(slug: str = "elbasan", days: int = 30) -> int:
        from safetycouncil.meetings.services import create_meeting
        from safetycouncil.timeutil import local_today

        start = datetime.combine(local_today() + timedelta(days=days), datetime.min.time()).replace(hour=10)
        with in_tenant(slug):
            meeting = create_meeting("council", "Mbledhja e Këshillit", start, start + timedelta(hours=2),
                                     "Salla e Bashkisë")
            meeting_id = meeting.id
        run_jobs()
        return meeting_id

    return make
