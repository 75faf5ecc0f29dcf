"""meetings, a clerk's daily work: what each invitation carried of the materials, personal links to
the materials that need no account, meetings entered after the fact, the dated follow-up of Prefecture
recommendations

Revision ID: 0019_meetings_clerk
Revises: 0017_disclosure
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

from safetycouncil.tenancy.rls import disable_tenant_rls, enable_tenant_rls  # noqa: F401

revision = "0019_meetings_clerk"
down_revision = "0017_disclosure"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("entered_after_the_fact", sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column("recorded_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_meetings_recorded_by_id_users"), "users", ["recorded_by_id"],
                                    ["id"], ondelete="SET NULL")
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("materials", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("material_document_ids", sa.JSON(), nullable=True))
    op.create_table(
        "material_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("first_opened_at", sa.DateTime(), nullable=True),
        sa.Column("last_opened_at", sa.DateTime(), nullable=True),
        sa.Column("open_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["invitation_id"], ["invitations.id"],
                                name=op.f("fk_material_links_invitation_id_invitations"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipalities.id"],
                                name=op.f("fk_material_links_municipality_id_municipalities"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["revoked_by_id"], ["users.id"],
                                name=op.f("fk_material_links_revoked_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_material_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_material_links_token_hash")),
    )
    op.create_index(op.f("ix_material_links_invitation_id"), "material_links", ["invitation_id"], unique=False)
    op.create_index(op.f("ix_material_links_municipality_id"), "material_links", ["municipality_id"], unique=False)
    enable_tenant_rls(op, "material_links")
    # Each step of a Prefecture recommendation's follow-up, with its date.
    op.create_table(
        "recommendation_follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("risk_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipalities.id"],
                                name=op.f("fk_recommendation_follow_ups_municipality_id_municipalities"),
                                ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["recommendation_id"], ["consultation_recommendations.id"],
                                name="fk_recommendation_follow_ups_recommendation",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"],
                                name=op.f("fk_recommendation_follow_ups_recorded_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["risk_id"], ["risks.id"],
                                name=op.f("fk_recommendation_follow_ups_risk_id_risks"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation_follow_ups")),
    )
    op.create_index(op.f("ix_recommendation_follow_ups_municipality_id"), "recommendation_follow_ups",
                    ["municipality_id"], unique=False)
    op.create_index(op.f("ix_recommendation_follow_ups_recommendation_id"), "recommendation_follow_ups",
                    ["recommendation_id"], unique=False)
    enable_tenant_rls(op, "recommendation_follow_ups")


def downgrade():
    disable_tenant_rls(op, "recommendation_follow_ups")
    op.drop_index(op.f("ix_recommendation_follow_ups_recommendation_id"), table_name="recommendation_follow_ups")
    op.drop_index(op.f("ix_recommendation_follow_ups_municipality_id"), table_name="recommendation_follow_ups")
    op.drop_table("recommendation_follow_ups")
    disable_tenant_rls(op, "material_links")
    op.drop_index(op.f("ix_material_links_municipality_id"), table_name="material_links")
    op.drop_index(op.f("ix_material_links_invitation_id"), table_name="material_links")
    op.drop_table("material_links")
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_column("material_document_ids")
        batch_op.drop_column("materials")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_meetings_recorded_by_id_users"), type_="foreignkey")
        batch_op.drop_column("recorded_by_id")
        batch_op.drop_column("entered_after_the_fact")
