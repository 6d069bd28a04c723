from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_util import utcnow

#: What a coordinator can decide about a suggestion.
DECISIONS = ("contacted", "hospitation_agreed", "rejected")


class MatchDecision(db.Model):
    """A coordinator's decision about one suggested pair; kept, never overwritten (the newest counts).

    The company's name is kept with it, so the decision still reads right when the company's
    link or survey is gone.
    """

    __table_args__ = (Index("ix_match_decision_pair", "cohort_id", "participant_code", "company_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    participant_code: Mapped[str] = mapped_column(String(32))
    #: The company's readiness link id (companies are known by their personal link).
    company_id: Mapped[int]
    company_name: Mapped[str] = mapped_column(String(200))
    trade: Mapped[str] = mapped_column(String(64), default="")
    decision: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(500), default="")
    score: Mapped[float | None]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self):
        return f"<MatchDecision {self.id} {self.participant_code}→{self.company_id} {self.decision}>"
