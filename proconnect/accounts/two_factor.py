"""Two-factor sign-in: time-based codes (TOTP, RFC 6238) from an authenticator app, and recovery codes.

A code is accepted for the current 30-second step and one step either side (a phone's clock drifts), and
only once: the account keeps the last step it accepted, and a code of that step or an earlier one is
refused, also when two requests race (the update is conditional). Recovery codes are stored as werkzeug
scrypt hashes, shown once when made, and each works once.

The secret itself is kept encrypted (Fernet) with a key derived from ``SECRET_KEY``: a copy of the database
alone (a leaked dump or backup) cannot make codes. ``SECRET_KEY_FALLBACKS`` still open secrets sealed with an
earlier key; a secret no key opens refuses app codes (recovery codes still work) until an admin resets it.
"""
from __future__ import annotations

import base64
import secrets
import time
from functools import lru_cache

import pyotp
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import delete, or_, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from ..config import secret_keys
from ..extensions import db
from ..models_util import utcnow
from .models import ROLES, RecoveryCode, User

RECOVERY_CODES = 10
#: Steps accepted either side of the current one.
WINDOW = 1
# Letters and digits that cannot be mistaken for each other when copied from paper (no 0/o, 1/l/i).
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def normalise(code: str) -> str:
    """What a person typed, without spaces and hyphens, in lower case (codes are read off a phone or paper)."""
    return "".join(c for c in (code or "").lower() if c not in " -\t")[:40]


@lru_cache(maxsize=8)
def _sealer(keys: tuple[str, ...]) -> MultiFernet:
    def fernet(key: str) -> Fernet:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                       info=b"proconnect two-factor secret").derive(key.encode())
        return Fernet(base64.urlsafe_b64encode(derived))
    return MultiFernet([fernet(key) for key in keys])


def seal(secret: str) -> str:
    """``secret`` encrypted with the current ``SECRET_KEY`` (what the database keeps)."""
    return _sealer(secret_keys(current_app.config)).encrypt(secret.encode()).decode()


def secret(user: User) -> str | None:
    """``user``'s secret in clear; None when there is none or no configured key opens it."""
    if user.totp_secret_sealed is None:
        return None
    try:
        return _sealer(secret_keys(current_app.config)).decrypt(user.totp_secret_sealed.encode()).decode()
    except InvalidToken:
        return None


def secret_unreadable(user: User) -> bool:
    """Whether ``user`` has a secret that no configured key opens (``SECRET_KEY`` changed without a fallback)."""
    return user.totp_secret_sealed is not None and secret(user) is None


def start_enrolment(user: User) -> None:
    """Give ``user`` a new secret to scan, unless one is waiting for its first code already (a reload keeps it)."""
    if secret(user) is None or user.two_factor_on:
        user.totp_secret_sealed = seal(pyotp.random_base32())
        user.two_factor_since = None
        user.totp_last_step = None


def provisioning_uri(user: User) -> str:
    """The ``otpauth://`` address the enrolment QR code holds."""
    issuer = current_app.config["TWO_FACTOR_ISSUER"]
    return pyotp.TOTP(secret(user)).provisioning_uri(name=user.username, issuer_name=issuer)


def check_code(user: User, code: str) -> bool:
    """Whether ``code`` is a valid six-digit code of ``user``'s secret not used before; accepting it uses it up."""
    code = normalise(code)
    clear = secret(user)
    if clear is None or len(code) != 6 or not code.isdigit():
        return False
    totp = pyotp.TOTP(clear)
    now = totp.timecode(time.time())
    for step in range(now - WINDOW, now + WINDOW + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            return _use_step(user, step)
    return False


def _use_step(user: User, step: int) -> bool:
    used = db.session.execute(
        update(User).where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False))
    if used.rowcount != 1:
        return False
    user.totp_last_step = step
    return True


def new_recovery_codes(user: User) -> list[str]:
    """Replace ``user``'s recovery codes with new ones; :return: the codes, to be shown once."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.account_id == user.id))
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(account_id=user.id, code_hash=generate_password_hash(code)) for code in codes)
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def use_recovery_code(user: User, code: str) -> bool:
    """Whether ``code`` is one of ``user``'s unused recovery codes; accepting it uses it up."""
    code = normalise(code)
    if not user.two_factor_on or len(code) != 10:
        return False
    for row in unused_recovery_codes(user):
        if check_password_hash(row.code_hash, code):
            used = db.session.execute(update(RecoveryCode).where(RecoveryCode.id == row.id,
                                                                 RecoveryCode.used_at.is_(None))
                                      .values(used_at=utcnow()).execution_options(synchronize_session=False))
            return used.rowcount == 1
    return False


def unused_recovery_codes(user: User) -> list[RecoveryCode]:
    return list(db.session.scalars(select(RecoveryCode).filter_by(account_id=user.id, used_at=None)
                                   .order_by(RecoveryCode.id)))


def switch_on(user: User) -> list[str]:
    """Switch two-factor sign-in on for ``user`` (after a first valid code); :return: the new recovery codes."""
    user.two_factor_since = utcnow()
    return new_recovery_codes(user)


def remove(user: User) -> None:
    """Switch two-factor sign-in off and forget the secret and recovery codes (the caller ends the sessions)."""
    user.totp_secret_sealed = None
    user.two_factor_since = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.account_id == user.id))


def check_roles(app) -> None:
    """Refuse a ``TWO_FACTOR_ROLES`` with an unknown role; warn when admins are not in it."""
    roles = app.config["TWO_FACTOR_ROLES"]
    if isinstance(roles, str) or set(roles) - set(ROLES):
        raise ValueError(f"TWO_FACTOR_ROLES: expected a list of roles from {ROLES}, got {roles!r}")
    if "admin" not in roles and not app.config.get("TESTING"):
        app.logger.warning("TWO_FACTOR_ROLES does not include 'admin': admins may sign in with a password alone")
