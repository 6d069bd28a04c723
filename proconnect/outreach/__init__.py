"""Reaching the companies: the readiness survey sent to a cohort's companies by e-mail (one personal link each),
the overview of who opened, saved half-way or sent, and reminders by hand or after N days (the worker).

Mails go through the outbox; without a mail server the links are shown to copy.
"""
from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from .. import jobs
from ..cohorts.sections import cohort_section
from ..outbox import kind_label
from . import survey
from .views import bp, section

jobs.every_minute(survey.remind_due)


def init_app(app: Flask) -> None:
    """The survey page and its block on every cohort page."""
    kind_label(survey.INVITE, _l("Company survey"))
    kind_label(survey.REMIND, _l("Company survey reminder"))
    cohort_section("company_survey", "outreach/_cohort_section.html", order=25, context=section)
    app.register_blueprint(bp)


__all__ = ["init_app"]
