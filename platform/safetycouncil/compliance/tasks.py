"""The nightly snapshot: a job for ``jobs.enqueue(nightly_snapshot)`` (national: no municipality scope;
it opens each municipality's scope itself to write its rows) and the CLI command
``flask --app wsgi compliance snapshot [--year Y]``."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from ..audit.trail import acting_as
from .services import nightly_snapshot, take_snapshots

compliance_group = AppGroup("compliance", help="The unified model's compliance snapshots.")


def enqueue_nightly():
    """Queue tonight's snapshot (the scheduler calls this)."""
    from .. import jobs

    return jobs.enqueue(nightly_snapshot)


@compliance_group.command("snapshot")
@click.option("--year", type=int, default=None, help="The year to judge (default: this year so far).")
def snapshot_command(year):
    """Judge every council and store one snapshot per council, rule and year."""
    with acting_as(None, request_id="cli"):
        written = take_snapshots(year) if year else nightly_snapshot()
    click.echo(f"{written} snapshot rows written.")


@compliance_group.command("warm")
@click.option("--year", "years", type=int, multiple=True, help="A year to judge (default: this year).")
def warm_command(years):
    """Judge every council into the cache (after a deployment, before taking traffic)."""
    from .engine import warm

    click.echo(f"{warm(list(years) or None)} council judgements ready.")


def warm_verdicts() -> int:
    """The scheduled warm-up just after midnight in Albania: each day starts with every council judged."""
    from .engine import warm

    return warm()
