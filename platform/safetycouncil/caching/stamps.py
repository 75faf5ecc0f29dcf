"""Stamps that change whenever the data behind a cached result changes.

Every commit that writes a municipality's records (ORM objects or bulk statements, inside its
``tenant()`` scope) gives that municipality a new random stamp, in the same transaction; a commit
that writes one of the national inputs (classes marked ``__national_input__ = True``: the Ministry's
extra days off, the versions of the unified model) gives the ``national`` stamp a new value.

A cached result is stored under the stamps of the data it was computed from, so a write makes
the old entries unreachable at once, in every process, without deleting anything. Stamps are
random, not counters: a database that is reset or restored can never meet an entry cached for
other data under the same key.
"""
from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from uuid import uuid4

from sqlalchemy import event, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql.util import find_tables

from ..extensions import Base, db
from ..tenancy.context import current_municipality_id
from ..tenancy.orm import TenantOwned
from ..timeutil import utcnow
from .models import DataStamp

NATIONAL = "national"
_TOUCHED = "kvsp_touched_stamps"


def municipality_key(municipality_id: int) -> str:
    return f"municipality:{int(municipality_id)}"


def _touched(session: Session) -> set:
    return session.info.setdefault(_TOUCHED, set())


_tables_cache: dict[tuple[str, int], frozenset] = {}


def _tables_marked(marker: str) -> frozenset:
    mappers = Base.registry.mappers
    key = (marker, len(mappers))
    if key not in _tables_cache:
        _tables_cache[key] = frozenset(m.local_table for m in mappers if getattr(m.class_, marker, False))
    return _tables_cache[key]


def _national_tables() -> frozenset:
    return _tables_marked("__national_input__")


def _derived_tables() -> frozenset:
    """Tables computed from the others (``__derived_data__ = True``, e.g. compliance snapshots):
    writing them changes no stamp, or storing a result would make it stale at once."""
    return _tables_marked("__derived_data__")


@event.listens_for(Session, "after_flush")
def _note_flushed(session: Session, flush_context) -> None:
    from ..municipalities.models import Municipality

    keys = None
    for obj in chain(session.new, session.dirty, session.deleted):
        key = None
        if getattr(type(obj), "__derived_data__", False):
            continue
        if isinstance(obj, TenantOwned):
            if obj in session.dirty and not session.is_modified(obj, include_collections=False):
                continue
            mid = obj.municipality_id or current_municipality_id()
            key = municipality_key(mid) if mid else None
        elif isinstance(obj, Municipality) and obj.id is not None:
            key = municipality_key(obj.id)
        elif getattr(type(obj), "__national_input__", False):
            key = NATIONAL
        if key:
            keys = keys if keys is not None else _touched(session)
            keys.add(key)


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_writes(state: ORMExecuteState) -> None:
    if state.is_select or not (state.is_insert or state.is_update or state.is_delete):
        return
    tables = set(find_tables(state.statement, include_crud=True)) - _derived_tables()
    if any(getattr(t, "name", None) == DataStamp.__tablename__ for t in tables):
        return
    from ..tenancy.orm import _tenant_tables

    if tables & _tenant_tables():
        mid = current_municipality_id()
        if mid:
            _touched(state.session).add(municipality_key(mid))
    if tables & _national_tables():
        _touched(state.session).add(NATIONAL)


@event.listens_for(Session, "before_commit")
def _write_stamps(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()  # what is still pending is part of this commit: note it first
    keys = session.info.pop(_TOUCHED, None)
    if keys:
        write(session, keys)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_TOUCHED, None)


def write(session: Session, keys: Iterable[str]) -> None:
    """Give each key a new stamp (insert or update, in the session's transaction; sorted, so that
    two transactions touching the same municipalities lock their rows in the same order)."""
    now = utcnow()
    rows = [{"key": k, "stamp": uuid4().hex, "changed_at": now} for k in sorted(set(keys))]
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(DataStamp.__table__).values(rows)
    stmt = stmt.on_conflict_do_update(index_elements=["key"],
                                      set_={"stamp": stmt.excluded.stamp, "changed_at": stmt.excluded.changed_at})
    session.execute(stmt)


def read(keys: Iterable[str]) -> dict[str, str]:
    """The current stamps of ``keys`` (one query); keys never written are absent."""
    keys = list(set(keys))
    if not keys:
        return {}
    return dict(db.session.execute(select(DataStamp.key, DataStamp.stamp).where(DataStamp.key.in_(keys))).all())
