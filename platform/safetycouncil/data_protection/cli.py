import click
from flask.cli import AppGroup

data_protection_group = AppGroup("data-protection", help="Personal data: retention and erasure.")


@data_protection_group.command("purge")
def purge_command():
    """Erase citizens' contact details on concerns older than the retention period."""
    from .services import purge_concern_contacts

    click.echo(f"Erased {purge_concern_contacts()} contact details past the retention period.")
