"""corrections: responses can be voided and carry a review state; the history of staff changes to responses

Revision ID: 0018_corrections
Revises: 0017_company_invitations
Create Date: 2026-12-07 04:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_corrections'
down_revision = '0017_company_invitations'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('voided', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('review', sa.String(length=16), server_default='new', nullable=False))
        batch_op.create_index(batch_op.f('ix_response_voided'), ['voided'], unique=False)
        batch_op.create_index(batch_op.f('ix_response_review'), ['review'], unique=False)
    op.create_table(
        'response_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('response_id', sa.Integer(), nullable=False),
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('field_id', sa.String(length=130), nullable=True),
        sa.Column('old', sa.JSON(), nullable=True),
        sa.Column('new', sa.JSON(), nullable=True),
        sa.Column('old_code', sa.String(length=32), nullable=True),
        sa.Column('new_code', sa.String(length=32), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('changed_by', sa.String(length=80), nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id']),
        sa.ForeignKeyConstraint(['response_id'], ['response.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('response_change', schema=None) as batch_op:
        for column in ('response_id', 'cohort_id', 'old_code', 'new_code', 'changed_at'):
            batch_op.create_index(batch_op.f(f'ix_response_change_{column}'), [column], unique=False)


def downgrade():
    op.drop_table('response_change')
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_review'))
        batch_op.drop_index(batch_op.f('ix_response_voided'))
        batch_op.drop_column('review')
        batch_op.drop_column('voided')
