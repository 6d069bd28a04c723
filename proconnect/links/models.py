"""Links (a token bound to form, cohort, event, language), participant codes, kiosks."""
from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..cohorts.models import Cohort
from ..extensions import db
from ..models_util import utcnow

#: Seconds the kiosk's thank-you screen stays before the language choice comes back.
DEFAULT_RESET_SECONDS = 12


def new_token() -> str:
    """A random, unguessable, URL-safe token (192 bits) that does not start with "-".

    A leading hyphen would make ``proconnect links revoke <token>`` read the token as an option.
    """
    while (token := secrets.token_urlsafe(24)).startswith("-"):
        continue
    return token


class Link(db.Model):
    """A distribution link: ``/f/<token>`` opens one form for one cohort, event and language."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    form_id: Mapped[str] = mapped_column(String(64))
    #: Pinned version, or None for "always the latest version".
    version: Mapped[int | None]
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"))
    cohort: Mapped[Cohort] = relationship()
    #: Default language of the form for people who open this link.
    language: Mapped[str] = mapped_column(String(16), default="de")
    event: Mapped[str] = mapped_column(String(200), default="")
    kiosk: Mapped[bool] = mapped_column(default=False)
    #: Hash of the PIN that lets staff leave kiosk mode (the PIN itself is never stored).
    kiosk_pin_hash: Mapped[str | None] = mapped_column(String(255))
    #: Seconds before a kiosk's thank-you screen returns to the language choice (None: the default).
    kiosk_reset_seconds: Mapped[int | None]
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    max_responses: Mapped[int | None]
    #: A rehearsal link: every screen says so, its answers are stored as test answers and never counted.
    #: Chosen when the link is made and never changed, so no answer changes sides afterwards.
    test: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    revoked_at: Mapped[datetime | None]
    #: The company this is a personal link of (its readiness survey): the form knows the company and
    #: nobody opening the link can change it. Named by table only: company records sit above links.
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id", ondelete="SET NULL"), index=True)
    #: When a personal link (one answer only) was first opened: a company's survey shows "opened".
    opened_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def set_pin(self, pin: str) -> None:
        self.kiosk_pin_hash = generate_password_hash(pin)

    def check_pin(self, pin: str) -> bool:
        return bool(self.kiosk_pin_hash and pin) and check_password_hash(self.kiosk_pin_hash, pin)

    @property
    def reset_seconds(self) -> int:
        return self.kiosk_reset_seconds or DEFAULT_RESET_SECONDS

    def state(self, now: datetime | None = None, responses: int = 0) -> str:
        """``open``, ``revoked``, ``not-yet-open``, ``closed`` or ``full`` (for lists; the form decides itself)."""
        now = now or utcnow()
        if self.revoked_at is not None:
            return "revoked"
        if self.opens_at is not None and now < self.opens_at:
            return "not-yet-open"
        if self.closes_at is not None and now >= self.closes_at:
            return "closed"
        if self.max_responses is not None and responses >= self.max_responses:
            return "full"
        return "open"

    def __repr__(self):
        return f"<Link {self.id} {self.form_id} v{self.version or 'latest'} cohort={self.cohort_id}>"


class Participant(db.Model):
    """A pseudonymous participant: a printed code and its cohort, nothing else (never a name)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ``K7Q2-M`` style: four characters and a check character (see ``codes.py``).
    code: Mapped[str] = mapped_column(String(16), unique=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    cohort: Mapped[Cohort] = relationship()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self):
        return f"<Participant {self.id} {self.code} cohort={self.cohort_id}>"


class Selection(db.Model):
    """A participant was selected for the project's support: the 75 % target counts against the selected.

    Keyed by code like every record about a participant (a cohort may use its own codes without cards).
    Holds the day and the staff account that selected, nothing else; undoing deletes the row.
    """

    __tablename__ = "selection"
    __table_args__ = (UniqueConstraint("cohort_id", "participant_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    participant_code: Mapped[str] = mapped_column(String(32))
    selected_on: Mapped[date]
    #: The staff account that marked the selection (None once that account is gone).
    selected_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self):
        return f"<Selection {self.id} cohort={self.cohort_id} on {self.selected_on}>"


class Kiosk(db.Model):
    """A tablet in kiosk mode, as the server last heard from it (so staff can see which ones synced)."""

    __table_args__ = (UniqueConstraint("link_id", "device"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("link.id", ondelete="CASCADE"), index=True)
    link: Mapped[Link] = relationship()
    #: Random id the tablet chose for itself (says nothing about who used it).
    device: Mapped[str] = mapped_column(String(64))
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Last time a queued submission arrived from this tablet.
    last_sync_at: Mapped[datetime | None]
    #: Submissions received from its queue (a resent one counts once).
    received: Mapped[int] = mapped_column(default=0)
    #: Submissions the tablet said were still waiting, at its last contact.
    pending: Mapped[int] = mapped_column(default=0)

    def __repr__(self):
        return f"<Kiosk {self.id} link={self.link_id} {self.device[:8]}>"
