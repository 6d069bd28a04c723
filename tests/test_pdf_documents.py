"""The PDFs a coordinator downloads, as jobs rendered in the request (no worker: ``JOBS_IMMEDIATE``, as in every
test that is not about the worker; ``test_pdf_jobs.py`` runs the real one): failures, reuse, what is kept."""
from __future__ import annotations

import re
from pathlib import Path

from proconnect.jobs.runner import RENDERERS
from proconnect.pdf import PdfError
from staff_helpers import people, seed, staff  # noqa: F401

PROGRESS = re.compile(r"^/pdf/ol-2027/[0-9a-f]{32}-[0-9a-f]{32}$")


def test_a_failed_pdf_shows_a_clear_message_and_can_be_tried_again(people, seed, staff, monkeypatch):  # noqa: F811
    seed(people["ol-2027"], code="A2B3-C")
    coordinator = staff("coord1")
    report = RENDERERS["report"]

    def broken(params):
        raise PdfError("xhtml2pdf reported 1 error(s)")
    monkeypatch.setitem(RENDERERS, "report", broken)
    asked = coordinator.get("/reports/ol-2027/report.pdf")
    assert asked.status_code == 303 and PROGRESS.match(asked.headers["Location"])
    progress = asked.headers["Location"]
    page = coordinator.get(progress)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "The PDF could not be made. Nothing was lost: please try again." in text
    assert "Try again" in text and 'http-equiv="refresh"' not in text
    # Asking again does not start it again by itself (a broken report would fail on every reload) ...
    assert coordinator.get("/reports/ol-2027/report.pdf").headers["Location"] == progress
    # ... "Try again" does; this time it works.
    monkeypatch.setitem(RENDERERS, "report", report)
    retried = coordinator.post(progress)
    assert retried.status_code == 303 and retried.headers["Location"] == progress
    assert "The PDF is ready." in coordinator.get(progress).get_data(as_text=True)
    pdf = coordinator.get(progress + "/download")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_the_progress_page_speaks_german_too(people, seed, staff, monkeypatch):  # noqa: F811
    seed(people["ol-2027"], code="A2B3-C")
    coordinator = staff("coord1")
    monkeypatch.setitem(RENDERERS, "report", lambda params: 1 / 0)
    progress = coordinator.get("/reports/ol-2027/report.pdf").headers["Location"]
    coordinator.client.set_cookie("lang", "de")
    text = coordinator.get(progress).get_data(as_text=True)
    assert "Das PDF konnte nicht erstellt werden." in text and "Noch einmal versuchen" in text


def test_an_unknown_or_malformed_key_is_not_found(people, staff):  # noqa: F811
    coordinator = staff("coord1")
    for key in ("0" * 32 + "-" + "0" * 32, "../../secret_key", "x"):
        assert coordinator.get(f"/pdf/ol-2027/{key}").status_code == 404
        assert coordinator.get(f"/pdf/ol-2027/{key}/download").status_code == 404


def test_without_a_worker_a_request_cut_off_mid_render_does_not_block_the_next(app, people, seed, staff):  # noqa: F811
    seed(people["ol-2027"])
    coordinator = staff("coord1")
    pdf = coordinator.get("/reports/ol-2027/report.pdf?min_cell=3")
    assert pdf.status_code == 200
    # As if gunicorn had killed the request that was making it: the PDF gone, its "being made" marker left.
    folder = Path(app.instance_path) / "pdfs" / f"cohort-{people['ol-2027']}"
    [made] = folder.glob("*.pdf")
    made.rename(made.with_suffix(".pending"))
    again = coordinator.get("/reports/ol-2027/report.pdf?min_cell=3")
    assert again.status_code == 200 and again.data.startswith(b"%PDF")
