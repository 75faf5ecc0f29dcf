"""The schedule (nightly snapshots, deadline reminders, erasure) on the embedded default.

Production runs ``SCHEDULE`` with RQ's cron scheduler (schedule.py, needs Redis). Without Redis the
application runs the same entries in-process: a daemon thread, started by the first request a
served application answers (never by CLI commands such as ``flask db upgrade``), checks every
``SCHEDULE_TICK_SECONDS`` which entries are due, in Albanian time.

Idempotent: each entry runs at most once per scheduled time, recorded in
``instance/schedule-state.json``; only one process runs the schedule (an exclusive lock on
``instance/schedule.lock``, so gunicorn's workers do not run it twice); an occurrence missed while
the platform was stopped is caught up once when it starts again (within a day). The jobs are
idempotent themselves as well (a meeting is reminded once, a snapshot is kept per day).
"""
from __future__ import annotations

import json
import logging
import os
import threading
from datetime import datetime, timedelta
from pathlib import Path

from .timeutil import local_now

log = logging.getLogger(__name__)

# (dotted path of the job, cron expression: minute hour day-of-month month day-of-week)
SCHEDULE = [
    # Just after midnight in Albania: every council judged into the cache, so that each day (and a
    # new year) starts warm: the structural rules judge every day so far, a judgement ends at midnight.
    ("safetycouncil.compliance.tasks.warm_verdicts", "1 0 * * *"),
    # Every minute: the stored judgements (compliance/judgements.py) follow the records, so that an
    # empty cache is never a cold judgement of every council; late every evening, every council
    # judged ahead as of the coming midnight, when every judgement of the day ends.
    ("safetycouncil.compliance.judgements.refresh", "* * * * *"),
    ("safetycouncil.compliance.judgements.judge_ahead", "40 23 * * *"),
    # Every night: one compliance snapshot per council, rule and year (trends over years).
    ("safetycouncil.compliance.services.nightly_snapshot", "15 2 * * *"),
    # Every working morning: warn technical secretaries whose invitation deadline is near.
    ("safetycouncil.meetings.invitations.send_deadline_reminders_job", "0 7 * * 1-5"),
    # Every night: erase citizens' contact details past their retention period (set by the Ministry),
    # and delete municipalities' data archives past their time.
    ("safetycouncil.data_protection.services.nightly_erasure", "45 2 * * *"),
    # Every morning (the job skips days that are not working days): one digest per person of the
    # obligations at a lead time or missed yesterday; on Mondays the week's digest for the
    # Prefectures and the Ministry. Both idempotent (a sent log).
    ("safetycouncil.obligations.reminders.send_reminders_job", "30 7 * * *"),
    ("safetycouncil.obligations.reminders.send_weekly_digest_job", "45 7 * * 1"),
    # Every five minutes: webhook deliveries whose retry is due (and any never queued); every morning,
    # obligation.overdue once per obligation the escalation marks overdue.
    ("safetycouncil.webhooks.services.deliver_due_job", "*/5 * * * *"),
    ("safetycouncil.webhooks.services.emit_overdue_job", "0 8 * * *"),
]
CATCH_UP = timedelta(days=1)
_FIELDS = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))


def _values(field: str, low: int, high: int) -> set[int]:
    found: set[int] = set()
    for part in field.split(","):
        step = 1
        if "/" in part:
            part, raw_step = part.split("/", 1)
            step = int(raw_step)
        if part == "*":
            start, end = low, high
        elif "-" in part:
            start, end = (int(x) for x in part.split("-", 1))
        else:
            start = end = int(part)
        found.update(range(start, end + 1, step))
    return found


def matches(expression: str, moment: datetime) -> bool:
    """Whether a five-field cron expression (numbers, *, ranges, lists, steps) matches ``moment``."""
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(f"not a cron expression: {expression!r}")
    minute, hour, day, month, weekday = (_values(f, lo, hi) for f, (lo, hi) in zip(fields, _FIELDS, strict=True))
    weekdays = {0 if d == 7 else d for d in weekday}
    return (moment.minute in minute and moment.hour in hour and moment.month in month
            and moment.day in day and moment.isoweekday() % 7 in weekdays)


