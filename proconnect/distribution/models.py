from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..cohorts.models import Cohort
from ..extensions import db
from ..models_util import utcnow


def new_token() -> str:
    """A random, unguessable, URL-safe token (192 bits)."""
    return secrets.token_urlsafe(24)


class Link(db.Model):
    """A distribution link: ``/f/<token>`` opens one form for one cohort, event and language."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    form_id: Mapped[str] = mapped_column(String(64))
    #: Pinned version, or None for "always the latest version".
    version: Mapped[int | None]
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"))
    cohort: Mapped[Cohort] = relationship()
    #: Default language of the form for people who open this link.
    language: Mapped[str] = mapped_column(String(16), default="de")
    event: Mapped[str] = mapped_column(String(200), default="")
    kiosk: Mapped[bool] = mapped_column(default=False)
    kiosk_pin_hash: Mapped[str | None] = mapped_column(String(255))
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    max_responses: Mapped[int | None]
    revoked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self):
        return f"<Link {self.id} {self.form_id} v{self.version or 'latest'} cohort={self.cohort_id}>"
