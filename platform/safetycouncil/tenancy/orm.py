"""Automatic tenant filtering of every ORM query, and stamping of every write."""
from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, any_, cast, event
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, declared_attr, mapped_column
from sqlalchemy.orm import with_loader_criteria

from sqlalchemy.sql.util import find_tables

from ..extensions import mapped_tables
from .context import CrossTenantRead, TenantContextError, TenantScope, current_scope

_ID_ARRAY = ARRAY(Integer)


class TenantOwned:
    """Mixin for every table that belongs to one municipality.

    Its rows are only ever read through the current scope and written inside a
    writable ``tenant()`` scope; on PostgreSQL the migration that creates the
    table must also call ``safetycouncil.tenancy.rls.enable_tenant_rls``.
    """

    __tenant_owned__ = True

    @declared_attr
    def municipality_id(cls) -> Mapped[int]:  # noqa: N805
        return mapped_column(
            ForeignKey("municipalities.id", ondelete="RESTRICT"), nullable=False, index=True
        )


def _is_tenant_owned(cls) -> bool:
    return issubclass(cls, TenantOwned)


def tenant_tables() -> frozenset:
    """Every table of a ``TenantOwned`` model."""
    return mapped_tables(_is_tenant_owned)


def _involves_tenant_data(state: ORMExecuteState) -> bool:
    if any(issubclass(m.class_, TenantOwned) for m in state.all_mappers):
        return True
    # select(func.count()).select_from(Model), subqueries, joins: look at every table the statement reads.
    tables = tenant_tables()
    return any(t in tables for t in find_tables(state.statement, include_aliases=True, include_joins=True,
                                                include_crud=True, check_columns=True))


@event.listens_for(Session, "do_orm_execute")
def _scope_tenant_queries(state: ORMExecuteState) -> None:
    if state.is_column_load or not _involves_tenant_data(state):
        return
    scope = current_scope()
    if scope is None:
        raise TenantContextError(
            "Tenant-owned data was queried with no tenant scope; use tenant() or read_across_tenants()."
        )
    if isinstance(scope, TenantScope):
        if (state.is_update or state.is_delete) and scope.read_only:
            raise TenantContextError("This scope is read-only.")
        municipality_id = scope.municipality_id
        criteria = with_loader_criteria(
            TenantOwned, lambda cls: cls.municipality_id == municipality_id, include_aliases=True
        )
    else:
        if not state.is_select:
            raise TenantContextError("A read across tenants cannot change data.")
        if scope.municipality_ids is None:
            return
        allowed = sorted(scope.municipality_ids)
        if state.session.get_bind().dialect.name == "postgresql":
            # one array parameter, not one bound value per municipality: a statement over 2,000
            # municipalities is parsed and planned as fast as over one
            criteria = with_loader_criteria(
                TenantOwned, lambda cls: cls.municipality_id == any_(cast(allowed, _ID_ARRAY)),
                include_aliases=True,
            )
        else:
            allowed = tuple(allowed)
            criteria = with_loader_criteria(
                TenantOwned, lambda cls: cls.municipality_id.in_(allowed), include_aliases=True
            )
    state.statement = state.statement.options(criteria)


@event.listens_for(Session, "before_flush")
def _check_tenant_writes(session: Session, flush_context, instances) -> None:
    touched = [
        (obj, obj in session.new)
        for obj in (*session.new, *session.dirty, *session.deleted)
        if isinstance(obj, TenantOwned)
    ]
    if not touched:
        return
    scope = current_scope()
    if isinstance(scope, CrossTenantRead) or scope is None:
        raise TenantContextError("Tenant-owned data can only be changed inside a tenant() scope.")
    if scope.read_only:
        raise TenantContextError("This scope is read-only.")
    for obj, is_new in touched:
        if is_new and obj.municipality_id is None:
            obj.municipality_id = scope.municipality_id
        elif obj.municipality_id != scope.municipality_id:
            raise TenantContextError(
                f"{type(obj).__name__} belongs to another municipality than the current scope."
            )
