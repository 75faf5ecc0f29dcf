"""council details

Revision ID: 0003_council_details
Revises: 0002_council_meetings
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

from safetycouncil.tenancy.rls import disable_tenant_rls, enable_tenant_rls  # noqa: F401

revision = "0003_council_details"
down_revision = "0002_council_meetings"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
