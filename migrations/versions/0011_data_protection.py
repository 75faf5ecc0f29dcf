"""data protection: the Ministry's retention setting, municipalities' data archives

Revision ID: 0011_data_protection
Revises: 0010_hardening
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

from safetycouncil.tenancy.rls import disable_tenant_rls, enable_tenant_rls  # noqa: F401

revision = "0011_data_protection"
down_revision = "0010_hardening"
branch_labels = None
depends_on = None


def upgrade():
    # Global (reviewed): one row of national settings, kept by the Ministry.
    op.create_table(
        "data_protection_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concern_contact_retention_days", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"],
                                name=op.f("fk_data_protection_settings_updated_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_protection_settings")),
    )
    # Tenant-owned: one row per export of a municipality's data.
    op.create_table(
        "data_archives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("generated_at", sa.DateTime(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("storage_key", sa.String(length=400), nullable=True),
        sa.Column("size_bytes", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipalities.id"],
                                name=op.f("fk_data_archives_municipality_id_municipalities"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"],
                                name=op.f("fk_data_archives_requested_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_archives")),
    )
    op.create_index(op.f("ix_data_archives_municipality_id"), "data_archives", ["municipality_id"], unique=False)
    enable_tenant_rls(op, "data_archives")


def downgrade():
    disable_tenant_rls(op, "data_archives")
    op.drop_index(op.f("ix_data_archives_municipality_id"), table_name="data_archives")
    op.drop_table("data_archives")
    op.drop_table("data_protection_settings")
