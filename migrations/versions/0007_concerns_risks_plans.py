"""concerns, risks, the multi-agency plan and its monitoring

Revision ID: 0007_concerns_risks_plans
Revises: 0006_crime_statistics
"""
from datetime import datetime

import sqlalchemy as sa
from alembic import op

from safetycouncil.tenancy.rls import disable_tenant_rls, enable_tenant_rls

revision = "0007_concerns_risks_plans"
down_revision = "0006_crime_statistics"
branch_labels = None
depends_on = None

# The national list of risk categories (Ministry of Interior), seeded here; the Ministry keeps it
# up to date at /national/risk-categories.
RISK_CATEGORIES = [
    ("domestic_violence", "Dhuna në familje", "Domestic violence"),
    ("youth_substances", "Narkotikët, alkooli dhe duhani te të rinjtë", "Narcotics, alcohol and tobacco among young people"),
    ("hotspots", "Pikat e nxehta të përdorimit të drogës ose të krimit", "Hotspots of drug use or crime"),
    ("road_safety", "Siguria rrugore", "Road safety"),
    ("property_crime", "Krimet kundër pronës", "Property crime"),
    ("school_safety", "Bullizmi dhe siguria në shkolla", "Bullying and safety in schools"),
    ("juvenile_delinquency", "Delikuenca e të miturve", "Juvenile delinquency"),
    ("violent_extremism", "Ekstremizmi i dhunshëm", "Violent extremism"),
    ("trafficking", "Trafikimi", "Trafficking"),
    ("public_order", "Rendi publik", "Public order"),
    ("civil_emergencies", "Emergjencat civile", "Civil emergencies"),
]

# Tenant tables, in creation order (dropped in reverse).
TENANT_TABLES = (
    "concerns", "risks", "risk_ratings", "risk_concerns", "risk_evidence", "plans", "plan_versions",
    "plan_items", "plan_activities", "plan_activity_institutions", "plan_indicators", "plan_funding",
    "institution_officers", "progress_entries", "progress_values", "progress_evidence", "monitoring_reports",
)


def _id():
    return sa.Column("id", sa.Integer(), nullable=False)


def _tenant(table):
    return (sa.Column("municipality_id", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["municipality_id"], ["municipalities.id"],
                                    name=op.f(f"fk_{table}_municipality_id_municipalities"), ondelete="RESTRICT"))


def _fk(table, column, target, ondelete):
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"),
                                   ondelete=ondelete)


def _pk(table):
    return sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))


