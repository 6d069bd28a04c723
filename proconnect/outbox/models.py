"""The outbox: every mail the app sends is a row first, so a mail server that is down loses nothing."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_util import utcnow

#: Waiting for its (next) try.
PENDING = "pending"
SENT = "sent"
#: Given up: the server refused it for good, or every try failed. Staff may try again.
FAILED = "failed"
#: Not wanted any more when its turn came (a reminder to a company that has answered meanwhile).
CANCELLED = "cancelled"
#: Its ``send_before`` passed (an invitation link that no longer works).
EXPIRED = "expired"
STATES = (PENDING, SENT, FAILED, CANCELLED, EXPIRED)


class OutboxMail(db.Model):
    """One mail to one address: plain text, in the language it was written in."""

    __tablename__ = "outbox_mail"
    # The worker's question every minute: which pending mails are due?
    __table_args__ = (Index("ix_outbox_mail_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What the mail is for (``account_invite``, ``survey_invite``, ``survey_reminder``, ``digest`` …): shown to
    #: staff, and the key of the check whether it is still wanted when its turn comes.
    kind: Mapped[str] = mapped_column(String(40))
    #: What the feature that wrote it knows it by (e.g. ``invitation:12``), for that check and its own pages.
    ref: Mapped[str | None] = mapped_column(String(100), index=True)
    #: Mails about a cohort are seen by its coordinators; the others (accounts) by admins only.
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    #: None once sent a while ago (retention), or at once after sending when ``secret``.
    body: Mapped[str | None] = mapped_column(Text)
    #: The body holds a key to something (a password link): never shown, gone as soon as it is sent.
    secret: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    #: When it may be tried (again); while one try runs, the end of its lease.
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Not sent after this moment (the link in it no longer works).
    send_before: Mapped[datetime | None]
    #: The mail server's (or network's) last answer, for staff.
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    def __repr__(self):
        return f"<OutboxMail {self.id} {self.kind} {self.status}>"
