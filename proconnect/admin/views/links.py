"""The coordinators' side of distribution: a cohort's links (create, revoke, QR, poster) and its cards.

Staff pages sit above every feature, so these live with the other staff pages; the section's template
and forms belong to distribution."""
from __future__ import annotations

import secrets

from flask import Response as HttpResponse, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import func, select

from ...access import allow
from ...accounts.scope import cohort_or_404
from ...audit import record
from ...cohorts.models import Cohort
from ...cohorts.sections import cohort_section, sections_for
from ...definitions import forms_registry
from ...distribution import qr
from ...distribution.forms import CardsForm, new_link_form
from ...distribution.documents import cards_document, poster_document
from ...extensions import db
from ...jobs import serve
from ...links.models import Kiosk, Link
from ...links.participants import issue_codes
from ...links.urls import link_url
from ...models_util import utcnow
from ...responses.models import WITH_TESTS, Response
from ...responses.storage import test_responses
from ..figures import cohort_figures


def _link_rows(cohort: Cohort) -> list:
    """The cohort's links with their number of responses (a test link's are its test answers), newest first."""
    counts = (select(Response.link_id, func.count(Response.id).label("n"))
              .where(Response.cohort_id == cohort.id).group_by(Response.link_id).subquery())
    return db.session.execute(select(Link, func.coalesce(counts.c.n, 0))
                              .outerjoin(counts, counts.c.link_id == Link.id)
                              .where(Link.cohort_id == cohort.id)
                              .order_by(Link.created_at.desc(), Link.id.desc()),
                              execution_options=WITH_TESTS).all()


def _section(cohort, link_form=None, cards_form=None) -> dict:
    rows = _link_rows(cohort)
    kiosks = db.session.scalars(select(Kiosk).where(Kiosk.link_id.in_([link.id for link, _n in rows]))
                                .order_by(Kiosk.last_seen_at.desc())).all() if rows else []
    now = utcnow()
    return {"links": [(link, count, link.state(now, count), [k for k in kiosks if k.link_id == link.id])
                      for link, count in rows],
            "new_link": link_form or new_link_form(), "cards_form": cards_form or CardsForm(),
            "link_url": link_url,
            "test_answers": db.session.scalar(select(func.count()).select_from(
                test_responses(cohort.id).order_by(None).subquery()), execution_options=WITH_TESTS)}


def register_section(state) -> None:
    """Show the links section on every cohort page."""
    cohort_section("links", "distribution/_cohort_links.html", order=20, context=_section)


def _cohort_page(cohort, status: int, **forms):
    sections = [(t, _section(cohort, **forms) if t == "distribution/_cohort_links.html" else ctx)
                for t, ctx in sections_for(cohort)]
    return render_template("admin/cohort.html", cohort=cohort, figures=cohort_figures([cohort.id])[cohort.id],
                           sections=sections, registry=forms_registry(current_app)), status


def _own_link(link_id: int) -> Link:
    """The link, when the signed-in person may see its cohort. :raise 404: otherwise"""
    link = db.session.get(Link, link_id)
    if link is None:
        abort(404)
    cohort_or_404(link.cohort.slug)
    return link


@allow("coordinator")
def link_create(slug: str):
    """Create a link with its kiosk mode, PIN, dates and limit; a new kiosk PIN is shown once."""
    cohort = cohort_or_404(slug)
    form = new_link_form()
    if form.validate_on_submit():
        form_id, _sep, number = form.version.data.partition(":")
        version = int(number) if form.version.data else None
        if version is not None and form_id != form.form_id.data:
            form.version.errors.append(_("This version belongs to another form."))
        elif (definition := forms_registry(current_app).get(form.form_id.data, version)) is not None \
                and definition.draft and not form.test.data:
            form.version.errors.append(_("A draft is rehearsed on test links only; publish it for real answers."))
        elif definition is not None:
            link = Link(form_id=form.form_id.data, version=version, cohort_id=cohort.id,
                        language=form.language.data, event=form.event.data.strip(), kiosk=form.kiosk.data,
                        opens_at=form.opens.data, closes_at=form.closes.data,
                        max_responses=1 if form.single.data else form.max_responses.data, test=form.test.data)
            pin = None
            if link.kiosk:
                pin = form.pin.data or f"{secrets.randbelow(10 ** 6):06d}"
                link.set_pin(pin)
            db.session.add(link)
            db.session.flush()
            record("link_created", f"link {link.id} of cohort {cohort.slug}", form=link.form_id, version=version,
                   language=link.language, event=link.event, kiosk=link.kiosk, test=link.test)
            db.session.commit()
            flash(_("The link was created.") + (" " + _("Kiosk PIN (shown only now): %(pin)s", pin=pin)
                                                  if pin and not form.pin.data else ""), "ok")
            return redirect(url_for("admin.cohort", slug=cohort.slug, _anchor="links"))
    return _cohort_page(cohort, 400, link_form=form)


@allow("coordinator")
def link_revoke(link_id: int):
    """Switch a link off for good: its QR code then leads to a "switched off" page."""
    link = _own_link(link_id)
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        record("link_revoked", f"link {link.id} of cohort {link.cohort.slug}", form=link.form_id, event=link.event)
        db.session.commit()
        flash(_l("The link was switched off."), "ok")
    return redirect(url_for("admin.cohort", slug=link.cohort.slug, _anchor="links"))


def _download(data: bytes, mimetype: str, name: str) -> HttpResponse:
    return HttpResponse(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@allow("coordinator")
def link_qr(link_id: int, kind: str):
    """The link's QR code as PNG or SVG."""
    link = _own_link(link_id)
    url = link_url(link)
    if kind == "png":
        return _download(qr.png(url), "image/png", f"qr-{link.form_id}-{link.id}.png")
    return _download(qr.svg(url), "image/svg+xml", f"qr-{link.form_id}-{link.id}.svg")


@allow("coordinator")
def link_poster(link_id: int):
    """The link's A4 poster (PDF): kept, or made by the worker meanwhile."""
    link = _own_link(link_id)
    return serve(poster_document(link), link.cohort)


@allow("coordinator")
def cohort_cards(slug: str):
    """New participant codes for the cohort, as a printable sheet of cards (PDF)."""
    cohort = cohort_or_404(slug)
    form = CardsForm()
    if not form.validate_on_submit():
        return _cohort_page(cohort, 400, cards_form=form)
    codes = issue_codes(cohort, form.count.data)
    return serve(cards_document(cohort, codes), cohort)
