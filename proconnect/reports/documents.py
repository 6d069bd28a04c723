"""The cohort report and the profile sheet as PDF jobs: what each depends on, and how the worker makes it.

A kept PDF is handed out again while its cohort's data is unchanged: the version is the cohort's responses
(how many, the newest id and time: a new response or an erasure moves it), the staff's changes to them
(a correction, a voided or moved response), what other features
add to the report (``DATA_VERSIONS``, e.g. match-making's placements), the cohort's title and the form
versions the registry holds. Filters, options and the report language are the document's parameters.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from sqlalchemy import func, select

from ..audit import participant_target
from ..cohorts.models import Cohort
from ..corrections import service as corrections
from ..definitions import forms_registry
from ..extensions import db
from ..i18n import form_texts_digest
from ..jobs import Rendered, cohort_folder, document, renderer
from ..jobs.kept import Document
from ..links.codes import to_address
from ..responses.models import Response
from .aggregation import Filters
from .builder import build_cohort_report
from .params import parse_filters, parse_options
from .profile import build_profile
from .render import cohort_pdf, profile_pdf

#: name -> function(cohort id) -> a JSON-able value that changes whenever that feature's part of the report does.
DATA_VERSIONS: dict[str, Callable[[int], object]] = {}
#: The query arguments that shape the report (anything else, e.g. ``lang``, does not).
REPORT_ARGS = ("form", "from", "to", "link", "language", "report_lang", "funder", "min_cell", "texts")


def _responses_version(where) -> list:
    row = db.session.execute(select(func.count(Response.id), func.max(Response.id), func.max(Response.submitted_at))
                             .where(where)).one()
    return [row[0], row[1], row[2].isoformat() if row[2] else None]


def _forms_version() -> list:
    return sorted([i.id, n, d.content_hash, form_texts_digest(i.id)]
                  for i in forms_registry(current_app) for n, d in i.versions.items())


def cohort_version(cohort: Cohort) -> dict:
    """What a cohort's report depends on, cheaply: a few aggregates, no report built."""
    return {"responses": _responses_version(Response.cohort_id == cohort.id), "title": cohort.title,
            "forms": _forms_version(), "changes": corrections.data_version(cohort.id),
            **{name: f(cohort.id) for name, f in sorted(DATA_VERSIONS.items())}}


def report_document(cohort: Cohort, args, funder: bool, name: str) -> Document:
    """The report PDF for these (already checked) query arguments."""
    params = {"cohort_id": cohort.id, "args": {k: args[k] for k in REPORT_ARGS if args.get(k)}}
    return document("report", cohort_folder(cohort), params, cohort_version(cohort), name,
                    {"action": "export", "target": f"report of cohort {cohort.slug}", "format": "pdf",
                     "funder": funder})


@renderer("report")
def _report(params: dict) -> Rendered:
    cohort = db.session.get(Cohort, params["cohort_id"])
    registry = forms_registry(current_app)
    filters: Filters = parse_filters(params["args"], cohort.id, registry)
    options = parse_options(params["args"])
    report = build_cohort_report(registry, cohort, filters, language=options.language, funder=options.funder,
                                 min_cell=options.min_cell, text_limit=options.text_limit)
    return Rendered(cohort_pdf(report), {"responses": report.total_responses})


def profile_document(cohort: Cohort, code: str) -> Document:
    """A participant's profile sheet (``code`` as stored)."""
    # "sheet": raised when what the sheet shows changes, so no sheet kept from before is handed out again
    # (2: no first language, no outcome history, marked as Selbstauskunft).
    version = {"responses": _responses_version((Response.cohort_id == cohort.id) & (Response.participant_code == code)),
               "title": cohort.title, "forms": _forms_version(), "changes": corrections.data_version(cohort.id),
               "sheet": 2}
    # A code stored before codes were checked may hold a slash: the file name takes its address form.
    return document("profile", cohort_folder(cohort), {"cohort_id": cohort.id, "code": code}, version,
                    f"profil-{to_address(code)}.pdf",
                    {"action": "export", "target": participant_target(cohort, code), "format": "pdf",
                     "document": "profile sheet"})


@renderer("profile")
def _profile(params: dict) -> Rendered:
    sheet = build_profile(forms_registry(current_app), params["code"], params["cohort_id"])
    return Rendered(profile_pdf(sheet))
