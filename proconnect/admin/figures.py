"""Key figures of a cohort, counted in the database: participants, responses per instrument, placements.

What counts as a participant and as placed is the reports' definition (reports/placement.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..corrections import service as corrections
from ..extensions import db
from ..reports.aggregation import participants
from ..reports.placement import TARGET, basis, newest_statuses, placed_count
from ..responses.models import Response


@dataclass
class CohortFigures:
    #: The participants the target counts against: the selected, or everyone while nobody is selected.
    participants: int = 0
    #: form id -> number of responses
    responses: dict = field(default_factory=dict)
    placed: int = 0
    last_response: object = None
    target: float = TARGET
    #: False: nobody in the cohort is marked selected, so everyone counts.
    selection: bool = False
    #: Participants not selected, and how many of them are placed (shown apart).
    not_selected: int = 0
    not_selected_placed: int = 0
    #: Answers corrected and responses voided by staff (``corrections.service.counts``), for the method note.
    corrections: dict = field(default_factory=dict)

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


def cohort_figures(cohort_ids: list[int]) -> dict[int, CohortFigures]:
    """The key figures of each cohort, by cohort id (counted as the reports' placement funnel counts)."""
    per_form = responses_per_form(cohort_ids)
    last = dict(db.session.execute(select(Response.cohort_id, func.max(Response.submitted_at))
                                   .where(Response.cohort_id.in_(cohort_ids)).group_by(Response.cohort_id)).all())
    figures = {}
    for cohort_id in cohort_ids:
        chosen = basis(cohort_id)
        f = figures[cohort_id] = CohortFigures(
            participants=participants(cohort_id, among=chosen), responses=per_form[cohort_id],
            placed=placed_count(newest_statuses(cohort_id, among=chosen)), last_response=last.get(cohort_id),
            selection=chosen is not None, corrections=corrections.counts(cohort_id))
        if chosen is not None:
            f.not_selected = participants(cohort_id, among=chosen, outside=True)
            f.not_selected_placed = placed_count(newest_statuses(cohort_id, among=chosen, outside=True))
    return figures
