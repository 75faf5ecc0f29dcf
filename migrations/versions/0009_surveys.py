"""local safety measurement surveys

Revision ID: 0009_surveys
Revises: 0008_compliance
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

from safetycouncil.tenancy.rls import disable_tenant_rls, enable_tenant_rls  # noqa: F401

revision = "0009_surveys"
down_revision = "0008_compliance"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