def latest_occurrence(expression: str, now: datetime, within: timedelta = CATCH_UP) -> datetime | None:
    """The latest time at or before ``now`` (to the minute) the expression matches, within ``within``."""
    moment = now.replace(second=0, microsecond=0)
    earliest = moment - within
    while moment > earliest:
        if matches(expression, moment):
            return moment
        moment -= timedelta(minutes=1)
    return None


class InProcessScheduler:
    """Runs ``SCHEDULE`` for one application; ``tick()`` does one round (the thread calls it)."""

    def __init__(self, app, schedule=None, state_path: str | Path | None = None):
        self.app = app
        self.schedule = list(SCHEDULE if schedule is None else schedule)
        instance = Path(app.config["INSTANCE_PATH"])
        self.state_path = Path(state_path) if state_path else instance / "schedule-state.json"
        self.lock_path = self.state_path.with_name("schedule.lock")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock_file = None

    # --- state ---------------------------------------------------------------------------------
    def _state(self) -> dict[str, str]:
        try:
            return json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _save(self, state: dict[str, str]) -> None:
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.state_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.state_path)

    # --- one round -----------------------------------------------------------------------------
    def tick(self, now: datetime | None = None) -> list[str]:
        """Run every entry whose latest scheduled time (Albanian time) has not run yet. Returns the
        paths run."""
        from .jobs import run_job

        now = now or local_now()
        state = self._state()
        ran = []
        for path, expression in self.schedule:
            due = latest_occurrence(expression, now)
            if due is None:
                continue
            last = state.get(path)
            if last is not None and datetime.fromisoformat(last) >= due:
                continue
            state[path] = due.isoformat()
            self._save(state)  # before running: a crash does not repeat it in a loop
            try:
                with self.app.app_context():
                    run_job(path, None, None, [], {})
                log.info("scheduled job %s (due %s) ran in-process", path, due.isoformat())
            except Exception:  # noqa: BLE001 - logged; the other entries still run
                log.exception("scheduled job %s failed", path)
            ran.append(path)
        return ran

    # --- the thread ------------------------------------------------------------------------------
    def _take_lock(self) -> bool:
        import fcntl

        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.lock_path, "a+")  # noqa: SIM115 - held for the process's life
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._lock_file = handle
        return True

    def start(self, interval: float = 30.0) -> bool:
        """Start the thread, unless this process or another one already runs the schedule."""
        if self._thread is not None and self._thread.is_alive():
            return False
        if not self._take_lock():
            log.info("the schedule already runs in another process")
            return False
        self._stop.clear()

        def loop():
            while not self._stop.is_set():
                try:
                    self.tick()
                except Exception:  # noqa: BLE001
                    log.exception("the in-process schedule failed a round")
                self._stop.wait(interval)

        self._thread = threading.Thread(target=loop, name="kvsp-schedule", daemon=True)
        self._thread.start()
        return True

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._thread = None
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None


_start_lock = threading.Lock()


def ensure_started(app) -> InProcessScheduler | None:
    """Start the app's in-process schedule once (idempotent); None where it does not apply."""
    if not app.config.get("SCHEDULE_IN_PROCESS") or app.config.get("REDIS_URL"):
        return None
    with _start_lock:
        scheduler = app.extensions.get("kvsp_schedule")
        if scheduler is None:
            scheduler = app.extensions["kvsp_schedule"] = InProcessScheduler(app)
        if not scheduler.running:
            scheduler.start(app.config.get("SCHEDULE_TICK_SECONDS", 30))
        return scheduler


def install(app) -> None:
    """Start the schedule with the first request the application serves (never for CLI commands)."""
    if not app.config.get("SCHEDULE_IN_PROCESS") or app.config.get("TESTING"):
        return
    started = threading.Event()

    @app.before_request
    def _start_schedule():
        if not started.is_set():
            started.set()
            ensure_started(app)
