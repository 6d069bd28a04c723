"""PDFs as background jobs, with the real worker: ``proconnect jobs worker`` runs as its own process here.

A coordinator clicks "PDF", sees that it is being prepared, and gets it once the worker has made it; the
same request with unchanged data gets the kept file at once; a new response makes it again; a coordinator of
another cohort can fetch neither the file nor its progress page.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

from sqlalchemy import select

from pdf_worker import app, worker  # noqa: F401
from proconnect.extensions import db
from proconnect.links.models import Participant
from staff_helpers import people, seed, staff  # noqa: F401
from test_reports_pdf import pdf_text

PROGRESS = re.compile(r"^/pdf/ol-2027/([0-9a-f]{32}-[0-9a-f]{32})$")


def wait_until_ready(browser, progress: str, log: Path) -> str:
    """Look at the progress page as its refresh would, until it offers the download (or a minute passed)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        page = browser.get(progress).get_data(as_text=True)
        if "The PDF is ready." in page:
            return page
        assert "could not be made" not in page, log.read_text()
        time.sleep(0.3)
    raise AssertionError(f"the worker did not finish within a minute:\n{log.read_text()[-3000:]}")


def ask_for_pdf(browser) -> str:
    """Click "PDF" on the report page; return the progress page it leads to."""
    asked = browser.get("/reports/ol-2027/report.pdf")
    assert asked.status_code == 303, asked.status_code
    progress = asked.headers["Location"]
    assert PROGRESS.match(progress), progress
    return progress


def test_a_coordinator_sees_progress_then_gets_the_pdf_the_worker_made(app, people, seed, staff,  # noqa: F811
                                                                       worker, tmp_path):  # noqa: F811
    seed(people["ol-2027"], code="A2B3-C")
    coordinator = staff("coord1")
    progress = ask_for_pdf(coordinator)

    # No worker yet: the page says the PDF is being prepared and reloads itself; there is nothing to download.
    page = coordinator.get(progress)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "The PDF is being prepared" in text
    assert '<meta http-equiv="refresh" content="2">' in text
    assert coordinator.get(progress + "/download").headers["Location"] == progress

    worker()
    page = wait_until_ready(coordinator, progress, tmp_path / "worker.log")
    assert 'http-equiv="refresh"' not in page and f'href="{progress}/download"' in page
    pdf = coordinator.get(progress + "/download")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "attachment" in pdf.headers["Content-Disposition"]
    text = pdf_text(pdf.data, tmp_path)
    assert "Oldenburg 2027" in text and "Alle Feldtypen" in text

    # Unchanged data: the same click hands out the kept file at once, no job, no waiting.
    again = coordinator.get("/reports/ol-2027/report.pdf")
    assert again.status_code == 200 and again.data == pdf.data

    # A new response: the report is made again, with it.
    seed(people["ol-2027"], code="D3E4-F", trade="wood")
    new_progress = ask_for_pdf(coordinator)
    assert new_progress != progress
    wait_until_ready(coordinator, new_progress, tmp_path / "worker.log")
    newer = coordinator.get(new_progress + "/download")
    assert newer.status_code == 200 and newer.data != pdf.data
    assert re.search(r"Holz\s+1 · 50\s*%", pdf_text(newer.data, tmp_path))
    # ... and the older file is gone from the instance folder.
    kept = list((tmp_path / "pdfs").rglob("*.pdf"))
    assert len(kept) == 1
    assert coordinator.get(progress + "/download").status_code == 404


def test_another_cohorts_coordinator_cannot_fetch_the_file_or_its_progress(app, people, seed, staff,  # noqa: F811
                                                                           worker, tmp_path):  # noqa: F811
    seed(people["ol-2027"], code="A2B3-C")
    coordinator = staff("coord1")
    progress = ask_for_pdf(coordinator)
    worker()
    wait_until_ready(coordinator, progress, tmp_path / "worker.log")
    key = PROGRESS.match(progress).group(1)

    other = staff("coord2")
    for url in (progress, progress + "/download", f"/pdf/dh-2027/{key}", f"/pdf/dh-2027/{key}/download",
                "/reports/ol-2027/report.pdf"):
        assert other.get(url).status_code == 404, url
    assert other.post(f"/pdf/dh-2027/{key}").status_code == 404
    # Signed out: the sign-in page, not the file.
    assert staff().get(progress + "/download").status_code == 302


def test_a_cards_job_leaves_no_copy_of_the_codes_in_the_queue_once_taken(app, people, staff, worker,  # noqa: F811
                                                                          tmp_path):
    coordinator = staff("coord1")
    asked = coordinator.post("/staff/cohorts/ol-2027/cards", {"count": "3"})
    assert asked.status_code == 303
    with app.app_context():
        codes = [code.encode() for code in db.session.scalars(select(Participant.code))]
    queue = [tmp_path / "jobs.sqlite3", tmp_path / "jobs.sqlite3-wal"]
    # Waiting: the job and its parameters, the new codes, are in the queue.
    assert len(codes) == 3 and any(codes[0] in file.read_bytes() for file in queue if file.exists())
    worker()
    wait_until_ready(coordinator, asked.headers["Location"], tmp_path / "worker.log")
    # Taken and made: neither the queue's file nor its log holds a code any more (erasure must not miss one).
    assert [(file.name, code) for file in queue for code in codes
            if file.exists() and code in file.read_bytes()] == []
