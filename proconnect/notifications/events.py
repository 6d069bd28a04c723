"""What coordinators can be told about, found in the stored answers, and the mail that tells them.

Mails give counts per cohort and the company's name, never a participant's code: a mail leaves the app.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale, gettext as _, lazy_gettext as _l, ngettext
from sqlalchemy import select

from ..accounts.models import User
from ..accounts.scope import visible_cohorts
from ..cohorts.models import Cohort
from ..companies.models import Company
from ..definitions.roles import COMPANY_READINESS, HOSPITATION_FEEDBACK, MENTOR_LOG
from ..extensions import db
from ..links.models import Link
from ..models_util import utcnow
from ..outbox import enabled, queue_mail
from ..responses.models import Answer, Response
from .models import DAILY, IMMEDIATE, NotificationSetting

#: Event kind -> what a person ticks.
EVENTS = {"company_survey": _l("A company sent its readiness survey"),
          "hospitation_feedback": _l("A hospitation feedback arrived"),
          "mentor_red": _l("A mentor marked an apprentice's log red (dropout risk)")}
KIND = "notification"


@dataclass
class CohortNews:
    cohort: Cohort
    companies: list[str] = field(default_factory=list)
    feedbacks: int = 0
    red_logs: int = 0


def news(user: User, kinds: list[str], since: datetime, until: datetime) -> list[CohortNews]:
    """What happened in ``user``'s cohorts between ``since`` and ``until`` (answers stored then)."""
    cohorts = {c.id: CohortNews(c) for c in db.session.scalars(visible_cohorts(user).order_by(Cohort.slug))}
    if not cohorts:
        return []
    window = (Response.cohort_id.in_(list(cohorts)), Response.submitted_at > since, Response.submitted_at <= until)
    if "company_survey" in kinds and COMPANY_READINESS.form_id():
        rows = db.session.execute(
            select(Response.cohort_id, Company.name, Link.event).join(Link, Link.id == Response.link_id)
            .outerjoin(Company, Company.id == Link.company_id)
            .where(*window, Response.form_id == COMPANY_READINESS.form_id()).order_by(Response.submitted_at))
        for cohort_id, company, event in rows:
            cohorts[cohort_id].companies.append(company or event or "–")
    if "hospitation_feedback" in kinds and HOSPITATION_FEEDBACK.form_id():
        for (cohort_id,) in db.session.execute(select(Response.cohort_id).where(
                *window, Response.form_id == HOSPITATION_FEEDBACK.form_id())):
            cohorts[cohort_id].feedbacks += 1
    if "mentor_red" in kinds and MENTOR_LOG.form_id():
        for (cohort_id,) in db.session.execute(
                select(Response.cohort_id).join(Answer, Answer.response_id == Response.id)
                .where(*window, Response.form_id == MENTOR_LOG.form_id(),
                       Answer.field_id == MENTOR_LOG.field("status"),
                       Answer.value_text.in_(MENTOR_LOG.values("status", "red")))):
            cohorts[cohort_id].red_logs += 1
    return [n for n in cohorts.values() if n.companies or n.feedbacks or n.red_logs]


def _url(endpoint: str, **values) -> str:
    """An absolute address under ``PUBLIC_URL``, built without a request (the worker has none)."""
    public = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(public.netloc, script_name=public.path.rstrip("/") or "/",
                                       url_scheme=public.scheme)
    return adapter.build(endpoint, values, force_external=True)


def _text(items: list[CohortNews], daily: bool) -> tuple[str, str]:
    lines = [_("Good day,"), "", _("what happened in your cohorts since the last digest:") if daily
             else _("news from your cohorts:"), ""]
    for item in items:
        lines.append(f"{item.cohort.title}:")
        if item.companies:
            lines.append("- " + ngettext("%(num)s company sent its readiness survey: %(names)s",
                                         "%(num)s companies sent their readiness survey: %(names)s",
                                         len(item.companies), names=", ".join(item.companies)))
        if item.feedbacks:
            lines.append("- " + ngettext("%(num)s hospitation feedback arrived",
                                         "%(num)s hospitation feedbacks arrived", item.feedbacks))
        if item.red_logs:
            lines.append("- " + ngettext("%(num)s mentor log marked red (dropout risk)",
                                         "%(num)s mentor logs marked red (dropout risk)", item.red_logs))
        lines += [_url("admin.cohort", slug=item.cohort.slug), ""]
    lines += [_("You chose these mails under Notifications: %(url)s", url=_url("notifications.settings")), ""]
    subject = _("pro:connect: your daily digest") if daily else _("pro:connect: news from your cohorts")
    return subject, "\n".join(lines)


def notify_due(now: datetime | None = None) -> int:
    """Tell each person who asked: at once (the worker looks every minute) or once a day after
    ``NOTIFY_DIGEST_HOUR`` (UTC). Commits. :return: how many mails were written"""
    # Answers stored in the last seconds may still be in their transaction: they are told next time.
    now = (now or utcnow()) - timedelta(seconds=5)
    if not enabled():
        return 0
    hour = int(current_app.config["NOTIFY_DIGEST_HOUR"])
    written = 0
    for setting in db.session.scalars(select(NotificationSetting).where(
            NotificationSetting.mode.in_((IMMEDIATE, DAILY)))).all():
        daily = setting.mode == DAILY
        if daily and (now.hour < hour or setting.digest_on == now.date()):
            continue
        user = db.session.get(User, setting.account_id)
        if user is None or not user.active or not user.email:
            continue
        # A daily digest covers at most the last two days, whatever was missed before (a worker down for long).
        since = max(setting.told_until, now - timedelta(days=2)) if daily else setting.told_until
        items = news(user, setting.events, since, now)
        if items:
            with force_locale(setting.language):
                subject, body = _text(items, daily)
            queue_mail(user.email, subject, body, KIND)
            written += 1
        setting.told_until = now
        if daily:
            setting.digest_on = now.date()
    db.session.commit()
    return written
