"""work permission: a participant's permission to work as staff recorded it (for matching)

Revision ID: 0025_work_permission
Revises: 0024_company_municipality
Create Date: 2026-12-07 08:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025_work_permission'
down_revision = '0024_company_municipality'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'work_permission',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('participant_code', sa.String(length=32), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('as_of', sa.Date(), nullable=False),
        sa.Column('set_by_id', sa.Integer(), nullable=True),
        sa.Column('set_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['set_by_id'], ['account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('cohort_id', 'participant_code'))


def downgrade():
    op.drop_table('work_permission')
