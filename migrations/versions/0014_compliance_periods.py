"""compliance periods: Municipal Council sessions (Art. 5.2.d), decisions that review the plan
(Art. 8.5), the plan's publication on the official website (roadmap)

Revision ID: 0014_compliance_periods
Revises: 0013_rls_settings_once
"""
from alembic import op
import sqlalchemy as sa

from safetycouncil.tenancy.rls import disable_tenant_rls, enable_tenant_rls

revision = "0014_compliance_periods"
down_revision = "0013_rls_settings_once"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "municipal_council_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("decision_number", sa.String(length=60), nullable=False),
        sa.Column("report_title", sa.String(length=300), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipalities.id"],
                                name=op.f("fk_municipal_council_sessions_municipality_id_municipalities"),
                                ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"],
                                name=op.f("fk_municipal_council_sessions_recorded_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_municipal_council_sessions")),
    )
    op.create_index(op.f("ix_municipal_council_sessions_municipality_id"), "municipal_council_sessions",
                    ["municipality_id"], unique=False)
    enable_tenant_rls(op, "municipal_council_sessions")
    with op.batch_alter_table("decisions") as batch:
        batch.add_column(sa.Column("reviews_plan", sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table("plan_versions") as batch:
        batch.add_column(sa.Column("published_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("published_url", sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table("plan_versions") as batch:
        batch.drop_column("published_url")
        batch.drop_column("published_on")
    with op.batch_alter_table("decisions") as batch:
        batch.drop_column("reviews_plan")
    disable_tenant_rls(op, "municipal_council_sessions")
    op.drop_index(op.f("ix_municipal_council_sessions_municipality_id"), table_name="municipal_council_sessions")
    op.drop_table("municipal_council_sessions")
