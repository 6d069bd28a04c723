"""The audit log: who did what, when. Rows are only ever added (the database refuses changes)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..extensions import db
from ..models_util import utcnow


class AuditEvent(db.Model):
    """One action of a person (or of the command line).

    No foreign key to ``account``: the entry must outlive any change to the account it names,
    so the name is copied in at the time of the action.
    """

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None]
    #: The account name at the time, or ``cli`` for the command line, or ``-`` for an anonymous visitor.
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40), index=True)
    #: What the action was about, e.g. ``cohort ol-2027`` or ``account mentor1``; never a participant's data.
    target: Mapped[str] = mapped_column(String(200), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(String(45))

    def __repr__(self):
        return f"<AuditEvent {self.id} {self.action} by {self.actor}>"


class AppendOnly(Exception):
    """Someone tried to change or delete an audit entry."""


@event.listens_for(Session, "before_flush")
def _refuse_changes(session, _context, _instances):
    # The database triggers (migration 0002) refuse too; this catches it earlier with a clear error.
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise AppendOnly(f"audit entries cannot be changed or deleted ({obj!r})")
