"""company survey invitations: which company got its readiness link by mail, reminders; when a personal link
was first opened

Revision ID: 0017_company_invitations
Revises: 0016_recordings
Create Date: 2026-12-07 04:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_company_invitations'
down_revision = '0016_recordings'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('link', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opened_at', sa.DateTime(), nullable=True))
    op.create_table(
        'company_invitation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('link_id', sa.Integer(), nullable=False),
        sa.Column('language', sa.String(length=16), nullable=False),
        sa.Column('remind_after_days', sa.Integer(), nullable=False),
        sa.Column('reminders', sa.Integer(), nullable=False),
        sa.Column('last_mailed_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['company_id'], ['company.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['link_id'], ['link.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('cohort_id', 'company_id'),
    )
    with op.batch_alter_table('company_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_invitation_cohort_id'), ['cohort_id'], unique=False)


def downgrade():
    op.drop_table('company_invitation')
    with op.batch_alter_table('link', schema=None) as batch_op:
        batch_op.drop_column('opened_at')
