"""PostgreSQL row-level security: the database itself keeps municipalities apart."""
import re

import pytest
from sqlalchemy import text

from safetycouncil.extensions import db
from safetycouncil.tenancy.orm import TenantOwned
from safetycouncil.tenancy.context import CrossTenantRead, TenantScope

pytestmark = pytest.mark.postgres

# Tables without a municipality id, reviewed: reference data, accounts (people may hold
# roles in several municipalities), and the audit trail (entries carry the municipality
# id and are only read filtered by it).
GLOBAL_TABLES = {
    "alembic_version", "counties", "municipalities", "users", "role_assignments", "user_sessions",
    "account_tokens", "api_tokens", "audit_entries",
    # public institutions are public information; extra days off are declared nationally
    "institutions", "extra_days_off",
    # crime statistics: the national offence categories and disclosure threshold, set by the Ministry
    "offence_categories", "crime_statistics_settings",
    # the national list of risk categories for concerns and risks, kept by the Ministry
    "risk_categories",
    # the unified model's versions (rules, articles, numbers): one national definition, kept by the Ministry
    "compliance_model_versions",
    # a Prefect's consultation tables and their participants belong to a county, not to one municipality;
    # read only by that county's Prefecture and the Ministry (the recommendations are tenant-owned)
    "consultation_tables", "consultation_participants",
    # ...and so do its themes, its recommendations to national bodies (with their follow-up) and its funding
    # requests; the list of national bodies is kept by the Ministry (issue 19)
    "consultation_themes", "consultation_national_recommendations", "national_recommendation_follow_ups",
    "consultation_funding_requests", "national_bodies",
    # local safety surveys: the national questionnaire's versions and their questions, kept by the Ministry
    # and public (waves, codes and answers are tenant-owned)
    "survey_questionnaires", "survey_questions",
    # data protection: the national retention period of citizens' contacts, set by the Ministry
    # (a municipality's data archives are tenant-owned)
    "data_protection_settings",
    # "something changed" tokens per municipality for caching: no data of any municipality
    "data_stamps",
    # obligations: the Ministry's reminder settings, and the sent log of reminders to people (accounts are
    # global; a digest may cover several municipalities). Waivers and calendar feeds are tenant-owned.
    "obligation_settings", "obligation_reminders_sent",
    # webhooks: the Ministry's subscriptions to every council's events (no municipality's data; their
    # deliveries are tenant-owned). A council's subscriptions, events and deliveries are tenant-owned.
    "webhook_national_subscriptions",
    # grants: the Ministry's call programmes and their lots (a lot names a municipality or a county); the
    # councils' calls that run them, and the links to the lots, are tenant-owned
    "grant_programmes", "grant_lots",
}



_APP = {}


@pytest.fixture(autouse=True)
def _the_app(app):
    _APP["app"] = app


def _scoped(conn, scope):
    """The scope as the application writes it: signed (tenancy/rls.py)."""
    from safetycouncil.tenancy import rls

    with _APP["app"].app_context():
        rls.apply(conn, scope)


def test_plain_sql_as_the_application_role_sees_only_the_current_tenant(seeded, app_engine):
    elbasan, fier = seeded
    with app_engine.begin() as conn:
        _scoped(conn, TenantScope(elbasan))
        rows = conn.execute(text("SELECT name, municipality_id FROM areas")).all()
        assert rows == [("Gjergjan", elbasan)]
        assert conn.execute(text("SELECT count(*) FROM areas WHERE municipality_id = :f"), {"f": fier}).scalar() == 0
        updated = conn.execute(text("UPDATE areas SET name = 'x' WHERE municipality_id = :f"), {"f": fier})
        assert updated.rowcount == 0
        deleted = conn.execute(text("DELETE FROM areas WHERE municipality_id = :f"), {"f": fier})
        assert deleted.rowcount == 0


def test_writing_another_tenants_row_fails_in_the_database(seeded, app_engine):
    elbasan, fier = seeded
    from sqlalchemy.exc import ProgrammingError

    with pytest.raises(ProgrammingError, match="row-level security"):
        with app_engine.begin() as conn:
            _scoped(conn, TenantScope(elbasan))
            conn.execute(text("INSERT INTO areas (municipality_id, name, kind, created_at) "
                              "VALUES (:f, 'Intruder', 'village', now())"), {"f": fier})
    with pytest.raises(ProgrammingError, match="row-level security"):
        with app_engine.begin() as conn:
            _scoped(conn, TenantScope(elbasan))
            conn.execute(text("UPDATE areas SET municipality_id = :f"), {"f": fier})


