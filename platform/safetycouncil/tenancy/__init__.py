"""Tenant isolation: every municipality's data is seen only inside its own scope.

The one mechanism, in layers that each fail closed:

* ``context``: the current scope (one municipality, or an explicit read-only
  read across several) lives in a context variable set once per request or job.
* ``orm``: every ORM query of a ``TenantOwned`` model gets the scope's filter
  added automatically; a query without a scope raises; writes are stamped and
  checked before flush.
* ``rls``: on PostgreSQL the same scope is set per transaction and enforced by
  row-level security policies, so raw SQL cannot escape it either.
* ``web``: the ``/<municipality>/...`` prefix is resolved and authorised once
  per request, for every endpoint declared with the tenant scope.
"""
from .context import (  # noqa: F401
    CrossTenantRead,
    TenantContextError,
    TenantScope,
    current_municipality_id,
    current_scope,
    read_across_tenants,
    tenant,
)
from .orm import TenantOwned  # noqa: F401
