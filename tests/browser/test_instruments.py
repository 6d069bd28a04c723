"""A coordinator brings an XLSForm in a real browser: sees its problem, fixes it, previews it in Arabic at tablet
and phone width, rehearses it on a test link, deletes the test answers and publishes it; no report counts the
rehearsal."""
from __future__ import annotations

from sqlalchemy import func, select

from proconnect.extensions import db
from proconnect.responses.models import WITH_TESTS, Response
from staff_helpers import people  # noqa: F401
from test_authoring import ARABIC_FORM, CHOICES, xlsform
from .test_coordinator import DESKTOP, handbook_shot, serious, sign_in  # noqa: F401

TITLE = {"form_title": "Willkommen bei pro:connect"}


def test_a_coordinator_uploads_fixes_previews_rehearses_and_publishes_an_xlsform(
        app, live_server, people, new_context, axe, screenshot, handbook_shot, tmp_path):
    wrong = tmp_path / "willkommen.xlsx"
    wrong.write_bytes(xlsform([*ARABIC_FORM[:3], ("geopoint", "place", "Wo?", "أين؟", ""), *ARABIC_FORM[3:]],
                              CHOICES, TITLE))
    fixed = tmp_path / "willkommen-2.xlsx"
    fixed.write_bytes(xlsform(ARABIC_FORM, CHOICES, TITLE))

    page = new_context(viewport=DESKTOP).new_page()
    sign_in(page, live_server, "coord1")
    page.get_by_role("link", name="Instruments").click()
    assert page.url == f"{live_server}/staff/forms"
    assert not serious(axe(page))

    page.get_by_label("Form id").fill("welcome")
    page.get_by_label("Definition (.toml) or XLSForm (.xlsx, .xls)").set_input_files(str(wrong))
    page.get_by_role("button", name="Upload as draft").click()
    problems = page.get_by_role("alert")
    assert "1 problem in willkommen.xlsx: nothing was saved" in problems.inner_text()
    assert "survey row 4: type 'geopoint' is not supported (column type)" in problems.inner_text()
    assert not serious(axe(page))
    page.screenshot(path="/tmp/authoring-problem.png", full_page=True)

    page.get_by_label("Form id").fill("welcome")
    page.get_by_label("Definition (.toml) or XLSForm (.xlsx, .xls)").set_input_files(str(fixed))
    page.get_by_role("button", name="Upload as draft").click()
    assert page.url == f"{live_server}/staff/forms/welcome/v1"
    assert page.get_by_text("The draft v1 of welcome was saved.").is_visible()
    assert not serious(axe(page))
    page.screenshot(path="/tmp/authoring-version.png", full_page=True)
    handbook_shot(page, "instruments-version")

    page.get_by_label("Language", exact=True).first.select_option("ar")
    page.get_by_role("button", name="Show the preview").click()
    assert page.url.startswith(f"{live_server}/staff/forms/welcome/v1/preview?language=ar")
    tablet, phone = (page.frame_locator(f".preview-frame-{name}") for name in ("tablet", "phone"))
    for frame in (tablet, phone):
        assert frame.locator("html").get_attribute("dir") == "rtl"
        assert frame.get_by_text("كم عمرك؟").is_visible()
        assert frame.locator("button[value=submit]").is_disabled()
    widths = page.evaluate("[...document.querySelectorAll('iframe')].map(f => f.getBoundingClientRect().width)")
    assert widths == [800, 375]
    assert not serious(axe(page))
    screenshot(page, "staff-instrument-preview", full_page=True)
    handbook_shot(page, "instruments-preview")
    page.screenshot(path="/tmp/authoring-preview.png", full_page=True)

    page.goto(f"{live_server}/staff/forms/welcome/v1")
    page.get_by_label("Cohort").select_option("ol-2027")
    page.get_by_role("button", name="Make a test link").click()
    assert page.get_by_text("The test link was created").is_visible()
    url = page.locator("a.test-link").first.get_attribute("href")

    tablet_page = new_context().new_page()
    tablet_page.goto(f"{live_server}/f/{url.split('/f/', 1)[1]}")
    assert tablet_page.locator(".test-banner").is_visible()
    tablet_page.get_by_label("Wie alt sind Sie?").fill("31")
    tablet_page.get_by_text("Ja", exact=True).click()
    tablet_page.locator("button[value=submit]").click()
    assert "/thanks" in tablet_page.url
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id)), execution_options=WITH_TESTS) == 1

    page.goto(f"{live_server}/reports/ol-2027")
    page.screenshot(path="/tmp/authoring-report.png", full_page=True)
    # The report speaks German (its own language choice): "no responses for this selection yet".
    assert page.get_by_text("Für diese Auswahl liegen noch keine Antworten vor.").is_visible()

    page.goto(f"{live_server}/staff/cohorts/ol-2027/test-answers")
    assert page.get_by_text("Test answers: 1").is_visible()
    page.get_by_role("button", name="Delete all test answers").click()
    assert page.get_by_text("1 test answer was deleted.").is_visible()

    page.goto(f"{live_server}/staff/forms/welcome/v1")
    page.get_by_role("button", name="Publish v1").click()
    assert page.get_by_text("v1 of welcome is published.").is_visible()
    assert page.get_by_role("heading", name="Publish").count() == 0
    page.goto(f"{live_server}/staff/forms")
    assert page.locator("a[href='/staff/forms/welcome/v1']").first.is_visible()
    screenshot(page, "staff-instruments")
    page.screenshot(path="/tmp/authoring-index.png", full_page=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id)), execution_options=WITH_TESTS) == 0
    page.goto(f"{live_server}/reports/ol-2027")
    # The report speaks German (its own language choice): "no responses for this selection yet".
    assert page.get_by_text("Für diese Auswahl liegen noch keine Antworten vor.").is_visible()
