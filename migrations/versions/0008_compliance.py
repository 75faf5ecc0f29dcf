"""the unified model's rules, compliance snapshots, prefecture consultation tables

Revision ID: 0008_compliance
Revises: 0007_concerns_risks_plans
"""
from datetime import datetime

from alembic import op
import sqlalchemy as sa

from safetycouncil.tenancy.rls import disable_tenant_rls, enable_tenant_rls

revision = "0008_compliance"
down_revision = "0007_concerns_risks_plans"
branch_labels = None
depends_on = None

# Version 1 of the unified model (IDM roadmap; Elbasan regulation, Annex 1), in force from 2020.
PARAMETERS = {
    "council_meetings_per_year": 2, "notice_working_days": 5, "press_release_hours": 24,
    "consultation_interval_months": 6, "monitoring_interval_months": 1, "monitoring_report_interval_months": 6,
    "council_informed_per_year": 1,
}
RULES = [
    ("established", "Decision; Art. 13"), ("composition", "Art. 4.1"), ("chair", "Art. 5.1"),
    ("coordination-secretariat", "Art. 9.3"), ("technical-secretariat", "Art. 10.1"),
    ("meetings-per-year", "Art. 7.2"), ("invitation-notice", "Art. 7.4"), ("records", "Art. 7.8, 10.2"),
    ("press-release", "Art. 11"), ("open-consultations", "Art. 8.5"), ("plan-approved", "Art. 6.7, 8.4"),
    ("plan-complete", "Art. 8.2-8.3"), ("plan-reviewed", "Art. 8.5"), ("monthly-monitoring", "Art. 9.2"),
    ("monitoring-report", "Art. 8.6"), ("plan-published", "roadmap"), ("council-informed", "Art. 5.2.d"),
]
TENANT_TABLES = ("compliance_snapshots", "consultation_recommendations")


def _pk(table):
    return sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))


def _fk(table, column, target, ondelete):
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"),
                                   ondelete=ondelete)


def upgrade():
    versions = op.create_table(
        "compliance_model_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Integer(), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _pk("compliance_model_versions"),
        _fk("compliance_model_versions", "created_by_id", "users", "SET NULL"),
        sa.UniqueConstraint("number", name=op.f("uq_compliance_model_versions_number")),
        sa.UniqueConstraint("valid_from", name=op.f("uq_compliance_model_versions_valid_from")),
    )
    op.bulk_insert(versions, [{
        "number": 1, "valid_from": 2020, "parameters": PARAMETERS,
        "rules": [{"id": rule_id, "article": article} for rule_id, article in RULES],
        "note": "The unified model as in the IDM roadmap and the Elbasan regulation (Annex 1).",
        "created_by_id": None, "created_at": datetime(2026, 1, 1)}])

    op.create_table(
        "compliance_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("model_version_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        _pk("compliance_snapshots"),
        _fk("compliance_snapshots", "municipality_id", "municipalities", "RESTRICT"),
        _fk("compliance_snapshots", "model_version_id", "compliance_model_versions", "RESTRICT"),
        sa.UniqueConstraint("municipality_id", "year", "rule",
                            name=op.f("uq_compliance_snapshots_municipality_id_year_rule")),
    )
    op.create_index(op.f("ix_compliance_snapshots_municipality_id"), "compliance_snapshots", ["municipality_id"])
    op.create_index(op.f("ix_compliance_snapshots_model_version_id"), "compliance_snapshots", ["model_version_id"])
    op.create_index("ix_compliance_snapshots_year_rule", "compliance_snapshots", ["year", "rule"])
    enable_tenant_rls(op, "compliance_snapshots")

    op.create_table(
        "consultation_tables",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("theme", sa.Text(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("chaired_by", sa.String(length=200), nullable=True),
        sa.Column("agenda", sa.Text(), nullable=True),
        sa.Column("minutes", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _pk("consultation_tables"),
        _fk("consultation_tables", "county_id", "counties", "RESTRICT"),
        _fk("consultation_tables", "created_by_id", "users", "SET NULL"),
    )
    op.create_index(op.f("ix_consultation_tables_county_id"), "consultation_tables", ["county_id"])
    op.create_table(
        "consultation_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.String(length=200), nullable=True),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=True),
        _pk("consultation_participants"),
        _fk("consultation_participants", "table_id", "consultation_tables", "CASCADE"),
        _fk("consultation_participants", "municipality_id", "municipalities", "RESTRICT"),
    )
    op.create_index(op.f("ix_consultation_participants_table_id"), "consultation_participants", ["table_id"])
    op.create_table(
        "consultation_recommendations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("table_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("follow_up", sa.Text(), nullable=True),
        sa.Column("risk_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _pk("consultation_recommendations"),
        _fk("consultation_recommendations", "municipality_id", "municipalities", "RESTRICT"),
        _fk("consultation_recommendations", "table_id", "consultation_tables", "RESTRICT"),
        _fk("consultation_recommendations", "risk_id", "risks", "SET NULL"),
    )
    op.create_index(op.f("ix_consultation_recommendations_municipality_id"), "consultation_recommendations",
                    ["municipality_id"])
    op.create_index(op.f("ix_consultation_recommendations_table_id"), "consultation_recommendations", ["table_id"])
    enable_tenant_rls(op, "consultation_recommendations")


def downgrade():
    for table in TENANT_TABLES:
        disable_tenant_rls(op, table)
    op.drop_table("consultation_recommendations")
    op.drop_table("consultation_participants")
    op.drop_table("consultation_tables")
    op.drop_table("compliance_snapshots")
    op.drop_table("compliance_model_versions")
