"""The production schedule loads into RQ's cron scheduler, and each entry runs on a real worker."""

import pytest

from safetycouncil.schedule import SCHEDULE

pytestmark = pytest.mark.postgres


def test_every_scheduled_job_is_known_and_runs(app):
    from rq import SimpleWorker
    from rq.cron import CronScheduler

    from safetycouncil.jobs import queue, run_job

    q = queue(app)
    scheduler = CronScheduler(q.connection)
    scheduler.load_config_from_file("safetycouncil.schedule")
    jobs = scheduler.get_jobs()
    assert sorted(j.name for j in jobs) == sorted(p.rsplit(".", 1)[-1] for p, _ in SCHEDULE)
    assert all(j.func is run_job and j.cron for j in jobs)
    with app.app_context():
        enqueued = [j.enqueue(q.connection) for j in jobs]
        SimpleWorker([q], connection=q.connection).work(burst=True)
    for job in enqueued:
        job.refresh()
        assert job.get_status() == "finished", job.exc_info
