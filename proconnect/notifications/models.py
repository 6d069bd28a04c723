"""What a staff member asked to be told by e-mail, how often, and up to when they have been told."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

OFF, IMMEDIATE, DAILY = "off", "immediate", "daily"
MODES = (OFF, IMMEDIATE, DAILY)


class NotificationSetting(db.Model):
    """One account's choice: which events, and one mail per event batch (within a minute) or a daily digest."""

    __tablename__ = "notification_setting"

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), primary_key=True)
    mode: Mapped[str] = mapped_column(String(16), default=OFF)
    #: Event kinds chosen (``notifications.EVENTS``).
    events: Mapped[list] = mapped_column(JSON, default=list)
    #: The language the mails are written in (the one the person used when choosing).
    language: Mapped[str] = mapped_column(String(16), default="de")
    #: Answers stored up to this moment have been told (or were there before the person asked).
    told_until: Mapped[datetime]
    #: The day of the last daily digest (UTC).
    digest_on: Mapped[date | None]

    def __repr__(self):
        return f"<NotificationSetting account={self.account_id} {self.mode}>"
