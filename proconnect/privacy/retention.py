"""Retention per cohort: what is older than the cohort's retention period is deleted, as each feature's
declaration (``proconnect.personal_data``) says (responses, drafts, match-making decisions, hospitations …)."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..audit import record
from ..cohorts.models import Cohort
from ..extensions import db, wipe_deleted_rows
from ..models_util import utcnow
from ..personal_data import declarations, merge


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (the 31st becomes the month's last day)."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@dataclass
class Expired:
    """What a cohort's retention period removes: everything from before ``cutoff``, counted by kind."""

    cohort: Cohort
    cutoff: datetime
    #: kind (``responses``, ``decisions``, ``hospitations``, ``drafts`` …) -> how many.
    counts: dict[str, int]

    @property
    def responses(self) -> int:
        return self.counts.get("responses", 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _expire(cohort: Cohort, cutoff: datetime, remove: bool) -> dict[str, int]:
    return merge([d.expire(cohort, cutoff, remove) for d in declarations() if d.expire is not None])


def expired(now: datetime | None = None) -> list[Expired]:
    """Every cohort with a retention period and what of it is past that period (nothing deleted)."""
    now = now or utcnow()
    plan = []
    for cohort in db.session.scalars(select(Cohort).where(Cohort.retention_months.is_not(None))
                                     .order_by(Cohort.slug)):
        cutoff = months_before(now, cohort.retention_months)
        plan.append(Expired(cohort, cutoff, _expire(cohort, cutoff, remove=False)))
    return plan


def apply(plan: list[Expired]) -> dict[str, int]:
    """Delete what ``plan`` lists (as of its cutoffs); one audit entry per cohort that lost something.

    :return: how many of each kind were deleted, over all cohorts
    """
    deleted = []
    for item in plan:
        counts = _expire(item.cohort, item.cutoff, remove=True)
        if any(counts.values()):
            record("retention", f"cohort {item.cohort.slug}", **counts,
                   before=item.cutoff.isoformat(timespec="minutes"), months=item.cohort.retention_months)
        deleted.append(counts)
    db.session.commit()
    wipe_deleted_rows()
    return merge(deleted)
