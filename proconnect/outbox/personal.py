"""What the outbox keeps: addresses of companies' contacts and staff, subjects and plain-text bodies.

Mails name no participant (notifications give counts and links to the cohort page, never a code); erasure
still blanks any body of the cohort that mentions the code, so a code typed into a text cannot outlive it.
Retention: bodies of mails done with go after ``MAIL_KEEP_BODY_DAYS`` and rows after ``MAIL_KEEP_DAYS``
(the worker's ``tidy``, every minute), and a cohort's retention period removes its mails like its answers.
"""
from __future__ import annotations

from sqlalchemy import delete, func, select, update

from ..extensions import db
from ..personal_data import Declaration, mentions
from .models import OutboxMail


def erase(cohort, code: str) -> dict[str, int]:
    """Blank the body of any mail about the cohort that mentions the code."""
    ids = [mail_id for mail_id, body in db.session.execute(
        select(OutboxMail.id, OutboxMail.body).where(OutboxMail.cohort_id == cohort.id,
                                                      OutboxMail.body.is_not(None)))
        if mentions(body, code)]
    if ids:
        db.session.execute(update(OutboxMail).where(OutboxMail.id.in_(ids)).values(body=None)
                           .execution_options(synchronize_session=False))
    return {"mail_bodies": len(ids)}


def expire(cohort, cutoff, remove: bool) -> dict[str, int]:
    """The cohort's mails written before ``cutoff``."""
    old = (OutboxMail.cohort_id == cohort.id, OutboxMail.created_at < cutoff)
    count = db.session.scalar(select(func.count()).select_from(OutboxMail).where(*old))
    if remove and count:
        db.session.execute(delete(OutboxMail).where(*old).execution_options(synchronize_session=False))
    return {"mails": count}


DECLARATION = Declaration("outbox", tables=("outbox_mail",), erase=erase, expire=expire)
