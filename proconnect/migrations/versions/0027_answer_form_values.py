"""answer form values: a form's answers in the order a report groups them; PostgreSQL's estimate of the groups

Revision ID: 0027_answer_form_values
Revises: 0026_hospitation_voice_link
Create Date: 2026-12-07 07:40:00

A report of a cohort that holds most of a form's responses reads the form's answers in the order of
``ix_answer_form_values`` and keeps those of the cohort's responses: SQLite then counts each group as it reads
it instead of sorting every answer row first (it has no hash aggregation; for 100,000 competence checks the
sort of 18.5 million rows was most of the report's time). The index begins with the columns of
``ix_answer_form_field_value`` (form, field, value text), which it replaces: storing a form maintains no more
indexes than before.

The report's look-ups on ``response`` come from indexes alone too: the version of each of the cohort's
responses (``ix_response_cohort_counted`` ends with it now) and how many counted responses the form has, which
decides between the two ways of reading (``ix_response_form_counted`` replaces the one on ``form_id``). A cohort
among many others then costs what it costs alone, not a table row read per response scattered over the table.

PostgreSQL multiplied the distinct values of each grouped column and expected millions of groups where there
are a few thousand; so it never split the count over parallel workers (each would have handed millions of
partial groups on). Statistics on the columns together (filled by ANALYZE / autovacuum) give the real number.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0027_answer_form_values'
down_revision = '0026_hospitation_voice_link'
branch_labels = None
depends_on = None

COLUMNS = ['form_id', 'field_id', 'value_text', 'shown', 'value_num', 'value_date', 'response_id']
COHORT_COUNTED = ['cohort_id', 'test', 'voided', 'form_id', 'submitted_at']


def upgrade():
    op.create_index('ix_answer_form_values', 'answer', COLUMNS)
    op.drop_index('ix_answer_form_field_value', table_name='answer')
    op.drop_index('ix_response_cohort_counted', table_name='response')
    op.create_index('ix_response_cohort_counted', 'response', COHORT_COUNTED + ['version'])
    op.create_index('ix_response_form_counted', 'response', ['form_id', 'test', 'voided'])
    op.drop_index('ix_response_form_id', table_name='response')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE STATISTICS answer_values (ndistinct) ON field_id, value_text, shown, value_num, value_date '
                   'FROM answer')
        # Filled now, not at autovacuum's next analysis (which waits for a tenth of the table to change).
        op.execute('ANALYZE answer')


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP STATISTICS answer_values')
    op.create_index('ix_response_form_id', 'response', ['form_id'])
    op.drop_index('ix_response_form_counted', table_name='response')
    op.drop_index('ix_response_cohort_counted', table_name='response')
    op.create_index('ix_response_cohort_counted', 'response', COHORT_COUNTED)
    op.create_index('ix_answer_form_field_value', 'answer', ['form_id', 'field_id', 'value_text'])
    op.drop_index('ix_answer_form_values', table_name='answer')
