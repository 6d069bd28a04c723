"""The staff side of PDF jobs: hand out a kept PDF, or start its job and show its progress until it is ready.

A feature's download route builds its :class:`~proconnect.jobs.kept.Document` (after its own access check)
and returns :func:`serve`. The progress page and the download of a finished job live here, at
``/pdf/<cohort slug>/<key>``: the cohort scope is checked again, and the key is looked up only in that
cohort's folder, so a key seen elsewhere fetches nothing from another cohort.
"""
from __future__ import annotations

import io

from flask import Blueprint, Response as HttpResponse, abort, redirect, render_template, request, send_file, url_for

from ..access import allow
from ..accounts.scope import cohort_or_404
from ..audit import record
from ..cohorts.models import Cohort
from . import kept, runner
from .kept import Document

bp = Blueprint("jobs", __name__, url_prefix="/pdf", template_folder="templates")
#: Seconds between two looks at a job that is still running (the page reloads itself; no script needed).
REFRESH_SECONDS = 2


def cohort_folder(cohort: Cohort) -> str:
    """The folder of a cohort's kept PDFs (the privacy seam deletes it with ``kept.forget``)."""
    return f"cohort-{cohort.id}"


def _send(doc: Document) -> HttpResponse:
    if doc.audit:
        details = dict(doc.audit) | kept.facts(doc)
        record(details.pop("action"), details.pop("target"), commit=True, **details)
    # Read whole (a few MB at most): a file left open until the client has read it outlives a cut connection.
    return send_file(io.BytesIO(kept.ready(doc).read_bytes()), mimetype="application/pdf", as_attachment=True, download_name=doc.name,
                     max_age=0)


def serve(doc: Document, cohort: Cohort) -> HttpResponse:
    """The PDF when it is kept (or was made right now, without a worker), else the page that shows its progress."""
    if runner.start(doc).state == "ready":
        return _send(doc)
    return redirect(url_for("jobs.progress", slug=cohort.slug, key=doc.key), 303)


def _own(slug: str, key: str) -> tuple[Cohort, Document]:
    """:raise 404: unless the cohort is the signed-in person's and the key names one of its documents"""
    cohort = cohort_or_404(slug)
    doc = kept.find(cohort_folder(cohort), key)
    if doc is None:
        abort(404)
    return cohort, doc


@bp.route("/<slug>/<key>", methods=["GET", "POST"])
@allow("coordinator")
def progress(slug: str, key: str):
    """How the job stands: being prepared (the page reloads itself), failed (try again) or ready (download)."""
    cohort, doc = _own(slug, key)
    if request.method == "POST":
        runner.retry(doc)
        return redirect(url_for("jobs.progress", slug=slug, key=key), 303)
    status = runner.start(doc)
    return render_template("jobs/progress.html", cohort=cohort, doc=doc, status=status, refresh=REFRESH_SECONDS,
                           download=url_for("jobs.download", slug=slug, key=key))


@bp.route("/<slug>/<key>/download")
@allow("coordinator")
def download(slug: str, key: str):
    """The finished PDF; while it is not ready, its progress page."""
    _cohort, doc = _own(slug, key)
    if kept.ready(doc) is None:
        return redirect(url_for("jobs.progress", slug=slug, key=key), 303)
    return _send(doc)
