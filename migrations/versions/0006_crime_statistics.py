"""crime statistics

Revision ID: 0006_crime_statistics
Revises: 0005_records_details
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

from safetycouncil.tenancy.rls import disable_tenant_rls, enable_tenant_rls  # noqa: F401

revision = "0006_crime_statistics"
down_revision = "0005_records_details"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
