"""grants: community grants (calls, applications, eligibility, scoring committee, awards, tranches, reports)

Revision ID: 0027_grants
Revises: 0026_webhooks
"""
from alembic import op
import sqlalchemy as sa

from safetycouncil.tenancy.rls import disable_tenant_rls, enable_tenant_rls

revision = "0027_grants"
down_revision = "0026_webhooks"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('grant_calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('objectives', sa.Text(), nullable=False),
    sa.Column('budget', sa.Integer(), nullable=False),
    sa.Column('max_per_grant', sa.Integer(), nullable=False),
    sa.Column('cofinancing_percent', sa.Integer(), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('decision_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_grant_calls_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_grant_calls_decision_id_decisions'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_grant_calls_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_calls'))
    )
    op.create_index(op.f('ix_grant_calls_decision_id'), 'grant_calls', ['decision_id'], unique=False)
    op.create_index(op.f('ix_grant_calls_municipality_id'), 'grant_calls', ['municipality_id'], unique=False)
    enable_tenant_rls(op, 'grant_calls')

    op.create_table('grant_committee_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('council_member_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_at', sa.DateTime(), nullable=False),
    sa.Column('declared_at', sa.DateTime(), nullable=True),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['call_id'], ['grant_calls.id'], name=op.f('fk_grant_committee_members_call_id_grant_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['council_member_id'], ['council_members.id'], name=op.f('fk_grant_committee_members_council_member_id_council_members'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_grant_committee_members_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_committee_members')),
    sa.UniqueConstraint('call_id', 'email', name='uq_grant_committee_members_email'),
    sa.UniqueConstraint('token_hash', name=op.f('uq_grant_committee_members_token_hash'))
    )
    op.create_index(op.f('ix_grant_committee_members_call_id'), 'grant_committee_members', ['call_id'], unique=False)
    op.create_index(op.f('ix_grant_committee_members_municipality_id'), 'grant_committee_members', ['municipality_id'], unique=False)
    enable_tenant_rls(op, 'grant_committee_members')

    op.create_table('grant_criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=True),
    sa.Column('max_score', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['grant_calls.id'], name=op.f('fk_grant_criteria_call_id_grant_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_grant_criteria_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_criteria'))
    )
    op.create_index(op.f('ix_grant_criteria_call_id'), 'grant_criteria', ['call_id'], unique=False)
    op.create_index(op.f('ix_grant_criteria_municipality_id'), 'grant_criteria', ['municipality_id'], unique=False)
    enable_tenant_rls(op, 'grant_criteria')

    op.create_table('grant_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('nipt', sa.String(length=10), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('contact_phone', sa.String(length=40), nullable=True),
    sa.Column('project_title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('amount_requested', sa.Integer(), nullable=False),
    sa.Column('cofinancing', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('eligibility_note', sa.Text(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['activity_id'], ['plan_activities.id'], name=op.f('fk_grant_applications_activity_id_plan_activities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['call_id'], ['grant_calls.id'], name=op.f('fk_grant_applications_call_id_grant_calls'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_grant_applications_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_applications')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_grant_applications_token_hash'))
    )
    op.create_index(op.f('ix_grant_applications_activity_id'), 'grant_applications', ['activity_id'], unique=False)
    op.create_index(op.f('ix_grant_applications_call_id'), 'grant_applications', ['call_id'], unique=False)
    op.create_index(op.f('ix_grant_applications_municipality_id'), 'grant_applications', ['municipality_id'], unique=False)
    op.create_index('ix_grant_applications_municipality_reference', 'grant_applications', ['municipality_id', 'reference'], unique=True)
    enable_tenant_rls(op, 'grant_applications')

    op.create_table('grant_call_activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['plan_activities.id'], name=op.f('fk_grant_call_activities_activity_id_plan_activities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['call_id'], ['grant_calls.id'], name=op.f('fk_grant_call_activities_call_id_grant_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_grant_call_activities_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_call_activities')),
    sa.UniqueConstraint('call_id', 'activity_id', name='uq_grant_call_activities')
    )
    op.create_index(op.f('ix_grant_call_activities_activity_id'), 'grant_call_activities', ['activity_id'], unique=False)
    op.create_index(op.f('ix_grant_call_activities_call_id'), 'grant_call_activities', ['call_id'], unique=False)
    op.create_index(op.f('ix_grant_call_activities_municipality_id'), 'grant_call_activities', ['municipality_id'], unique=False)
    enable_tenant_rls(op, 'grant_call_activities')

    op.create_table('grant_awards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('contract_number', sa.String(length=60), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('results', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['grant_applications.id'], name=op.f('fk_grant_awards_application_id_grant_applications'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['call_id'], ['grant_calls.id'], name=op.f('fk_grant_awards_call_id_grant_calls'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_grant_awards_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_awards')),
    sa.UniqueConstraint('application_id', name=op.f('uq_grant_awards_application_id'))
    )
    op.create_index(op.f('ix_grant_awards_call_id'), 'grant_awards', ['call_id'], unique=False)
    op.create_index(op.f('ix_grant_awards_municipality_id'), 'grant_awards', ['municipality_id'], unique=False)
    enable_tenant_rls(op, 'grant_awards')

    op.create_table('grant_budget_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('cofinanced', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['grant_applications.id'], name=op.f('fk_grant_budget_lines_application_id_grant_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_grant_budget_lines_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_budget_lines'))
    )
    op.create_index(op.f('ix_grant_budget_lines_application_id'), 'grant_budget_lines', ['application_id'], unique=False)
    op.create_index(op.f('ix_grant_budget_lines_municipality_id'), 'grant_budget_lines', ['municipality_id'], unique=False)
    enable_tenant_rls(op, 'grant_budget_lines')

    op.create_table('grant_conflicts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('declared_at', sa.DateTime(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['grant_applications.id'], name=op.f('fk_grant_conflicts_application_id_grant_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['grant_committee_members.id'], name=op.f('fk_grant_conflicts_member_id_grant_committee_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_grant_conflicts_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_conflicts')),
    sa.UniqueConstraint('member_id', 'application_id', name='uq_grant_conflicts')
    )
    op.create_index(op.f('ix_grant_conflicts_application_id'), 'grant_conflicts', ['application_id'], unique=False)
    op.create_index(op.f('ix_grant_conflicts_member_id'), 'grant_conflicts', ['member_id'], unique=False)
    op.create_index(op.f('ix_grant_conflicts_municipality_id'), 'grant_conflicts', ['municipality_id'], unique=False)
    enable_tenant_rls(op, 'grant_conflicts')

    op.create_table('grant_eligibility_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('met', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('checked_by_id', sa.Integer(), nullable=True),
    sa.Column('checked_at', sa.DateTime(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['grant_applications.id'], name=op.f('fk_grant_eligibility_checks_application_id_grant_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['checked_by_id'], ['users.id'], name=op.f('fk_grant_eligibility_checks_checked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['criterion_id'], ['grant_criteria.id'], name=op.f('fk_grant_eligibility_checks_criterion_id_grant_criteria'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_grant_eligibility_checks_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_eligibility_checks')),
    sa.UniqueConstraint('application_id', 'criterion_id', name='uq_grant_eligibility_checks')
    )
    op.create_index(op.f('ix_grant_eligibility_checks_application_id'), 'grant_eligibility_checks', ['application_id'], unique=False)
    op.create_index(op.f('ix_grant_eligibility_checks_criterion_id'), 'grant_eligibility_checks', ['criterion_id'], unique=False)
    op.create_index(op.f('ix_grant_eligibility_checks_municipality_id'), 'grant_eligibility_checks', ['municipality_id'], unique=False)
    enable_tenant_rls(op, 'grant_eligibility_checks')

    op.create_table('grant_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['grant_applications.id'], name=op.f('fk_grant_scores_application_id_grant_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['criterion_id'], ['grant_criteria.id'], name=op.f('fk_grant_scores_criterion_id_grant_criteria'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['grant_committee_members.id'], name=op.f('fk_grant_scores_member_id_grant_committee_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_grant_scores_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_scores')),
    sa.UniqueConstraint('member_id', 'application_id', 'criterion_id', name='uq_grant_scores')
    )
    op.create_index(op.f('ix_grant_scores_application_id'), 'grant_scores', ['application_id'], unique=False)
    op.create_index(op.f('ix_grant_scores_criterion_id'), 'grant_scores', ['criterion_id'], unique=False)
    op.create_index(op.f('ix_grant_scores_member_id'), 'grant_scores', ['member_id'], unique=False)
    op.create_index(op.f('ix_grant_scores_municipality_id'), 'grant_scores', ['municipality_id'], unique=False)
    enable_tenant_rls(op, 'grant_scores')

    op.create_table('grant_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('spent', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('review_comment', sa.Text(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['award_id'], ['grant_awards.id'], name=op.f('fk_grant_reports_award_id_grant_awards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_grant_reports_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_grant_reports_reviewed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_reports'))
    )
    op.create_index(op.f('ix_grant_reports_award_id'), 'grant_reports', ['award_id'], unique=False)
    op.create_index(op.f('ix_grant_reports_municipality_id'), 'grant_reports', ['municipality_id'], unique=False)
    enable_tenant_rls(op, 'grant_reports')

    op.create_table('grant_tranches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('condition', sa.String(length=500), nullable=True),
    sa.Column('disbursed_on', sa.Date(), nullable=True),
    sa.Column('disbursed_amount', sa.Integer(), nullable=True),
    sa.Column('disbursed_by_id', sa.Integer(), nullable=True),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['award_id'], ['grant_awards.id'], name=op.f('fk_grant_tranches_award_id_grant_awards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['disbursed_by_id'], ['users.id'], name=op.f('fk_grant_tranches_disbursed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_grant_tranches_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_tranches'))
    )
    op.create_index(op.f('ix_grant_tranches_award_id'), 'grant_tranches', ['award_id'], unique=False)
    op.create_index(op.f('ix_grant_tranches_municipality_id'), 'grant_tranches', ['municipality_id'], unique=False)
    enable_tenant_rls(op, 'grant_tranches')

    op.create_table('grant_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=400), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['grant_applications.id'], name=op.f('fk_grant_attachments_application_id_grant_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_grant_attachments_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['report_id'], ['grant_reports.id'], name=op.f('fk_grant_attachments_report_id_grant_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_attachments'))
    )
    op.create_index(op.f('ix_grant_attachments_application_id'), 'grant_attachments', ['application_id'], unique=False)
    op.create_index(op.f('ix_grant_attachments_municipality_id'), 'grant_attachments', ['municipality_id'], unique=False)
    op.create_index(op.f('ix_grant_attachments_report_id'), 'grant_attachments', ['report_id'], unique=False)
    enable_tenant_rls(op, 'grant_attachments')



def downgrade():
    disable_tenant_rls(op, 'grant_attachments')
    op.drop_table('grant_attachments')
    disable_tenant_rls(op, 'grant_tranches')
    op.drop_table('grant_tranches')
    disable_tenant_rls(op, 'grant_reports')
    op.drop_table('grant_reports')
    disable_tenant_rls(op, 'grant_scores')
    op.drop_table('grant_scores')
    disable_tenant_rls(op, 'grant_eligibility_checks')
    op.drop_table('grant_eligibility_checks')
    disable_tenant_rls(op, 'grant_conflicts')
    op.drop_table('grant_conflicts')
    disable_tenant_rls(op, 'grant_budget_lines')
    op.drop_table('grant_budget_lines')
    disable_tenant_rls(op, 'grant_awards')
    op.drop_table('grant_awards')
    disable_tenant_rls(op, 'grant_call_activities')
    op.drop_table('grant_call_activities')
    disable_tenant_rls(op, 'grant_applications')
    op.drop_table('grant_applications')
    disable_tenant_rls(op, 'grant_criteria')
    op.drop_table('grant_criteria')
    disable_tenant_rls(op, 'grant_committee_members')
    op.drop_table('grant_committee_members')
    disable_tenant_rls(op, 'grant_calls')
    op.drop_table('grant_calls')
