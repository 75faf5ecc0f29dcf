"""The production schedule, for RQ's cron scheduler: `rq cron safetycouncil.schedule -u $REDIS_URL`.

Each entry runs through ``jobs.run_job`` so the worker restores the application (and, where
given, the municipality) before the function runs.
"""
from rq import cron

from safetycouncil.jobs import QUEUE_NAME, run_job  # absolute: rq loads this file by path

SCHEDULE = [
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
]

for path, when in SCHEDULE:
    cron.register(run_job, QUEUE_NAME, args=(path, None, None, [], {}), cron=when, name=path.rsplit(".", 1)[-1],
                  result_ttl=7 * 24 * 3600, failure_ttl=30 * 24 * 3600)
