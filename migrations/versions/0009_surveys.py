"""local safety measurement surveys

Revision ID: 0009_surveys
Revises: 0008_compliance
"""
from datetime import UTC, datetime

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

from safetycouncil.tenancy.rls import disable_tenant_rls, enable_tenant_rls  # noqa: F401

revision = "0009_surveys"
down_revision = "0008_compliance"
branch_labels = None
depends_on = None

# Global (reviewed): survey_questionnaires, survey_questions. Every other table is tenant-owned.
TENANT_TABLES = ("survey_waves", "survey_imports", "survey_invitations", "survey_local_questions",
                 "survey_wave_areas", "survey_responses")

# The national questionnaire, version 1, as first published (frozen here; the application's copy is
# safetycouncil.surveys.questions.VERSION_1): (code, section, scale, index, only_if, Albanian, English).
QUESTIONS = (
    ('safety_day', 'safety', 'safety4', 'safety', None, 'Sa i sigurt ndiheni kur ecni vetëm në zonën tuaj gjatë ditës?', 'How safe do you feel walking alone in your area during the day?'),
    ('safety_night', 'safety', 'safety4', 'safety', None, 'Sa i sigurt ndiheni kur ecni vetëm në zonën tuaj pasi errësohet?', 'How safe do you feel walking alone in your area after dark?'),
    ('worry_burglary', 'worry', 'worry4', None, None, "Sa shqetësoheni se mund t'ju vjedhin në shtëpi?", 'How much do you worry about your home being burgled?'),
    ('worry_theft', 'worry', 'worry4', None, None, "Sa shqetësoheni se mund t'ju vjedhin në rrugë ose nga makina?", 'How much do you worry about theft in the street or from your car?'),
    ('worry_violence', 'worry', 'worry4', None, None, 'Sa shqetësoheni se mund të sulmoheni ose të kërcënoheni?', 'How much do you worry about being attacked or threatened?'),
    ('worry_drugs', 'worry', 'worry4', None, None, 'Sa shqetësoheni për shitjen e drogës pranë jush ose pranë shkollave?', 'How much do you worry about drug dealing near you or near schools?'),
    ('problem_drugs', 'problems', 'problem4', 'problem', None, 'Droga dhe përdorimi i saj', 'Drugs and drug use'),
    ('problem_alcohol', 'problems', 'problem4', 'problem', None, 'Pirja e alkoolit në vende publike', 'Drinking alcohol in public places'),
    ('problem_vandalism', 'problems', 'problem4', 'problem', None, 'Vandalizmi dhe dëmtimi i pronës', 'Vandalism and damage to property'),
    ('problem_littering', 'problems', 'problem4', 'problem', None, 'Mbeturinat dhe ndotja e hapësirave publike', 'Littering'),
    ('problem_lighting', 'problems', 'problem4', 'problem', None, 'Vende të ndriçuara keq', 'Poorly lit places'),
    ('problem_traffic', 'problems', 'problem4', 'problem', None, 'Trafiku: shpejtësia, parkimi, drejtimi i rrezikshëm', 'Traffic: speeding, parking, dangerous driving'),
    ('problem_youth_groups', 'problems', 'problem4', 'problem', None, 'Grupe të rinjsh që shqetësojnë të tjerët', 'Groups of young people bothering others'),
    ('problem_noise', 'problems', 'problem4', 'problem', None, 'Zhurma', 'Noise'),
    ('victim', 'victim', 'yesno', None, None, 'Në dymbëdhjetë muajt e fundit, a keni qenë viktimë e ndonjë krimi?', 'In the last twelve months, were you the victim of a crime?'),
    ('victim_reported', 'victim', 'yesno', None, 'victim', 'Nëse po: a e denoncuat në polici?', 'If so: did you report it to the police?'),
    ('trust_police', 'trust', 'trust4', 'trust', None, 'Sa besim keni te policia?', 'How much do you trust the police?'),
    ('trust_municipality', 'trust', 'trust4', 'trust', None, 'Sa besim keni te bashkia?', 'How much do you trust the municipality?'),
    ('trust_prosecution', 'trust', 'trust4', 'trust', None, 'Sa besim keni te prokuroria?', 'How much do you trust the prosecution?'),
)


