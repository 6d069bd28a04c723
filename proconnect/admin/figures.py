"""Key figures of a cohort, counted in the database: participants, responses per instrument, placements.

What counts as a participant and as placed is the reports' definition (reports/placement.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..extensions import db
from ..reports.aggregation import participants
from ..reports.placement import PLACED, TARGET, newest_statuses
from ..responses.models import Response


@dataclass
class CohortFigures:
    participants: int = 0
    #: form id -> number of responses
    responses: dict = field(default_factory=dict)
    placed: int = 0
    last_response: object = None
    target: float = TARGET

    @property
    def placement_rate(self) -> float | None:
        return self.placed / self.participants if self.participants else None

    @property
    def total_responses(self) -> int:
        return sum(self.responses.values())


def responses_per_form(cohort_ids: list[int]) -> dict[int, dict[str, int]]:
    """cohort id -> form id -> number of responses (one grouped query for all cohorts)."""
    out: dict[int, dict[str, int]] = {cid: {} for cid in cohort_ids}
    rows = db.session.execute(select(Response.cohort_id, Response.form_id, func.count(Response.id))
                              .where(Response.cohort_id.in_(cohort_ids))
                              .group_by(Response.cohort_id, Response.form_id).order_by(Response.form_id))
    for cohort_id, form_id, count in rows:
        out[cohort_id][form_id] = count
    return out


def placed(cohort_id: int) -> int:
    """Participants whose newest outcome is a placement (as the reports' placement funnel counts them)."""
    statuses = newest_statuses(cohort_id)
    return sum(statuses[s] for s in PLACED)


def cohort_figures(cohort_ids: list[int]) -> dict[int, CohortFigures]:
    """The key figures of each cohort, by cohort id."""
    per_form = responses_per_form(cohort_ids)
    last = dict(db.session.execute(select(Response.cohort_id, func.max(Response.submitted_at))
                                   .where(Response.cohort_id.in_(cohort_ids)).group_by(Response.cohort_id)).all())
    figures = {}
    for cohort_id in cohort_ids:
        figures[cohort_id] = CohortFigures(participants=participants(cohort_id), responses=per_form[cohort_id],
                                           placed=placed(cohort_id), last_response=last.get(cohort_id))
    return figures
