"""Coordinators' report pages: choose filters, read the report as a web page, download PDF, CSV, XLSX."""
from __future__ import annotations

import tempfile
from datetime import date

from flask import Response as HttpResponse, abort, current_app, render_template, request, send_file, \
    stream_with_context, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..access import allow
from ..accounts.scope import cohort_or_404, visible_cohorts
from ..audit import record
from ..cohorts.models import Cohort
from ..definitions import forms_registry
from ..definitions.roles import COMPETENCE_CHECK
from ..links.models import Link
from ..errors import refuse
from ..extensions import db
from ..i18n import LANGUAGES
from ..jobs import serve
from ..responses.models import Response
from .aggregation import Filters, responses_by_version
from .builder import build_cohort_report, ordered_form_ids
from .exports import csv_chunks, write_xlsx
from .params import BadParameter, parse_filters, parse_options
from .documents import profile_document, report_document
from .profile import has_profile
from .render import report_body, template_context

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _read(cohort: Cohort):
    """Filters and options from the query string. :raise 400: with the reason, for a bad parameter"""
    try:
        return parse_filters(request.args, cohort.id, forms_registry(current_app)), parse_options(request.args)
    except BadParameter as exc:
        refuse(400, str(exc))


def _report(cohort: Cohort):
    """The report model for the request's filters and options, and the options."""
    filters, options = _read(cohort)
    return build_cohort_report(forms_registry(current_app), cohort, filters, language=options.language,
                               funder=options.funder, min_cell=options.min_cell,
                               text_limit=options.text_limit), options


def _download_name(cohort: Cohort, kind: str, ext: str) -> str:
    return f"{cohort.slug}-{kind}-{date.today().isoformat()}.{ext}"


def _choices(cohort: Cohort) -> dict:
    """What the filter form offers: the cohort's instruments, links and languages."""
    registry = forms_registry(current_app)
    counts = responses_by_version(Filters(cohort.id))
    # A test link has no answer a report counts: it is no filter either.
    links = db.session.scalars(select(Link).where(Link.cohort_id == cohort.id, Link.test.is_(False))
                               .order_by(Link.created_at)).all()
    used = db.session.scalars(select(Response.language).where(Response.cohort_id == cohort.id).distinct()).all()
    return {"instruments": [(f, registry.get(f).title) for f in ordered_form_ids(counts) if registry.get(f)],
            "links": [(link.id, link.event or link.form_id, link.form_id) for link in links],
            "languages": [(code, LANGUAGES[code]) for code in LANGUAGES if code in used]}


@allow("coordinator")
def index():
    """The cohorts one may report on."""
    cohorts = db.session.scalars(visible_cohorts().order_by(Cohort.created_at.desc())).all()
    return render_template("reports/index.html", cohorts=cohorts)


@allow("coordinator")
def cohort(slug: str):
    """The report as a web page (the same template as the PDF), with the filters and the downloads."""
    cohort = cohort_or_404(slug)
    report, options = _report(cohort)
    args = request.args.to_dict()
    return render_template("reports/cohort.html", report=report, cohort=cohort, args=args, options=options,
                           choices=_choices(cohort), urls=report_urls(cohort, args), body=report_body(report))


@allow("coordinator")
def cohort_pdf_view(slug: str):
    """The report as a PDF, with the page's filters and options: kept, or made by the worker meanwhile."""
    cohort = cohort_or_404(slug)
    _filters, options = _read(cohort)
    kind = "funder-report" if options.funder else "report"
    return serve(report_document(cohort, request.args, options.funder, _download_name(cohort, kind, "pdf")), cohort)


@allow("coordinator")
def export_csv(slug: str):
    """One instrument's responses as CSV (UTF-8 with BOM), streamed."""
    cohort = cohort_or_404(slug)
    filters, _options = _read(cohort)
    if not filters.form_id:
        refuse(400, _("A CSV file holds one instrument: please choose an instrument first."))
    registry = forms_registry(current_app)
    record("export", f"responses of cohort {cohort.slug}", commit=True, format="csv", form=filters.form_id)
    name = _download_name(cohort, filters.form_id, "csv")
    return HttpResponse(stream_with_context(csv_chunks(registry, filters, filters.form_id)),
                        mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


@allow("coordinator")
def export_xlsx(slug: str):
    """The responses as XLSX: one sheet per instrument (or the chosen one) and a codebook."""
    cohort = cohort_or_404(slug)
    filters, _options = _read(cohort)
    registry = forms_registry(current_app)
    form_ids = [filters.form_id] if filters.form_id else [
        f for f in ordered_form_ids(responses_by_version(filters)) if registry.get(f)]
    # openpyxl's streaming writer needs a file; a temporary one keeps memory flat for large cohorts.
    out = tempfile.TemporaryFile()
    write_xlsx(registry, filters, form_ids, out)
    out.seek(0)
    record("export", f"responses of cohort {cohort.slug}", commit=True, format="xlsx", forms=form_ids)
    return send_file(out, mimetype=XLSX, as_attachment=True,
                     download_name=_download_name(cohort, filters.form_id or "responses", "xlsx"))


@allow("coordinator")
def participants(slug: str):
    """Participant codes with a competence check in the cohort, each with its profile sheet."""
    cohort = cohort_or_404(slug)
    rows = db.session.execute(
        select(Response.participant_code, func.count(), func.max(Response.submitted_at))
        .where(Response.cohort_id == cohort.id, Response.form_id == COMPETENCE_CHECK.form_id(),
               Response.participant_code.is_not(None))
        .group_by(Response.participant_code).order_by(Response.participant_code)).all()
    return render_template("reports/participants.html", cohort=cohort, rows=rows,
                           **template_context("de", pdf=False))


@allow("coordinator")
def profile(slug: str, code: str):
    """A participant's profile sheet as PDF (German, for companies): kept, or made by the worker meanwhile."""
    cohort = cohort_or_404(slug)
    if not has_profile(code, cohort.id):
        abort(404)
    return serve(profile_document(cohort, code), cohort)


def report_urls(cohort: Cohort, args: dict) -> dict:
    """The page's downloads with its current filters."""
    args = {k: v for k, v in args.items() if v not in ("", None)}
    return {"pdf": url_for("reports.cohort_pdf", slug=cohort.slug, **args),
            "csv": url_for("reports.export_csv", slug=cohort.slug, **args) if args.get("form") else None,
            "xlsx": url_for("reports.export_xlsx", slug=cohort.slug, **args)}