def upgrade():
    questionnaires = op.create_table('survey_questionnaires',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title_sq', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_survey_questionnaires_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_questionnaires')),
    sa.UniqueConstraint('version', name=op.f('uq_survey_questionnaires_version'))
    )
    questions = op.create_table('survey_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=20), nullable=False),
    sa.Column('scale', sa.String(length=20), nullable=False),
    sa.Column('index', sa.String(length=20), nullable=True),
    sa.Column('only_if', sa.String(length=40), nullable=True),
    sa.Column('text_sq', sa.String(length=400), nullable=False),
    sa.Column('text_en', sa.String(length=400), nullable=False),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['survey_questionnaires.id'], name=op.f('fk_survey_questions_questionnaire_id_survey_questionnaires'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_questions')),
    sa.UniqueConstraint('questionnaire_id', 'code', name=op.f('uq_survey_questions_questionnaire_id_code'))
    )
    op.create_index(op.f('ix_survey_questions_questionnaire_id'), 'survey_questions', ['questionnaire_id'], unique=False)
    op.create_table('survey_waves',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('target_respondents', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_survey_waves_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_survey_waves_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['survey_questionnaires.id'], name=op.f('fk_survey_waves_questionnaire_id_survey_questionnaires'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_waves'))
    )
    op.create_index(op.f('ix_survey_waves_municipality_id'), 'survey_waves', ['municipality_id'], unique=False)
    op.create_index(op.f('ix_survey_waves_questionnaire_id'), 'survey_waves', ['questionnaire_id'], unique=False)
    op.create_table('survey_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('wave_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('line_count', sa.Integer(), nullable=False),
    sa.Column('line_report', sa.JSON(), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_survey_imports_imported_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_survey_imports_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['wave_id'], ['survey_waves.id'], name=op.f('fk_survey_imports_wave_id_survey_waves'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_imports'))
    )
    op.create_index(op.f('ix_survey_imports_municipality_id'), 'survey_imports', ['municipality_id'], unique=False)
    op.create_index(op.f('ix_survey_imports_wave_id'), 'survey_imports', ['wave_id'], unique=False)
    op.create_table('survey_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('wave_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_survey_invitations_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['wave_id'], ['survey_waves.id'], name=op.f('fk_survey_invitations_wave_id_survey_waves'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_invitations')),
    sa.UniqueConstraint('wave_id', 'code', name=op.f('uq_survey_invitations_wave_id_code'))
    )
    op.create_index(op.f('ix_survey_invitations_municipality_id'), 'survey_invitations', ['municipality_id'], unique=False)
    op.create_index(op.f('ix_survey_invitations_wave_id'), 'survey_invitations', ['wave_id'], unique=False)
    op.create_table('survey_local_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('wave_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('scale', sa.String(length=20), nullable=False),
    sa.Column('text_sq', sa.String(length=400), nullable=False),
    sa.Column('text_en', sa.String(length=400), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_survey_local_questions_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['wave_id'], ['survey_waves.id'], name=op.f('fk_survey_local_questions_wave_id_survey_waves'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_local_questions'))
    )
    op.create_index(op.f('ix_survey_local_questions_municipality_id'), 'survey_local_questions', ['municipality_id'], unique=False)
    op.create_index(op.f('ix_survey_local_questions_wave_id'), 'survey_local_questions', ['wave_id'], unique=False)
    op.create_table('survey_wave_areas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('wave_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_survey_wave_areas_area_id_areas'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_survey_wave_areas_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['wave_id'], ['survey_waves.id'], name=op.f('fk_survey_wave_areas_wave_id_survey_waves'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_wave_areas')),
    sa.UniqueConstraint('wave_id', 'area_id', name=op.f('uq_survey_wave_areas_wave_id_area_id'))
    )
    op.create_index(op.f('ix_survey_wave_areas_municipality_id'), 'survey_wave_areas', ['municipality_id'], unique=False)
    op.create_index(op.f('ix_survey_wave_areas_wave_id'), 'survey_wave_areas', ['wave_id'], unique=False)
    op.create_table('survey_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('wave_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_survey_responses_area_id_areas'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['import_id'], ['survey_imports.id'], name=op.f('fk_survey_responses_import_id_survey_imports'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_survey_responses_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['wave_id'], ['survey_waves.id'], name=op.f('fk_survey_responses_wave_id_survey_waves'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_responses'))
    )
    op.create_index(op.f('ix_survey_responses_municipality_id'), 'survey_responses', ['municipality_id'], unique=False)
    op.create_index(op.f('ix_survey_responses_wave_id'), 'survey_responses', ['wave_id'], unique=False)
    for table in TENANT_TABLES:
        enable_tenant_rls(op, table)

    op.bulk_insert(questionnaires, [{"id": 1, "version": 1, "title_sq": "Matja e sigurisë vendore",
                                     "title_en": "Local safety measurement",
                                     "created_at": datetime.now(UTC).replace(tzinfo=None)}])
    op.bulk_insert(questions, [
        {"questionnaire_id": 1, "code": code, "position": position, "section": section, "scale": scale,
         "index": index, "only_if": only_if, "text_sq": sq, "text_en": en}
        for position, (code, section, scale, index, only_if, sq, en) in enumerate(QUESTIONS, start=1)])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('survey_questionnaires', 'id'), 1)")


def downgrade():
    for table in TENANT_TABLES:
        disable_tenant_rls(op, table)
    op.drop_index(op.f('ix_survey_responses_wave_id'), table_name='survey_responses')
    op.drop_index(op.f('ix_survey_responses_municipality_id'), table_name='survey_responses')
    op.drop_table('survey_responses')
    op.drop_index(op.f('ix_survey_wave_areas_wave_id'), table_name='survey_wave_areas')
    op.drop_index(op.f('ix_survey_wave_areas_municipality_id'), table_name='survey_wave_areas')
    op.drop_table('survey_wave_areas')
    op.drop_index(op.f('ix_survey_local_questions_wave_id'), table_name='survey_local_questions')
    op.drop_index(op.f('ix_survey_local_questions_municipality_id'), table_name='survey_local_questions')
    op.drop_table('survey_local_questions')
    op.drop_index(op.f('ix_survey_invitations_wave_id'), table_name='survey_invitations')
    op.drop_index(op.f('ix_survey_invitations_municipality_id'), table_name='survey_invitations')
    op.drop_table('survey_invitations')
    op.drop_index(op.f('ix_survey_imports_wave_id'), table_name='survey_imports')
    op.drop_index(op.f('ix_survey_imports_municipality_id'), table_name='survey_imports')
    op.drop_table('survey_imports')
    op.drop_index(op.f('ix_survey_waves_questionnaire_id'), table_name='survey_waves')
    op.drop_index(op.f('ix_survey_waves_municipality_id'), table_name='survey_waves')
    op.drop_table('survey_waves')
    op.drop_index(op.f('ix_survey_questions_questionnaire_id'), table_name='survey_questions')
    op.drop_table('survey_questions')
    op.drop_table('survey_questionnaires')
