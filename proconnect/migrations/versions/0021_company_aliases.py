"""company aliases: free-text company names a coordinator confirmed to mean a company record

Revision ID: 0021_company_aliases
Revises: 0020_report_indexes
Create Date: 2026-12-07 04:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021_company_aliases'
down_revision = '0020_report_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'company_alias',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('name_key', sa.String(length=200), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('confirmed_by', sa.Integer(), nullable=True),
        sa.Column('confirmed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['company_id'], ['company.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['confirmed_by'], ['account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name_key'))
    with op.batch_alter_table('company_alias', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_alias_company_id'), ['company_id'], unique=False)


def downgrade():
    with op.batch_alter_table('company_alias', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_alias_company_id'))
    op.drop_table('company_alias')
