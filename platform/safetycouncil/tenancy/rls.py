"""PostgreSQL row-level security: the same scope, enforced by the database.

The scope is written with ``set_config('app.scope', ..., true)`` (transaction-local, safe with
connection pools) at the start of every transaction and whenever it changes, **signed**: the
value is ``pid|tenant|read_ids|read_all|hmac`` with an HMAC-SHA256 over the first four fields
under a key the application derives from its SECRET_KEY (or RLS_SCOPE_KEY) and the database
keeps in the schema ``kvsp_private``, which the application role cannot read. The policies call
``kvsp_scope_*()`` (SECURITY DEFINER: the only code that reads the key), which return nothing
for a missing, forged or replayed value (the backend's pid is signed too): SQL the application
did not mean to run (an injection) can change the setting, but not sign it, so it cannot widen
its scope with set_config. The tables' owner (migrations, data generation) is trusted with the
plain settings app.municipality_id / app.read_ids / app.read_all, as it could lift row-level
security anyway.
"""
from __future__ import annotations

import hashlib
import hmac

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from .context import CrossTenantRead, TenantScope, current_scope, on_scope_change

_SET = text("SELECT set_config('app.scope', :scope, true)")
_PID = text("SELECT pg_backend_pid()")
PRIVATE_SCHEMA = "kvsp_private"


def settings_for(scope) -> dict[str, str]:
    if isinstance(scope, TenantScope) and not scope.read_only:
        return {"tenant": str(scope.municipality_id), "read_ids": "", "read_all": "off"}
    if isinstance(scope, TenantScope):
        return {"tenant": "", "read_ids": str(scope.municipality_id), "read_all": "off"}
    if isinstance(scope, CrossTenantRead):
        if scope.municipality_ids is None:
            return {"tenant": "", "read_ids": "", "read_all": "on"}
        ids = ",".join(str(i) for i in sorted(scope.municipality_ids))
        return {"tenant": "", "read_ids": ids, "read_all": "off"}
    return {"tenant": "", "read_ids": "", "read_all": "off"}


def scope_key(app=None) -> bytes:
    """The key that signs the scope: RLS_SCOPE_KEY, or derived from SECRET_KEY."""
    from flask import current_app

    config = (app or current_app).config
    explicit = config.get("RLS_SCOPE_KEY")
    if explicit:
        return hashlib.sha256(explicit.encode()).digest()
    return hmac.new(str(config["SECRET_KEY"]).encode(), b"kvsp row-level security scope", hashlib.sha256).digest()


def signed_scope(settings: dict[str, str], pid: int, key: bytes) -> str:
    payload = f"{pid}|{settings['tenant']}|{settings['read_ids']}|{settings['read_all']}"
    return payload + "|" + hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def _backend_pid(connection) -> int:
    info = connection.info  # kept with the DBAPI connection across checkouts
    pid = info.get("kvsp_backend_pid")
    if pid is None:
        pid = info["kvsp_backend_pid"] = connection.execute(_PID).scalar_one()
    return pid


def apply(connection, scope=None) -> None:
    if connection.dialect.name != "postgresql":
        return
    from flask import has_app_context

    settings = settings_for(current_scope() if scope is None else scope)
    if not has_app_context():  # nothing to sign with: no scope, which reads no tenant rows
        connection.execute(_SET, {"scope": ""})
        return
    connection.execute(_SET, {"scope": signed_scope(settings, _backend_pid(connection), scope_key())})


def store_scope_key(connection, key: bytes) -> None:
    """Keep the signing key where only the tables' owner (and the SECURITY DEFINER functions)
    read it; run as the owner (migration 0015, restore, ``flask tenants rls-key``)."""
    block = key.ljust(64, b"\0")
    ipad = bytes(b ^ 0x36 for b in block)
    opad = bytes(b ^ 0x5C for b in block)
    connection.execute(text(f"CREATE SCHEMA IF NOT EXISTS {PRIVATE_SCHEMA}"))
    connection.execute(text(f"REVOKE ALL ON SCHEMA {PRIVATE_SCHEMA} FROM PUBLIC"))
    connection.execute(text(f"CREATE TABLE IF NOT EXISTS {PRIVATE_SCHEMA}.rls_key "
                            "(ipad bytea NOT NULL, opad bytea NOT NULL)"))
    connection.execute(text(f"REVOKE ALL ON {PRIVATE_SCHEMA}.rls_key FROM PUBLIC"))
    connection.execute(text(f"DELETE FROM {PRIVATE_SCHEMA}.rls_key"))
    connection.execute(text(f"INSERT INTO {PRIVATE_SCHEMA}.rls_key (ipad, opad) VALUES (:i, :o)"),
                       {"i": ipad, "o": opad})


# The functions the policies call. kvsp_scope() verifies the signed setting (HMAC-SHA256 built
# from sha256(): no extension needed) and returns {pid, tenant, read_ids, read_all}, or NULL.
SCOPE_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION kvsp_scope() RETURNS text[]
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  raw text := current_setting('app.scope', true);
  parts text[];
  k record;
BEGIN
  IF (raw IS NULL OR raw = '') AND pg_has_role(session_user, current_user, 'MEMBER') THEN
    -- the tables' owner (who could lift row-level security anyway) sets plain settings
    RETURN ARRAY['', coalesce(current_setting('app.municipality_id', true), ''),
                 coalesce(current_setting('app.read_ids', true), ''),
                 coalesce(current_setting('app.read_all', true), '')];
  END IF;
  IF raw IS NULL OR raw = '' THEN
    RETURN NULL;
  END IF;
  parts := string_to_array(raw, '|');
  IF coalesce(array_length(parts, 1), 0) <> 5 OR parts[1] <> pg_backend_pid()::text THEN
    RETURN NULL;
  END IF;
  SELECT ipad, opad INTO k FROM {PRIVATE_SCHEMA}.rls_key LIMIT 1;
  IF NOT FOUND OR encode(sha256(k.opad || sha256(k.ipad || convert_to(array_to_string(parts[1:4], '|'), 'UTF8'))),
                         'hex') <> parts[5] THEN
    RETURN NULL;
  END IF;
  RETURN parts[1:4];
