"""compliance: each council's latest judgement kept in the database behind the cache (issue 16), so
that an empty cache (Redis restarted) is not a cold judgement of every council

Revision ID: 0029_compliance_judgements
Revises: 0028_grant_programmes
"""
from alembic import op
import sqlalchemy as sa

from safetycouncil.tenancy.rls import disable_tenant_rls, enable_tenant_rls

revision = "0029_compliance_judgements"
down_revision = "0028_grant_programmes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('compliance_judgements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('code_version', sa.String(length=40), nullable=False),
    sa.Column('data_stamp', sa.String(length=32), nullable=False),
    sa.Column('national_stamp', sa.String(length=32), nullable=False),
    sa.Column('valid_from', sa.Float(), nullable=False),
    sa.Column('valid_until', sa.Float(), nullable=False),
    sa.Column('verdicts', sa.JSON(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('judged_at', sa.DateTime(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_compliance_judgements_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_compliance_judgements')),
    sa.UniqueConstraint('municipality_id', 'year', 'code_version', 'valid_from', name=op.f('uq_compliance_judgements_municipality_id_year_code_version_valid_from')),
    )
    op.create_index('ix_compliance_judgements_year_until', 'compliance_judgements', ['year', 'valid_until'], unique=False)
    op.create_index(op.f('ix_compliance_judgements_municipality_id'), 'compliance_judgements', ['municipality_id'], unique=False)
    enable_tenant_rls(op, 'compliance_judgements')


def downgrade():
    disable_tenant_rls(op, 'compliance_judgements')
    op.drop_index(op.f('ix_compliance_judgements_municipality_id'), table_name='compliance_judgements')
    op.drop_index('ix_compliance_judgements_year_until', table_name='compliance_judgements')
    op.drop_table('compliance_judgements')
