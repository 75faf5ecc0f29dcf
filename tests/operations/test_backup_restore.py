"""A backup restores into an empty environment with every row and every document intact."""
import os

import pytest
from sqlalchemy import create_engine, text

from safetycouncil.areas.models import Area
from safetycouncil.documents.services import store_document
from safetycouncil.operations.backup import create_backup, restore_backup, table_counts

from ..conftest import PG

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def some_records(app, in_tenant, make_user):
    """Returns the storage keys of the documents it stored."""
    make_user("technical_secretary", municipality="elbasan")
    keys = []
    for slug in ("elbasan", "fier"):
        with in_tenant(slug) as session:
            session.add_all([Area(name=f"Zona {slug} {i}", kind="village") for i in range(3)])
            keys.append(store_document(f"Rregullore {slug}", f"rregullore-{slug}.pdf", PDF + slug.encode(),
                                       uploaded_by_id=None).storage_key)
    return keys


@pytest.fixture
def empty_environment(base_config, tmp_path):
    """The config of a second, empty environment: database and storage."""
    config = {**base_config, "STORAGE_DIR": str(tmp_path / "restored-files")}
    if PG:
        owner = os.environ["KVSP_TEST_PG_RESTORE_OWNER_URL"]
        engine = create_engine(owner)
        with engine.begin() as conn:
            for table in conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname='public'")).scalars():
                conn.execute(text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))
        engine.dispose()
        import boto3

        s3 = boto3.client("s3", endpoint_url=base_config["S3_ENDPOINT_URL"], region_name="us-east-1")
        bucket = f"kvsp-restore-{os.getpid()}-{tmp_path.name[-12:].lower().replace('_', '-')}"
        s3.create_bucket(Bucket=bucket)
        config.update({"SQLALCHEMY_DATABASE_URI": os.environ["KVSP_TEST_PG_RESTORE_APP_URL"],
                       "MIGRATION_DATABASE_URL": owner, "S3_BUCKET": bucket,
                       "BACKUP_DATABASE_URL": os.environ["KVSP_TEST_PG_RESTORE_BACKUP_URL"]})
    else:
        url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        config.update({"SQLALCHEMY_DATABASE_URI": url, "MIGRATION_DATABASE_URL": url})
    return config


def test_backup_then_restore_into_an_empty_environment(app, some_records, empty_environment, tmp_path):
    from safetycouncil.app import create_app

    if PG:
        app.config["BACKUP_DATABASE_URL"] = os.environ["KVSP_TEST_PG_BACKUP_URL"]
    try:
        manifest = create_backup(app, tmp_path / "backup")
    finally:
        app.config.pop("BACKUP_DATABASE_URL", None)
    assert manifest["tables"]["areas"] == 6 and manifest["tables"]["municipalities"] == 61
    assert set(some_records) <= set(manifest["files"])  # (the test storage also holds other tests' files)
    source_counts = table_counts(os.environ["KVSP_TEST_PG_BACKUP_URL"] if PG else app.config["SQLALCHEMY_DATABASE_URI"])
    assert manifest["tables"] == source_counts

    target = create_app(empty_environment)
    restored = restore_backup(target, tmp_path / "backup")
    assert restored["tables"] == manifest["tables"]
    assert restored["files"] == manifest["files"]

    # The restored environment works, and on PostgreSQL still keeps municipalities apart.
    from sqlalchemy import select

    from safetycouncil.extensions import db
    from safetycouncil.municipalities.models import Municipality
    from safetycouncil.tenancy import tenant

    with target.app_context():
        fier = db.session.execute(select(Municipality.id).where(Municipality.slug == "fier")).scalar_one()
        with tenant(fier):
            assert sorted(db.session.execute(select(Area.name)).scalars()) == [f"Zona fier {i}" for i in range(3)]
        if PG:
            assert db.session.execute(text("SELECT count(*) FROM areas")).scalar() == 0  # no tenant set: nothing
        db.session.remove()


def test_restore_refuses_a_database_that_is_not_empty(app, some_records, tmp_path):
    if PG:
        app.config["BACKUP_DATABASE_URL"] = os.environ["KVSP_TEST_PG_BACKUP_URL"]
    try:
        create_backup(app, tmp_path / "backup")
        with pytest.raises(RuntimeError, match="not empty"):
            restore_backup(app, tmp_path / "backup")
    finally:
        app.config.pop("BACKUP_DATABASE_URL", None)
