import click
from flask.cli import AppGroup

data_protection_group = AppGroup("data-protection", help="Personal data: retention, erasure and archives.")


@data_protection_group.command("purge")
def purge_command():
    """Erase citizens' contact details on concerns older than the retention period."""
    from ..audit.trail import acting_as
    from .services import contact_retention_days, purge_concern_contacts

    with acting_as(None, request_id="cli"):
        erased = purge_concern_contacts()
    click.echo(f"Erased {erased} contact details older than {contact_retention_days()} days.")


@data_protection_group.command("export-archive")
@click.argument("slug")
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Where to write the zip (default: kvsp-<slug>-<time>.zip here).")
def export_archive_command(slug, out):
    """Write one municipality's data archive (tables as JSON, stored documents, manifest) to a zip."""
    from sqlalchemy import select

    from ..audit.trail import acting_as
    from ..extensions import db
    from ..municipalities.models import Municipality
    from ..tenancy import tenant
    from ..timeutil import utcnow
    from .archive import archive_filename, export_to_file

    municipality = db.session.execute(select(Municipality).where(Municipality.slug == slug)).scalar_one_or_none()
    if municipality is None:
        raise click.ClickException(f"No municipality with the slug {slug!r}.")
    out = out or archive_filename(slug, utcnow())
    with acting_as(None, request_id="cli"), tenant(municipality.id):
        manifest = export_to_file(municipality.id, out)
    rows = sum(t["rows"] for t in manifest["tables"].values())
    click.echo(f"Wrote {out}: {len(manifest['tables'])} tables, {rows} rows, {len(manifest['files'])} files.")
    if manifest["missing_files"]:
        click.echo(f"Warning: {len(manifest['missing_files'])} documents have no stored file.", err=True)
