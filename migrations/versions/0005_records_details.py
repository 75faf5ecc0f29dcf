"""meeting records details: how a decision's signature was recorded; each copy distributed

Revision ID: 0005_records_details
Revises: 0004_meetings_details
"""
from alembic import op
import sqlalchemy as sa

from safetycouncil.tenancy.rls import disable_tenant_rls, enable_tenant_rls

revision = "0005_records_details"
down_revision = "0004_meetings_details"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signature_method", sa.String(length=20), nullable=True))

    op.create_table(
        "decision_distributions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["decision_id"], ["decisions.id"],
                                name=op.f("fk_decision_distributions_decision_id_decisions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["member_id"], ["council_members.id"],
                                name=op.f("fk_decision_distributions_member_id_council_members"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipalities.id"],
                                name=op.f("fk_decision_distributions_municipality_id_municipalities"),
                                ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_distributions")),
        sa.UniqueConstraint("decision_id", "member_id", name=op.f("uq_decision_distributions_decision_id_member_id")),
    )
    with op.batch_alter_table("decision_distributions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decision_distributions_decision_id"), ["decision_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_decision_distributions_municipality_id"), ["municipality_id"],
                              unique=False)
    enable_tenant_rls(op, "decision_distributions")


def downgrade():
    disable_tenant_rls(op, "decision_distributions")
    with op.batch_alter_table("decision_distributions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_distributions_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_decision_distributions_decision_id"))
    op.drop_table("decision_distributions")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_column("signature_method")
