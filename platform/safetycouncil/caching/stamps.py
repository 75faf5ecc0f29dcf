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

from flask import g, has_request_context
from sqlalchemy import event, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql.util import find_tables

from ..extensions import db, mapped_tables
from ..tenancy.context import current_municipality_id
from ..tenancy.orm import TenantOwned, tenant_tables
from ..timeutil import utcnow
from .models import DataStamp

NATIONAL = "national"
SHARED_PREFIX = "shared:"
_TOUCHED = "kvsp_touched_stamps"
_READ = "kvsp_read_stamps"


def municipality_key(municipality_id: int) -> str:
    return f"municipality:{int(municipality_id)}"


def shared_key(name: str) -> str:
    """The stamp of a kind of record that pages of other municipalities show too (``__shared_stamp__
    = name`` on its classes: e.g. "surveys", read by every council's national comparison). It changes
    with any write of such a record in any municipality, besides that municipality's own stamp."""
    return f"{SHARED_PREFIX}{name}"


def _shared(cls) -> str | None:
    return getattr(cls, "__shared_stamp__", None)


def _touched(session: Session) -> set:
    return session.info.setdefault(_TOUCHED, set())


def _is_national_input(cls) -> bool:
    return getattr(cls, "__national_input__", False)


def _is_derived(cls) -> bool:
    """Tables computed from the others (``__derived_data__ = True``, e.g. compliance snapshots):
    writing them changes no stamp, or storing a result would make it stale at once."""
    return getattr(cls, "__derived_data__", False)


@event.listens_for(Session, "after_flush")
def _note_flushed(session: Session, flush_context) -> None:
    from ..municipalities.models import Municipality

    keys = None
    for obj in chain(session.new, session.dirty, session.deleted):
        key = None
        if _is_derived(type(obj)):
            continue
        if isinstance(obj, TenantOwned):
            if obj in session.dirty and not session.is_modified(obj, include_collections=False):
                continue
            mid = obj.municipality_id or current_municipality_id()
            key = municipality_key(mid) if mid else None
        elif isinstance(obj, Municipality) and obj.id is not None:
            key = municipality_key(obj.id)
        elif _is_national_input(type(obj)):
            key = NATIONAL
        if key:
            keys = keys if keys is not None else _touched(session)
            keys.add(key)
            if _shared(type(obj)):
                keys.add(shared_key(_shared(type(obj))))


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_writes(state: ORMExecuteState) -> None:
    if state.is_select or not (state.is_insert or state.is_update or state.is_delete):
        return
    tables = set(find_tables(state.statement, include_crud=True)) - mapped_tables(_is_derived)
    if DataStamp.__table__ in tables:
        return
    if tables & tenant_tables():
        mid = current_municipality_id()
        if mid:
            _touched(state.session).add(municipality_key(mid))
    if tables & mapped_tables(_is_national_input):
        _touched(state.session).add(NATIONAL)
    if tables & mapped_tables(_shared):
        shared = {m.local_table: _shared(m.class_) for m in db.Model.registry.mappers if _shared(m.class_)}
        # ``tables`` may hold the ORM's annotated copies: found by equality, as in the intersection
        _touched(state.session).update(shared_key(shared[t]) for t in tables if t in shared)


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


@event.listens_for(Session, "after_commit")
def _forget_read_stamps(session: Session) -> None:
    if has_request_context():
        g.pop(_READ, None)  # this commit may have changed stamps the request read


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
    """The current stamps of ``keys`` (one query); keys never written are absent. Within a request a
    stamp is read once (a page's cached blocks all ask for the municipality's), until a commit."""
    keys = set(keys)
    known: dict[str, str | None] = g.setdefault(_READ, {}) if has_request_context() else {}
    missing = [k for k in keys if k not in known]
    if missing:
        if len(missing) > 50:
            # the console over 2,000 municipalities: the whole table (one row per municipality and the
            # national one), filtered here. "key = ANY(array parameter)" compared every row with every
            # element, not hashed (a parameter, not constants): 0.6 s at 2,061 municipalities
            found = dict(db.session.execute(select(DataStamp.key, DataStamp.stamp)).all())
        else:
            found = dict(db.session.execute(select(DataStamp.key, DataStamp.stamp)
                                            .where(DataStamp.key.in_(missing))).all())
        known.update({k: found.get(k) for k in missing})
    return {k: known[k] for k in keys if known[k] is not None}
