"""A municipality's data as one archive: a zip with one JSON file per table, its stored files, a manifest.

    manifest.json         municipality, generated_at, platform_version, schema_revision,
                          tables {name: {file, rows, sha256}}, files {path: {storage_key, size, sha256, document_id}}
    tables/<table>.json   the municipality's rows of every tenant table, its rows of the global tables that
                          carry a municipality id (roles, audit trail, consultation participants), and the
                          global rows they refer to (its county, linked institutions, categories, the staff
                          accounts named in its records: id and name, and the e-mail of those with a role there)
    files/<key>           every object stored under the municipality's prefix (documents, materials, audio,
                          generated reports), except earlier archives

Secrets never leave: sign-in tokens, sessions and password or two-factor hashes are not exported.
Built by ``build_archive_job`` (a background job, inside the municipality's scope) or by the CLI.
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import logging
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from ..audit.trail import current_actor_id, record
from ..documents.models import Document
from ..extensions import db
from ..municipalities.models import Municipality
from ..storage import municipality_prefix, object_key, storage
from ..tenancy.context import current_municipality_id
from ..tenancy.orm import TenantOwned
from ..timeutil import utcnow
from .models import DataArchive

log = logging.getLogger(__name__)
FORMAT = "kvsp-municipality-archive/1"
# Never exported: secrets of sign-in, and the migration bookkeeping.
EXCLUDED_TABLES = frozenset({"alembic_version", "account_tokens", "api_tokens", "user_sessions"})
# Of a staff account, only these leave the platform (the e-mail only for people with a role here).
USER_COLUMNS = ("id", "name", "email", "locale", "active", "created_at")
# Global rows that come with the global rows they belong to (a questionnaire's questions).
CHILDREN = {"survey_questions": ("questionnaire_id", "survey_questionnaires")}
ARCHIVE_KIND = "archives"
CHUNK = 500


def platform_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("safetycouncil")
    except PackageNotFoundError:  # pragma: no cover - running from a checkout without installing
        return "unknown"


def _schema_revision() -> str | None:
    try:
        return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:  # a database made without migrations
        db.session.rollback()
        return None


def tenant_table_names() -> set[str]:
    return {m.local_table.name for m in db.Model.registry.mappers if issubclass(m.class_, TenantOwned)}


def _rows(table, where) -> list[dict]:
    pk = list(table.primary_key.columns)
    query = select(table).where(where).order_by(*pk)
    return [dict(row) for row in db.session.execute(query).mappings()]


def _rows_by_id(table, column, ids: set) -> list[dict]:
    rows, ids = [], sorted(ids)
    for start in range(0, len(ids), CHUNK):
        rows += _rows(table, column.in_(ids[start:start + CHUNK]))
    return rows


def collect_tables(municipality_id: int) -> dict[str, list[dict]]:
    """Every row that belongs to the municipality, and the global rows they refer to, by table.

    Runs inside the municipality's scope; each query also names the municipality itself."""
    tables = db.metadata.tables
    tenant_tables = tenant_table_names()
    exported: dict[str, list[dict]] = {}
    own: set[str] = set()  # tables whose rows are the municipality's own (not reference rows)
    for table in db.metadata.sorted_tables:
        if table.name in EXCLUDED_TABLES:
            continue
        if table.name == "municipalities":
            exported[table.name] = _rows(table, table.c.id == municipality_id)
        elif "municipality_id" in table.c:
            exported[table.name] = _rows(table, table.c.municipality_id == municipality_id)
            own.add(table.name)
    if not tenant_tables <= own:
        raise RuntimeError(f"tenant tables left out of the archive: {sorted(tenant_tables - own)}")
    # The global rows the exported rows refer to, followed until nothing new is found. Staff accounts
    # are followed only from the municipality's own rows (not from national reference rows).
    changed = True
    while changed:
        changed = False
        for target in db.metadata.sorted_tables:
            if target.name in EXCLUDED_TABLES or target.name in own:
                continue
            have = {row["id"] for row in exported.get(target.name, [])}
            wanted: set = set()
            for source_name, rows in list(exported.items()):
                if target.name == "users" and source_name not in own:
                    continue
                for fk in tables[source_name].foreign_keys:
                    if fk.column.table is target and fk.column.name == "id":
                        wanted |= {row[fk.parent.name] for row in rows if row.get(fk.parent.name) is not None}
            child = CHILDREN.get(target.name)
            if child:
                column, parent = child
                parents = {row["id"] for row in exported.get(parent, [])}
                if parents:
                    wanted |= {row["id"] for row in _rows(target, target.c[column].in_(sorted(parents)))}
            missing = wanted - have
            if missing:
                exported.setdefault(target.name, []).extend(_rows_by_id(target, target.c.id, missing))
                exported[target.name].sort(key=lambda row: row["id"])
                changed = True
    if "users" in exported:
        with_role = {row["user_id"] for row in exported.get("role_assignments", [])}
        exported["users"] = [{k: (row[k] if k != "email" or row["id"] in with_role else None) for k in USER_COLUMNS}
                             for row in exported["users"]]
    return dict(sorted(exported.items()))


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def _json(rows: list[dict]) -> bytes:
    return json.dumps(rows, ensure_ascii=False, indent=1, default=_plain).encode("utf-8")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_archive(municipality_id: int) -> tuple[bytes, dict]:
    """The zip and its manifest. Runs inside the municipality's scope."""
    if current_municipality_id() != municipality_id:
        raise RuntimeError("build_archive runs inside the municipality's own scope")
    municipality = db.session.get(Municipality, municipality_id)
    manifest = {
        "format": FORMAT,
        "municipality": {"id": municipality.id, "slug": municipality.slug, "name": municipality.name,
                         "county": municipality.county.name},
        "generated_at": utcnow().isoformat() + "Z",
        "platform_version": platform_version(),
        "schema_revision": _schema_revision(),
        "tables": {},
        "files": {},
        "missing_files": [],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, rows in collect_tables(municipality_id).items():
            data = _json(rows)
            path = f"tables/{name}.json"
            archive.writestr(path, data)
            manifest["tables"][name] = {"file": path, "rows": len(rows), "sha256": _sha256(data)}
        prefix = municipality_prefix(municipality_id)
        documents = {d.storage_key: d.id for d in db.session.execute(select(Document)).scalars()}
        store = storage()
        found = set()
        for key in store.keys(prefix):
            if key.startswith(f"{prefix}{ARCHIVE_KIND}/"):
                continue
            data = store.get(key)
            path = f"files/{key[len(prefix):]}"
            archive.writestr(path, data)
            found.add(key)
            manifest["files"][path] = {"storage_key": key, "size": len(data), "sha256": _sha256(data),
                                       "document_id": documents.get(key)}
        manifest["missing_files"] = sorted(k for k in documents if k not in found)
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
    return buffer.getvalue(), manifest


def summary(manifest: dict) -> dict:
    return {"tables": len(manifest["tables"]), "rows": sum(t["rows"] for t in manifest["tables"].values()),
            "files": len(manifest["files"]), "missing_files": len(manifest["missing_files"])}


def archive_filename(slug: str, when) -> str:
    return f"kvsp-{slug}-{when:%Y%m%d-%H%M%S}.zip"


def build_archive_job() -> int:
    """Background job, inside the municipality's scope and as the person who asked: build the archive,
    store it, and record it (the ``DataArchive`` row is in the audit trail). Returns the row's id."""
    municipality_id = current_municipality_id()
    row = DataArchive(status="preparing", requested_by_id=current_actor_id(), summary={})
    db.session.add(row)
    db.session.commit()
    try:
        data, manifest = build_archive(municipality_id)
        slug = manifest["municipality"]["slug"]
        key = object_key(municipality_id, ARCHIVE_KIND, archive_filename(slug, row.requested_at))
        storage().put(key, data, "application/zip")
        now = utcnow()
        row.status, row.storage_key, row.size_bytes, row.sha256 = "ready", key, len(data), _sha256(data)
        row.generated_at = now
        row.expires_at = now + timedelta(days=int(current_app.config.get("DATA_ARCHIVE_KEEP_DAYS", 7)))
        row.summary = summary(manifest)
        record(db.session, "data_archive_exported", "DataArchive", row.id, municipality_id=municipality_id,
               details={"size": len(data), "sha256": row.sha256, **row.summary})
        db.session.commit()
    except Exception as exc:  # the failure is shown on the archives page
        log.exception("the data archive of municipality %s failed", municipality_id)
        db.session.rollback()
        row = db.session.get(DataArchive, row.id)
        row.status, row.error = "failed", f"{type(exc).__name__}: {exc}"[:500]
        db.session.commit()
    return row.id


def export_to_file(municipality_id: int, out) -> dict:
    """The CLI's export: write the archive to ``out`` and record it in the audit trail. Commits."""
    data, manifest = build_archive(municipality_id)
    with open(out, "wb") as fh:
        fh.write(data)
    record(db.session, "data_archive_exported", "Municipality", municipality_id, municipality_id=municipality_id,
           details={"file": str(out)[-200:], "size": len(data), "sha256": _sha256(data), **summary(manifest)})
    db.session.commit()
    return manifest


def list_archives() -> list[DataArchive]:
    return list(db.session.execute(select(DataArchive).order_by(DataArchive.id.desc())).scalars())


def get_archive(archive_id: int) -> DataArchive | None:
    return db.session.execute(select(DataArchive).where(DataArchive.id == archive_id)).scalar_one_or_none()


def read_archive(archive: DataArchive) -> bytes | None:
    """The zip of a ready archive whose file is still stored, else None."""
    if archive.status != "ready" or not archive.storage_key:
        return None
    store = storage()
    return store.get(archive.storage_key) if store.exists(archive.storage_key) else None


def record_download(archive: DataArchive) -> None:
    """The caller commits."""
    record(db.session, "data_archive_downloaded", "DataArchive", archive.id, municipality_id=archive.municipality_id,
           details={"sha256": archive.sha256, "size": archive.size_bytes})


def delete_expired_archives(now=None) -> int:
    """Delete the files of archives past their expiry, in every municipality (the rows stay, 'expired'). Commits."""
    from ..tenancy import tenant

    now = now or utcnow()
    deleted = 0
    for municipality_id in db.session.execute(select(Municipality.id)).scalars().all():
        with tenant(municipality_id):
            expired = db.session.execute(select(DataArchive).where(
                DataArchive.status == "ready", DataArchive.expires_at < now)).scalars().all()
            for row in expired:
                if row.storage_key:
                    storage().delete(row.storage_key)
                row.status = "expired"
                deleted += 1
            db.session.commit()
    return deleted
