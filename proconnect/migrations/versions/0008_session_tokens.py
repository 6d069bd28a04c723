"""session tokens: a per-account token in every session, replaced to end all of the account's sessions

Revision ID: 0008_session_tokens
Revises: 0007_hospitations
Create Date: 2026-12-07 00:45:00.000000

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_session_tokens'
down_revision = '0007_hospitations'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=43), nullable=True))

    # Each existing account gets its own random token (sessions signed in before this revision end).
    account = sa.table('account', sa.column('id', sa.Integer()), sa.column('session_token', sa.String()))
    bind = op.get_bind()
    for (account_id,) in bind.execute(sa.select(account.c.id)).all():
        bind.execute(account.update().where(account.c.id == account_id)
                     .values(session_token=secrets.token_urlsafe(32)))

    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=43), nullable=False)


def downgrade():
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('session_token')