END
$fn$;
CREATE OR REPLACE FUNCTION kvsp_scope_tenant() RETURNS integer
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS
$fn$ SELECT NULLIF((public.kvsp_scope())[2], '')::integer $fn$;
CREATE OR REPLACE FUNCTION kvsp_scope_read_ids() RETURNS integer[]
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS
$fn$ SELECT string_to_array(NULLIF((public.kvsp_scope())[3], ''), ',')::integer[] $fn$;
CREATE OR REPLACE FUNCTION kvsp_scope_read_all() RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS
$fn$ SELECT coalesce((public.kvsp_scope())[4] = 'on', false) $fn$;
CREATE OR REPLACE FUNCTION kvsp_scope_confined() RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS
$fn$ SELECT NOT coalesce((public.kvsp_scope())[4] = 'on', false)
        AND (NULLIF((public.kvsp_scope())[2], '') IS NOT NULL OR NULLIF((public.kvsp_scope())[3], '') IS NOT NULL) $fn$;
"""


_CONNECTIONS = "kvsp_scoped_connections"


@event.listens_for(Session, "after_begin")
def _on_begin(session, transaction, connection) -> None:
    apply(connection)
    # every connection of the transaction (the primary's, a read replica's: see replicas.py)
    connections = session.info.setdefault(_CONNECTIONS, [])
    if not any(c is connection for c in connections):
        connections.append(connection)


@event.listens_for(Session, "after_transaction_end")
def _on_end(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_CONNECTIONS, None)


_installed: set[int] = set()


def install(db) -> None:
    """Re-apply the scope to the open transaction of ``db.session`` when the scope changes.
    Idempotent: creating several apps (tests, workers) registers the callback once."""
    if id(db) in _installed:
        return
    _installed.add(id(db))

    @on_scope_change
    def _reapply(scope) -> None:
        from flask import has_app_context

        if not has_app_context():
            return
        session = db.session()
        if session.in_transaction() and db.engine.dialect.name == "postgresql":
            connections = [c for c in session.info.get(_CONNECTIONS, ()) if not c.closed]
            for connection in connections or [session.connection()]:
                apply(connection, scope)


# Each setting is read in a scalar sub-select: PostgreSQL evaluates it once per query (an InitPlan)
# instead of once per row; parsing the list of readable ids for every row made a read across
# 2,000 municipalities take seconds (a count over 220,000 rows: 865 ms -> 77 ms across 61).
# (Revision 0013's expressions: plain settings, which any session could set. Kept for 0013.)
TENANT_MATCH = "municipality_id = (SELECT NULLIF(current_setting('app.municipality_id', true), '')::integer)"
READ_MATCH = (
    "(SELECT current_setting('app.read_all', true)) = 'on' OR municipality_id = ANY (("
    "SELECT string_to_array(NULLIF(current_setting('app.read_ids', true), ''), ',')::integer[])::integer[])"
)
# From revision 0015: the signed scope, through the functions above (each once per query).
SIGNED_TENANT_MATCH = "municipality_id = (SELECT kvsp_scope_tenant())"
SIGNED_READ_MATCH = "(SELECT kvsp_scope_read_all()) OR municipality_id = ANY ((SELECT kvsp_scope_read_ids())::integer[])"
# Tables that carry a municipality but are not tenant-owned (the audit trail, role assignments,
# consultation participants): inside a municipality's scope (or a county's reads) only its rows
# and the national ones (no municipality); outside any scope (administration, national
# reads) every row.
CONFINED_MATCH = (
    "municipality_id IS NULL OR NOT (SELECT kvsp_scope_confined()) "
    "OR municipality_id = (SELECT kvsp_scope_tenant()) OR municipality_id = ANY ((SELECT kvsp_scope_read_ids())::integer[])"
)


def _signed(op) -> bool:
    """Whether the signed scope's functions exist yet (revision 0015 or later)."""
    return bool(op.get_bind().execute(text(
        "SELECT 1 FROM pg_proc WHERE proname = 'kvsp_scope_tenant'")).first())


def enable_tenant_rls(op, table: str) -> None:
    """Call from a migration right after creating a tenant-owned table."""
    if op.get_bind().dialect.name != "postgresql":
        return
    tenant_match, read_match = (SIGNED_TENANT_MATCH, SIGNED_READ_MATCH) if _signed(op) else (TENANT_MATCH, READ_MATCH)
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {table} USING ({tenant_match}) WITH CHECK ({tenant_match})"
    )
    op.execute(f"CREATE POLICY cross_tenant_read ON {table} FOR SELECT USING ({read_match})")


def set_policies(op, table: str, tenant_match: str = TENANT_MATCH, read_match: str = READ_MATCH) -> None:
    """Rewrite a tenant table's two policies (a migration that changes their expressions)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"ALTER POLICY tenant_isolation ON {table} USING ({tenant_match}) WITH CHECK ({tenant_match})")
    op.execute(f"ALTER POLICY cross_tenant_read ON {table} USING ({read_match})")


def disable_tenant_rls(op, table: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP POLICY IF EXISTS cross_tenant_read ON {table}")
    op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
    op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