def test_no_tenant_set_means_no_rows(seeded, app_engine):
    with app_engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM areas")).scalar() == 0
    with app_engine.connect() as conn:  # a new transaction after one that had a tenant: '' not NULL
        with conn.begin():
            _scoped(conn, TenantScope(seeded[0]))
        assert conn.execute(text("SELECT count(*) FROM areas")).scalar() == 0


def test_read_only_and_cross_tenant_scopes_read_but_cannot_write(seeded, app_engine):
    elbasan, fier = seeded
    from sqlalchemy.exc import ProgrammingError

    with app_engine.begin() as conn:
        _scoped(conn, CrossTenantRead(frozenset({elbasan, fier})))
        assert conn.execute(text("SELECT count(*) FROM areas")).scalar() == 2
        assert conn.execute(text("UPDATE areas SET name = 'x'")).rowcount == 0
        _scoped(conn, TenantScope(fier, read_only=True))
        assert conn.execute(text("SELECT name FROM areas")).scalars().all() == ["Mbrostar"]
        assert conn.execute(text("DELETE FROM areas")).rowcount == 0
    with pytest.raises(ProgrammingError):
        with app_engine.begin() as conn:
            _scoped(conn, TenantScope(fier, read_only=True))
            conn.execute(text("INSERT INTO areas (municipality_id, name, kind, created_at) "
                              "VALUES (:f, 'x', 'village', now())"), {"f": fier})


def test_every_table_is_tenant_scoped_with_forced_rls_or_reviewed_as_global(app):
    with app.app_context():
        tenant_tables = {m.local_table.name for m in db.Model.registry.mappers if issubclass(m.class_, TenantOwned)}
        rows = db.session.execute(text(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
            " (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies, "
            " EXISTS (SELECT 1 FROM information_schema.columns col WHERE col.table_name = c.relname "
            "         AND col.column_name = 'municipality_id' AND col.is_nullable = 'NO') AS has_tenant "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r'")).all()
    assert rows
    for name, rls, forced, policies, has_tenant in rows:
        if name in GLOBAL_TABLES:
            assert name not in tenant_tables
            continue
        assert name in tenant_tables, f"{name} is neither tenant-owned nor on the reviewed list of global tables"
        assert has_tenant and rls and forced and policies == 2, f"{name}: rls={rls} forced={forced} policies={policies}"


def test_policies_read_the_signed_scope_once_per_query(app, app_engine):
    """Every policy reads the scope through the functions that verify its signature (never a plain
    setting, which any session can write), each in a sub-select (an InitPlan, evaluated once per
    query): a per-row parse of the list of readable ids made reads across many councils slow."""
    with app.app_context():
        rows = db.session.execute(text(
            "SELECT tablename, policyname, coalesce(qual, with_check) FROM pg_policies "
            "WHERE schemaname = 'public'")).all()
    assert rows
    for table, policy, qual in rows:
        assert "current_setting(" not in qual, (table, policy, qual)
        # as PostgreSQL prints it back: each kvsp_scope_*() inside its own "( SELECT ..."
        assert len(re.findall(r"kvsp_scope_\w+\(\)", qual)) == qual.count("( SELECT ") >= 1, (table, policy, qual)
    with app_engine.begin() as conn:
        _scoped(conn, CrossTenantRead(frozenset({1, 2, 3})))
        plan = "\n".join(conn.execute(text("EXPLAIN SELECT count(*) FROM areas")).scalars())
    assert "InitPlan" in plan


def test_the_application_role_neither_owns_tables_nor_bypasses_rls(app):
    with app.app_context():
        me = db.session.execute(text(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")).one()
        assert me == (False, False)
        owned = db.session.execute(text(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user")).scalar()
        assert owned == 0


def test_the_orm_and_the_database_agree_inside_a_request(app, seeded, make_user, login):
    secretary = make_user("technical_secretary", municipality="elbasan")
    client = app.test_client()
    login(client, secretary)
    page = client.get("/elbasan/areas/").get_data(as_text=True)
    assert "Gjergjan" in page and "Mbrostar" not in page
