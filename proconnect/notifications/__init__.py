"""Notifications for coordinators, per person: a company sent its survey, a hospitation feedback arrived, a mentor
marked a log red; at once or as one daily digest, through the outbox (the worker looks every minute)."""
from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from .. import jobs
from ..outbox import kind_label
from .events import KIND, notify_due
from .views import bp

jobs.every_minute(notify_due)


def init_app(app: Flask) -> None:
    """The settings page; the outbox names these mails."""
    kind_label(KIND, _l("Notification"))
    app.register_blueprint(bp)


__all__ = ["init_app", "notify_due"]
