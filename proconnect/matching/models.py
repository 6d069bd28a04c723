from __future__ import annotations

from datetime import date, datetime

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


#: Kinds of short placements a coordinator arranges with a company.
HOSPITATION_KINDS = ("hospitation", "internship")


class Hospitation(db.Model):
    """A hospitation or internship arranged for a participant at a company, with the company's feedback link and
    the participant's."""

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    participant_code: Mapped[str] = mapped_column(String(32))
    #: The company's readiness link id, and its name as it was (the survey may change or go).
    company_id: Mapped[int]
    company_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    #: The Beruf it is in: a trade of the competence check, the list every place and decision names (``None``:
    #: recorded before the Beruf was asked, "Beruf not given").
    trade: Mapped[str | None] = mapped_column(String(64))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    #: The staff mentor who accompanies it (optional).
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    #: The company's personal link to the hospitation-feedback form.
    feedback_link_id: Mapped[int | None] = mapped_column(ForeignKey("link.id", ondelete="SET NULL"))
    #: The participant's own personal link to their feedback (the hospitation-voice role's form), never the
    #: company's: it is their opinion of the company.
    voice_link_id: Mapped[int | None] = mapped_column(ForeignKey("link.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self):
        return f"<Hospitation {self.id} {self.participant_code}@{self.company_id} {self.starts_on}>"
