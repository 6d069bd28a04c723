"""Key figures of a cohort, counted in the database: participants, responses per instrument, placements."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, func, select

from ..extensions import db
from ..responses.models import Answer, Response

# Shared with the reports' placement funnel: "placed" = apprenticeship or SVB job, newest outcome per person.
OUTCOME_FORM, STATUS_FIELD = "outcome", "status"
PLACED = ("apprenticeship", "svb_job")
TARGET = 0.75


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


def participants(cohort_id: int) -> int:
    """Distinct participant codes with a response in the cohort."""
    return db.session.scalar(select(func.count(Response.participant_code.distinct())).where(
        Response.cohort_id == cohort_id, Response.participant_code.is_not(None))) or 0


def placed(cohort_id: int) -> int:
    """Participants whose newest outcome is a placement (counted in the database)."""
    newest = func.row_number().over(partition_by=Response.participant_code,
                                    order_by=(Response.submitted_at.desc(), Response.id.desc()))
    ranked = (select(Answer.value_text.label("value"), newest.label("rank")).select_from(Response)
              .join(Answer, and_(Answer.response_id == Response.id, Answer.field_id == STATUS_FIELD, Answer.shown))
              .where(Response.cohort_id == cohort_id, Response.form_id == OUTCOME_FORM,
                     Response.participant_code.is_not(None))
              .subquery())
    return db.session.scalar(select(func.count()).where(ranked.c.rank == 1, ranked.c.value.in_(PLACED))) or 0


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
