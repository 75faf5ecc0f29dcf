"""Command line: `flask --app wsgi ...` for administrators and operators."""
from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from .accounts import services
from .accounts.models import User
from .accounts.roles import Role
from .audit.trail import acting_as
from .extensions import db
from .municipalities.models import County, Municipality


def register_cli(app) -> None:
    from .areas_registry import cli_groups

    app.cli.add_command(user_group)
    app.cli.add_command(tenants_group)
    app.cli.add_command(demo_group)
    app.cli.add_command(worker_command)
    app.cli.add_command(backup_group)
    for group in cli_groups():
        app.cli.add_command(group)


@click.group("user", cls=AppGroup, help="Manage accounts.")
def user_group():
    pass


@user_group.command("create")
@click.option("--email", required=True)
@click.option("--name", default=None, help="Full name (defaults to the e-mail).")
@click.option("--role", "role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--municipality", "municipality_slug", default=None, help="Municipality slug, for council roles.")
@click.option("--county", "county_name", default=None, help="County name or slug, for the prefecture role.")
@click.option("--locale", default="sq", type=click.Choice(["sq", "en"]))
def create_user_command(email, name, role, municipality_slug, county_name, locale):
    """Create an account; the password is read from standard input (never from the command line)."""
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    municipality = county = None
    if municipality_slug:
        municipality = db.session.execute(
            select(Municipality).where(Municipality.slug == municipality_slug)).scalar_one_or_none()
        if municipality is None:
            raise click.ClickException(f"No municipality with the slug {municipality_slug!r}.")
    if county_name:
        county = db.session.execute(select(County).where(
            (County.name == county_name) | (County.slug == county_name.lower()))).scalar_one_or_none()
        if county is None:
            raise click.ClickException(f"No county named {county_name!r}.")
    with acting_as(None, request_id="cli"):
        try:
            user = services.create_user(email, name or email, locale=locale, password=password)
            services.grant_role(user, role, municipality=municipality, county=county)
            db.session.commit()
        except services.AccountError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from None
    click.echo(f"Created {user.email} ({role}{', ' + municipality.slug if municipality else ''}"
               f"{', ' + county.name if county else ''}).")


@user_group.command("list")
def list_users_command():
    """List accounts with their roles."""
    for user in db.session.execute(select(User).order_by(User.email)).scalars():
        roles = ", ".join(
            r.role + (f"@{r.municipality.slug}" if r.municipality else "") + (f"@{r.county.slug}" if r.county else "")
            for r in user.roles)
        state = "active" if user.active else "disabled"
        if user.active and not user.password_hash:
            state = "invited"
        click.echo(f"{user.email}\t{user.name}\t{state}\t{roles}")


@click.group("tenants", cls=AppGroup, help="Municipalities and counties.")
def tenants_group():
    pass


@tenants_group.command("provision")
def provision_command():
    """Create or update the 61 municipalities and 12 counties from tenants/. Idempotent."""
    from .municipalities.provisioning import provision

    report = provision()
    click.echo(f"Counties created: {report.counties_created}; municipalities created: "
               f"{report.municipalities_created}; updated: {report.updated}.")


@tenants_group.command("rls-key")
def rls_key_command():
    """Store the key that signs the row-level security scope (after SECRET_KEY or RLS_SCOPE_KEY
    changed), as the owner of the tables (MIGRATION_DATABASE_URL). PostgreSQL only."""
    from sqlalchemy import create_engine

    from .tenancy.rls import scope_key, store_scope_key

    url = current_app.config["MIGRATION_DATABASE_URL"]
    if not url.startswith("postgresql"):
        click.echo("Nothing to do: row-level security is PostgreSQL's.")
        return
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            store_scope_key(conn, scope_key())
    finally:
        engine.dispose()
    click.echo("The row-level security key is stored.")


@click.group("demo", cls=AppGroup, help="Demo data for the embedded default.")
def demo_group():
    pass


@demo_group.command("load")
def demo_load_command():
    """Load demo people and records for every municipality. Idempotent."""
    from .demo import load_demo

    logins = load_demo()
    click.echo("Demo sign-ins (password for all: %s):" % current_app.config.get("DEMO_PASSWORD", "demo-password-2026"))
    for email, what in logins:
        click.echo(f"  {email:<45} {what}")


@click.command("worker")
@with_appcontext
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst):
    """Run an RQ worker (with the scheduler) for background jobs."""
    from .jobs import run_worker

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: on the embedded default jobs run in-process.")
    run_worker(current_app._get_current_object(), burst=burst)


@click.group("backup", cls=AppGroup, help="Backups of the database and the stored documents.")
def backup_group():
    pass


@backup_group.command("create")
@click.argument("out", type=click.Path(file_okay=False))
def backup_create_command(out):
    """Write a backup into the new folder OUT."""
    from .operations.backup import create_backup

    manifest = create_backup(current_app._get_current_object(), out)
    click.echo(f"Backed up {sum(manifest['tables'].values())} rows in {len(manifest['tables'])} tables "
               f"and {len(manifest['files'])} files into {out}.")


@backup_group.command("restore")
@click.argument("source", type=click.Path(exists=True, file_okay=False))
def backup_restore_command(source):
    """Restore the backup in SOURCE into this (empty) environment, then check it against its manifest."""
    import json
    from pathlib import Path

    from .operations.backup import restore_backup

    restored = restore_backup(current_app._get_current_object(), source)
    manifest = json.loads((Path(source) / "manifest.json").read_text())
    if restored != {"tables": manifest["tables"], "files": manifest["files"]}:
        raise click.ClickException("The restored data does not match the backup's manifest.")
    click.echo(f"Restored and checked {len(manifest['tables'])} tables and {len(manifest['files'])} files.")
