"""Each participant's way from the competence check to a placement, from outcomes and decisions.

Stages: checked (competence check) → matched (a suggestion taken up) → hospitation / internship →
EQ → signed (a contract, the start ahead) → placed (apprenticeship or SVB job begun), or ended (a placement
ended early), or left (moved away, left the project). The 75 % figure
itself comes from ``reports.placement`` so the dashboard, this page and the PDF count alike.
"""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from ..companies import company_names
from ..companies.models import name_key
from ..definitions.roles import COMPETENCE_CHECK, OUTCOME
from ..extensions import db
from ..reports.placement import PLACED
from ..responses.models import Answer, Response
from .models import Hospitation, MatchDecision

#: Outcome status -> the stage it stands for, as the outcome role declares it.
STAGE_OF_STATUS = OUTCOME.meanings("status")
STAGES = ("checked", "matched", "hospitation", "eq", "signed", "placed", "ended", "left")


@dataclass(frozen=True)
class Step:
    """One dated step on a participant's way."""

    on: date
    stage: str
    status: str = ""
    company: str = ""
    trade: str = ""


@dataclass
class Pipeline:
    """A cohort's ways, with what the coordinators need to act on."""

    timelines: dict[str, list[Step]] = field(default_factory=dict)
    #: participant code -> their current stage
    current: dict[str, str] = field(default_factory=dict)
    days_to_placement: list[int] = field(default_factory=list)
    placed_by_company: Counter = field(default_factory=Counter)
    placed_by_trade: Counter = field(default_factory=Counter)
    leaving: Counter = field(default_factory=Counter)
    #: plain-word warnings about records that contradict each other
    contradictions: list[str] = field(default_factory=list)

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days_to_placement) if self.days_to_placement else None


def _outcomes(cohort_id: int) -> dict[str, list[dict]]:
    """Outcome records per participant: status, date, company, trade (one query for all)."""
    status, since = OUTCOME.field("status"), OUTCOME.field("status_date")
    # Record keys "company" and "trade" are this module's names for the outcome's fields; the company is typed
    # (older versions) or a record with "other" and a typed name: all of it is read as one name below.
    chosen = OUTCOME.field("company_record")
    details = {OUTCOME.field("company"): "company", chosen: "company", f"{chosen}.other": "company_other",
               OUTCOME.field("trade"): "trade"}
    rows = db.session.execute(
        select(Response.id, Response.participant_code, Response.submitted_at, Answer.field_id, Answer.value_text,
               Answer.value_date, Answer.value_long)
        .join(Answer, Answer.response_id == Response.id)
        .where(Response.cohort_id == cohort_id, Response.form_id == OUTCOME.form_id(),
               Response.participant_code.is_not(None), Answer.shown.is_(True),
               Answer.field_id.in_((status, since, *details)))
        .order_by(Response.id))
    records: dict[int, dict] = {}
    for rid, code, submitted, field_id, text, day, long in rows:
        r = records.setdefault(rid, {"code": code, "on": submitted.date()})
        if field_id == since and day:
            r["on"] = day
        elif field_id == status:
            r["status"] = text
        elif field_id in details:
            r[details[field_id]] = text or long or ""
    names = company_names((r.get("company"), r.get("company_other")) for r in records.values())
    out: dict[str, list[dict]] = defaultdict(list)
    for r in records.values():
        r["company"] = names[(r.get("company"), r.pop("company_other", None))]
        if r.get("status"):
            out[r["code"]].append(r)
    return out


def pipeline(cohort_id: int, among: set[str] | None = None) -> Pipeline:
    """Every participant's steps, current stage and the cohort's placement figures.

    :param among: only these participant codes (the selected)
    """
    return _pipeline(cohort_id, among, _outcomes(cohort_id))


