"""row-level security reads the scope's settings once per query (InitPlan), not once per row

Revision ID: 0013_rls_settings_once
Revises: 0012_data_stamps
"""
import sqlalchemy as sa
from alembic import op

from safetycouncil.tenancy.rls import READ_MATCH, TENANT_MATCH, set_policies

revision = "0013_rls_settings_once"
down_revision = "0012_data_stamps"
branch_labels = None
depends_on = None

# the expressions before this revision, for the downgrade
OLD_TENANT_MATCH = "municipality_id = NULLIF(current_setting('app.municipality_id', true), '')::integer"
OLD_READ_MATCH = (
    "current_setting('app.read_all', true) = 'on' OR municipality_id = ANY ("
    "string_to_array(NULLIF(current_setting('app.read_ids', true), ''), ',')::integer[])"
)


def _tenant_tables() -> list[str]:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return []
    return list(bind.execute(sa.text(
        "SELECT tablename FROM pg_policies WHERE schemaname = current_schema() AND policyname = 'tenant_isolation' "
        "ORDER BY tablename")).scalars())


def upgrade():
    for table in _tenant_tables():
        set_policies(op, table, TENANT_MATCH, READ_MATCH)


def downgrade():
    for table in _tenant_tables():
        set_policies(op, table, OLD_TENANT_MATCH, OLD_READ_MATCH)
