"""Retention per cohort: responses (and match-making decisions) older than the cohort's retention period
are deleted, and the selection of anybody whose responses are all gone."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select

from ..audit import record
from ..cohorts.models import Cohort
from ..extensions import db
from ..links.models import Selection
from ..matching.models import MatchDecision
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
    """Delete the responses (with their answers) that ``plan`` lists, and the cohort's match-making
    decisions from before the same cutoff; one audit entry per cohort that lost something.

    :return: the number of responses deleted
    """
    deleted = 0
    for item in plan:
        old = _old(item.cohort, item.cutoff)
        db.session.execute(delete(Answer).where(Answer.response_id.in_(old)))
        responses = db.session.execute(delete(Response).where(Response.id.in_(old))).rowcount
        decisions = db.session.execute(delete(MatchDecision).where(
            MatchDecision.cohort_id == item.cohort.id, MatchDecision.decided_at < item.cutoff)).rowcount
        # A selection outlives nothing it was about: gone with the person's last response.
        selections = db.session.execute(delete(Selection).where(
            Selection.cohort_id == item.cohort.id, Selection.participant_code.not_in(
                select(Response.participant_code).where(Response.cohort_id == item.cohort.id,
                                                        Response.participant_code.is_not(None))))).rowcount
        if responses or decisions or selections:
            record("retention", f"cohort {item.cohort.slug}", responses=responses, decisions=decisions,
                   selections=selections,
                   before=item.cutoff.isoformat(timespec="minutes"), months=item.cohort.retention_months)
        deleted += responses
    db.session.commit()
    return deleted
