"""The coordinators' page of the company survey in a cohort: send it, see who opened, saved or sent, remind."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange

from ..access import allow
from ..accounts.scope import cohort_or_404
from ..audit import record
from ..companies.models import Company
from ..companies.places import municipalities
from ..definitions.roles import COMPANY_READINESS
from ..extensions import db
from ..forms_util import choices
from ..i18n import LANGUAGES
from ..outbox import STATE_LABELS as MAIL_LABELS, enabled
from ..responses.models import Response
from . import survey
from .models import CompanyInvitation

bp = Blueprint("outreach", __name__, url_prefix="/staff/cohorts/<slug>/company-survey", template_folder="templates")

STATE_LABELS = {"not_invited": _l("not asked yet"), "invited": _l("asked, not opened"), "opened": _l("opened"),
                "saved": _l("saved half-way"), "sent": _l("answered")}


class SendForm(FlaskForm):
    language = SelectField(_l("Language of the link and the mails"), default="de")
    remind_after_days = IntegerField(_l("Remind automatically after … days without an answer (0: only by hand)"),
                                     default=7, validators=[InputRequired(), NumberRange(min=0, max=90)])


def _send_form() -> SendForm:
    form = SendForm()
    form.language.choices = choices((code, LANGUAGES[code]) for code in survey.MAIL_LANGUAGES)
    return form


def _page(cohort, form, status=200):
    rows = survey.overview(cohort)
    counts = {state: sum(1 for r in rows if r.state == state) for state in STATE_LABELS}
    return render_template("outreach/survey.html", cohort=cohort, rows=rows, form=form, counts=counts,
                           state_labels=STATE_LABELS, mail_labels=MAIL_LABELS, mail_enabled=enabled(), languages=LANGUAGES,
                           form_id=COMPANY_READINESS.form_id(), places=dict(municipalities())), status


@bp.route("", methods=["GET", "POST"])
@allow("coordinator")
def index(slug: str):
    """The overview; POST sends the survey to the ticked companies."""
    cohort = cohort_or_404(slug)
    if COMPANY_READINESS.form_id() is None:
        abort(404)
    form = _send_form()
    if request.method == "GET":
        return _page(cohort, form)
    if not form.validate_on_submit():
        return _page(cohort, form, 400)
    ids = [int(i) for i in request.form.getlist("company") if i.isdigit()]
    companies = db.session.scalars(select(Company).where(Company.id.in_(ids), Company.retired_at.is_(None))
                                   .order_by(Company.name)).all() if ids else []
    if not companies:
        flash(_("Tick the companies the survey should go to."), "error")
        return _page(cohort, form, 400)
    made = survey.invite(cohort, companies, form.language.data, form.remind_after_days.data, current_user)
    if made:
        record("company_survey_sent", f"cohort {cohort.slug}", companies=[i.company.name for i in made],
               language=form.language.data, remind_after_days=form.remind_after_days.data)
    db.session.commit()
    mailed = sum(1 for i in made if i.last_mailed_at is not None)
    flash(_("Personal links made: %(made)s; by e-mail: %(mailed)s. Links without an e-mail are shown below to "
            "copy.", made=len(made), mailed=mailed) if made else
          _("These companies have their link already: remind them instead."), "ok" if made else "error")
    return redirect(url_for(".index", slug=slug), 303)


@bp.route("/<id:invitation_id>/remind", methods=["POST"])
@allow("coordinator")
def remind(slug: str, invitation_id: int):
    """Remind one company now; refused with a clear message when it has sent or cannot be mailed."""
    cohort = cohort_or_404(slug)
    invitation = db.session.scalar(select(CompanyInvitation).where(CompanyInvitation.id == invitation_id,
                                                                   CompanyInvitation.cohort_id == cohort.id))
    if invitation is None:
        abort(404)
    name = invitation.company.name
    try:
        mail = survey.remind(invitation)
    except survey.AlreadySent:
        flash(_("%(company)s has already sent the survey: no reminder was sent.", company=name), "error")
        return redirect(url_for(".index", slug=slug), 303)
    if mail is None:
        flash(_("No e-mail can be sent to %(company)s (no mail server or no address): copy its link below and "
                "send it yourself.", company=name), "error")
        return redirect(url_for(".index", slug=slug), 303)
    record("company_survey_reminded", f"cohort {cohort.slug}", company=name)
    db.session.commit()
    flash(_("A reminder to %(company)s is on its way.", company=name), "ok")
    return redirect(url_for(".index", slug=slug), 303)


def section(cohort) -> dict:
    """Figures for the cohort page's block: companies asked and companies that sent."""
    asked = db.session.scalar(select(func.count()).select_from(CompanyInvitation)
                              .where(CompanyInvitation.cohort_id == cohort.id))
    sent = db.session.scalar(select(func.count(func.distinct(Response.link_id))).where(
        Response.link_id.in_(select(CompanyInvitation.link_id).where(CompanyInvitation.cohort_id == cohort.id))))
    return {"asked": asked, "sent": sent}
