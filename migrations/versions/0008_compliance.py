"""the unified model's rules, compliance snapshots, prefecture consultation tables

Revision ID: 0008_compliance
Revises: 0007_concerns_risks_plans
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

from safetycouncil.tenancy.rls import disable_tenant_rls, enable_tenant_rls  # noqa: F401

revision = "0008_compliance"
down_revision = "0007_concerns_risks_plans"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
