"""API tokens: per-user keys for partners' tools. Only a hash is stored; an admin can revoke any of them."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...accounts.models import User
from ...extensions import db
from ...models_util import utcnow
from ...personal_data import Declaration

#: Visible start of every token, so a leaked one is easy to recognise (e.g. by secret scanners).
PREFIX = "pcapi_"


def hash_token(token: str) -> str:
    """SHA-256 of a token: tokens carry 256 random bits, so a fast hash is enough (unlike passwords)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiToken(db.Model):
    """A key for the read-only JSON API, acting with its owner's role and cohorts."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the token; the token itself is shown once, when it is created.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters, to tell one's keys apart in the list.
    hint: Mapped[str] = mapped_column(String(16))
    owner_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    owner: Mapped[User] = relationship()
    #: What the key is for, e.g. "Statistik der Arbeitsagentur".
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    @classmethod
    def issue(cls, owner: User, label: str = "") -> tuple["ApiToken", str]:
        """A new token for ``owner``: ``(row to add, the token to show once)``."""
        token = PREFIX + secrets.token_urlsafe(32)
        return cls(token_hash=hash_token(token), hint=token[:len(PREFIX) + 4], owner=owner, label=label), token

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def __repr__(self):
        return f"<ApiToken {self.id} {self.hint}… owner={self.owner_id}{' revoked' if self.revoked_at else ''}>"


DECLARATION = Declaration("reports", nothing={"api_token": "digests of staff members' API keys"})
