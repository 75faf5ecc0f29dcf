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
    pass


def downgrade():
    pass
