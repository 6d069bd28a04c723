"""hospitation trade: the Beruf a hospitation is in (nullable: older ones did not name it)

Revision ID: 0030_hospitation_trade
Revises: 0029_multiple_choice_places
Create Date: 2026-12-07 13:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0030_hospitation_trade'
down_revision = '0029_multiple_choice_places'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('hospitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('trade', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('hospitation', schema=None) as batch_op:
        batch_op.drop_column('trade')
