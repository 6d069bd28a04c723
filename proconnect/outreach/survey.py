"""Sending the readiness survey to a cohort's companies: one personal link each, mailed through the outbox, an
overview of who opened, saved half-way or sent, and reminders (by hand, or after N days by the worker), never
to a company that has sent.

Without a mail server nothing is mailed: the links are made all the same and shown to copy.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale, gettext as _
from sqlalchemy import func, select

from ..companies.models import Company
from ..definitions.roles import COMPANY_READINESS
from ..extensions import db
from ..links.models import Link
from ..links.urls import link_url
from ..models_util import utcnow
from ..outbox import OutboxMail, enabled, queue_mail, still_wanted
from ..responses.models import Response, ResponseDraft
from .models import CompanyInvitation

#: The languages a company is written to in (the link's language; its mails follow it).
MAIL_LANGUAGES = ("de", "en")
INVITE, REMIND = "survey_invite", "survey_reminder"


class AlreadySent(Exception):
    """The company has sent its survey: it is not reminded."""


@dataclass
class Row:
    """One company of the overview: its invitation (None: not asked yet) and how far it got."""

    company: Company
    invitation: CompanyInvitation | None
    #: ``not_invited``, ``invited``, ``opened``, ``saved``, ``sent``
    state: str
    #: The state of its last mail in the outbox (None: never mailed).
    mail: str | None
    url: str | None


def invite(cohort, companies: list[Company], language: str, remind_after_days: int, actor) -> list[CompanyInvitation]:
    """A personal link (one answer only) for each company not yet asked in the cohort, mailed when a mail
    server is configured and the company gave an address. Commits nothing."""
    asked = set(db.session.scalars(select(CompanyInvitation.company_id).where(
        CompanyInvitation.cohort_id == cohort.id)))
    made = []
    for company in companies:
        if company.id in asked:
            continue
        link = Link(form_id=COMPANY_READINESS.form_id(), cohort_id=cohort.id, language=language,
                    event=company.name[:200], max_responses=1, company_id=company.id)
        db.session.add(link)
        db.session.flush()
        invitation = CompanyInvitation(cohort_id=cohort.id, company=company, link=link, language=language,
                                       remind_after_days=remind_after_days,
                                       created_by_id=actor.id if actor is not None else None)
        db.session.add(invitation)
        db.session.flush()
        _mail(invitation, INVITE)
        made.append(invitation)
    return made


def remind(invitation: CompanyInvitation) -> OutboxMail | None:
    """Write a reminder into the outbox. Commits nothing.

    :return: the mail, or None when nothing could be mailed (no mail server, no address)
    :raise AlreadySent: when the company has sent its survey
    """
    if _answered(invitation.link_id):
        raise AlreadySent()
    mail = _mail(invitation, REMIND)
    if mail is not None:
        invitation.reminders += 1
    return mail


def _mail(invitation: CompanyInvitation, kind: str) -> OutboxMail | None:
    company = invitation.company
    if not enabled() or not company.contact_email:
        return None
    saved = kind == REMIND and db.session.scalar(select(ResponseDraft.id).where(
        ResponseDraft.link_id == invitation.link_id)) is not None
    with force_locale(invitation.language):
        subject, body = (_invitation_text if kind == INVITE else _reminder_text)(company, link_url(invitation.link),
                                                                                saved)
    mail = queue_mail(company.contact_email, subject, body, kind, ref=invitation.ref, cohort_id=invitation.cohort_id)
    invitation.last_mailed_at = utcnow()
    return mail


def _invitation_text(company: Company, url: str, saved: bool) -> tuple[str, str]:
    return _("pro:connect: how ready is your company to train refugees?"), "\n".join([
        _("Good day,"), "",
        _("pro:connect brings refugees and companies of the region together for apprenticeships and jobs. We would "
          "like to know how ready %(company)s is to train or employ refugees, and what you would need for it. The "
          "survey takes about 10 minutes.", company=company.name), "",
        _("Your company's personal link (please do not pass it on):"), url, "",
        _("You can save your answers half-way and go on later with the same link."), "",
        _("Many thanks and kind regards,"), _("The pro:connect team"), ""])


def _reminder_text(company: Company, url: str, saved: bool) -> tuple[str, str]:
    return _("Reminder: the pro:connect company survey"), "\n".join([
        _("Good day,"), "",
        _("a few days ago we asked %(company)s to answer the pro:connect company survey. If you have not found the "
          "time yet: it takes about 10 minutes.", company=company.name), "",
        _("Your company's personal link (please do not pass it on):"), url, "",
        *([_("Your answers saved so far are kept: the link goes on where you stopped."), ""] if saved else []),
        _("If you have sent the survey in the meantime, please ignore this mail."), "",
        _("Many thanks and kind regards,"), _("The pro:connect team"), ""])


def _answered(link_id: int) -> bool:
    return db.session.scalar(select(Response.id).where(Response.link_id == link_id).limit(1)) is not None


def _invitation_of(mail: OutboxMail) -> CompanyInvitation | None:
    prefix, _sep, number = (mail.ref or "").partition(":")
    return db.session.get(CompanyInvitation, int(number)) if prefix == "invitation" and number.isdigit() else None


@still_wanted(INVITE)
@still_wanted(REMIND)
def _still_wanted(mail: OutboxMail) -> bool:
    """A mail about the survey goes only while the company has not sent it and its link still works."""
    invitation = _invitation_of(mail)
    return invitation is not None and invitation.link.revoked_at is None and not _answered(invitation.link_id)


def overview(cohort) -> list[Row]:
    """Every company (those asked first, then the others by name) with how far it got in this cohort."""
    invitations = {i.company_id: i for i in db.session.scalars(
        select(CompanyInvitation).where(CompanyInvitation.cohort_id == cohort.id))}
    link_ids = [i.link_id for i in invitations.values()]
    sent = set(db.session.scalars(select(Response.link_id).where(Response.link_id.in_(link_ids)))) if link_ids else set()
    saved = set(db.session.scalars(select(ResponseDraft.link_id).where(ResponseDraft.link_id.in_(link_ids)))) \
        if link_ids else set()
    refs = [i.ref for i in invitations.values()]
    last = {}
    if refs:
        newest = (select(OutboxMail.ref, func.max(OutboxMail.id).label("id")).where(OutboxMail.ref.in_(refs))
                  .group_by(OutboxMail.ref).subquery())
        last = dict(db.session.execute(select(OutboxMail.ref, OutboxMail.status)
                                       .join(newest, newest.c.id == OutboxMail.id)).all())
    companies = db.session.scalars(select(Company).where(
        (Company.retired_at.is_(None)) | Company.id.in_(list(invitations)))).all()
    rows = []
    for company in companies:
        invitation = invitations.get(company.id)
        if invitation is None:
            rows.append(Row(company, None, "not_invited", None, None))
            continue
        state = ("sent" if invitation.link_id in sent else "saved" if invitation.link_id in saved
                 else "opened" if invitation.link.opened_at is not None else "invited")
        rows.append(Row(company, invitation, state, last.get(invitation.ref), link_url(invitation.link)))
    rows.sort(key=lambda r: (r.invitation is None, r.company.name.casefold()))
    return rows


def remind_due() -> int:
    """Automatic reminders: every invitation whose company has not sent, ``remind_after_days`` after the last
    mail, at most ``SURVEY_MAX_REMINDERS`` times (the worker calls this every minute). Commits.

    :return: how many reminders were written
    """
    if not enabled():
        return 0
    now = utcnow()
    waiting = db.session.scalars(select(CompanyInvitation).where(
        CompanyInvitation.remind_after_days > 0, CompanyInvitation.last_mailed_at.is_not(None),
        CompanyInvitation.reminders < int(current_app.config["SURVEY_MAX_REMINDERS"]))).all()
    count = 0
    for invitation in waiting:
        if invitation.last_mailed_at + timedelta(days=invitation.remind_after_days) > now:
            continue
        if invitation.link.revoked_at is not None:
            continue
        try:
            if remind(invitation) is not None:
                count += 1
        except AlreadySent:
            continue
    db.session.commit()
    return count
