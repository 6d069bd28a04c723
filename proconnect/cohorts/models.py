from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_util import utcnow
from ..personal_data import Declaration


class Cohort(db.Model):
    """A group of participants, e.g. ``ol-2026-spring``; links and responses belong to one."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Short, URL-safe name used on the command line and in reports.
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Responses older than this are deleted by ``proconnect retention apply``; None keeps them.
    retention_months: Mapped[int | None]

    def __repr__(self):
        return f"<Cohort {self.id} {self.slug}>"


DECLARATION = Declaration("cohorts", nothing={"cohort": "a group's slug, title and retention period"})
