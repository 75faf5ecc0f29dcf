"""data stamps: a token per municipality (and a national one) that changes with every write, for caching

Revision ID: 0012_data_stamps
Revises: 0011_data_protection
"""
from uuid import uuid4

import sqlalchemy as sa
from alembic import op

revision = "0012_data_stamps"
down_revision = "0011_data_protection"
branch_labels = None
depends_on = None


def upgrade():
    stamps = op.create_table(
        "data_stamps",
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("stamp", sa.String(32), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_data_stamps")),
    )
    # Every existing municipality and the national inputs start with a stamp, so their results
    # can be cached from the first read.
    bind = op.get_bind()
    ids = [row[0] for row in bind.execute(sa.text("SELECT id FROM municipalities"))]
    now = bind.execute(sa.select(sa.func.current_timestamp())).scalar()
    rows = [{"key": f"municipality:{i}", "stamp": uuid4().hex, "changed_at": now} for i in ids]
    rows.append({"key": "national", "stamp": uuid4().hex, "changed_at": now})
    op.bulk_insert(stamps, rows)


def downgrade():
    op.drop_table("data_stamps")
