"""A rehearsal on a tablet whose Wi-Fi drops: every offline screen still says "test", and the answer that
arrives later is stored as a test answer, counted nowhere."""
from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import func, select

from proconnect.extensions import db
from proconnect.responses.models import WITH_TESTS, Response
from staff_helpers import PAGE_ONE, PAGE_TWO, people  # noqa: F401

from .kiosk_steps import tick
from .test_coordinator import serious, sign_in

BANNER = "Test link: answers given here are only for trying out the form. They are not counted."


def test_an_offline_test_kiosk_says_test_on_every_screen_and_its_answer_arrives_as_a_test(app, new_context,
                                                                                          make_link):
    context = new_context(locale="en-GB")
    page = context.new_page()
    page.goto(make_link(kiosk=True, kiosk_reset_seconds=2, test=True))
    expect(page.locator("html")).to_have_attribute("data-kiosk-ready", "cached", timeout=10000)
    banner = page.locator(".test-banner")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    page.wait_for_load_state()
    context.set_offline(True)
    expect(banner).to_have_text(BANNER)
    page.get_by_label("Spitzname").fill("Probe")
    tick(page.get_by_role("radio", name="Holz"))
    page.get_by_role("button", name="Next").click()
    expect(banner).to_be_visible()
    tick(page.locator(".question-consent input"))
    page.get_by_role("button", name="Send answers").click()
    # The thank-you screen and, from the worker's cache, the next person's language choice.
    expect(page.get_by_role("heading", name="Thank you!")).to_be_visible()
    expect(banner).to_have_text(BANNER)
    expect(page.get_by_role("link", name="English")).to_be_visible(timeout=8000)
    expect(banner).to_contain_text("Testlink")

    context.set_offline(False)
    expect(page.locator("#kiosk-pending")).to_be_hidden(timeout=10000)
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id)).where(Response.test),
                                 execution_options=WITH_TESTS) == 1
        assert db.session.scalar(select(func.count(Response.id))) == 0


def test_a_coordinator_makes_a_test_link_rehearses_and_deletes_the_test_answers(app, live_server, people,  # noqa: F811
                                                                                new_context, filler, axe,
                                                                                screenshot):
    page = new_context().new_page()
    sign_in(page, live_server, "coord1")
    page.goto(f"{live_server}/staff/cohorts/ol-2027")
    page.get_by_label("Form", exact=True).select_option("everything")
    page.get_by_label("Event", exact=True).fill("Probe am Vortag")
    page.get_by_label("Test link for a rehearsal").check()
    page.get_by_role("button", name="Create link").click()
    row = page.locator("#links ~ .table-wrap tbody tr").first
    assert "test" in row.locator(".badge").inner_text()
    token = row.locator("td.url").inner_text().split("/f/", 1)[1]
    f = filler(token)
    f.open()
    assert f.post({**PAGE_ONE, "participant_code": ""}).status_code == 200
    assert f.post(PAGE_TWO, nav="submit").status_code == 303

    page.reload()
    expect(page.get_by_text("Test answers: 1")).to_be_visible()
    page.get_by_role("link", name="List and delete test answers").click()
    expect(page.get_by_role("heading", name="Test answers")).to_be_visible()
    expect(page.locator("table.data tbody tr")).to_have_count(1)
    assert not serious(axe(page))
    screenshot(page, "test-answers")
    page.get_by_role("button", name="Delete all test answers").click()
    expect(page.get_by_text("1 test answer was deleted. Real answers are unchanged.")).to_be_visible()
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id)), execution_options=WITH_TESTS) == 0
