"""Staff pages of the company records: list, create, edit (or mark as left), make one from a readiness survey
response, and match free-text company names in answers to records. Every change is in the audit log."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..access import allow
from ..accounts.scope import visible_cohorts
from ..audit import record
from ..cohorts.models import Cohort
from ..extensions import db
from ..forms_util import EMAIL, CheckboxList, choices
from ..links.models import Link
from ..models_util import utcnow
from ..responses.models import Response
from . import names as naming, places, survey
from .models import Company, CompanyAlias, name_key


class CompanyForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    municipality = SelectField(_l("Place (Gemeinde)"), description=_l(
        "Where people would work: the same list as participants' homes, so matching knows the travel time."))
    trades = CheckboxList(_l("Trades"))
    contact_role = StringField(_l("Contact (a role, not a name)"), validators=[Length(max=200)],
                               description=_l("e.g. owner, head of training. Names of people are not recorded."))
    contact_email = StringField(_l("E-mail address the company gave for the project (optional)"),
                                validators=[Optional(), Length(max=254), EMAIL])
    retired = BooleanField(_l("Has left the project (no longer offered in forms; old answers keep its name)"))


def _form(company: Company | None) -> CompanyForm:
    form = CompanyForm(obj=company)
    listed = places.municipalities()
    # A value a newer check no longer lists stays on the record until someone chooses another.
    kept = [(v, v) for v in [company.municipality if company else None] if v and v not in dict(listed)]
    form.municipality.choices = choices([("", _("– not chosen yet –"))] + listed + kept)
    known = survey.trade_choices()
    offered = {value for value, _label in known}
    # A trade a newer survey no longer offers stays on the record until someone unticks it.
    extra = [(t, t) for t in (company.trades if company else []) if t not in offered]
    form.trades.choices = choices(known + extra)
    if request.method == "GET" and company is not None:
        form.retired.data = company.retired_at is not None
    return form


def _save(form: CompanyForm, company: Company) -> None:
    company.name = form.name.data.strip()
    company.name_key = name_key(company.name)
    if form.municipality.data:
        # The typed place a record kept "not on the list" is replaced by the Gemeinde chosen for it.
        company.municipality, company.place = form.municipality.data, ""
    else:
        company.municipality = None
    company.trades = list(form.trades.data or [])
    company.contact_role = (form.contact_role.data or "").strip()
    company.contact_email = (form.contact_email.data or "").strip()
    if form.retired.data and company.retired_at is None:
        company.retired_at = utcnow()
    elif not form.retired.data:
        company.retired_at = None


def _cohort_ids() -> list[int]:
    return list(db.session.scalars(visible_cohorts().with_only_columns(Cohort.id)))


def _audited(company: Company) -> dict:
    return {"name": company.name, "municipality": company.municipality, "place": company.place,
            "retired": company.retired_at is not None}


@allow("coordinator")
def index():
    """Every company record (project-wide), with how many personal links each has."""
    links = dict(db.session.execute(select(Link.company_id, func.count(Link.id))
                                    .where(Link.company_id.is_not(None)).group_by(Link.company_id)).all())
    companies = db.session.scalars(select(Company).order_by(Company.retired_at.is_not(None), Company.name)).all()
    labels = dict(survey.trade_choices())
    return render_template("companies/index.html", companies=companies, links=links, labels=labels,
                           places=dict(places.municipalities()),
                           unlisted=sum(1 for c in companies if not c.municipality and c.retired_at is None),
                           waiting=len(survey.responses_without_record(_cohort_ids())),
                           unmatched=len(naming.proposals(_cohort_ids())))


@allow("coordinator")
def create():
    form = _form(None)
    if form.validate_on_submit():
        company = Company()
        _save(form, company)
        db.session.add(company)
        db.session.flush()
        record("company_created", f"company {company.id}", name=company.name)
        db.session.commit()
        flash(_("Company record created."), "success")
        return redirect(url_for(".index"))
    return render_template("companies/form.html", form=form, company=None)


@allow("coordinator")
def edit(company_id: int):
    company = db.session.get(Company, company_id) or abort(404)
    form = _form(company)
    # A record without a Gemeinde takes the one the company named in its survey, once a coordinator saves it.
    answered = survey.gemeinde_answered(company.id) if request.method == "GET" and not company.municipality else None
    if answered:
        form.municipality.data = answered
    if form.validate_on_submit():
        before = _audited(company)
        _save(form, company)
        record("company_changed", f"company {company.id}", before=before, after=_audited(company))
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(".index"))
    return render_template("companies/form.html", form=form, company=company, answered=answered)


@allow("coordinator")
def from_survey():
    """Readiness survey responses (of the person's cohorts) that no record was made from yet."""
    responses = survey.responses_without_record(_cohort_ids())
    return render_template("companies/from_survey.html", rows=[(r, survey.record_from(r)) for r in responses],
                           labels=dict(survey.trade_choices()), places=dict(places.municipalities()))


@allow("coordinator")
def create_from_survey(response_id: int):
    """Make a record from one response, then open it for checking."""
    response = db.session.scalar(select(Response).where(
        Response.id == response_id, Response.cohort_id.in_(_cohort_ids())))
    if response is None or response not in survey.responses_without_record([response.cohort_id]):
        abort(404)
    company = survey.record_from(response)
    if not company.name:
        flash(_("This response gives no company name: please create the record by hand."), "error")
        return redirect(url_for(".from_survey"))
    db.session.add(company)
    db.session.flush()
    record("company_created", f"company {company.id}", name=company.name, response=response.id)
    db.session.commit()
    flash(_("Company record created from the survey. Please check it."), "success")
    return redirect(url_for(".edit", company_id=company.id))


class NamesForm(FlaskForm):
    name = StringField(validators=[DataRequired(), Length(max=200)])
    company = SelectField(_l("Company record"), coerce=int)


@allow("coordinator")
def names():
    """Company names typed as free text, each with the record it most likely means; a coordinator confirms."""
    listed = dict(places.municipalities())
    records = [(cid, name, places.describe(municipality, place, listed)) for cid, name, municipality, place
               in db.session.execute(select(Company.id, Company.name, Company.municipality, Company.place)
                                     .where(Company.retired_at.is_(None)).order_by(Company.name))]
    form = NamesForm()
    form.company.choices = choices([(cid, f"{name} ({place})" if place else name) for cid, name, place in records])
    if request.method == "POST":
        if not form.validate():
            flash(_("Please choose a company record."), "error")
            return redirect(url_for(".names"))
        company = db.session.get(Company, form.company.data) or abort(404)
        alias = naming.confirm(form.name.data, company, current_user.id)
        record("company_name_matched", f"company {company.id}", name=alias.name)
        db.session.commit()
        flash(_("“%(name)s” now counts as %(company)s.", name=alias.name, company=company.name), "success")
        return redirect(url_for(".names"))
    confirmed = db.session.execute(select(CompanyAlias, Company.name).join(Company)
                                   .order_by(Company.name, CompanyAlias.name)).all()
    return render_template("companies/names.html", proposals=naming.proposals(_cohort_ids()), form=form,
                           records=records, confirmed=confirmed)
