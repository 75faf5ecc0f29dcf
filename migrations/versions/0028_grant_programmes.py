"""grants: documents of a call (terms of reference, forms), with their versions; the Ministry's programmes with lots

Revision ID: 0028_grant_programmes
Revises: 0028_findings_presented
"""
from alembic import op
import sqlalchemy as sa

from safetycouncil.tenancy.rls import disable_tenant_rls, enable_tenant_rls

revision = "0028_grant_programmes"
down_revision = "0028_findings_presented"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('grant_call_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=400), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('replaced_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['grant_calls.id'], name=op.f('fk_grant_call_documents_call_id_grant_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_grant_call_documents_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_grant_call_documents_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['replaces_id'], ['grant_call_documents.id'], name=op.f('fk_grant_call_documents_replaces_id_grant_call_documents'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_call_documents'))
    )
    op.create_index(op.f('ix_grant_call_documents_call_id'), 'grant_call_documents', ['call_id'], unique=False)
    op.create_index(op.f('ix_grant_call_documents_municipality_id'), 'grant_call_documents', ['municipality_id'], unique=False)
    op.create_index(op.f('ix_grant_call_documents_replaces_id'), 'grant_call_documents', ['replaces_id'], unique=False)
    enable_tenant_rls(op, 'grant_call_documents')

    # The Ministry's programmes and their lots: national data (not tenant-owned)
    op.create_table('grant_programmes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_grant_programmes_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_programmes'))
    )
    op.create_table('grant_lots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('target_municipality_id', sa.Integer(), nullable=True),
    sa.Column('county_id', sa.Integer(), nullable=True),
    sa.Column('budget', sa.Integer(), nullable=False),
    sa.Column('max_per_grant', sa.Integer(), nullable=False),
    sa.CheckConstraint('(target_municipality_id IS NULL) <> (county_id IS NULL)', name=op.f('ck_grant_lots_one_municipality_or_county')),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], name=op.f('fk_grant_lots_county_id_counties'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['target_municipality_id'], ['municipalities.id'], name=op.f('fk_grant_lots_target_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['programme_id'], ['grant_programmes.id'], name=op.f('fk_grant_lots_programme_id_grant_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_lots'))
    )
    op.create_index(op.f('ix_grant_lots_county_id'), 'grant_lots', ['county_id'], unique=False)
    op.create_index(op.f('ix_grant_lots_target_municipality_id'), 'grant_lots', ['target_municipality_id'], unique=False)
    op.create_index(op.f('ix_grant_lots_programme_id'), 'grant_lots', ['programme_id'], unique=False)
    op.create_table('grant_lot_calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['grant_calls.id'], name=op.f('fk_grant_lot_calls_call_id_grant_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['lot_id'], ['grant_lots.id'], name=op.f('fk_grant_lot_calls_lot_id_grant_lots'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_grant_lot_calls_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_lot_calls')),
    sa.UniqueConstraint('call_id', name=op.f('uq_grant_lot_calls_call_id'))
    )
    op.create_index(op.f('ix_grant_lot_calls_call_id'), 'grant_lot_calls', ['call_id'], unique=False)
    op.create_index(op.f('ix_grant_lot_calls_lot_id'), 'grant_lot_calls', ['lot_id'], unique=False)
    op.create_index(op.f('ix_grant_lot_calls_municipality_id'), 'grant_lot_calls', ['municipality_id'], unique=False)
    enable_tenant_rls(op, 'grant_lot_calls')


def downgrade():
    disable_tenant_rls(op, 'grant_lot_calls')
    op.drop_table('grant_lot_calls')
    op.drop_table('grant_lots')
    op.drop_table('grant_programmes')
    disable_tenant_rls(op, 'grant_call_documents')
    op.drop_table('grant_call_documents')
