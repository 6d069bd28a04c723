"""test links: a link can be a rehearsal link, and its responses are stored as test answers (never counted)

Revision ID: 0013_test_responses
Revises: 0012_two_factor
Create Date: 2026-12-07 02:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_test_responses'
down_revision = '0012_two_factor'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('link', schema=None) as batch_op:
        batch_op.add_column(sa.Column('test', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('test', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index(batch_op.f('ix_response_test'), ['test'], unique=False)


def downgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_test'))
        batch_op.drop_column('test')
    with op.batch_alter_table('link', schema=None) as batch_op:
        batch_op.drop_column('test')
