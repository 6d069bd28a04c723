"""Coordinators' report pages: the report as a web page with filters, the PDF download, scope by cohort."""
from __future__ import annotations

import html
import re

from proconnect.extensions import db
from staff_helpers import people, seed, staff  # noqa: F401


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def test_the_report_page_shows_the_same_numbers_as_the_pdf(people, seed, staff):  # noqa: F811
    seed(people["ol-2027"], code="A2B3-C")
    seed(people["ol-2027"], code="D3E4-F", trade="wood")
    coordinator = staff("coord1")
    page = coordinator.get("/reports/ol-2027")
    assert page.status_code == 200
    text = text_of(page)
    assert "Oldenburg 2027" in text and "Alle Feldtypen" in text
    assert re.search(r"Metall 1 50 %", text) and re.search(r"Holz 1 50 %", text)
    assert "2 beantwortet · 0 keine Antwort · 0 nicht gezeigt" in text
    assert 'href="/reports/ol-2027/report.pdf"' in page.get_data(as_text=True)
    pdf = coordinator.get("/reports/ol-2027/report.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert "attachment" in pdf.headers["Content-Disposition"]


def test_filters_and_options_travel_in_the_query_string(people, seed, staff):  # noqa: F811
    seed(people["ol-2027"])
    coordinator = staff("coord1")
    english = coordinator.get("/reports/ol-2027?report_lang=en&funder=1&min_cell=3")
    text = text_of(english)
    assert "Cohort report for funders" in text and "< 3" in text
    assert 'href="/reports/ol-2027/report.pdf?report_lang=en&amp;funder=1&amp;min_cell=3"' in english.get_data(
        as_text=True)
    nothing = text_of(coordinator.get("/reports/ol-2027?from=2001-01-01&to=2001-01-31"))
    assert "Für diese Auswahl liegen noch keine Antworten vor." in nothing
    assert coordinator.get("/reports/ol-2027?from=yesterday").status_code == 400
    assert coordinator.get("/reports/ol-2027?form=nope").status_code == 400


def test_a_coordinator_sees_only_their_cohorts(people, seed, staff):  # noqa: F811
    seed(people["dh-2027"])
    coordinator = staff("coord1")
    for url in ("/reports/dh-2027", "/reports/dh-2027/report.pdf", "/reports/dh-2027/participants",
                "/reports/nope", "/reports/" + "x" * 65):
        assert coordinator.get(url).status_code == 404, url
    assert coordinator.get("/reports/ol%002027").status_code == 400  # a control character in the address
    index = text_of(coordinator.get("/reports/"))
    assert "Oldenburg 2027" in index and "Delmenhorst 2027" not in index
    assert staff("admin1").get("/reports/dh-2027").status_code == 200


def test_every_cohort_page_links_to_its_reports(people, staff):  # noqa: F811
    page = staff("coord1").get("/staff/cohorts/ol-2027").get_data(as_text=True)
    for url in ("/reports/ol-2027", "/reports/ol-2027/report.pdf", "/reports/ol-2027/report.pdf?funder=1",
                "/reports/ol-2027/responses.xlsx", "/reports/ol-2027/participants"):
        assert f'href="{url}"' in page, url


def test_the_report_page_is_escaped_and_keeps_the_strict_csp(people, seed, staff):  # noqa: F811
    seed(people["ol-2027"], story="<script>alert(1)</script>")
    page = staff("coord1").get("/reports/ol-2027")
    body = page.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "style=" not in body.split("<main", 1)[1]  # bars are images: no inline style for the CSP to block
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_downloading_a_report_is_recorded(app, people, seed, staff):  # noqa: F811
    from proconnect.audit.models import AuditEvent
    seed(people["ol-2027"])
    staff("coord1").get("/reports/ol-2027/report.pdf?funder=1")
    with app.app_context():
        event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "export"))
    assert (event.actor, event.target, event.details["format"], event.details["funder"]) == (
        "coord1", "report of cohort ol-2027", "pdf", True)


def test_reports_are_in_the_staff_navigation_and_lead_to_the_api_keys(people, staff):  # noqa: F811
    coordinator = staff("coord1")
    assert 'href="/reports/"' in coordinator.get("/staff/").get_data(as_text=True)
    assert 'href="/api-keys/"' in coordinator.get("/reports/").get_data(as_text=True)
    assert 'href="/reports/"' not in staff("mentor1").get("/staff/apprentices").get_data(as_text=True)
