"""notifications: a staff member's choice of notification mails (events, at once or daily)

Revision ID: 0019_notifications
Revises: 0018_corrections
Create Date: 2026-12-07 05:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_notifications'
down_revision = '0018_corrections'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'notification_setting',
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('mode', sa.String(length=16), nullable=False),
        sa.Column('events', sa.JSON(), nullable=False),
        sa.Column('language', sa.String(length=16), nullable=False),
        sa.Column('told_until', sa.DateTime(), nullable=False),
        sa.Column('digest_on', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['account_id'], ['account.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('account_id'),
    )


def downgrade():
    op.drop_table('notification_setting')
