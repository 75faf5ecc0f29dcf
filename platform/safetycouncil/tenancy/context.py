"""The current tenant scope, held in a context variable (requests, jobs, CLI alike)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


class TenantContextError(RuntimeError):
    """Raised when tenant-owned data is touched without the right scope."""


@dataclass(frozen=True)
class TenantScope:
    """Inside one municipality. ``read_only`` for Ministry or Prefecture users reading it."""

    municipality_id: int
    read_only: bool = False


@dataclass(frozen=True)
class CrossTenantRead:
    """A read-only view across municipalities: all of them (``None``) or a set of ids."""

    municipality_ids: frozenset[int] | None = None


Scope = TenantScope | CrossTenantRead
_scope: ContextVar[Scope | None] = ContextVar("kvsp_tenant_scope", default=None)


def current_scope() -> Scope | None:
    return _scope.get()


def current_municipality_id() -> int | None:
    scope = _scope.get()
    return scope.municipality_id if isinstance(scope, TenantScope) else None


def set_scope(scope: Scope | None):
    """Low level: set the scope and return the token to reset it. Prefer the context managers."""
    token = _scope.set(scope)
    _scope_changed(scope)
    return token


def reset_scope(token) -> None:
    _scope.reset(token)
    _scope_changed(_scope.get())


@contextmanager
def tenant(municipality_id: int, *, read_only: bool = False) -> Iterator[TenantScope]:
    """Run a block inside one municipality's scope."""
    if not isinstance(municipality_id, int):
        raise TypeError("tenant() takes a municipality id")
    scope = TenantScope(municipality_id, read_only)
    token = set_scope(scope)
    try:
        yield scope
    finally:
        reset_scope(token)


@contextmanager
def read_across_tenants(municipality_ids: Iterable[int] | None = None) -> Iterator[CrossTenantRead]:
    """The one way to read several municipalities' data at once: read-only, explicit, greppable.

    Only national (Ministry, administrators) and county (Prefecture) views use it;
    ``municipality_ids=None`` means every municipality.
    """
    ids = None if municipality_ids is None else frozenset(int(i) for i in municipality_ids)
    scope = CrossTenantRead(ids)
    token = set_scope(scope)
    try:
        yield scope
    finally:
        reset_scope(token)


_listeners: list = []


def on_scope_change(func):
    """Register a callback run whenever the scope changes (the RLS layer uses it)."""
    _listeners.append(func)
    return func


def _scope_changed(scope: Scope | None) -> None:
    for func in _listeners:
        func(scope)
