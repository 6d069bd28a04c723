"""A coordinator in a real browser: clicks "PDF" on the report page, sees that it is being prepared while the
page reloads itself, and downloads it once the real worker has made it.

The progress page has no script (a meta refresh reloads it); the context keeps JavaScript on all the same,
because Playwright's waiting for a text hangs in a context without it.
"""
from __future__ import annotations

import subprocess

from pdf_worker import app, worker  # noqa: F401
from staff_helpers import people, seed  # noqa: F401
from .test_coordinator import DESKTOP, serious, sign_in
from test_reports_pdf import pdf_text


def test_a_coordinator_waits_for_the_report_pdf_and_downloads_it(app, live_server, people, seed, worker,  # noqa: F811
                                                                 new_context, axe, tmp_path):
    seed(people["ol-2027"], code="A2B3-C")
    page = new_context(viewport=DESKTOP, accept_downloads=True).new_page()
    sign_in(page, live_server, "coord1")
    page.goto(f"{live_server}/reports/ol-2027")
    page.get_by_role("link", name="PDF", exact=True).first.click()

    assert page.url.startswith(f"{live_server}/pdf/ol-2027/")
    status = page.get_by_role("status")
    assert "The PDF is being prepared" in status.inner_text()
    # (axe-core looks at the ready page below: this one reloads itself every two seconds meanwhile.)
    page.screenshot(path=str(tmp_path / "progress.png"))

    worker()
    # The page reloads itself (meta refresh, no script) until the download is offered.
    page.get_by_text("The PDF is ready.").wait_for(timeout=60000)
    assert not serious(axe(page))
    page.screenshot(path=str(tmp_path / "ready.png"))
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    assert download.value.suggested_filename.startswith("ol-2027-report-")
    assert "Oldenburg 2027" in pdf_text(pdf.read_bytes(), tmp_path)
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "page")],
                   check=True)
