"""The history of staff changes to stored responses."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_util import utcnow

#: What a change did: an answer corrected by hand; a value that followed from it (a question a condition now
#: hides, a score computed again); the response voided or restored; moved to another participant code.
KINDS = ("correct", "follows", "void", "restore", "reassign")


class ResponseChange(db.Model):
    """One change staff made to a stored response; rows are only added (erasure and retention remove them).

    The response keeps the current values; the first change of an answer holds its original value in ``old``.
    """

    __tablename__ = "response_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"), index=True)
    #: One of ``KINDS``.
    kind: Mapped[str] = mapped_column(String(16))
    #: The answer name (a matrix row ``matrix.row``, a score's id) for ``correct`` and ``follows``.
    field_id: Mapped[str | None] = mapped_column(String(130))
    #: The values before and after, JSON-safe (dates as ISO text, a multiple choice as a list; None: no answer).
    old: Mapped[object | None] = mapped_column(JSON)
    new: Mapped[object | None] = mapped_column(JSON)
    #: ``reassign``: the participant codes before and after (each code's page shows the move).
    old_code: Mapped[str | None] = mapped_column(String(32), index=True)
    new_code: Mapped[str | None] = mapped_column(String(32), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    #: The account name at the time (kept when the account is renamed or removed, as in the audit log).
    changed_by: Mapped[str] = mapped_column(String(80))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    def __repr__(self):
        return f"<ResponseChange {self.id} r={self.response_id} {self.kind} {self.field_id or ''}>"
