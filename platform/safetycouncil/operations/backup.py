"""Backups that restore: the database and every stored document, with a manifest to check them.

A backup folder holds ``database.dump`` (PostgreSQL custom format) or ``database.sqlite3``,
``files/`` (every stored object under its key) and ``manifest.json`` (row counts per table,
SHA-256 per file). On PostgreSQL the dump and the data load run as a role that bypasses
row-level security (BACKUP_DATABASE_URL); the schema is created as the owner.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
from datetime import UTC
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from ..timeutil import now_in_albania

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def libpq_url(url: str) -> str:
    """SQLAlchemy URL -> what pg_dump and pg_restore understand."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def table_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = sorted(inspect(conn).get_table_names())
            return {n: conn.execute(text(f'SELECT count(*) FROM "{n}"')).scalar() for n in names}
    finally:
        engine.dispose()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def create_backup(app, out: Path) -> dict:
    """Write a backup of ``app``'s database and storage into the empty folder ``out``."""
    from ..storage import storage

    out = Path(out)
    out.mkdir(parents=True, exist_ok=False)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    backup_url = app.config.get("BACKUP_DATABASE_URL") or url
    if url.startswith("sqlite"):
        source = sqlite3.connect(make_url(url).database)
        target = sqlite3.connect(out / "database.sqlite3")
        with target:
            source.backup(target)
        source.close()
        target.close()
        counts = table_counts(f"sqlite:///{out / 'database.sqlite3'}")
    else:
        # Not the row-level security key (kvsp_private): each environment keeps its own, stored
        # again by the restore; the backup role cannot read it anyway.
        subprocess.run([str(PG_BIN / "pg_dump"), "--format=custom", "--no-owner", "--no-acl",
                        "--exclude-schema=kvsp_private",
                        f"--file={out / 'database.dump'}", libpq_url(backup_url)], check=True,
                       capture_output=True, text=True)
        counts = table_counts(backup_url)
    files = {}
    with app.app_context():
        store = storage()
        for key in store.keys():
            data = store.get(key)
            path = out / "files" / key
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            files[key] = _sha256(data)
    manifest = {"created_at": now_in_albania().astimezone(UTC).isoformat(), "tables": counts, "files": files}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def _store_scope_key(app) -> None:
    """The restored policies verify the application's signed scope with this environment's key."""
    from sqlalchemy import create_engine

    from ..tenancy.rls import scope_key, store_scope_key

    engine = create_engine(app.config["MIGRATION_DATABASE_URL"])
    try:
        with engine.begin() as conn:
            store_scope_key(conn, scope_key(app))
    finally:
        engine.dispose()


def restore_backup(app, source: Path) -> dict:
    """Bring a backup back into ``app``'s empty database and storage; returns what was restored,
    in the manifest's form, so callers can compare."""
    from ..storage import storage

    source = Path(source)
    manifest = json.loads((source / "manifest.json").read_text())
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        target = Path(make_url(url).database)
        if target.exists() and target.stat().st_size > 0 and table_counts(url):
            raise RuntimeError(f"{target} is not empty: restore only into an empty environment.")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / "database.sqlite3", target)
        counts = table_counts(url)
    else:
        owner = libpq_url(app.config["MIGRATION_DATABASE_URL"])
        loader = libpq_url(app.config.get("BACKUP_DATABASE_URL") or app.config["MIGRATION_DATABASE_URL"])
        if table_counts(app.config["MIGRATION_DATABASE_URL"]):
            raise RuntimeError("The target database is not empty: restore only into an empty environment.")
        dump = str(source / "database.dump")
        for section, conninfo in (("pre-data", owner), ("data", loader), ("post-data", owner)):
            subprocess.run([str(PG_BIN / "pg_restore"), "--no-owner", "--no-acl", "--exit-on-error",
                            f"--section={section}", f"--dbname={conninfo}", dump],
                           check=True, capture_output=True, text=True)
        _store_scope_key(app)
        counts = table_counts(app.config.get("BACKUP_DATABASE_URL") or app.config["MIGRATION_DATABASE_URL"])
    files = {}
    with app.app_context():
        store = storage()
        for key in manifest["files"]:
            data = (source / "files" / key).read_bytes()
            store.put(key, data, "application/octet-stream")
            files[key] = _sha256(store.get(key))
    return {"tables": counts, "files": files}
