"""What data protection needs to remember: that an erasure happened, without the erased data."""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from flask import current_app
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_util import utcnow


def code_digest(cohort_id: int, code: str) -> str:
    """A keyed digest of a participant code: tells "this code was erased" without storing the code."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{cohort_id}:{code.upper()}".encode(), hashlib.sha256).hexdigest()


class Erasure(db.Model):
    """A participant's data was erased on request (GDPR art. 17). Holds no answer and no code."""

    __tablename__ = "erasure"
    __table_args__ = (UniqueConstraint("cohort_id", "code_digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    code_digest: Mapped[str] = mapped_column(String(64))
    erased_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Responses kept for the aggregates, with the code and every free-text answer removed.
    anonymised: Mapped[int] = mapped_column(default=0)
    #: Free-text answers deleted (they may hold names, places, stories).
    answers_removed: Mapped[int] = mapped_column(default=0)

    def __repr__(self):
        return f"<Erasure {self.id} cohort={self.cohort_id} at {self.erased_at:%Y-%m-%d}>"
