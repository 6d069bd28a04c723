"""Writing mails into the outbox and sending them: each try claims its row, a failure waits longer each time.

A mail is a row before anything is sent (``queue_mail``); once the row is committed the job runner is asked to
send it (``proconnect jobs worker``, or in the request with ``JOBS_IMMEDIATE``). A try that fails for a reason
that may pass (server down, 4xx) is repeated after ``MAIL_RETRY_SECONDS``, doubling up to
``MAIL_RETRY_MAX_SECONDS``, until ``MAIL_MAX_ATTEMPTS``; the worker also looks for due mails every minute, so
a mail whose job was lost (a worker restarted, a Redis flushed) still goes. A try claims its row with one
conditional UPDATE, so two workers never send the same mail at once.
"""
from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app
from sqlalchemy import delete, event, select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..models_util import utcnow
from .models import CANCELLED, EXPIRED, FAILED, PENDING, SENT, OutboxMail

log = logging.getLogger(__name__)
EXTENSION = "outbox"
#: Ids of mails added in a session, handed to the job runner once that session commits.
_NEW = "outbox_new"
#: How long one try holds its mail: longer than any SMTP conversation (a crashed try is taken up after it).
LEASE = timedelta(minutes=5)

#: kind -> function(mail) -> bool: whether a mail of that kind is still wanted when its turn comes.
STILL_WANTED: dict[str, Callable[[OutboxMail], bool]] = {}


def still_wanted(kind: str):
    """Register the check a mail of ``kind`` must pass right before it is sent (else it is cancelled)."""
    def register(function):
        STILL_WANTED[kind] = function
        return function
    return register


def enabled() -> bool:
    """Whether a mail server is configured (else nothing is queued and people copy links from the page)."""
    return bool(current_app.config.get("MAIL_SERVER"))


def queue_mail(to: str | None, subject: str, body: str, kind: str, *, ref: str | None = None,
               cohort_id: int | None = None, secret: bool = False,
               send_before: datetime | None = None) -> OutboxMail | None:
    """Add a mail to the outbox; it is handed to the job runner when the caller commits.

    :param secret: the body holds a key (a password link): never shown to staff, deleted once sent
    :return: the row, or None when no mail server is configured or there is no address (nothing queued)
    """
    if not enabled() or not to:
        return None
    mail = OutboxMail(to_address=to, subject=subject[:300], body=body, kind=kind, ref=ref, cohort_id=cohort_id,
                      secret=secret, send_before=send_before, next_attempt_at=utcnow())
    db.session.add(mail)
    db.session.flush()
    _after_commit(mail.id)
    return mail


def try_again(mail: OutboxMail) -> None:
    """A failed mail waits for a new series of tries, starting now (when the caller commits)."""
    mail.status, mail.attempts, mail.next_attempt_at = PENDING, 0, utcnow()
    _after_commit(mail.id)


def _after_commit(mail_id: int) -> None:
    db.session().info.setdefault(_NEW, []).append(mail_id)


@event.listens_for(Session, "after_commit")
def _hand_over(session) -> None:
    ids = session.info.pop(_NEW, None)
    if not ids:
        return
    for mail_id in ids:
        try:
            current_app.extensions[EXTENSION](mail_id)
        # The row is safe; the worker's look every minute sends it if the queue cannot be reached now.
        except Exception:
            log.exception("could not hand mail %s to the job runner", mail_id)


@event.listens_for(Session, "after_rollback")
def _forget(session) -> None:
    session.info.pop(_NEW, None)


def retry_delay(attempts: int) -> float:
    """Seconds before the next try after ``attempts`` failed ones: doubling, capped."""
    config = current_app.config
    return min(float(config["MAIL_RETRY_SECONDS"]) * 2 ** max(attempts - 1, 0),
               float(config["MAIL_RETRY_MAX_SECONDS"]))


