"""security hardening: a signed row-level security scope, policies on every table that carries a
municipality, an append-only audit trail and a read-only alembic_version for the application role

Revision ID: 0015_security_hardening
Revises: 0014_compliance_periods
"""
import sqlalchemy as sa
from alembic import op

from safetycouncil.tenancy.rls import (
    CONFINED_MATCH,
    READ_MATCH,
    SCOPE_FUNCTIONS,
    SIGNED_READ_MATCH,
    SIGNED_TENANT_MATCH,
    TENANT_MATCH,
    scope_key,
    set_policies,
    store_scope_key,
)

revision = "0015_security_hardening"
down_revision = "0014_compliance_periods"
branch_labels = None
depends_on = None

# Tables that carry a municipality without being tenant-owned (see tenancy/rls.py CONFINED_MATCH).
CONFINED_TABLES = ("role_assignments", "consultation_participants")
APPEND_ONLY = ("audit_entries",)
READ_ONLY = ("alembic_version",)


def _tenant_tables(bind) -> list[str]:
    return list(bind.execute(sa.text(
        "SELECT tablename FROM pg_policies WHERE schemaname = current_schema() AND policyname = 'tenant_isolation' "
        "ORDER BY tablename")).scalars())


def _grantees(bind, table: str, privileges: tuple[str, ...]) -> list[str]:
    """Roles other than the owner holding one of ``privileges`` on ``table``, except those that
    bypass row-level security (the backup role, which loads restores)."""
    return list(bind.execute(sa.text(
        "SELECT DISTINCT quote_ident(r.rolname) FROM pg_class c, aclexplode(c.relacl) a "
        "JOIN pg_roles r ON r.oid = a.grantee "
        "WHERE c.oid = CAST(:t AS regclass) AND a.privilege_type = ANY (:p) "
        "AND a.grantee <> c.relowner AND NOT r.rolbypassrls AND NOT r.rolsuper"),
        {"t": table, "p": list(privileges)}).scalars())


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from flask import current_app

    store_scope_key(bind, scope_key(current_app))
    for statement in SCOPE_FUNCTIONS.split("$fn$;"):
        if statement.strip():
            op.execute(sa.text(statement + "$fn$;"))
    for table in _tenant_tables(bind):
        set_policies(op, table, SIGNED_TENANT_MATCH, SIGNED_READ_MATCH)
    for table in CONFINED_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY confined ON {table} USING ({CONFINED_MATCH}) WITH CHECK ({CONFINED_MATCH})")
    # The audit trail: appended to and read, never changed or erased by the application.
    op.execute("ALTER TABLE audit_entries ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE audit_entries FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY confined_read ON audit_entries FOR SELECT USING ({CONFINED_MATCH})")
    op.execute(f"CREATE POLICY confined_append ON audit_entries FOR INSERT WITH CHECK ({CONFINED_MATCH})")
    for table in APPEND_ONLY:
        op.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM PUBLIC")
        for role in _grantees(bind, table, ("UPDATE", "DELETE", "TRUNCATE")):
            op.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {role}")
    for table in READ_ONLY:
        op.execute(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {table} FROM PUBLIC")
        for role in _grantees(bind, table, ("INSERT", "UPDATE", "DELETE", "TRUNCATE")):
            op.execute(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {table} FROM {role}")


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute("DROP POLICY IF EXISTS confined_append ON audit_entries")
    op.execute("DROP POLICY IF EXISTS confined_read ON audit_entries")
    op.execute("ALTER TABLE audit_entries NO FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE audit_entries DISABLE ROW LEVEL SECURITY")
    for table in CONFINED_TABLES:
        op.execute(f"DROP POLICY IF EXISTS confined ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    for table in _tenant_tables(bind):
        set_policies(op, table, TENANT_MATCH, READ_MATCH)
    for name in ("kvsp_scope_confined", "kvsp_scope_read_all", "kvsp_scope_read_ids", "kvsp_scope_tenant",
                 "kvsp_scope"):
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.execute("DROP SCHEMA IF EXISTS kvsp_private CASCADE")
    # The privileges revoked by the upgrade are not granted back: grant them by hand if needed.
