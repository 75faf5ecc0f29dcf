"""Background jobs: RQ on Redis in production, in-process on the embedded default.

A job is a module-level function called by its dotted path with plain arguments
(ids, never objects, personal data or secrets: job arguments stay in Redis for days and are
shown, redacted, on /admin/jobs). It carries the municipality and the
acting user, and both are restored before it runs. Enqueue after committing.

A job that needs a repair before a failed run is retried declares it with ``@job(before_retry=...)``
beside its function; this module names no area. Workers get their application passed in
(``flask --app wsgi worker``, ``scripts/worker``: ``run_worker(app)``), or run inside one's context
(the tests' ``SimpleWorker``); this module never creates the application.
"""
from __future__ import annotations

import importlib
import logging
import os

from flask import current_app, has_app_context

from .audit.trail import acting_as, current_actor_id
from .tenancy.context import current_municipality_id, tenant

log = logging.getLogger(__name__)
QUEUE_NAME = "kvsp"
_worker_app = None


def _path(func) -> str:
    return func if isinstance(func, str) else f"{func.__module__}.{func.__qualname__}"


def _resolve(path: str):
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def redis_connection(app=None):
    from redis import Redis

    app = app or current_app
    return Redis.from_url(app.config["REDIS_URL"])


def queue(app=None):
    from rq import Queue

    return Queue(QUEUE_NAME, connection=redis_connection(app))


def enqueue(func, *args, municipality_id: int | None = None, **kwargs):
    """Run ``func(*args, **kwargs)`` in the background, inside ``municipality_id``'s scope
    (default: the current one) and as the current actor."""
    if municipality_id is None:
        municipality_id = current_municipality_id()
    payload = (_path(func), municipality_id, current_actor_id(), list(args), kwargs)
    if current_app.config["JOBS_IN_PROCESS"]:
        app = current_app._get_current_object()
        with app.app_context():
            return run_job(*payload)
    from rq import Retry

    # The last retry comes after INVITATION_STUCK_MINUTES (15): by then what a killed worker left
    # half-done is taken up again (e.g. invitations left 'sending').
    return queue().enqueue(
        run_job, *payload, retry=Retry(max=3, interval=[10, 60, 960]),
        result_ttl=3600, failure_ttl=7 * 24 * 3600, job_timeout=600,
    )



def enqueue_in(delay, func, *args, municipality_id: int | None = None, **kwargs):
    """Like ``enqueue``, after ``delay`` (a timedelta), on RQ's scheduler (the worker runs with it).
    In-process there is no delayed queue: nothing is run now, and the caller's own sweep (on the
    schedule) takes the work up when it is due. Returns the job, or None in-process."""
    if current_app.config["JOBS_IN_PROCESS"]:
        return None
    if municipality_id is None:
        municipality_id = current_municipality_id()
    payload = (_path(func), municipality_id, current_actor_id(), list(args), kwargs)
    return queue().enqueue_in(delay, run_job, *payload, result_ttl=3600, failure_ttl=7 * 24 * 3600,
                              job_timeout=600)

def job(func=None, *, before_retry=None):
    """Marks a background job; ``before_retry(*args)`` runs in the job's municipality before an
    administrator's retry of a failed run (e.g. rows a killed worker left half-done)."""
    def mark(f):
        f.before_retry = before_retry
        return f

    return mark(func) if func is not None else mark


def _app():
    if has_app_context():
        return current_app._get_current_object()
    if _worker_app is None:
        raise RuntimeError("no application for the job: start workers with run_worker(app) "
                           "(`flask --app wsgi worker` or scripts/worker)")
    return _worker_app


def run_job(path: str, municipality_id: int | None, actor_id: int | None, args, kwargs):
    """What the worker runs: restore the app, the municipality and the actor, then call."""
    func = _resolve(path)
    app = _app()
    with app.app_context():
        from .extensions import db

        from .observability import job_scope

        try:
            with acting_as(actor_id, request_id=f"job:{os.getpid()}"), job_scope(municipality_id, path):
                if municipality_id is None:
                    return func(*args, **kwargs)
                with tenant(municipality_id):
                    return func(*args, **kwargs)
        finally:
            db.session.remove()


def run_worker(app, burst: bool = False) -> None:
    """Start an RQ worker for this app (``flask --app wsgi worker``)."""
    from rq import Worker

    global _worker_app
    _worker_app = app
    with app.app_context():
        from .extensions import db

        engine = db.engine
    # A forked work-horse must not reuse the parent's database connections.
    os.register_at_fork(after_in_child=lambda: engine.dispose(close=False))
    worker = Worker([QUEUE_NAME], connection=redis_connection(app))
    worker.work(burst=burst, with_scheduler=True)


# --- failed jobs, for the administrators ---------------------------------------------------------

def describe(job) -> dict:
    """What an administrator needs to see of a job: its function, municipality, error, times."""
    path, municipality_id = (job.args[0], job.args[1]) if job.args and len(job.args) >= 2 else (job.func_name, None)
    result = job.latest_result()
    error = (result.exc_string if result is not None and result.exc_string else "") or ""
    lines = [line for line in error.strip().splitlines() if line.strip()]
    return {"id": job.id, "path": path, "municipality_id": municipality_id, "error": error,
            "summary": lines[-1] if lines else "", "ended_at": job.ended_at, "enqueued_at": job.enqueued_at,
            "args": redact(job.args[3] if job.args and len(job.args) >= 4 else [])}


REDACTED = "…"


def redact(args) -> list:
    """Job arguments as an administrator may see them: ids (whole numbers) and nothing else.
    Jobs carry only ids by rule; anything else (a string that could be a token, an address) is
    replaced, so a job enqueued against the rule still shows no secret."""
    return [a if isinstance(a, int) and not isinstance(a, bool) else REDACTED for a in (args or [])]


def failed_jobs(app=None, limit: int = 200) -> list[dict]:
    """The jobs in RQ's failed registry, newest first (only with Redis)."""
    from rq.job import Job
    from rq.registry import FailedJobRegistry

    q = queue(app)
    registry = FailedJobRegistry(queue=q)
    ids = registry.get_job_ids(0, limit - 1, desc=True)
    return [describe(job) for job in Job.fetch_many(ids, connection=q.connection) if job is not None]


def retry_failed(job_id: str, app=None):
    """Requeue a failed job, after the repair its function declares (``@job(before_retry=...)``: e.g.
    invitation rows a killed worker left 'sending' go back to 'pending' once old enough). Returns the job."""
    from rq.job import Job
    from rq.registry import FailedJobRegistry

    q = queue(app)
    job = Job.fetch(job_id, connection=q.connection)
    if job.id not in FailedJobRegistry(queue=q).get_job_ids():
        raise LookupError(job_id)
    path, municipality_id, _actor, args, _kwargs = job.args
    repair = getattr(_resolve(path), "before_retry", None)
    if repair:
        from .extensions import db

        with tenant(municipality_id):
            repair(*args)
        db.session.remove()
    job.requeue()
    log.info("failed job %s (%s) requeued by an administrator", job.id, path)
    return job
