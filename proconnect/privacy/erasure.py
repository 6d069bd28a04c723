"""Erasing a participant (GDPR art. 17) so that the cohort's figures stay correct.

Each of their responses is kept for the counts, but loses the participant code and every
free-text answer (stored in ``Answer.value_long``, whatever the form version). Choices,
numbers, scales and dates stay, so every count, mean and placement figure is unchanged.
The issued code (its card), the mentor's assignment, the selection and match-making decisions
about the person are deleted. The erasure itself is
recorded without the code and without any answer.
"""
from __future__ import annotations

from sqlalchemy import delete, select

from ..accounts.models import MentorAssignment
from ..audit import record
from ..cohorts.models import Cohort
from ..links import selection
from ..links.models import Participant
from ..extensions import db
from ..matching.models import MatchDecision
from ..responses.models import Answer, Response
from ..responses.storage import PARTICIPANT_FIELD
from .models import Erasure, code_digest


def participant_responses(cohort_id: int, code: str) -> list[Response]:
    """The responses of one participant code in one cohort, oldest first."""
    return db.session.scalars(select(Response).filter_by(cohort_id=cohort_id, participant_code=code.upper())
                              .order_by(Response.submitted_at, Response.id)).all()


def was_erased(cohort_id: int, code: str) -> bool:
    return db.session.scalar(select(Erasure.id).filter_by(
        cohort_id=cohort_id, code_digest=code_digest(cohort_id, code))) is not None


def erase_participant(cohort: Cohort, code: str) -> Erasure | None:
    """Anonymise every response of ``code`` in ``cohort`` and record (and audit) the erasure.

    :return: the erasure record, or None when the code has no responses in the cohort
    """
    responses = participant_responses(cohort.id, code)
    if not responses:
        return None
    removed = 0
    for response in responses:
        texts = db.session.scalars(select(Answer).where(Answer.response_id == response.id,
                                                       Answer.value_long.is_not(None))).all()
        names = {a.field_id for a in texts} | {PARTICIPANT_FIELD}
        removed += len(texts)
        db.session.execute(delete(Answer).where(Answer.id.in_([a.id for a in texts])))
        payload = dict(response.payload or {})
        payload["answers"] = {k: v for k, v in payload.get("answers", {}).items() if k not in names}
        response.payload = payload
        response.participant_code = None
    db.session.execute(delete(MentorAssignment).filter_by(cohort_id=cohort.id, participant_code=code.upper()))
    # The printed card stops working too: a form no longer takes the code once the cohort has cards.
    db.session.execute(delete(Participant).filter_by(cohort_id=cohort.id, code=code.upper()))
    # Whether the person was selected is about them, too.
    selection.erase(cohort.id, code)
    # Match-making decisions name the person's code and may give reasons in free text.
    db.session.execute(delete(MatchDecision).filter_by(cohort_id=cohort.id, participant_code=code.upper()))
    erasure = db.session.scalar(select(Erasure).filter_by(cohort_id=cohort.id,
                                                          code_digest=code_digest(cohort.id, code)))
    if erasure is None:
        erasure = Erasure(cohort_id=cohort.id, code_digest=code_digest(cohort.id, code), anonymised=0,
                          answers_removed=0)
        db.session.add(erasure)
    erasure.anonymised += len(responses)
    erasure.answers_removed += removed
    record("erasure", f"cohort {cohort.slug}", responses=len(responses), answers_removed=removed)
    db.session.commit()
    return erasure
