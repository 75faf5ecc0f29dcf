"""Reminders run on the embedded default: without Redis, the schedule of schedule.py runs in-process
(a thread started by the first request the served application answers), once per scheduled time,
in one process only, catching up an occurrence missed while the platform was stopped."""
import time
from datetime import datetime

from safetycouncil import inprocess_schedule
from safetycouncil.inprocess_schedule import SCHEDULE, InProcessScheduler, latest_occurrence, matches

from tests import factories as make

from .conftest import future
from .test_calendar_and_reminders import _people

REMINDERS = "safetycouncil.meetings.invitations.send_deadline_reminders_job"


def test_the_schedule_is_the_production_one_read_in_albanian_time():
    from safetycouncil import schedule  # the RQ cron file registers the same entries

    assert schedule.SCHEDULE is SCHEDULE
    reminders = dict(SCHEDULE)[REMINDERS]
    monday_7 = datetime(2026, 12, 7, 7, 0)
    assert matches(reminders, monday_7)
    assert not matches(reminders, datetime(2026, 12, 5, 7, 0))  # a Saturday
    assert not matches(reminders, datetime(2026, 12, 7, 7, 1))
    assert matches("*/15 2 * * 0,7", datetime(2026, 12, 6, 2, 30))  # Sunday as 0 or 7
    # Started at 10:20 on a Monday, the 07:00 occurrence is caught up once.
    assert latest_occurrence(reminders, datetime(2026, 12, 7, 10, 20)) == monday_7
    assert latest_occurrence(reminders, datetime(2026, 12, 6, 10, 20)) is None  # Sunday: none within a day


def test_a_tick_sends_the_due_reminders_once(app, in_tenant, make_user, outbox, tmp_path):
    _people(make_user)
    with in_tenant("elbasan") as session:
        make.meeting(session, starts_at=future(3), title="Mbledhja pa ftesa", status="planned")  # the deadline has passed
    scheduler = InProcessScheduler(app, schedule=[(REMINDERS, "* * * * *")], state_path=tmp_path / "state.json")
    assert scheduler.tick() == [REMINDERS]
    assert [m["To"] for m in outbox] == ["sekretari@elbasan.example"]
    body = outbox[0].get_body(preferencelist=("plain",)).get_content()
    assert "Mbledhja pa ftesa" in body
    assert " / Reminder: invitations to send for the council of Elbasan" in outbox[0]["Subject"]  # sq / en
    assert body.index("----- English -----") < body.index("Hello")
    # The same minute again, or another scheduler reading the same state: not run again.
    assert scheduler.tick() == []
    assert InProcessScheduler(app, schedule=[(REMINDERS, "* * * * *")],
                              state_path=tmp_path / "state.json").tick() == []
    assert len(outbox) == 1


def test_the_first_request_starts_one_thread_that_sends_reminders(app, in_tenant, make_user, outbox, tmp_path):
    """The served application starts the schedule itself (on the embedded default, not in tests)."""
    from flask import Flask

    _people(make_user)
    with in_tenant("elbasan") as session:
        make.meeting(session, starts_at=future(3), title="Mbledhja e harruar", status="planned")
    before = {key: app.config.get(key)
              for key in ("SCHEDULE_IN_PROCESS", "INSTANCE_PATH", "SCHEDULE_TICK_SECONDS", "REDIS_URL")}
    # The embedded default: no Redis (with Redis, RQ's cron scheduler runs the schedule instead).
    app.config.update(SCHEDULE_IN_PROCESS=True, INSTANCE_PATH=str(tmp_path), SCHEDULE_TICK_SECONDS=0.2,
                      REDIS_URL=None)
    try:
        # Only the reminders here (the nightly jobs have their own tests).
        prepared = app.extensions["kvsp_schedule"] = InProcessScheduler(app, schedule=[(REMINDERS, "* * * * *")])
        scheduler = inprocess_schedule.ensure_started(app)
        assert scheduler is prepared and scheduler.running
        assert scheduler.state_path == tmp_path / "schedule-state.json"
        assert inprocess_schedule.ensure_started(app) is scheduler  # idempotent: one thread
        # Another process (another gunicorn worker) finds the lock taken and does not run it.
        other = InProcessScheduler(app, state_path=tmp_path / "schedule-state.json")
        assert other.start(interval=0.2) is False
        deadline = time.monotonic() + 15
        while not outbox and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [m["To"] for m in outbox] == ["sekretari@elbasan.example"]
        time.sleep(0.6)  # a few more rounds: nobody is reminded twice
        assert len(outbox) == 1
    finally:
        scheduler = app.extensions.pop("kvsp_schedule", None)
        if scheduler is not None:
            scheduler.stop()
        app.config.update(before)

    # A served application (not under test) installs the start on its first request.
    served = Flask("served")
    served.config.update(SCHEDULE_IN_PROCESS=True, TESTING=False)
    inprocess_schedule.install(served)
    assert served.before_request_funcs[None]
    testing = Flask("testing")
    testing.config.update(SCHEDULE_IN_PROCESS=True, TESTING=True)
    inprocess_schedule.install(testing)
    assert not testing.before_request_funcs.get(None)
