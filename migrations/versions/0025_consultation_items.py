"""consultation tables as structured records: themes, recommendations to national bodies (a national list),
due dates and follow-up statuses (open / in progress / done / not accepted, dated steps), the agenda item or
plan activity that takes a recommendation up, funding requests

Revision ID: 0025_consultation_items
Revises: 0024_agenda_reports
"""
from alembic import op
import sqlalchemy as sa

revision = "0025_consultation_items"
down_revision = "0024_agenda_reports"
branch_labels = None
depends_on = None

# The national bodies the Fier table of 9 May 2024 addressed (the Ministry extends the list).
BODIES = (
    ("QPKMR", "Qendra për Parandalimin e Kriminalitetit të të Miturve dhe të Rinjve",
     "Centre for the Prevention of Juvenile and Youth Crime"),
    ("ASHDMF", "Agjencia Shtetërore për të Drejtat dhe Mbrojtjen e Fëmijëve",
     "State Agency for the Rights and Protection of Children"),
    ("DPPSH", "Drejtoria e Përgjithshme e Policisë së Shtetit", "General Directorate of the State Police"),
    ("MAS", "Ministria e Arsimit dhe Sportit", "Ministry of Education and Sport"),
)
# The statuses' new names (the old ones: received, not_applicable).
RENAMED = (("received", "open"), ("not_applicable", "not_accepted"))


def _fk(table, column, target, ondelete, name=None):
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=name or op.f(f"fk_{table}_{column}_{target}"),
                                   ondelete=ondelete)


def _rename_statuses(pairs) -> None:
    """The tenant tables' rows, whatever their municipality: the owner steps out of FORCE'd row-level
    security for the UPDATE (PostgreSQL), then back in."""
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in ("consultation_recommendations", "recommendation_follow_ups"):
        if postgres:
            op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        for old, new in pairs:
            op.execute(sa.text(f"UPDATE {table} SET status = :new WHERE status = :old").bindparams(old=old, new=new))
        if postgres:
            op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")


def upgrade():
    bodies = op.create_table(
        "national_bodies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name_sq", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_national_bodies")),
        sa.UniqueConstraint("code", name=op.f("uq_national_bodies_code")),
    )
    op.bulk_insert(bodies, [{"code": c, "name_sq": sq, "name_en": en, "active": True} for c, sq, en in BODIES])
    op.create_table(
        "consultation_themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("presented_by", sa.String(length=300), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_themes")),
        _fk("consultation_themes", "table_id", "consultation_tables", "CASCADE"),
    )
    op.create_index(op.f("ix_consultation_themes_table_id"), "consultation_themes", ["table_id"])
    op.create_table(
        "consultation_national_recommendations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("follow_up", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_national_recommendations")),
        _fk("consultation_national_recommendations", "table_id", "consultation_tables", "RESTRICT",
            name="fk_consultation_national_recommendations_table"),
        _fk("consultation_national_recommendations", "body_id", "national_bodies", "RESTRICT",
            name="fk_consultation_national_recommendations_body"),
        _fk("consultation_national_recommendations", "theme_id", "consultation_themes", "SET NULL",
            name="fk_consultation_national_recommendations_theme"),
    )
    op.create_index(op.f("ix_consultation_national_recommendations_table_id"),
                    "consultation_national_recommendations", ["table_id"])
    op.create_index(op.f("ix_consultation_national_recommendations_body_id"),
                    "consultation_national_recommendations", ["body_id"])
    op.create_table(
        "national_recommendation_follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("noted_on", sa.Date(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_national_recommendation_follow_ups")),
        _fk("national_recommendation_follow_ups", "recommendation_id", "consultation_national_recommendations",
            "CASCADE", name="fk_national_recommendation_follow_ups_recommendation"),
        _fk("national_recommendation_follow_ups", "recorded_by_id", "users", "SET NULL",
            name="fk_national_recommendation_follow_ups_recorded_by"),
    )
    op.create_index(op.f("ix_national_recommendation_follow_ups_recommendation_id"),
                    "national_recommendation_follow_ups", ["recommendation_id"])
    op.create_table(
        "consultation_funding_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=True),
        sa.Column("requested_from", sa.String(length=200), nullable=True),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("answer_status", sa.String(length=20), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("granted_amount", sa.Numeric(14, 2), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_funding_requests")),
        _fk("consultation_funding_requests", "table_id", "consultation_tables", "RESTRICT",
            name="fk_consultation_funding_requests_table"),
        _fk("consultation_funding_requests", "body_id", "national_bodies", "RESTRICT",
            name="fk_consultation_funding_requests_body"),
    )
    op.create_index(op.f("ix_consultation_funding_requests_table_id"), "consultation_funding_requests",
                    ["table_id"])
    with op.batch_alter_table("consultation_recommendations") as batch_op:
        batch_op.add_column(sa.Column("due_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("theme_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("agenda_item_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("plan_activity_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_consultation_recommendations_theme", "consultation_themes",
                                    ["theme_id"], ["id"], ondelete="SET NULL")
        batch_op.create_foreign_key("fk_consultation_recommendations_agenda_item", "agenda_items",
                                    ["agenda_item_id"], ["id"], ondelete="SET NULL")
        batch_op.create_foreign_key("fk_consultation_recommendations_plan_activity", "plan_activities",
                                    ["plan_activity_id"], ["id"], ondelete="SET NULL")
    with op.batch_alter_table("recommendation_follow_ups") as batch_op:
        batch_op.add_column(sa.Column("noted_on", sa.Date(), nullable=True))
    _rename_statuses(RENAMED)


def downgrade():
    _rename_statuses(tuple((new, old) for old, new in RENAMED))
    with op.batch_alter_table("recommendation_follow_ups") as batch_op:
        batch_op.drop_column("noted_on")
    with op.batch_alter_table("consultation_recommendations") as batch_op:
        batch_op.drop_constraint("fk_consultation_recommendations_plan_activity", type_="foreignkey")
        batch_op.drop_constraint("fk_consultation_recommendations_agenda_item", type_="foreignkey")
        batch_op.drop_constraint("fk_consultation_recommendations_theme", type_="foreignkey")
        batch_op.drop_column("plan_activity_id")
        batch_op.drop_column("agenda_item_id")
        batch_op.drop_column("theme_id")
        batch_op.drop_column("due_on")
    op.drop_index(op.f("ix_consultation_funding_requests_table_id"), table_name="consultation_funding_requests")
    op.drop_table("consultation_funding_requests")
    op.drop_index(op.f("ix_national_recommendation_follow_ups_recommendation_id"),
                  table_name="national_recommendation_follow_ups")
    op.drop_table("national_recommendation_follow_ups")
    op.drop_index(op.f("ix_consultation_national_recommendations_body_id"),
                  table_name="consultation_national_recommendations")
    op.drop_index(op.f("ix_consultation_national_recommendations_table_id"),
                  table_name="consultation_national_recommendations")
    op.drop_table("consultation_national_recommendations")
    op.drop_index(op.f("ix_consultation_themes_table_id"), table_name="consultation_themes")
    op.drop_table("consultation_themes")
    op.drop_table("national_bodies")
