"""Issue 22, finding 5: row-level security that SQL the application did not mean to run cannot
forge. As the application role: set_config no longer widens the scope (the scope is signed with a
key the role cannot read), every table that carries a municipality has policies, the audit trail
is append-only and alembic_version read-only."""
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from safetycouncil.tenancy.context import CrossTenantRead, TenantScope

pytestmark = pytest.mark.postgres



def _signed(app, conn, scope):
    from safetycouncil.tenancy import rls

    with app.app_context():
        rls.apply(conn, scope)


def test_set_config_cannot_widen_the_scope(app, seeded, app_engine):
    elbasan, fier = seeded
    with app_engine.begin() as conn:
        _signed(app, conn, TenantScope(elbasan))
        # what an injection would try: the plain settings of before, and a forged signed value
        conn.execute(text("SELECT set_config('app.read_all', 'on', false), "
                          "set_config('app.municipality_id', :f, false)"), {"f": str(fier)})
        assert conn.execute(text("SELECT name FROM areas")).scalars().all() == ["Gjergjan"]
        scope = conn.execute(text("SELECT current_setting('app.scope')")).scalar_one()
        pid, tenant, read_ids, read_all, mac = scope.split("|")
        forged = "|".join([pid, str(fier), read_ids, "on", mac])
        conn.execute(text("SELECT set_config('app.scope', :s, true)"), {"s": forged})
        assert conn.execute(text("SELECT count(*) FROM areas")).scalar() == 0
        assert conn.execute(text("UPDATE areas SET name = 'x' WHERE municipality_id = :f"),
                            {"f": fier}).rowcount == 0


def test_a_signed_scope_from_another_connection_is_refused(app, seeded, app_engine):
    elbasan, _fier = seeded
    with app_engine.connect() as first:
        with first.begin():
            _signed(app, first, CrossTenantRead(None))
            captured = first.execute(text("SELECT current_setting('app.scope')")).scalar_one()
            assert first.execute(text("SELECT count(*) FROM areas")).scalar() == 2
        with app_engine.connect() as second, second.begin():
            second.execute(text("SELECT set_config('app.scope', :s, true)"), {"s": captured})
            assert second.execute(text("SELECT count(*) FROM areas")).scalar() == 0


def test_the_application_role_cannot_read_the_key(app_engine):
    with app_engine.connect() as conn:
        with pytest.raises(DBAPIError, match="permission denied"):
            conn.execute(text("SELECT * FROM kvsp_private.rls_key"))


def test_every_table_that_carries_a_municipality_has_forced_rls_and_policies(app):
    from safetycouncil.extensions import db

    with app.app_context():
        rows = db.session.execute(text(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
            " (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r' AND EXISTS (SELECT 1 FROM information_schema.columns col "
            "  WHERE col.table_schema = 'public' AND col.table_name = c.relname AND col.column_name = 'municipality_id')"
        )).all()
    names = {r[0] for r in rows}
    assert {"audit_entries", "role_assignments", "consultation_participants", "areas"} <= names
    for name, rls, forced, policies in rows:
        assert rls and forced and policies >= 1, (name, rls, forced, policies)


def test_other_municipalities_audit_entries_and_roles_are_invisible_inside_a_scope(app, seeded, app_engine,
                                                                                    make_user):
    elbasan, fier = seeded
    make_user("technical_secretary", municipality="fier")
    with app_engine.begin() as conn:
        _signed(app, conn, TenantScope(elbasan))
        assert conn.execute(text("SELECT count(*) FROM role_assignments WHERE municipality_id = :f"),
                            {"f": fier}).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM audit_entries WHERE municipality_id = :f"),
                            {"f": fier}).scalar() == 0
    with app_engine.begin() as conn:
        _signed(app, conn, CrossTenantRead(None))
        assert conn.execute(text("SELECT count(*) FROM role_assignments WHERE municipality_id = :f"),
                            {"f": fier}).scalar() == 1


def test_the_audit_trail_is_append_only_for_the_application_role(app, app_engine, make_user):
    make_user("admin")  # writes audit entries
    with app_engine.connect() as conn:
        privileges = set(conn.execute(text(
            "SELECT privilege_type FROM information_schema.role_table_grants "
            "WHERE table_name = 'audit_entries' AND grantee = current_user")).scalars())
        assert privileges == {"INSERT", "SELECT"}
    for statement in ("UPDATE audit_entries SET action = 'x'", "DELETE FROM audit_entries",
                      "TRUNCATE audit_entries"):
        with app_engine.connect() as conn:
            with pytest.raises(DBAPIError, match="permission denied"):
                conn.execute(text(statement))


def test_the_application_role_cannot_change_alembic_version(app_engine):
    for statement in ("UPDATE alembic_version SET version_num = 'x'", "DELETE FROM alembic_version",
                      "INSERT INTO alembic_version VALUES ('x')"):
        with app_engine.connect() as conn:
            with pytest.raises(DBAPIError, match="permission denied"):
                conn.execute(text(statement))
