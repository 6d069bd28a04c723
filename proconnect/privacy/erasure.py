"""Erasing a participant (GDPR art. 17) so that the cohort's figures stay correct.

Every feature's declaration (``proconnect.personal_data``) erases what it stores under the code: responses
are kept for the counts without the code and without free text; cards, decisions, hospitations (and their
companies' feedback links), assignments and labels go. The erasure itself is recorded without the code
and without any answer, under a keyed digest of the code.
"""
from __future__ import annotations

from sqlalchemy import select

from ..audit import record
from ..cohorts.models import Cohort
from ..extensions import db, wipe_deleted_rows
from ..personal_data import code_digest, code_digests, declarations, merge
from ..responses.personal import participant_responses
from .models import Erasure

__all__ = ["erase_participant", "participant_responses", "was_erased"]


def was_erased(cohort_id: int, code: str) -> bool:
    """Whether ``code``'s data in the cohort was erased on request."""
    return db.session.scalar(select(Erasure.id).where(
        Erasure.cohort_id == cohort_id, Erasure.code_digest.in_(code_digests(cohort_id, code)))) is not None


def erase_participant(cohort: Cohort, code: str) -> Erasure | None:
    """Erase everything every feature stores about ``code`` in ``cohort``, and record (and audit) it.

    :return: the erasure record, or None when the code has no responses in the cohort
    """
    if not participant_responses(cohort.id, code):
        return None
    counts = merge([d.erase(cohort, code) for d in declarations() if d.erase is not None])
    erasure = db.session.scalar(select(Erasure).where(Erasure.cohort_id == cohort.id,
                                                      Erasure.code_digest.in_(code_digests(cohort.id, code))))
    if erasure is None:
        erasure = Erasure(cohort_id=cohort.id, code_digest=code_digest(cohort.id, code), anonymised=0,
                          answers_removed=0)
        db.session.add(erasure)
    erasure.anonymised += counts.get("responses", 0)
    erasure.answers_removed += counts.get("answers_removed", 0)
    record("erasure", f"cohort {cohort.slug}", **{kind: n for kind, n in counts.items()
                                                  if n or kind in ("responses", "answers_removed")})
    db.session.commit()
    wipe_deleted_rows()
    return erasure
