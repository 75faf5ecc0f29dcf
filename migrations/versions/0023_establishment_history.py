"""establishment history (issue 19): several Municipal Council decisions per municipality, the
regulation's publication on the official website (Art. 13), the parties represented in the Municipal
Council and each category-(e) member's party (Art. 4.1.e)

Existing establishment rows are kept (each becomes the first decision of its municipality's history).

Revision ID: 0023_establishment_history
Revises: 0022_obligations
"""
from alembic import op
import sqlalchemy as sa

from safetycouncil.tenancy.rls import disable_tenant_rls, enable_tenant_rls

revision = "0023_establishment_history"
down_revision = "0022_obligations"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("council_establishments", schema=None) as batch_op:
        batch_op.drop_constraint("uq_council_establishments_municipality_id", type_="unique")
        batch_op.add_column(sa.Column("adopts_unified_model", sa.Boolean(), nullable=False,
                                      server_default=sa.text("false")))
        batch_op.add_column(sa.Column("published_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("published_url", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE council_establishments SET updated_at = CURRENT_TIMESTAMP")

    op.create_table(
        "municipal_council_parties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("represented_from", sa.Date(), nullable=False),
        sa.Column("represented_until", sa.Date(), nullable=True),
        sa.Column("seats", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipalities.id"],
                                name=op.f("fk_municipal_council_parties_municipality_id_municipalities"),
                                ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_municipal_council_parties")),
    )
    op.create_index(op.f("ix_municipal_council_parties_municipality_id"), "municipal_council_parties",
                    ["municipality_id"], unique=False)
    enable_tenant_rls(op, "municipal_council_parties")

    with op.batch_alter_table("council_members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("party_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_council_members_party_id"), ["party_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_council_members_party_id_municipal_council_parties"),
                                    "municipal_council_parties", ["party_id"], ["id"], ondelete="RESTRICT")


def downgrade():
    with op.batch_alter_table("council_members", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_council_members_party_id_municipal_council_parties"),
                                 type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_council_members_party_id"))
        batch_op.drop_column("party_id")
    disable_tenant_rls(op, "municipal_council_parties")
    op.drop_index(op.f("ix_municipal_council_parties_municipality_id"), table_name="municipal_council_parties")
    op.drop_table("municipal_council_parties")
    # Going back to one decision per municipality: the latest decision of each is kept.
    op.execute("DELETE FROM council_establishments WHERE id NOT IN (SELECT MAX(id) FROM council_establishments "
               "GROUP BY municipality_id)")
    with op.batch_alter_table("council_establishments", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
        batch_op.drop_column("published_url")
        batch_op.drop_column("published_on")
        batch_op.drop_column("adopts_unified_model")
        batch_op.create_unique_constraint("uq_council_establishments_municipality_id", ["municipality_id"])
