"""answer cohort: a cohort's answers in one range of the index a report reads, whatever else the table holds

Revision ID: 0028_answer_cohort
Revises: 0027_answer_form_values
Create Date: 2026-12-07 10:40:00

A report counts one cohort's answers. ``ix_answer_form_values`` held them in the order a report groups them,
but among every other cohort's answers to the form: a cohort with most of a form's responses read it in that
order (no sort), a small one read its responses' answers one response after the other and SQLite (which has
no hash aggregation) sorted them to group them, 3 × the time of the same cohort alone. Each answer row now
carries its response's cohort (set when it is stored; a response never changes cohort), and the index
begins with form and cohort: any cohort's answers are one range, in the order they are grouped.

The index still begins with ``form_id``, so the look-ups of a form's answers by field and value (the company
survey's respondents, the mentor log's status) stay within the form's range.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0028_answer_cohort'
down_revision = '0027_answer_form_values'
branch_labels = None
depends_on = None

VALUES = ['field_id', 'value_text', 'shown', 'value_num', 'value_date', 'response_id']


def upgrade():
    op.add_column('answer', sa.Column('cohort_id', sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('UPDATE answer SET cohort_id = response.cohort_id FROM response '
                   'WHERE response.id = answer.response_id')
    else:
        op.execute('UPDATE answer SET cohort_id = (SELECT response.cohort_id FROM response '
                   'WHERE response.id = answer.response_id)')
    with op.batch_alter_table('answer') as batch:
        batch.alter_column('cohort_id', existing_type=sa.Integer(), nullable=False)
    op.create_index('ix_answer_cohort_values', 'answer', ['form_id', 'cohort_id'] + VALUES)
    op.drop_index('ix_answer_form_values', table_name='answer')


def downgrade():
    op.create_index('ix_answer_form_values', 'answer', ['form_id'] + VALUES)
    op.drop_index('ix_answer_cohort_values', table_name='answer')
    with op.batch_alter_table('answer') as batch:
        batch.drop_column('cohort_id')
