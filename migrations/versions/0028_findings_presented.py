"""meetings: Art. 9.4, second half ("and they present the findings"): which head presented a Coordination
Secretariat report's findings, at which regular council meeting or on which day, and who recorded it; a
document attached to the report's findings

Revision ID: 0028_findings_presented
Revises: 0027_grants
"""
from alembic import op
import sqlalchemy as sa

revision = "0028_findings_presented"
down_revision = "0027_grants"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("findings_presented_by", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("findings_presented_meeting_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("findings_presented_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("findings_presented_recorded_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_meetings_findings_presented_meeting_id_meetings"), "meetings",
                                    ["findings_presented_meeting_id"], ["id"], ondelete="SET NULL")
        batch_op.create_foreign_key(batch_op.f("fk_meetings_findings_presented_recorded_by_id_users"), "users",
                                    ["findings_presented_recorded_by_id"], ["id"], ondelete="SET NULL")
        batch_op.add_column(sa.Column("findings_document_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_meetings_findings_document_id_documents"), "documents",
                                    ["findings_document_id"], ["id"], ondelete="SET NULL")


def downgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_meetings_findings_document_id_documents"), type_="foreignkey")
        batch_op.drop_column("findings_document_id")
        batch_op.drop_constraint(batch_op.f("fk_meetings_findings_presented_recorded_by_id_users"),
                                 type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_meetings_findings_presented_meeting_id_meetings"),
                                 type_="foreignkey")
        for column in ("findings_presented_recorded_by_id", "findings_presented_on", "findings_presented_meeting_id",
                       "findings_presented_by"):
            batch_op.drop_column(column)
