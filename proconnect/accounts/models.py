from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

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

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self):
        return f"<User {self.id} {self.username} {self.role}>"


def one_time_password() -> str:
    """A readable one-time password (about 80 bits)."""
    return "-".join(secrets.token_urlsafe(5) for _ in range(3))
