"""selection: which participants of a cohort were selected (the 75 % target counts against them)

Revision ID: 0011_selection
Revises: 0008_session_tokens
Create Date: 2026-12-07 02:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_selection'
down_revision = '0008_session_tokens'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('selection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('participant_code', sa.String(length=32), nullable=False),
    sa.Column('selected_on', sa.Date(), nullable=False),
    sa.Column('selected_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['selected_by_id'], ['account.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('cohort_id', 'participant_code')
    )
    with op.batch_alter_table('selection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_selection_cohort_id'), ['cohort_id'], unique=False)


def downgrade():
    with op.batch_alter_table('selection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_selection_cohort_id'))

    op.drop_table('selection')
