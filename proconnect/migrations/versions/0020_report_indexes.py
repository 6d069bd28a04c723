"""report indexes: a cohort's responses and their answers found from the cohort, whatever else the tables hold

Revision ID: 0020_report_indexes
Revises: 0019_notifications
Create Date: 2026-12-07 05:10:00

Every report query asks for one cohort's counted responses (``cohort_id``, ``test`` and ``voided`` false,
often one ``form_id``). With only one-column indexes SQLite started from ``ix_response_test`` (or
``ix_response_voided``), i.e. from every response in the database. The answer index now carries what the
report counts, so both databases read a response's answers from the index alone instead of visiting every
answer row (whose free texts make it wide); it replaces the one-column index on ``response_id``, which it
begins with, so storing a form maintains no more indexes than before.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0020_report_indexes'
down_revision = '0019_notifications'
branch_labels = None
depends_on = None

RESPONSE_COLUMNS = ['cohort_id', 'test', 'voided', 'form_id', 'submitted_at']
ANSWER_COLUMNS = ['response_id', 'field_id', 'shown', 'value_text', 'value_num', 'value_date']


def upgrade():
    op.create_index('ix_response_cohort_counted', 'response', RESPONSE_COLUMNS)
    op.create_index('ix_answer_response_values', 'answer', ANSWER_COLUMNS)
    op.drop_index('ix_answer_response_id', table_name='answer')


def downgrade():
    op.create_index('ix_answer_response_id', 'answer', ['response_id'])
    op.drop_index('ix_answer_response_values', table_name='answer')
    op.drop_index('ix_response_cohort_counted', table_name='response')
