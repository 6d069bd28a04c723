"""Sending an invitation or reset link by e-mail, only when ``MAIL_SERVER`` is configured.

No mail server is assumed: without one, the admin copies the link shown once on screen.
"""
from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger(__name__)


def send_link(to: str | None, subject: str, body: str) -> bool:
    """Send ``body`` to ``to``; False when no mail server or no address is configured, or sending failed."""
    config = current_app.config
    if not config.get("MAIL_SERVER") or not to:
        return False
    message = EmailMessage()
    message["From"] = config.get("MAIL_DEFAULT_SENDER") or f"proconnect@{config['MAIL_SERVER']}"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT", 25)), timeout=10) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("could not send mail to an account: %s", exc)
        return False
    return True
