"""grants: documents of a call (terms of reference, forms), with their versions

Revision ID: 0028_grant_programmes
Revises: 0027_grants
"""
from alembic import op
import sqlalchemy as sa

from safetycouncil.tenancy.rls import disable_tenant_rls, enable_tenant_rls

revision = "0028_grant_programmes"
down_revision = "0027_grants"
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


def downgrade():
    disable_tenant_rls(op, 'grant_call_documents')
    op.drop_table('grant_call_documents')
