"""disclosure control: the Ministry's protection width for crime statistics; concerns' reference numbers;
meetings' calendar sequence

Revision ID: 0017_disclosure
Revises: 0015_security_hardening
"""
import secrets

import sqlalchemy as sa
from alembic import op

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # frozen copy of concerns.models'


def _reference() -> str:
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"

revision = "0017_disclosure"
down_revision = "0015_security_hardening"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("crime_statistics_settings") as batch_op:
        batch_op.add_column(sa.Column("protection_width", sa.Integer(), nullable=False, server_default="3"))
    with op.batch_alter_table("meetings") as batch_op:
        batch_op.add_column(sa.Column("announced_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("calendar_sequence", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("concerns") as batch_op:
        batch_op.add_column(sa.Column("reference", sa.String(length=16), nullable=True))
    bind = op.get_bind()
    ids = bind.execute(sa.text("SELECT id FROM concerns WHERE reference IS NULL")).scalars().all()
    for concern_id in ids:
        bind.execute(sa.text("UPDATE concerns SET reference = :r WHERE id = :id"),
                     {"r": _reference(), "id": concern_id})
    op.create_index("ix_concerns_municipality_reference", "concerns", ["municipality_id", "reference"], unique=True)
    # public meetings created before they started were on the public page from their creation
    op.execute("UPDATE meetings SET announced_at = created_at "
               "WHERE kind IN ('council', 'open_consultation') AND starts_at > created_at")


def downgrade():
    op.drop_index("ix_concerns_municipality_reference", table_name="concerns")
    with op.batch_alter_table("concerns") as batch_op:
        batch_op.drop_column("reference")
    with op.batch_alter_table("meetings") as batch_op:
        batch_op.drop_column("calendar_sequence")
        batch_op.drop_column("announced_at")
    with op.batch_alter_table("crime_statistics_settings") as batch_op:
        batch_op.drop_column("protection_width")
