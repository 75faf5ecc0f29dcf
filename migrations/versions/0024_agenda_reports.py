"""meetings: the chair's approval of a council meeting's agenda (Art. 7.5), the Coordination
Secretariat's prior agreement of a public meeting (Art. 9.5) and its report to the heads of the three
institutions after each of its meetings (Art. 9.4); the rules that read them, and the attendance the
texts require (Art. 8.1, 8.5, 9.6, 10.2), added to the stored versions of the unified model

Revision ID: 0024_agenda_reports
Revises: 0023_establishment_history
"""
from alembic import op
import sqlalchemy as sa

revision = "0024_agenda_reports"
down_revision = "0023_establishment_history"
branch_labels = None
depends_on = None

# The rules the regulation always asked for and no version could hold before: every stored version gets
# them (they never existed, so no Ministry choice is undone); the Ministry may remove them in a new version.
NEW_RULES = (
    ("agenda-approved", "Art. 7.5"),
    ("public-meetings-agreed", "Art. 9.5"),
    ("secretariat-reports", "Art. 9.4"),
    ("required-attendance", "Art. 8.1, 8.5, 9.6, 10.2"),
)
USER_COLUMNS = ("agenda_approved_by_id", "secretariat_agreed_by_id", "report_recorded_by_id")


def _versions(conn):
    table = sa.table("compliance_model_versions", sa.column("id", sa.Integer), sa.column("rules", sa.JSON))
    return table, conn.execute(sa.select(table.c.id, table.c.rules)).all()


def upgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agenda_approved_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("agenda_approved_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("agenda_approved_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("secretariat_agreed_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("secretariat_agreed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("report_sent_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("report_recipients", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("report_findings", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("report_recorded_by_id", sa.Integer(), nullable=True))
        for column in USER_COLUMNS:
            batch_op.create_foreign_key(batch_op.f(f"fk_meetings_{column}_users"), "users", [column], ["id"],
                                        ondelete="SET NULL")
    conn = op.get_bind()
    table, rows = _versions(conn)
    for version_id, rules in rows:
        rules = list(rules or [])
        have = {r.get("id") for r in rules}
        added = [{"id": rule_id, "article": article} for rule_id, article in NEW_RULES if rule_id not in have]
        if added:
            conn.execute(table.update().where(table.c.id == version_id).values(rules=rules + added))


def downgrade():
    conn = op.get_bind()
    table, rows = _versions(conn)
    new = {rule_id for rule_id, _article in NEW_RULES}
    for version_id, rules in rows:
        kept = [r for r in (rules or []) if r.get("id") not in new]
        if len(kept) != len(rules or []):
            conn.execute(table.update().where(table.c.id == version_id).values(rules=kept))
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        for column in USER_COLUMNS:
            batch_op.drop_constraint(batch_op.f(f"fk_meetings_{column}_users"), type_="foreignkey")
        for column in ("report_recorded_by_id", "report_findings", "report_recipients", "report_sent_on",
                       "secretariat_agreed_by_id", "secretariat_agreed_on", "agenda_approved_by_id",
                       "agenda_approved_at", "agenda_approved_on"):
            batch_op.drop_column(column)
