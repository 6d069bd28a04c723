"""Reading stored answers for match-making: the shown answers of some responses, as values."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from ..extensions import db
from ..fieldtypes import stored_value
from ..responses.models import Answer


def answers_of(response_ids) -> dict[int, dict[str, list]]:
    """Response id -> field id -> the values shown and answered (a choice's value, a number, a date, ...)."""
    out: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    if not response_ids:
        return out
    rows = db.session.execute(select(Answer.response_id, Answer.field_id, Answer.value_text, Answer.value_num,
                                     Answer.value_date, Answer.value_long)
                              .where(Answer.response_id.in_(list(response_ids)), Answer.shown.is_(True)))
    for row in rows:
        out[row.response_id][row.field_id].append(stored_value(row))
    return out
