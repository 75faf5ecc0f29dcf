"""Failed jobs: visible to administrators with their error, retried from /admin/jobs; invitations a
killed worker left 'sending' are sent later, never twice to anyone."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from safetycouncil import jobs
from safetycouncil.extensions import db
from safetycouncil.meetings import invitations
from safetycouncil.meetings.models import Invitation
from safetycouncil.tenancy import tenant
from safetycouncil.timeutil import utcnow

from tests import factories as make

from ..conftest import PG, free_port
from ..meetings.conftest import future

ROOT = Path(__file__).resolve().parents[2]


def _meeting_with_members(in_tenant, count=3):
    with in_tenant("elbasan") as session:
        for n in range(count):
            make.member(session, f"Anëtar {n}", email=f"anetar{n}@test.kvsp.al")
        return make.meeting(session, starts_at=future(30), agenda=["Rendi i ditës"], status="planned").id


def _rows(app, municipality_id, meeting_id):
    with app.app_context(), tenant(municipality_id("elbasan")):
        return {r.email: r.status for r in db.session.execute(
            select(Invitation).where(Invitation.meeting_id == meeting_id)).scalars()}


def test_only_administrators_see_the_failed_jobs(app, make_user, login):
    admin, ministry = make_user("admin", locale="en"), make_user("ministry")
    client = app.test_client()
    login(client, ministry)
    assert client.get("/admin/jobs").status_code == 403
    client = app.test_client()
    login(client, admin)
    page = client.get("/admin/jobs")
    assert page.status_code == 200
    if not PG:
        assert "in-process" in page.get_data(as_text=True)
        assert client.post("/admin/jobs/whatever/retry").status_code == 404
    else:
        assert client.post("/admin/jobs/no-such-job/retry").status_code == 404


def test_a_row_stuck_sending_is_sent_by_the_next_run_and_a_sent_one_never_again(
        app, in_tenant, municipality_id, outbox, run_jobs):
    meeting_id = _meeting_with_members(in_tenant)
    elbasan = municipality_id("elbasan")
    with app.test_request_context(), tenant(elbasan):
        meeting = db.session.get(invitations.Meeting, meeting_id)
        invitations.prepare_invitations(meeting)
        db.session.commit()
        rows = sorted(db.session.execute(select(Invitation).where(Invitation.meeting_id == meeting_id)).scalars(),
                      key=lambda r: r.id)
        # A killed run: the first e-mailed and marked sent, the second claimed long ago, the third fresh.
        rows[0].status, rows[0].sent_at = "sent", utcnow()
        rows[1].status, rows[1].claimed_at = "sending", utcnow() - timedelta(minutes=30)
        rows[2].status, rows[2].claimed_at = "sending", utcnow()
        emails = [r.email for r in rows]
        db.session.commit()
    with app.test_request_context(), tenant(elbasan):
        jobs.enqueue(invitations.send_invitations_job, meeting_id)
    run_jobs()
    received = Counter(m["To"] for m in outbox)
    assert received == Counter({emails[1]: 1})  # not the one already sent, not the one still being sent
    statuses = _rows(app, municipality_id, meeting_id)
    assert statuses[emails[0]] == "sent" and statuses[emails[1]] == "sent"
    assert statuses[emails[2]] == "sending"  # too recent: another run may be sending it right now


# --- a real worker, killed in the middle of the invitations ---------------------------------------

class _SlowSecondRecipient:
    """An SMTP server that keeps the 2nd recipient waiting (the worker is killed meanwhile, so that
    message is never delivered), and records what it receives."""

    def __init__(self):
        import email
        import email.policy

        self._parse = lambda raw: email.message_from_bytes(raw, policy=email.policy.default)
        self.messages = []
        self.rcpt_calls = 0
        self.waiting = False
        self.release = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        self.rcpt_calls += 1
        if self.rcpt_calls == 2:
            self.waiting = True
            for _ in range(1200):
                if self.release:
                    break
                await asyncio.sleep(0.1)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append(self._parse(envelope.content))
        return "250 Message accepted"


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(p) for p in text]
    return found


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def _pid_talking_to(port: int, candidates: list[int]) -> int | None:
    """The process among ``candidates`` with a TCP connection to 127.0.0.1:``port``."""
    remote = f"0100007F:{port:04X}"
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[2] == remote and fields[3] == "01":  # ESTABLISHED
            inodes.add(fields[9])
    for pid in candidates:
        try:
            if _socket_inodes(pid) & inodes:
                return pid
        except OSError:
            continue
    return None


def _wait(condition, timeout=90, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.postgres
def test_a_worker_killed_while_sending_invitations_then_a_retry_from_the_admin_page(
        app, in_tenant, municipality_id, make_user, login, monkeypatch):
    from aiosmtpd.controller import Controller
    from rq.job import Job

    meeting_id = _meeting_with_members(in_tenant, count=3)
    elbasan = municipality_id("elbasan")
    handler = _SlowSecondRecipient()
    smtp = Controller(handler, hostname="127.0.0.1", port=free_port())
    smtp.start()
    env = {**os.environ,
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "REDIS_URL": app.config["REDIS_URL"],
           "S3_BUCKET": app.config["S3_BUCKET"], "S3_ENDPOINT_URL": app.config["S3_ENDPOINT_URL"],
           "S3_REGION": "us-east-1", "PYTHONPATH": str(ROOT),
           "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp.port), "BASE_URL": "http://localhost"}
    flask = str(Path(sys.executable).parent / "flask")
    worker = None
    try:
        with app.test_request_context(), tenant(elbasan):
            meeting = db.session.get(invitations.Meeting, meeting_id)
            invitations.prepare_invitations(meeting)
            db.session.commit()
            job = jobs.enqueue(invitations.send_invitations_job, meeting_id)
        # The automatic retries are spent (they come after 10 s, 60 s and 16 min): the job fails at once.
        job.retries_left = 0
        job.save()

        worker = subprocess.Popen([flask, "--app", "wsgi", "worker"], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _wait(lambda: handler.waiting, what="the second invitation to reach the SMTP server")
        assert len(handler.messages) == 1
        horse = _pid_talking_to(smtp.port, _children(worker.pid))
        assert horse is not None, "the work-horse talking to the SMTP server was not found"
        os.kill(horse, signal.SIGKILL)
        handler.release = True
        _wait(lambda: Job.fetch(job.id, connection=job.connection).get_status() == "failed",
              what="the worker to move the job to the failed registry")
        worker.terminate()
        worker.wait(timeout=60)
        worker = None
        statuses = _rows(app, municipality_id, meeting_id)
        assert sorted(statuses.values()) == ["pending", "sending", "sent"]

        # The administrator sees the job and its error.
        admin = make_user("admin")
        client = app.test_client()
        login(client, admin)
        page = client.get("/admin/jobs").get_data(as_text=True)
        assert job.id in page and "send_invitations_job" in page
        assert "Work-horse terminated unexpectedly" in page

        # Retry: the row left 'sending' by the killed worker is old enough (the threshold is made 0 here).
        monkeypatch.setitem(app.config, "INVITATION_STUCK_MINUTES", 0)
        response = client.post(f"/admin/jobs/{job.id}/retry")
        assert response.status_code == 302
        assert job.id not in client.get("/admin/jobs").get_data(as_text=True)
        result = subprocess.run([flask, "--app", "wsgi", "worker", "--burst"], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr[-2000:]
        job.refresh()
        assert job.get_status() == "finished", job.get_status()
        received = Counter(m["To"] for m in handler.messages)
        assert received == Counter({f"anetar{n}@test.kvsp.al": 1 for n in range(3)}), received
        assert set(_rows(app, municipality_id, meeting_id).values()) == {"sent"}
    finally:
        handler.release = True
        if worker is not None:
            worker.kill()
            worker.wait(timeout=30)
        smtp.stop()
