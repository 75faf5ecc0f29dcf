"""concerns, risks, the multi-agency plan and its monitoring

Revision ID: 0007_concerns_risks_plans
Revises: 0006_crime_statistics
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

from safetycouncil.tenancy.rls import disable_tenant_rls, enable_tenant_rls  # noqa: F401

revision = "0007_concerns_risks_plans"
down_revision = "0006_crime_statistics"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
