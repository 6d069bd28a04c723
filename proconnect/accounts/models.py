"""Accounts of the people who run the project (admins, coordinators, trainers, mentors).

Refugees never need an account; companies answer through a personal link.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..cohorts.models import Cohort
from ..extensions import db
from ..models_util import utcnow

ROLES = ("admin", "coordinator", "trainer", "mentor")


class User(UserMixin, db.Model):
    """A staff account. Only the password hash is stored (scrypt, via werkzeug)."""

    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    #: True for a one-time password that must be replaced at first sign-in.
    must_change_password: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Optional: only used to send invitation and reset links when ``MAIL_SERVER`` is configured.
    email: Mapped[str | None] = mapped_column(String(200))
    #: Accounts are switched off, never deleted, so the audit log keeps pointing at someone.
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    last_login_at: Mapped[datetime | None]
    #: Part of every session's id (Flask-Login's alternative token): a new one ends all sessions of the
    #: account, on every device, at once.
    session_token: Mapped[str] = mapped_column(String(43), default=lambda: secrets.token_urlsafe(32))
    #: Two-factor sign-in (``accounts.two_factor``): the TOTP secret, encrypted (``two_factor.seal``), set when
    #: enrolment starts; the time it was confirmed with a first code (None: not switched on); the last time step
    #: whose code was accepted (a code works once).
    totp_secret_sealed: Mapped[str | None] = mapped_column(String(255))
    two_factor_since: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]

    cohorts: Mapped[list[Cohort]] = relationship(secondary="cohort_member", order_by=Cohort.slug)

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """The id a session keeps (Flask-Login): the account and its current session token."""
        return f"{self.id}:{self.session_token}"

    def owns_session(self, session_id: str) -> bool:
        """Whether ``session_id`` (from a session cookie) is this account's current one."""
        return secrets.compare_digest(session_id.encode(), self.get_id().encode())

    def new_session_token(self) -> None:
        """Replace the session token: each session signed in before stops working (see ``accounts.sessions``)."""
        self.session_token = secrets.token_urlsafe(32)

    @property
    def two_factor_on(self) -> bool:
        """Whether signing in takes a code from an authenticator app after the password."""
        return self.two_factor_since is not None

    @property
    def must_enrol_two_factor(self) -> bool:
        """Whether the account's role requires two-factor sign-in (``TWO_FACTOR_ROLES``) and it is not set up:
        the access rules then open nothing but the enrolment page."""
        return not self.two_factor_on and self.role in current_app.config["TWO_FACTOR_ROLES"]

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self):
        return f"<User {self.id} {self.username} {self.role}>"


class RecoveryCode(db.Model):
    """A one-use code to sign in without the authenticator app; only its hash is stored (werkzeug's scrypt)."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]

    def __repr__(self):
        return f"<RecoveryCode {self.id} account={self.account_id}>"


class CohortMember(db.Model):
    """A coordinator (or trainer) working on a cohort; coordinators see only their cohorts."""

    __tablename__ = "cohort_member"

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True)


class MentorAssignment(db.Model):
    """A mentor looks after one apprentice (by pseudonymous participant code) in a cohort."""

    __tablename__ = "mentor_assignment"
    __table_args__ = (UniqueConstraint("cohort_id", "participant_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    mentor: Mapped[User] = relationship()
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    cohort: Mapped[Cohort] = relationship()
    participant_code: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self):
        return f"<MentorAssignment {self.id} mentor={self.mentor_id} {self.participant_code}>"


class AccountToken(db.Model):
    """A one-use link to set a password: an invitation for a new account or a reset issued by an admin.

    Only a SHA-256 digest of the token is stored: a copy of the database opens no account.
    """

    __tablename__ = "account_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    account: Mapped[User] = relationship()
    #: ``invite`` or ``reset``.
    purpose: Mapped[str] = mapped_column(String(10))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, account: User, purpose: str, valid_for: timedelta) -> tuple["AccountToken", str]:
        """A new token for ``account`` (earlier unused ones of the account stop working).

        :return: the row (added to the session) and the token itself, to be shown once
        """
        now = utcnow()
        for old in db.session.scalars(db.select(cls).filter_by(account_id=account.id, used_at=None)):
            old.used_at = now
        token = secrets.token_urlsafe(32)
        row = cls(account=account, purpose=purpose, digest=cls.digest_of(token), expires_at=now + valid_for)
        db.session.add(row)
        return row, token

    def __repr__(self):
        return f"<AccountToken {self.id} {self.purpose} account={self.account_id}>"


def one_time_password() -> str:
    """A readable one-time password (about 80 bits)."""
    return "-".join(secrets.token_urlsafe(5) for _ in range(3))
