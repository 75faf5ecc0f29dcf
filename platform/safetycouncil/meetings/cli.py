"""Command line for meetings: `flask --app wsgi meetings ...` (the production scheduler runs
`meetings send-reminders` daily)."""
from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from ..audit.trail import acting_as


@click.group("meetings", cls=AppGroup, help="Meetings: invitation reminders and deadlines.")
def meetings_group():
    pass


@meetings_group.command("send-reminders")
@click.option("--date", "day", default=None, help="Pretend today is this day (YYYY-MM-DD); default: today in Albania.")
def send_reminders_command(day):
    """Warn technical secretaries about invitation deadlines within 2 working days (once per meeting)."""
    from .invitations import send_deadline_reminders_job

    if day:
        try:
            date.fromisoformat(day)
        except ValueError:
            raise click.BadParameter("use the form YYYY-MM-DD", param_hint="--date") from None
    with acting_as(None, request_id="cli:meetings-reminders"):
        sent = send_deadline_reminders_job(day)
    click.echo(f"Reminders sent: {sent}.")


@meetings_group.command("recompute-deadlines")
def recompute_deadlines_command():
    """Recompute the invitation deadlines of every planned future meeting (after changing days off)."""
    from .services import recompute_future_deadlines

    with acting_as(None, request_id="cli:meetings-deadlines"):
        changed = recompute_future_deadlines()
    click.echo(f"Deadlines changed: {changed}.")
