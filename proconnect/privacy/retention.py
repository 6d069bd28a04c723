"""Retention per cohort: responses older than the cohort's retention period are deleted."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select

from ..audit import record
from ..cohorts.models import Cohort
from ..extensions import db
from ..models_util import utcnow
from ..responses.models import Answer, Response


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (the 31st becomes the month's last day)."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@dataclass
class Expired:
    """What a cohort's retention period removes: responses submitted before ``cutoff``."""

    cohort: Cohort
    cutoff: datetime
    responses: int


def _old(cohort: Cohort, cutoff: datetime):
    return select(Response.id).where(Response.cohort_id == cohort.id, Response.submitted_at < cutoff)


def expired(now: datetime | None = None) -> list[Expired]:
    """Every cohort with a retention period and how many of its responses are past it (nothing deleted)."""
    now = now or utcnow()
    plan = []
    for cohort in db.session.scalars(select(Cohort).where(Cohort.retention_months.is_not(None))
                                     .order_by(Cohort.slug)):
        cutoff = months_before(now, cohort.retention_months)
        count = db.session.scalar(select(func.count()).select_from(_old(cohort, cutoff).subquery()))
        plan.append(Expired(cohort, cutoff, count))
    return plan


def apply(plan: list[Expired]) -> int:
    """Delete the responses (with their answers) that ``plan`` lists; one audit entry per cohort.

    :return: the number of responses deleted
    """
    deleted = 0
    for item in plan:
        if not item.responses:
            continue
        old = _old(item.cohort, item.cutoff)
        db.session.execute(delete(Answer).where(Answer.response_id.in_(old)))
        deleted += db.session.execute(delete(Response).where(Response.id.in_(old))).rowcount
        record("retention", f"cohort {item.cohort.slug}", responses=item.responses,
               before=item.cutoff.isoformat(timespec="minutes"), months=item.cohort.retention_months)
    db.session.commit()
    return deleted
