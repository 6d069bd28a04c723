"""What the history of staff changes holds about a participant: old and new answers, reasons, codes moved.

Registered before the responses' declaration: it finds a participant's responses by their code, which the
responses' erasure removes. Erasing deletes the history of the code's responses (old values may be free
text the erasure removes) and takes the code out of moves that name it; the current values stay with the
responses, so every figure is unchanged.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from ..extensions import db
from ..personal_data import Declaration, Entry, Section, mentions, without
from ..responses.models import EVERY_RESPONSE, Response
from ..responses.personal import participant_responses
from .models import ResponseChange
from .service import moves

CHANGES, REASON = _l("Changes made by staff"), _l("Reason")
#: How a change reads in the export's PDF; format with ``%``.
WHAT = {"correct": _l("corrected"), "follows": _l("follows from a correction"), "void": _l("voided"),
        "restore": _l("restored"), "reassign": _l("moved to another participant code")}


def _changes(cohort_id: int, code: str) -> list[ResponseChange]:
    ids = [r.id for r in participant_responses(cohort_id, code)]
    rows = db.session.scalars(select(ResponseChange).where(ResponseChange.response_id.in_(ids))).all() if ids else []
    return sorted({c.id: c for c in rows + moves(cohort_id, code.upper())}.values(),
                  key=lambda c: (c.changed_at, c.id))


def _mine(value, code: str):
    """A code of a move as the export shows it: the participant's own, never the other one."""
    return value if value == code.upper() else (None if value is None else "…")


def export(cohort, code: str) -> list[Section]:
    """Every change of the code's responses, and the moves that name the code."""
    records, entries = [], []
    for c in _changes(cohort.id, code):
        records.append({"response": c.response_id, "kind": c.kind, "field": c.field_id, "old": c.old, "new": c.new,
                        "old_code": _mine(c.old_code, code), "new_code": _mine(c.new_code, code),
                        "reason": c.reason, "by": c.changed_by,
                        "at": c.changed_at.isoformat(timespec="seconds") + "Z"})
        old, new = (c.old, c.new) if c.kind != "reassign" else (_mine(c.old_code, code), _mine(c.new_code, code))
        what = f"{WHAT[c.kind]}: {c.field_id}" if c.field_id else str(WHAT[c.kind])
        shown = f"{'–' if old is None else old} → {'–' if new is None else new}" \
            if c.kind in ("correct", "follows", "reassign") else ""
        rows = [(what, shown), (str(REASON), c.reason)]
        entries.append(Entry(f"#{c.response_id}", f"{c.changed_at:%Y-%m-%d %H:%M} (UTC) · {c.changed_by}", rows))
    return [Section("changes", str(CHANGES), records, entries)]


def erase(cohort, code: str) -> dict[str, int]:
    """Delete the history of the code's responses; moves of other responses lose the code (and their reasons
    every mention of it)."""
    ids = [r.id for r in participant_responses(cohort.id, code)]
    removed = db.session.execute(delete(ResponseChange).where(ResponseChange.response_id.in_(ids))).rowcount \
        if ids else 0
    kept = moves(cohort.id, code.upper())
    for c in kept:
        c.old_code = None if c.old_code == code.upper() else c.old_code
        c.new_code = None if c.new_code == code.upper() else c.new_code
        if mentions(c.reason, code):
            c.reason = without(c.reason, code)
    return {"changes": removed + len(kept)}


def expire(cohort, cutoff: datetime, remove: bool) -> dict[str, int]:
    """The history of responses submitted before ``cutoff`` goes with them."""
    old = select(Response.id).where(Response.cohort_id == cohort.id, Response.submitted_at < cutoff)
    going = ResponseChange.response_id.in_(old)
    count = db.session.scalar(select(func.count(ResponseChange.id)).where(going),
                              execution_options=EVERY_RESPONSE) or 0
    if remove:
        db.session.execute(delete(ResponseChange).where(going), execution_options=EVERY_RESPONSE)
    return {"changes": count}


DECLARATION = Declaration("corrections", tables=("response_change",), export=export, erase=erase, expire=expire)
