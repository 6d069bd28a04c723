"""Which company of a cohort got its personal readiness-survey link, when it was mailed and reminded."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..companies.models import Company
from ..extensions import db
from ..links.models import Link
from ..models_util import utcnow


class CompanyInvitation(db.Model):
    """A company asked to answer the readiness survey for a cohort, through its own link (one answer only).

    What the company did with it (opened, saved half-way, sent) is read from the link, its draft and its
    response; this row keeps what the project did: when it asked, in which language, and its reminders.
    """

    __tablename__ = "company_invitation"
    __table_args__ = (UniqueConstraint("cohort_id", "company_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"))
    company: Mapped[Company] = relationship()
    link_id: Mapped[int] = mapped_column(ForeignKey("link.id", ondelete="CASCADE"))
    link: Mapped[Link] = relationship()
    #: The language of the link and of every mail about it (``de`` or ``en``).
    language: Mapped[str] = mapped_column(String(16), default="de")
    #: Remind automatically this many days after the last mail (0: only by hand), while nothing is sent.
    remind_after_days: Mapped[int] = mapped_column(default=0)
    reminders: Mapped[int] = mapped_column(default=0)
    #: When the invitation or the last reminder was written into the outbox (None: never mailed).
    last_mailed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))

    @property
    def ref(self) -> str:
        """How its mails are known in the outbox."""
        return f"invitation:{self.id}"

    def __repr__(self):
        return f"<CompanyInvitation {self.id} cohort={self.cohort_id} company={self.company_id}>"
