"""Every migration upgrades and downgrades cleanly, on SQLite and on PostgreSQL."""
import os

import pytest
from sqlalchemy import create_engine, inspect, text

from ..conftest import PG


@pytest.fixture
def empty_database_url(tmp_path):
    if PG:
        url = os.environ.get("KVSP_TEST_PG_RESTORE_OWNER_URL")
        if not url:
            pytest.fail("KVSP_TEST_PG_RESTORE_OWNER_URL is not set (scripts/services.py provides it)")
        engine = create_engine(url)
        with engine.begin() as conn:
            for table in conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars():
                conn.execute(text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))
        engine.dispose()
        return url
    return f"sqlite:///{tmp_path / 'migrations.sqlite3'}"


def test_upgrade_downgrade_upgrade(base_config, empty_database_url):
    from flask_migrate import downgrade, upgrade

    from safetycouncil.app import create_app
    from safetycouncil.extensions import db

    app = create_app({**base_config, "SQLALCHEMY_DATABASE_URI": empty_database_url,
                      "MIGRATION_DATABASE_URL": empty_database_url})
    engine = create_engine(empty_database_url)
    with app.app_context():
        upgrade()
        tables = set(inspect(engine).get_table_names())
        assert {t.name for t in db.metadata.sorted_tables} <= tables
        downgrade(revision="base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert {t.name for t in db.metadata.sorted_tables} <= set(inspect(engine).get_table_names())
        downgrade(revision="base")
    engine.dispose()


def test_the_models_and_the_migrations_agree(app):
    """Autogenerate finds nothing to do: every model change has its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from safetycouncil.extensions import db

    engine = create_engine(app.config["MIGRATION_DATABASE_URL"])
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    engine.dispose()
    assert diff == []
