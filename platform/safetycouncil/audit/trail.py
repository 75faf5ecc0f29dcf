"""Writes the audit trail automatically for every ``Audited`` model, on every flush."""
from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import NO_VALUE

from ..tenancy.context import current_municipality_id, tenant
from ..timeutil import utcnow
from .models import Audited, AuditedLink, AuditEntry

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


def attribute_to(user_id: int) -> None:
    """The person has just proved who they are (a sign-in): what follows in this request or job is
    theirs, not the system's. Changes nothing when someone is already acting."""
    if _actor.get() is None:
        _actor.set(user_id)


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


_LINKS = "kvsp_audit_links"
_LABEL_ATTRIBUTES = ("name", "title", "full_name", "label", "code")


def _target(obj) -> dict:
    """The linked record, as the trail keeps it: its id and, when it has one, its name."""
    attribute = obj.__audit_link__[3]
    state = inspect(obj)
    target = state.attrs[attribute].loaded_value
    if target is NO_VALUE or target is None:  # a new link: its record is named when the transaction ends
        return {"id": getattr(obj, f"{attribute}_id", None),
                "_class": state.mapper.relationships[attribute].mapper.class_}
    return {"id": getattr(target, "id", None), **_name(target)}


def _name(target) -> dict:
    name = next((getattr(target, a) for a in _LABEL_ATTRIBUTES if getattr(target, a, None)), None)
    return {"label": str(name)} if name else {}


def _collect_link(session: Session, obj, change: str) -> None:
    parent_column, parent_type, relation, _ = obj.__audit_link__
    state = inspect(obj)
    if change == "removed":
        value = state.attrs[parent_column].loaded_value
        parent_id = None if value is NO_VALUE else value
    else:
        parent_id = getattr(obj, parent_column)
    municipality_id = getattr(obj, "municipality_id", None) or current_municipality_id()
    key = (municipality_id, parent_type, parent_id, relation)
    pending = session.info.setdefault(_LINKS, {}).setdefault(key, {"added": {}, "removed": {}})
    target = _target(obj)
    opposite = "added" if change == "removed" else "removed"
    if target["id"] in pending[opposite]:  # removed and added again in the same transaction
        del pending[opposite][target["id"]]
    else:
        pending[change][target["id"]] = target


@event.listens_for(Session, "before_commit")
def _write_links(session: Session) -> None:
    """Links added and removed during the transaction, one entry per parent record, net of
    links removed and put back (a form that replaces every link writes only what changed)."""
    session.flush()
    pending = session.info.pop(_LINKS, None)
    if not pending:
        return
    rows = []
    for (municipality_id, *_), change in pending.items():
        for target in [*change["added"].values(), *change["removed"].values()]:
            cls = target.pop("_class", None)
            if cls is not None and target["id"] is not None:
                # read in the link's own municipality (a commit may come after its tenant block)
                with tenant(municipality_id, read_only=True) if municipality_id else nullcontext():
                    found = session.get(cls, target["id"])
                if found is not None:
                    target.update(_name(found))
    for (municipality_id, parent_type, parent_id, relation), change in pending.items():
        added = sorted(change["added"].values(), key=lambda t: str(t.get("label", t["id"])))
        removed = sorted(change["removed"].values(), key=lambda t: str(t.get("label", t["id"])))
        if not added and not removed:
            continue
        rows.append({
            "at": utcnow(), "user_id": _actor.get(), "municipality_id": municipality_id, "action": "update",
            "entity_type": parent_type, "entity_id": None if parent_id is None else str(parent_id),
            "changes": {relation: {"added": added, "removed": removed}}, "request_id": _request_id.get(),
        })
    if rows:
        session.connection().execute(insert(AuditEntry.__table__), rows)


@event.listens_for(Session, "after_soft_rollback")
def _forget_links(session: Session, previous_transaction) -> None:
    session.info.pop(_LINKS, None)


@event.listens_for(Session, "after_flush")
def _write_trail(session: Session, flush_context) -> None:
    for obj in session.new:
        if isinstance(obj, AuditedLink):
            _collect_link(session, obj, "added")
    for obj in session.deleted:
        if isinstance(obj, AuditedLink):
            _collect_link(session, obj, "removed")
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
           municipality_id: int | None = None, details: dict | None = None, user_id: int | None = None) -> None:
    """Record an event that is not a change of a row (a sign-in, an invitation sent...); ``user_id``
    names who acted when nobody is acting yet (the person signing in)."""
    session.add(AuditEntry(
        user_id=_actor.get() or user_id,
        municipality_id=municipality_id or current_municipality_id(),
        action=action,
        entity_type=entity_type,
        entity_id=None if entity_id is None else str(entity_id),
        changes=details or {},
        request_id=_request_id.get(),
    ))