def _index(table, *columns):
    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def upgrade():
    categories = op.create_table(
        "risk_categories", _id(),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_sq", sa.String(length=160), nullable=False),
        sa.Column("name_en", sa.String(length=160), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _pk("risk_categories"),
        sa.UniqueConstraint("code", name=op.f("uq_risk_categories_code")),
    )
    now = datetime(2026, 1, 1)
    op.bulk_insert(categories, [
        {"code": code, "name_sq": sq, "name_en": en, "position": i, "active": True, "created_at": now}
        for i, (code, sq, en) in enumerate(RISK_CATEGORIES, start=1)])

    op.create_table(
        "concerns", _id(),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source_kind", sa.String(length=30), nullable=False),
        sa.Column("source_name", sa.String(length=200), nullable=True),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=True),
        sa.Column("moderation_note", sa.String(length=500), nullable=True),
        sa.Column("moderated_by_id", sa.Integer(), nullable=True),
        sa.Column("moderated_at", sa.DateTime(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        *_tenant("concerns"),
        _fk("concerns", "area_id", "areas", "RESTRICT"),
        _fk("concerns", "category_id", "risk_categories", "RESTRICT"),
        _fk("concerns", "meeting_id", "meetings", "RESTRICT"),
        _fk("concerns", "moderated_by_id", "users", "SET NULL"),
        _fk("concerns", "recorded_by_id", "users", "SET NULL"),
        _pk("concerns"),
    )
    _index("concerns", "area_id", "category_id", "meeting_id", "municipality_id")
    op.create_index("ix_concerns_municipality_status", "concerns", ["municipality_id", "status"], unique=False)

    op.create_table(
        "risks", _id(),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.Column("intensity", sa.String(length=20), nullable=True),
        sa.Column("intensity_reason", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        *_tenant("risks"),
        _fk("risks", "category_id", "risk_categories", "RESTRICT"),
        _fk("risks", "area_id", "areas", "RESTRICT"),
        _fk("risks", "created_by_id", "users", "SET NULL"),
        _pk("risks"),
    )
    _index("risks", "category_id", "municipality_id")

    op.create_table(
        "risk_ratings", _id(),
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.Column("intensity", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("rated_by_id", sa.Integer(), nullable=True),
        sa.Column("rated_at", sa.DateTime(), nullable=False),
        *_tenant("risk_ratings"),
        _fk("risk_ratings", "risk_id", "risks", "RESTRICT"),
        _fk("risk_ratings", "meeting_id", "meetings", "RESTRICT"),
        _fk("risk_ratings", "rated_by_id", "users", "SET NULL"),
        _pk("risk_ratings"),
    )
    _index("risk_ratings", "risk_id", "municipality_id")

    op.create_table(
        "risk_concerns", _id(),
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.Column("concern_id", sa.Integer(), nullable=False),
        *_tenant("risk_concerns"),
        _fk("risk_concerns", "risk_id", "risks", "CASCADE"),
        _fk("risk_concerns", "concern_id", "concerns", "RESTRICT"),
        _pk("risk_concerns"),
        sa.UniqueConstraint("risk_id", "concern_id", name=op.f("uq_risk_concerns_risk_id_concern_id")),
    )
    _index("risk_concerns", "risk_id", "concern_id", "municipality_id")

    op.create_table(
        "risk_evidence", _id(),
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        *_tenant("risk_evidence"),
        _fk("risk_evidence", "risk_id", "risks", "CASCADE"),
        _fk("risk_evidence", "document_id", "documents", "RESTRICT"),
        _fk("risk_evidence", "created_by_id", "users", "SET NULL"),
        _pk("risk_evidence"),
    )
    _index("risk_evidence", "risk_id", "municipality_id")

    op.create_table(
        "plans", _id(),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        *_tenant("plans"),
        _fk("plans", "created_by_id", "users", "SET NULL"),
        _pk("plans"),
        sa.UniqueConstraint("municipality_id", "year", name=op.f("uq_plans_municipality_id_year")),
    )
    _index("plans", "municipality_id")

    op.create_table(
        "plan_versions", _id(),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("based_on_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("consultation_meeting_id", sa.Integer(), nullable=True),
        sa.Column("approved_meeting_id", sa.Integer(), nullable=True),
        sa.Column("approved_decision_id", sa.Integer(), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        *_tenant("plan_versions"),
        _fk("plan_versions", "plan_id", "plans", "RESTRICT"),
        _fk("plan_versions", "based_on_id", "plan_versions", None),
        _fk("plan_versions", "consultation_meeting_id", "meetings", "RESTRICT"),
        _fk("plan_versions", "approved_meeting_id", "meetings", "RESTRICT"),
        _fk("plan_versions", "approved_decision_id", "decisions", "RESTRICT"),
        _fk("plan_versions", "approved_by_id", "users", "SET NULL"),
        _fk("plan_versions", "created_by_id", "users", "SET NULL"),
        _pk("plan_versions"),
        sa.UniqueConstraint("plan_id", "number", name=op.f("uq_plan_versions_plan_id_number")),
    )
    _index("plan_versions", "plan_id", "municipality_id")

    op.create_table(
        "plan_items", _id(),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=True),
        sa.Column("issue", sa.Text(), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=True),
        sa.Column("intensity", sa.String(length=20), nullable=True),
        *_tenant("plan_items"),
        _fk("plan_items", "version_id", "plan_versions", "CASCADE"),
        _fk("plan_items", "risk_id", "risks", "RESTRICT"),
        _pk("plan_items"),
        sa.UniqueConstraint("version_id", "key", name=op.f("uq_plan_items_version_id_key")),
    )
    _index("plan_items", "version_id", "risk_id", "municipality_id")

    op.create_table(
        "plan_activities", _id(),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("partners", sa.Text(), nullable=True),
        sa.Column("timing_kind", sa.String(length=20), nullable=True),
        sa.Column("timing_value", sa.String(length=40), nullable=True),
        *_tenant("plan_activities"),
        _fk("plan_activities", "item_id", "plan_items", "CASCADE"),
        _pk("plan_activities"),
        sa.UniqueConstraint("item_id", "key", name=op.f("uq_plan_activities_item_id_key")),
    )
    _index("plan_activities", "item_id", "municipality_id")

    op.create_table(
        "plan_activity_institutions", _id(),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *_tenant("plan_activity_institutions"),
        _fk("plan_activity_institutions", "activity_id", "plan_activities", "CASCADE"),
        _fk("plan_activity_institutions", "institution_id", "institutions", "RESTRICT"),
        _pk("plan_activity_institutions"),
        sa.UniqueConstraint("activity_id", "institution_id",
                            name=op.f("uq_plan_activity_institutions_activity_id_institution_id")),
    )
    _index("plan_activity_institutions", "activity_id", "institution_id", "municipality_id")

    op.create_table(
        "plan_indicators", _id(),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("unit", sa.String(length=60), nullable=True),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=True),
        *_tenant("plan_indicators"),
        _fk("plan_indicators", "item_id", "plan_items", "CASCADE"),
        _pk("plan_indicators"),
        sa.UniqueConstraint("item_id", "key", name=op.f("uq_plan_indicators_item_id_key")),
    )
    _index("plan_indicators", "item_id", "municipality_id")

    op.create_table(
        "plan_funding", _id(),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=30), nullable=False),
        sa.Column("amount", sa.Float(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("donor", sa.String(length=200), nullable=True),
        sa.Column("grantee", sa.String(length=200), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("objective", sa.Text(), nullable=True),
        sa.Column("period", sa.String(length=120), nullable=True),
        sa.Column("results", sa.Text(), nullable=True),
        *_tenant("plan_funding"),
        _fk("plan_funding", "activity_id", "plan_activities", "CASCADE"),
        _pk("plan_funding"),
    )
    _index("plan_funding", "activity_id", "municipality_id")

    op.create_table(
        "institution_officers", _id(),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        *_tenant("institution_officers"),
        _fk("institution_officers", "user_id", "users", "CASCADE"),
        _fk("institution_officers", "institution_id", "institutions", "RESTRICT"),
        _pk("institution_officers"),
        sa.UniqueConstraint("municipality_id", "user_id", "institution_id",
                            name=op.f("uq_institution_officers_municipality_id_user_id_institution_id")),
    )
    _index("institution_officers", "user_id", "municipality_id")

    op.create_table(
        "progress_entries", _id(),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("activity_key", sa.String(length=32), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("institution_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("next_steps", sa.Text(), nullable=True),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("reported_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        *_tenant("progress_entries"),
        _fk("progress_entries", "plan_id", "plans", "RESTRICT"),
        _fk("progress_entries", "activity_id", "plan_activities", "RESTRICT"),
        _fk("progress_entries", "meeting_id", "meetings", "RESTRICT"),
        _fk("progress_entries", "institution_id", "institutions", "RESTRICT"),
        _fk("progress_entries", "reported_by_id", "users", "SET NULL"),
        _pk("progress_entries"),
    )
    _index("progress_entries", "plan_id", "activity_id", "meeting_id", "municipality_id")
    op.create_index("ix_progress_entries_plan_key", "progress_entries",
                    ["municipality_id", "plan_id", "activity_key"], unique=False)

    op.create_table(
        "progress_values", _id(),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("indicator_key", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        *_tenant("progress_values"),
        _fk("progress_values", "entry_id", "progress_entries", "CASCADE"),
        _fk("progress_values", "indicator_id", "plan_indicators", "RESTRICT"),
        _pk("progress_values"),
        sa.UniqueConstraint("entry_id", "indicator_id", name=op.f("uq_progress_values_entry_id_indicator_id")),
    )
    _index("progress_values", "entry_id", "municipality_id")

    op.create_table(
        "progress_evidence", _id(),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        *_tenant("progress_evidence"),
        _fk("progress_evidence", "entry_id", "progress_entries", "CASCADE"),
        _fk("progress_evidence", "document_id", "documents", "RESTRICT"),
        _pk("progress_evidence"),
        sa.UniqueConstraint("entry_id", "document_id", name=op.f("uq_progress_evidence_entry_id_document_id")),
    )
    _index("progress_evidence", "entry_id", "municipality_id")

    op.create_table(
        "monitoring_reports", _id(),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("pdf_document_id", sa.Integer(), nullable=True),
        sa.Column("docx_document_id", sa.Integer(), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("generated_at", sa.DateTime(), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        *_tenant("monitoring_reports"),
        _fk("monitoring_reports", "plan_id", "plans", "RESTRICT"),
        _fk("monitoring_reports", "pdf_document_id", "documents", "RESTRICT"),
        _fk("monitoring_reports", "docx_document_id", "documents", "RESTRICT"),
        _fk("monitoring_reports", "requested_by_id", "users", "SET NULL"),
        _fk("monitoring_reports", "approved_by_id", "users", "SET NULL"),
        _pk("monitoring_reports"),
    )
    _index("monitoring_reports", "plan_id", "municipality_id")

    for table in TENANT_TABLES:
        enable_tenant_rls(op, table)


def downgrade():
    for table in reversed(TENANT_TABLES):
        disable_tenant_rls(op, table)
        op.drop_table(table)
    op.drop_table("risk_categories")
