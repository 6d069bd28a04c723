"""company records: partner companies as records (project-wide), and a link that is a company's personal link

Revision ID: 0014_companies
Revises: 0013_test_responses
Create Date: 2026-12-07 04:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_companies'
down_revision = '0013_test_responses'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'company',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('name_key', sa.String(length=200), nullable=False),
        sa.Column('place', sa.String(length=100), nullable=False),
        sa.Column('trades', sa.JSON(), nullable=False),
        sa.Column('contact_role', sa.String(length=200), nullable=False),
        sa.Column('contact_email', sa.String(length=254), nullable=False),
        sa.Column('source_response_id', sa.Integer(), nullable=True),
        sa.Column('retired_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'))
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_name_key'), ['name_key'], unique=False)
    with op.batch_alter_table('link', schema=None) as batch_op:
        batch_op.add_column(sa.Column('company_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_link_company_id'), ['company_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_link_company_id_company'), 'company', ['company_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('link', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_link_company_id_company'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_link_company_id'))
        batch_op.drop_column('company_id')
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_name_key'))
    op.drop_table('company')
