"""Overview, cohorts with their key figures, and a cohort's page with its sections (links, reports, ...)."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import or_, select

from ...access import allow, staff
from ...accounts.models import CohortMember
from ...accounts.scope import cohort_or_404, visible_cohorts
from ...audit import record
from ...cohorts.models import Cohort
from ...cohorts.sections import sections_for
from ...cohorts.slugs import reserved
from ...definitions import forms_registry
from ...extensions import db
from ..figures import cohort_figures
from ..forms import CohortEditForm, CohortForm
from ..tables import Sorting, paginate


@staff
def home():
    """Start page after signing in: coordinators see their cohorts, trainers and mentors their own pages."""
    if current_user.role == "trainer":
        return redirect(url_for(".sessions"))
    if current_user.role == "mentor":
        return redirect(url_for(".apprentices"))
    cohorts = db.session.scalars(visible_cohorts().order_by(Cohort.created_at.desc()).limit(12)).all()
    figures = cohort_figures([c.id for c in cohorts])
    return render_template("admin/home.html", cohorts=cohorts, figures=figures)


@allow("coordinator")
def cohorts():
    """All cohorts one may see, sorted and filtered on the server."""
    sorting = Sorting.from_request({"slug": Cohort.slug, "title": Cohort.title, "created": Cohort.created_at},
                                   default="created", descending=True)
    query = visible_cohorts()
    q = request.args.get("q", "").strip()[:64]
    if q:
        query = query.where(or_(Cohort.slug.contains(q.lower()), Cohort.title.ilike(f"%{q}%")))
    page = paginate(query.order_by(sorting.clause(), Cohort.id), scalars=True)
    figures = cohort_figures([c.id for c in page.items])
    return render_template("admin/cohorts.html", page=page, figures=figures, sorting=sorting, q=q)


@allow("coordinator")
def cohort_new():
    form = CohortForm()
    if form.validate_on_submit():
        if reserved(form.slug.data) or db.session.scalar(select(Cohort.id).filter_by(slug=form.slug.data)):
            form.slug.errors.append(_("This short name is taken. Please choose another."))
        else:
            cohort = Cohort(slug=form.slug.data, title=form.title.data.strip(),
                            retention_months=form.retention_months.data)
            db.session.add(cohort)
            db.session.flush()
            if current_user.role != "admin":
                db.session.add(CohortMember(account_id=current_user.id, cohort_id=cohort.id))
            record("cohort_created", f"cohort {cohort.slug}", retention_months=cohort.retention_months)
            db.session.commit()
            flash(_l("The cohort %(title)s was created.", title=cohort.title), "ok")
            return redirect(url_for(".cohort", slug=cohort.slug))
    return render_template("admin/cohort_form.html", form=form, cohort=None), 400 if form.errors else 200


@allow("coordinator")
def cohort_edit(slug: str):
    cohort = cohort_or_404(slug)
    form = CohortEditForm(obj=cohort)
    if form.validate_on_submit():
        changes = {}
        for name in ("title", "retention_months"):
            new = form[name].data.strip() if name == "title" else form[name].data
            if getattr(cohort, name) != new:
                changes[name] = [getattr(cohort, name), new]
                setattr(cohort, name, new)
        if changes:
            record("cohort_changed", f"cohort {cohort.slug}", **changes)
        db.session.commit()
        flash(_l("Saved."), "ok")
        return redirect(url_for(".cohort", slug=cohort.slug))
    return render_template("admin/cohort_form.html", form=form, cohort=cohort), 400 if form.errors else 200


@allow("coordinator")
def cohort(slug: str):
    """A cohort's page: key figures, responses per instrument, then the sections (links, ...)."""
    cohort = cohort_or_404(slug)
    figures = cohort_figures([cohort.id])[cohort.id]
    return render_template("admin/cohort.html", cohort=cohort, figures=figures, sections=sections_for(cohort),
                           registry=forms_registry(current_app))
