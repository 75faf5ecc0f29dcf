"""disclosure control: the Ministry's protection width for crime statistics; concerns' reference numbers;
meetings' calendar sequence

Revision ID: 0017_disclosure
Revises: 0013_rls_settings_once
"""
import sqlalchemy as sa
from alembic import op

revision = "0017_disclosure"
down_revision = "0013_rls_settings_once"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("crime_statistics_settings") as batch_op:
        batch_op.add_column(sa.Column("protection_width", sa.Integer(), nullable=False, server_default="3"))
    with op.batch_alter_table("meetings") as batch_op:
        batch_op.add_column(sa.Column("announced_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("calendar_sequence", sa.Integer(), nullable=False, server_default="0"))
    # public meetings created before they started were on the public page from their creation
    op.execute("UPDATE meetings SET announced_at = created_at "
               "WHERE kind IN ('council', 'open_consultation') AND starts_at > created_at")


def downgrade():
    with op.batch_alter_table("meetings") as batch_op:
        batch_op.drop_column("calendar_sequence")
        batch_op.drop_column("announced_at")
    with op.batch_alter_table("crime_statistics_settings") as batch_op:
        batch_op.drop_column("protection_width")
