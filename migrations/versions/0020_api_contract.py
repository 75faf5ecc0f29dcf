"""updated_at on the records the API lists, for its `updated_since` (issue 17)

Existing rows get the time of the upgrade (a client that synchronised before it reads them all once
more; nothing is missed). The column is filled by the ADD COLUMN's default, not by an UPDATE, so
row-level security has nothing to filter; the default is then dropped on PostgreSQL (the
application sets the value on every insert and update).

Revision ID: 0020_api_contract
Revises: 0019_meetings_clerk
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0020_api_contract"
down_revision = "0019_meetings_clerk"
branch_labels = None
depends_on = None

TABLES = [
    "areas", "risk_categories", "concerns", "council_institutions", "council_members", "council_seats",
    "crime_statistics_uploads", "documents", "meetings", "agenda_items", "agenda_materials", "invitations",
    "attendances", "plans", "plan_versions", "plan_items", "plan_activities", "plan_indicators", "plan_funding",
    "institution_officers", "progress_entries", "monitoring_reports", "decisions", "risks", "risk_ratings",
    "risk_evidence", "survey_waves",
]


def upgrade():
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0).isoformat(sep=" ")
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in TABLES:
        op.add_column(table, sa.Column("updated_at", sa.DateTime(), nullable=True,
                                       server_default=sa.text(f"'{now}'")))
        if postgres:
            op.alter_column(table, "updated_at", server_default=None)


def downgrade():
    for table in TABLES:
        op.drop_column(table, "updated_at")
