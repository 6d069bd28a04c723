"""What data protection needs to remember: that an erasure happened, without the erased data."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_util import utcnow
from ..personal_data import Declaration, code_digest

__all__ = ["DECLARATION", "Erasure", "code_digest"]


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


DECLARATION = Declaration("privacy", nothing={"erasure": "a keyed digest of each erased code and counts"})
