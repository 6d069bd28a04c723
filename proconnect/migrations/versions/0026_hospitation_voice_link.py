"""hospitation voice link: the participant's own feedback link beside the company's

Revision ID: 0026_hospitation_voice_link
Revises: 0025_work_permission
Create Date: 2026-12-07 08:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026_hospitation_voice_link'
down_revision = '0025_work_permission'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('hospitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('voice_link_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_hospitation_voice_link_id_link'), 'link', ['voice_link_id'],
                                    ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('hospitation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_hospitation_voice_link_id_link'), type_='foreignkey')
        batch_op.drop_column('voice_link_id')
