"""Read-aloud recordings made in the browser, and the invitation links that let a volunteer make them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_util import utcnow


class Recording(db.Model):
    """One spoken text of a form in one language; the file is ``<instance>/recordings/<form>/<lang>/<file>``.

    A recording belongs to the text it was made for, not to a version: every version whose text under the
    key is the same plays it, and a version that changed the text shows the key as needing a new recording
    (the old one stays for the versions that still have the old text).
    """

    __table_args__ = (UniqueConstraint("form_id", "language", "key", "text_digest"),
                      Index("ix_recording_form_language", "form_id", "language"))

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    #: The read-aloud key (``recordings.texts``): ``trade``, ``trade.metal``, ``page-2`` …
    key: Mapped[str] = mapped_column(String(200))
    #: ``texts.text_digest`` of the text as it was spoken.
    text_digest: Mapped[str] = mapped_column(String(64))
    #: The text as it was spoken (shown when a later version changed it).
    text: Mapped[str] = mapped_column(Text)
    #: The file's name in its folder; a new one for each take, so no cache plays an old take.
    filename: Mapped[str] = mapped_column(String(255))
    mimetype: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    #: Who recorded it: a staff account, or a volunteer's invitation (the other one is None).
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("recording_invitation.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self):
        return f"<Recording {self.id} {self.form_id}/{self.language}/{self.key}>"


class RecordingInvitation(db.Model):
    """A link for one volunteer to record one form version in one language, without an account.

    The link carries this row's id signed with the app's secret key; it works until ``expires_at`` unless
    revoked, and opens nothing but that language's recording page.
    """

    __tablename__ = "recording_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    language: Mapped[str] = mapped_column(String(8))
    #: A note for staff on whom it was given to ("language tandem, Pashto"), as the coordinator writes it.
    note: Mapped[str] = mapped_column(String(120), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]

    @property
    def usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > utcnow()

    def __repr__(self):
        return f"<RecordingInvitation {self.id} {self.form_id} v{self.version} {self.language}>"
