"""Writes the audit trail automatically for every ``Audited`` model, on every flush."""
from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import NO_VALUE

from ..tenancy.context import current_municipality_id
from ..timeutil import utcnow
from .models import Audited, AuditEntry

_actor: ContextVar[int | None] = ContextVar("kvsp_audit_actor", default=None)
_request_id: ContextVar[str | None] = ContextVar("kvsp_request_id", default=None)


@contextmanager
def acting_as(user_id: int | None, request_id: str | None = None) -> Iterator[None]:
    """Attribute changes made in this block to ``user_id`` (requests, jobs, CLI commands)."""
    t1, t2 = _actor.set(user_id), _request_id.set(request_id)
    try:
        yield
    finally:
        _actor.reset(t1)
        _request_id.reset(t2)


def set_actor(user_id: int | None, request_id: str | None = None):
    return _actor.set(user_id), _request_id.set(request_id)


def reset_actor(tokens) -> None:
    _actor.reset(tokens[0])
    _request_id.reset(tokens[1])


def current_actor_id() -> int | None:
    return _actor.get()


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def _columns(obj) -> Iterator[tuple[str, object]]:
    mapper = inspect(obj).mapper
    excluded = getattr(obj, "__audit_exclude__", set())
    for attr in mapper.column_attrs:
        if attr.key not in excluded:
            yield attr.key, attr


def _entry(obj, action: str, changes: dict) -> dict:
    identity = inspect(obj).mapper.primary_key_from_instance(obj)
    return {
        "at": utcnow(),
        "user_id": _actor.get(),
        "municipality_id": getattr(obj, "municipality_id", None) or current_municipality_id(),
        "action": action,
        "entity_type": type(obj).__name__,
        "entity_id": ",".join(str(i) for i in identity) if any(i is not None for i in identity) else None,
        "changes": changes,
        "request_id": _request_id.get(),
    }


@event.listens_for(Session, "after_flush")
def _write_trail(session: Session, flush_context) -> None:
    rows = []
    for obj in session.new:
        if isinstance(obj, Audited):
            state = inspect(obj)
            after = {k: _plain(state.attrs[k].value) for k, _ in _columns(obj)}
            rows.append(_entry(obj, "create", {k: [None, v] for k, v in after.items() if v is not None}))
    for obj in session.dirty:
        if isinstance(obj, Audited) and session.is_modified(obj, include_collections=False):
            state = inspect(obj)
            changes = {}
            for key, _ in _columns(obj):
                hist = state.attrs[key].history
                if hist.has_changes():
                    before = hist.deleted[0] if hist.deleted else None
                    after = hist.added[0] if hist.added else None
                    if before != after:
                        changes[key] = [_plain(before), _plain(after)]
            if changes:
                rows.append(_entry(obj, "update", changes))
    for obj in session.deleted:
        if isinstance(obj, Audited):
            state = inspect(obj)
            before = {}
            for key, _ in _columns(obj):
                value = state.attrs[key].loaded_value
                before[key] = None if value is NO_VALUE else _plain(value)
            rows.append(_entry(obj, "delete", {k: [v, None] for k, v in before.items()}))
    if rows:
        session.connection().execute(insert(AuditEntry.__table__), rows)


def record(session: Session, action: str, entity_type: str, entity_id=None, *,
           municipality_id: int | None = None, details: dict | None = None) -> None:
    """Record an event that is not a change of a row (a sign-in, an invitation sent...)."""
    session.add(AuditEntry(
        user_id=_actor.get(),
        municipality_id=municipality_id or current_municipality_id(),
        action=action,
        entity_type=entity_type,
        entity_id=None if entity_id is None else str(entity_id),
        changes=details or {},
        request_id=_request_id.get(),
    ))
