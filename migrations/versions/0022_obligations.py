"""obligations: the Ministry's reminder settings, waivers, the reminders' sent log, calendar feeds

Revision ID: 0022_obligations
Revises: 0020_api_contract
"""
from alembic import op
import sqlalchemy as sa

from safetycouncil.tenancy.rls import disable_tenant_rls, enable_tenant_rls

revision = "0022_obligations"
down_revision = "0020_api_contract"
branch_labels = None
depends_on = None


def upgrade():
    # Global (reviewed): one row of national settings, kept by the Ministry.
    op.create_table(
        "obligation_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reminder_days", sa.JSON(), nullable=True),
        sa.Column("remind_day_after", sa.Boolean(), nullable=False),
        sa.Column("escalation_days", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"],
                                name=op.f("fk_obligation_settings_updated_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_obligation_settings")),
    )
    op.create_table(
        "obligation_waivers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("waived_by_id", sa.Integer(), nullable=True),
        sa.Column("waived_at", sa.DateTime(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipalities.id"],
                                name=op.f("fk_obligation_waivers_municipality_id_municipalities"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["waived_by_id"], ["users.id"],
                                name=op.f("fk_obligation_waivers_waived_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["withdrawn_by_id"], ["users.id"],
                                name=op.f("fk_obligation_waivers_withdrawn_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_obligation_waivers")),
        sa.UniqueConstraint("municipality_id", "rule", "key", name="uq_obligation_waivers_rule_key"),
    )
    op.create_index(op.f("ix_obligation_waivers_municipality_id"), "obligation_waivers", ["municipality_id"],
                    unique=False)
    enable_tenant_rls(op, "obligation_waivers")
    # Global (reviewed): the sent log of reminder digests, one row per person, kind and day.
    op.create_table(
        "obligation_reminders_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_obligation_reminders_sent_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_obligation_reminders_sent")),
        sa.UniqueConstraint("user_id", "kind", "day", name="uq_obligation_reminders_sent_user_kind_day"),
    )
    op.create_index(op.f("ix_obligation_reminders_sent_user_id"), "obligation_reminders_sent", ["user_id"],
                    unique=False)
    op.create_table(
        "obligation_calendar_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipalities.id"],
                                name=op.f("fk_obligation_calendar_feeds_municipality_id_municipalities"),
                                ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_obligation_calendar_feeds_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_obligation_calendar_feeds")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_obligation_calendar_feeds_token_hash")),
    )
    op.create_index(op.f("ix_obligation_calendar_feeds_municipality_id"), "obligation_calendar_feeds",
                    ["municipality_id"], unique=False)
    op.create_index(op.f("ix_obligation_calendar_feeds_user_id"), "obligation_calendar_feeds", ["user_id"],
                    unique=False)
    enable_tenant_rls(op, "obligation_calendar_feeds")


def downgrade():
    disable_tenant_rls(op, "obligation_calendar_feeds")
    op.drop_index(op.f("ix_obligation_calendar_feeds_user_id"), table_name="obligation_calendar_feeds")
    op.drop_index(op.f("ix_obligation_calendar_feeds_municipality_id"), table_name="obligation_calendar_feeds")
    op.drop_table("obligation_calendar_feeds")
    op.drop_index(op.f("ix_obligation_reminders_sent_user_id"), table_name="obligation_reminders_sent")
    op.drop_table("obligation_reminders_sent")
    disable_tenant_rls(op, "obligation_waivers")
    op.drop_index(op.f("ix_obligation_waivers_municipality_id"), table_name="obligation_waivers")
    op.drop_table("obligation_waivers")
    op.drop_table("obligation_settings")
