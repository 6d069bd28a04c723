"""read-aloud recordings made in the browser, and invitation links for volunteers to make them

Revision ID: 0016_recordings
Revises: 0015_outbox
Create Date: 2026-12-07 04:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_recordings'
down_revision = '0015_outbox'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'recording_invitation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('form_id', sa.String(length=64), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('note', sa.String(length=120), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'))
    op.create_table(
        'recording',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('form_id', sa.String(length=64), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('text_digest', sa.String(length=64), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('mimetype', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=True),
        sa.Column('invitation_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['account.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['invitation_id'], ['recording_invitation.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('form_id', 'language', 'key', 'text_digest'))
    with op.batch_alter_table('recording', schema=None) as batch_op:
        batch_op.create_index('ix_recording_form_language', ['form_id', 'language'], unique=False)


def downgrade():
    with op.batch_alter_table('recording', schema=None) as batch_op:
        batch_op.drop_index('ix_recording_form_language')
    op.drop_table('recording')
    op.drop_table('recording_invitation')
