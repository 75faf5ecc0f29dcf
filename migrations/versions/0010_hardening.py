"""two-factor sign-in, data protection, failed jobs

Revision ID: 0010_hardening
Revises: 0009_surveys
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

from safetycouncil.tenancy.rls import disable_tenant_rls, enable_tenant_rls  # noqa: F401

revision = "0010_hardening"
down_revision = "0009_surveys"
branch_labels = None
depends_on = None


def upgrade():
    # Two-factor sign-in (TOTP) with hashed recovery codes, on the person's account.
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("totp_secret", sa.String(64), nullable=True))
        batch.add_column(sa.Column("totp_enabled_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("recovery_codes", sa.Text(), nullable=True))
    # When an invitation row was claimed for sending: a row stuck in 'sending' (a killed worker)
    # is put back to 'pending' by a retry after a while. A new nullable column keeps RLS as it is.
    with op.batch_alter_table("invitations") as batch:
        batch.add_column(sa.Column("claimed_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("invitations") as batch:
        batch.drop_column("claimed_at")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("recovery_codes")
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_enabled_at")
        batch.drop_column("totp_secret")