def send_one(mail_id: int) -> float | None:
    """Try to send one mail if it is due and nobody else is trying it.

    :return: seconds until its next try when it failed and stays pending, else None
    """
    now = utcnow()
    claimed = db.session.execute(
        update(OutboxMail).where(OutboxMail.id == mail_id, OutboxMail.status == PENDING,
                                 OutboxMail.next_attempt_at <= now)
        .values(next_attempt_at=now + LEASE, attempts=OutboxMail.attempts + 1)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    if not claimed:
        return None
    mail = db.session.get(OutboxMail, mail_id)
    try:
        if mail.send_before is not None and now >= mail.send_before:
            _close(mail, EXPIRED)
            return None
        check = STILL_WANTED.get(mail.kind)
        if check is not None and not check(mail):
            _close(mail, CANCELLED)
            return None
        if not enabled():
            return _failed(mail, "no mail server is configured (MAIL_SERVER)", permanent=False)
        try:
            deliver(mail)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _msg in exc.recipients.values()]
            return _failed(mail, _describe(exc), permanent=all(code >= 500 for code in codes))
        except smtplib.SMTPResponseException as exc:
            return _failed(mail, _describe(exc), permanent=exc.smtp_code >= 500)
        except (OSError, smtplib.SMTPException) as exc:
            return _failed(mail, _describe(exc), permanent=False)
        mail.status, mail.sent_at, mail.last_error = SENT, utcnow(), None
        if mail.secret:
            mail.body = None
        log.info("mail %s (%s) sent", mail.id, mail.kind)
        return None
    finally:
        db.session.commit()


def _close(mail: OutboxMail, status: str) -> None:
    mail.status = status
    if mail.secret:
        mail.body = None


def _failed(mail: OutboxMail, error: str, permanent: bool) -> float | None:
    mail.last_error = error[:500]
    log.warning("mail %s (%s), try %s: %s", mail.id, mail.kind, mail.attempts, error)
    if permanent or mail.attempts >= int(current_app.config["MAIL_MAX_ATTEMPTS"]):
        mail.status = FAILED
        return None
    delay = retry_delay(mail.attempts)
    mail.next_attempt_at = utcnow() + timedelta(seconds=delay)
    return delay


def _describe(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        message = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {message}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{code} {msg.decode('utf-8', 'replace') if isinstance(msg, bytes) else msg}"
                         for code, msg in exc.recipients.values())
    return f"{type(exc).__name__}: {exc}"


def deliver(mail: OutboxMail) -> None:
    """Hand one mail to the configured SMTP server. :raise OSError, smtplib.SMTPException: when it fails"""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config.get("MAIL_DEFAULT_SENDER") or f"proconnect@{config['MAIL_SERVER']}"
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    # One id per row: a mail sent twice (a try that timed out after the server took it) shows as one.
    message["Message-ID"] = make_msgid(idstring=f"outbox-{mail.id}")
    message.set_content(mail.body or "")
    smtp_class = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25),
                    timeout=float(config["MAIL_TIMEOUT"])) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)


def send_due(limit: int = 200) -> int:
    """Send every pending mail whose time has come (the worker calls this every minute), and tidy up.

    :return: how many were tried
    """
    ids = db.session.scalars(select(OutboxMail.id).where(OutboxMail.status == PENDING,
                                                         OutboxMail.next_attempt_at <= utcnow())
                             .order_by(OutboxMail.next_attempt_at, OutboxMail.id).limit(limit)).all()
    for mail_id in ids:
        send_one(mail_id)
    tidy()
    return len(ids)


def tidy(now: datetime | None = None) -> dict[str, int]:
    """Retention: bodies of mails done with go after ``MAIL_KEEP_BODY_DAYS``, whole rows after ``MAIL_KEEP_DAYS``
    (what was sent to whom, and when, stays that long for staff). Commits."""
    now = now or utcnow()
    config = current_app.config
    body_cutoff = now - timedelta(days=int(config["MAIL_KEEP_BODY_DAYS"]))
    row_cutoff = now - timedelta(days=int(config["MAIL_KEEP_DAYS"]))
    done = OutboxMail.status.in_((SENT, FAILED, CANCELLED, EXPIRED))
    bodies = db.session.execute(update(OutboxMail).where(done, OutboxMail.body.is_not(None),
                                                         OutboxMail.created_at < body_cutoff)
                                .values(body=None).execution_options(synchronize_session=False)).rowcount
    rows = db.session.execute(delete(OutboxMail).where(done, OutboxMail.created_at < row_cutoff)
                              .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return {"mail_bodies": bodies, "mails": rows}
