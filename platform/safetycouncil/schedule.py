"""The production schedule, for RQ's cron scheduler: `rq cron safetycouncil.schedule -u $REDIS_URL`.

Without Redis (the embedded default) the same entries run in-process (inprocess_schedule.py).
Each entry runs through ``jobs.run_job`` so the worker restores the application (and, where
given, the municipality) before the function runs.
"""
from rq import cron

from safetycouncil.inprocess_schedule import SCHEDULE  # absolute: rq loads this file by path
from safetycouncil.jobs import QUEUE_NAME, run_job

# The entries are kept in one place, shared with the in-process schedule of the embedded default.
for path, when in SCHEDULE:
    cron.register(run_job, QUEUE_NAME, args=(path, None, None, [], {}), cron=when, name=path.rsplit(".", 1)[-1],
                  result_ttl=7 * 24 * 3600, failure_ttl=30 * 24 * 3600)
