"""meeting records details

Revision ID: 0005_records_details
Revises: 0004_meetings_details
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

from safetycouncil.tenancy.rls import disable_tenant_rls, enable_tenant_rls  # noqa: F401

revision = "0005_records_details"
down_revision = "0004_meetings_details"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
