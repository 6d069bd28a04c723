"""Staff-side records that belong to no other feature: trainers' sessions."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..links.models import Link
from ..extensions import db
from ..models_util import utcnow
from ..personal_data import Declaration


class TrainingSession(db.Model):
    """A staff training held by a trainer; its feedback form is reached through its own link."""

    __tablename__ = "training_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    trainer: Mapped[User] = relationship()
    link_id: Mapped[int] = mapped_column(ForeignKey("link.id", ondelete="CASCADE"), unique=True)
    link: Mapped[Link] = relationship()
    topic: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self):
        return f"<TrainingSession {self.id} {self.topic!r} trainer={self.trainer_id}>"


DECLARATION = Declaration("admin", nothing={"training_session": "a staff training: trainer, topic, date, link"})