def placements(cohort_id: int, among: set[str] | None = None) -> Pipeline:
    """The pipeline of the participants with an outcome record: placements, leaving and the time to a placement
    come from these alone (the cohort report's "placements in detail"), so a cohort of many checks and few
    outcomes lays out few timelines.

    :param among: only these participant codes (the selected)
    """
    outcomes = _outcomes(cohort_id)
    if not outcomes:
        return Pipeline()
    return _pipeline(cohort_id, set(outcomes) if among is None else among & set(outcomes), outcomes)


def _pipeline(cohort_id: int, among: set[str] | None, outcomes: dict[str, list[dict]]) -> Pipeline:
    result = Pipeline()
    wanted = (lambda code: True) if among is None else among.__contains__
    # The first competence check of each participant (newest first, so the oldest overwrites).
    checked = {code: at for code, at in db.session.execute(
        select(Response.participant_code, Response.submitted_at)
        .where(Response.cohort_id == cohort_id, Response.form_id == COMPETENCE_CHECK.form_id(),
               Response.participant_code.is_not(None))
        .order_by(Response.submitted_at.desc(), Response.id.desc())) if wanted(code)}
    steps: dict[str, list[Step]] = defaultdict(list)
    for code, at in checked.items():
        steps[code].append(Step(at.date(), "checked"))
    for d in db.session.scalars(select(MatchDecision).where(
            MatchDecision.cohort_id == cohort_id, MatchDecision.decision.in_(("contacted", "hospitation_agreed")))
            .order_by(MatchDecision.decided_at, MatchDecision.id)):
        if wanted(d.participant_code) and not any(s.stage == "matched" for s in steps[d.participant_code]):
            steps[d.participant_code].append(Step(d.decided_at.date(), "matched", company=d.company_name,
                                                  trade=d.trade))
    for h in db.session.scalars(select(Hospitation).where(Hospitation.cohort_id == cohort_id)
                                .order_by(Hospitation.id)):
        if wanted(h.participant_code):
            steps[h.participant_code].append(Step(h.starts_on, "hospitation", h.kind, h.company_name))
    for code, records in outcomes.items():
        placed_on: dict[date, set] = defaultdict(set)
        for r in records:
            stage = STAGE_OF_STATUS.get(r["status"], "other")
            if wanted(code):
                steps[code].append(Step(r["on"], stage, r["status"], r.get("company", ""), r.get("trade", "")))
            if r["status"] in PLACED:
                placed_on[r["on"]].add((r["status"], name_key(r.get("company", ""))))
        for on, placements in sorted(placed_on.items()):
            if len(placements) > 1:
                result.contradictions.append(
                    f"{code}: {len(placements)} different placements recorded for {on.isoformat()} – "
                    "please check the outcome records and correct one of them.")
    for code, items in steps.items():
        items.sort(key=lambda s: (s.on, STAGES.index(s.stage) if s.stage in STAGES else len(STAGES)))
        result.timelines[code] = items
        outcome_steps = [s for s in items if s.status]
        last = outcome_steps[-1] if outcome_steps else items[-1]
        result.current[code] = last.stage
        if last.status in PLACED:
            result.placed_by_company[last.company or "?"] += 1
            result.placed_by_trade[last.trade or "?"] += 1
            check = next((s.on for s in items if s.stage == "checked"), None)
            if check:
                result.days_to_placement.append((last.on - check).days)
        elif last.stage == "left":
            result.leaving[last.status] += 1
    return result


def pipeline_version(cohort_id: int) -> list:
    """What the pipeline of a cohort depends on besides its responses: decisions and hospitations (for kept PDFs)."""
    decisions = db.session.execute(select(func.count(MatchDecision.id), func.max(MatchDecision.id),
                                          func.max(MatchDecision.decided_at))
                                   .where(MatchDecision.cohort_id == cohort_id)).one()
    hospitations = db.session.execute(select(func.count(Hospitation.id), func.max(Hospitation.id),
                                             func.max(Hospitation.created_at), func.max(Hospitation.starts_on))
                                      .where(Hospitation.cohort_id == cohort_id)).one()
    return [str(v) for v in (*decisions, *hospitations)]
