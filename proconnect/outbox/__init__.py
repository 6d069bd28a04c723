"""The mail outbox: every mail the app sends is a row first, sent by the job runner, retried while the mail
server is down, and listed for staff (pending, sent, failed).

Features write mails with ``queue_mail`` (and commit); ``enabled()`` tells whether a mail server is configured
at all (without one, pages show links to copy instead). ``still_wanted(kind)`` registers a last check before a
mail of that kind goes (a reminder to a company that has answered meanwhile is cancelled).
"""
from __future__ import annotations

from flask import Flask

from .. import jobs
from .models import OutboxMail
from .sending import EXTENSION, enabled, queue_mail, send_due, send_one, still_wanted, try_again
from .views import STATE_LABELS, bp, kind_label

jobs.every_minute(send_due)


def init_app(app: Flask) -> None:
    """The send task on the app's job queue (after ``jobs.init_app``), and the staff page."""
    huey = jobs.huey_of(app)

    @huey.task(name="send_mail")
    def send_task(mail_id: int) -> None:
        with app.app_context():
            delay = send_one(mail_id)
        # Without a worker nothing would run a scheduled try: staff ("Send due mails now") or `proconnect mail
        # send-due` from cron send it.
        if delay is not None and not huey.immediate:
            send_task.schedule((mail_id,), delay=delay)

    app.extensions[EXTENSION] = send_task
    app.register_blueprint(bp)


__all__ = ["STATE_LABELS", "OutboxMail", "enabled", "init_app", "kind_label", "queue_mail", "send_due", "still_wanted",
           "try_again"]
