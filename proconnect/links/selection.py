"""Who of a cohort was selected for the project's support: the 75 % target counts against them.

A coordinator marks participants on the cohort's participant list (and can undo it). Until anybody in a
cohort is marked, every participant counts (the reports say so); from the first selection on, the target,
the funnel and the dashboard count the selected, and the others apart.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import Select, delete, exists, select

from ..extensions import db
from .models import Selection


def selected_codes(cohort_id: int, until: date | None = None) -> Select:
    """The codes selected in the cohort (by ``until`` if given), as a subquery for ``IN``."""
    query = select(Selection.participant_code).where(Selection.cohort_id == cohort_id)
    if until is not None:
        query = query.where(Selection.selected_on <= until)
    return query


def any_selected(cohort_id: int, until: date | None = None) -> bool:
    """Whether anybody in the cohort was selected (by ``until``): else everyone counts toward the target."""
    return bool(db.session.scalar(select(exists(selected_codes(cohort_id, until)))))


def selections(cohort_id: int, codes: list[str]) -> dict[str, Selection]:
    """code -> its selection, for the codes of one page of a list."""
    rows = db.session.scalars(select(Selection).where(Selection.cohort_id == cohort_id,
                                                      Selection.participant_code.in_(codes)))
    return {s.participant_code: s for s in rows}


def select_participants(cohort_id: int, codes: list[str], on: date, by_id: int | None) -> list[str]:
    """Mark ``codes`` selected on ``on`` by the account ``by_id``; :return: the codes that were not yet."""
    known = set(selections(cohort_id, codes))
    new = [code for code in dict.fromkeys(codes) if code not in known]
    db.session.add_all(Selection(cohort_id=cohort_id, participant_code=code, selected_on=on, selected_by_id=by_id)
                       for code in new)
    return new


def undo_selection(cohort_id: int, codes: list[str]) -> list[str]:
    """Remove the selection of ``codes``; :return: the codes that were selected."""
    known = sorted(selections(cohort_id, codes))
    db.session.execute(delete(Selection).where(Selection.cohort_id == cohort_id,
                                               Selection.participant_code.in_(known)))
    return known


def export(cohort_id: int, code: str) -> list[dict]:
    """The selection of one participant, JSON-safe (for the GDPR export); empty when not selected."""
    s = selections(cohort_id, [code.upper()]).get(code.upper())
    return [{"selected_on": s.selected_on.isoformat()}] if s else []


def erase(cohort_id: int, code: str) -> int:
    """Delete the selection of one participant (erasure on request); :return: rows deleted."""
    return db.session.execute(delete(Selection).where(Selection.cohort_id == cohort_id,
                                                      Selection.participant_code == code.upper())).rowcount
