"""``proconnect report``, ``profile``, ``export`` and ``demo``: the report features on the command line."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from ..clisupport import requires_db
from ..cohorts import slugs
from ..cohorts.models import Cohort
from ..definitions import forms_registry
from ..extensions import db
from ..links import codes
from .aggregation import Filters, responses_by_version
from .builder import build_cohort_report, ordered_form_ids
from .demo import fill_demo
from .exports import csv_chunks, write_xlsx
from .profile import NoProfile, build_profile
from .render import cohort_pdf, profile_pdf, render_standalone


def _cohort(slug: str):
    cohort = db.session.scalar(select(Cohort).filter_by(slug=slug))
    if cohort is None:
        raise click.BadParameter(f"no cohort '{slug}' (see 'proconnect cohorts create')", param_hint="--cohort")
    return cohort


def _registry():
    return forms_registry(current_app)


def _form(form_id: str | None) -> str | None:
    if form_id and _registry().get(form_id) is None:
        known = ", ".join(_registry().instruments)
        raise click.BadParameter(f"no instrument '{form_id}'; known: {known}", param_hint="--form")
    return form_id


def _write(out: Path, data: bytes) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)


@click.command("report")
@click.option("--cohort", "slug", required=True, help="Cohort slug.")
@click.option("--lang", "language", type=click.Choice(["de", "en"]), default="de", show_default=True,
              help="Report language.")
@click.option("--funder", is_flag=True, help="For funders: suppress small cells, leave out free texts.")
@click.option("--min-cell", type=click.IntRange(2, 50), default=5, show_default=True,
              help="Smallest count a funder report shows.")
@click.option("--texts", "text_limit", type=click.IntRange(0, 1000), default=50, show_default=True,
              help="Free-text answers printed per question (newest first).")
@click.option("--form", "form_id", help="Only this instrument.")
@click.option("--from", "since", type=click.DateTime(["%Y-%m-%d"]), help="First day (YYYY-MM-DD).")
@click.option("--to", "until", type=click.DateTime(["%Y-%m-%d"]), help="Last day (YYYY-MM-DD).")
@click.option("--language", "response_language", help="Only responses given in this language (e.g. ar).")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Output file: .pdf, or .html for the same report as a web page.")
@with_appcontext
@requires_db
def report_command(slug, language, funder, min_cell, text_limit, form_id, since, until, response_language, out):
    """Write the cohort summary report (PDF, or HTML when OUT ends in .html)."""
    cohort = _cohort(slug)
    filters = Filters(cohort.id, form_id=_form(form_id), since=since.date() if since else None,
                      until=until.date() if until else None, language=response_language or None)
    report = build_cohort_report(_registry(), cohort, filters, language=language, funder=funder,
                                 min_cell=min_cell, text_limit=text_limit)
    if out.suffix.lower() == ".html":
        _write(out, render_standalone("reports/cohort_pdf.html", language, min_cell, pdf=False,
                                      report=report).encode("utf-8"))
    else:
        _write(out, cohort_pdf(report))
    click.echo(f"Wrote {out} ({report.total_responses} responses, {len(report.sections)} instruments)")


@click.command("profile")
@click.option("--cohort", "slug", required=True, help="Cohort slug (a code belongs to one cohort).")
@click.option("--participant", "code", required=True, help="Participant code, e.g. K7Q2-M.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
@requires_db
def profile_command(slug, code, out):
    """Write a participant's profile sheet (German, for companies) as a PDF."""
    cohort = _cohort(slug)
    sheet = None
    for spelling in codes.spellings(code):
        try:
            sheet = build_profile(_registry(), spelling, cohort.id)
            break
        except NoProfile:
            continue
    if sheet is None:
        click.echo(f"No competence check with participant code {codes.stored_form(code)} in cohort {slug}.",
                   err=True)
        sys.exit(1)
    _write(out, profile_pdf(sheet))
    note = "" if sheet.company_consent is not False else " (marked internal: no consent to show it to companies)"
    click.echo(f"Wrote {out}{note}")


@click.command("export")
@click.option("--cohort", "slug", required=True)
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), required=True)
@click.option("--form", "form_id", help="Instrument (required for CSV; XLSX: all instruments by default).")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
@requires_db
def export_command(slug, fmt, form_id, out):
    """Export responses: CSV (one instrument) or XLSX (one sheet per instrument and a codebook)."""
    cohort = _cohort(slug)
    filters = Filters(cohort.id)
    form_id = _form(form_id)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        if not form_id:
            raise click.BadParameter("a CSV holds one instrument: add --form", param_hint="--form")
        with out.open("w", encoding="utf-8", newline="") as f:
            for chunk in csv_chunks(_registry(), filters, form_id):
                f.write(chunk)
    else:
        form_ids = [form_id] if form_id else [f for f in ordered_form_ids(responses_by_version(filters))
                                              if _registry().get(f) is not None]
        write_xlsx(_registry(), filters, form_ids, out)
    click.echo(f"Wrote {out}")


@click.command("demo")
@click.option("--cohort", "slug", default="demo", show_default=True)
@click.option("--title", default="Demo-Kohorte", show_default=True)
@click.option("--participants", type=click.IntRange(1, 5000), default=40, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same answers.")
@with_appcontext
@requires_db
def demo_command(slug, title, participants, seed):
    """Fill a demo cohort with realistic answers in several languages, outcomes included."""
    if (problem := slugs.problem(slug)) is not None:
        raise click.BadParameter(problem, param_hint="--cohort")
    if db.session.scalar(select(Cohort).filter_by(slug=slug)) is not None:
        raise click.BadParameter(f"a cohort '{slug}' exists already; choose another --cohort", param_hint="--cohort")
    cohort = Cohort(slug=slug, title=title)
    db.session.add(cohort)
    db.session.commit()
    counts = fill_demo(_registry(), cohort, participants, seed, today=date.today())
    for form_id, n in counts.items():
        click.echo(f"  {form_id}: {n} responses")
    click.echo(f"Demo cohort '{slug}' is ready: proconnect report --cohort {slug} --out report.pdf")


COMMANDS = (report_command, profile_command, export_command, demo_command)
