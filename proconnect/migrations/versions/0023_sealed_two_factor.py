"""two-factor secrets kept encrypted (Fernet, key derived from SECRET_KEY) instead of in clear

Revision ID: 0023_sealed_two_factor
Revises: 0022_link_view_state
Create Date: 2026-12-07 07:45:00

"""
import base64

from alembic import op
import sqlalchemy as sa
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app


# revision identifiers, used by Alembic.
revision = '0023_sealed_two_factor'
down_revision = '0022_link_view_state'
branch_labels = None
depends_on = None

account = sa.table('account', sa.column('id', sa.Integer), sa.column('totp_secret', sa.String),
                   sa.column('totp_secret_sealed', sa.String))


def _fernet() -> Fernet:
    # The same derivation as accounts.two_factor, written out: a migration must not change with later code.
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=b"proconnect two-factor secret").derive(current_app.config["SECRET_KEY"].encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def _move(source: str, target: str, length: int, convert) -> None:
    """Add column ``target``, fill it with ``convert``ed values of ``source``, drop ``source``."""
    with op.batch_alter_table('account') as batch_op:
        batch_op.add_column(sa.Column(target, sa.String(length=length), nullable=True))
    bind = op.get_bind()
    for row in bind.execute(sa.select(account.c.id, account.c[source]).where(account.c[source].is_not(None))).all():
        bind.execute(account.update().where(account.c.id == row.id)
                     .values({target: convert(row[1].encode()).decode()}))
    with op.batch_alter_table('account') as batch_op:
        batch_op.drop_column(source)


def upgrade():
    _move('totp_secret', 'totp_secret_sealed', 255, _fernet().encrypt)


def downgrade():
    _move('totp_secret_sealed', 'totp_secret', 32, _fernet().decrypt)
