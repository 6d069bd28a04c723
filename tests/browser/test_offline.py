"""A dropped Wi-Fi at an info event: answers wait on the tablet and reach the server exactly once."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from proconnect.extensions import db
from proconnect.responses.models import Response

from .kiosk_steps import tick



def stored(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(r.payload["answers"]["name"], r.idempotency_key)
                for r in db.session.scalars(select(Response).order_by(Response.id))]


@pytest.fixture
def kiosk(make_link):
    return make_link(kiosk=True, kiosk_reset_seconds=2)


def answer_in_english(page, name):
    page.get_by_role("link", name="English").click()
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    # As in test_kiosk: wait for kiosk.js to lay the screens out before aiming a click.
    page.wait_for_load_state()
    page.get_by_label("Spitzname").fill(name)
    tick(page.get_by_role("radio", name="Holz"))
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    tick(page.locator(".question-consent input"))
    page.get_by_role("button", name="Send answers").click()
    expect(page.get_by_role("heading", name="Thank you!")).to_be_visible()


def test_answers_sent_offline_wait_on_the_tablet_and_arrive_once_online(app, new_context, kiosk):
    context = new_context(locale="en-GB")
    page = context.new_page()
    page.goto(kiosk)
    # The worker has cached the form pages and the start screen.
    expect(page.locator("html")).to_have_attribute("data-kiosk-ready", "cached", timeout=10000)
    page.get_by_role("link", name="English").click()
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    page.wait_for_load_state()
    context.set_offline(True)
    page.get_by_label("Spitzname").fill("Offline Omar")
    tick(page.get_by_role("radio", name="Holz"))
    page.get_by_role("button", name="Next").click()
    tick(page.locator(".question-consent input"))
    page.get_by_role("button", name="Send answers").click()

    expect(page.get_by_role("heading", name="Thank you!")).to_be_visible()
    expect(page.get_by_text("Answers waiting to be sent: 1")).to_be_visible()
    assert stored(app) == []
    # Still offline, the next person gets the language choice (in the link's language) from the worker's cache.
    expect(page.get_by_role("link", name="English")).to_be_visible(timeout=8000)
    expect(page.get_by_role("status")).to_have_text("Antworten, die noch gesendet werden: 1")

    context.set_offline(False)
    expect(page.get_by_role("status")).to_be_hidden(timeout=10000)
    [(name, _)] = stored(app)
    assert name == "Offline Omar"


def test_a_lost_reply_is_resent_and_stored_only_once(app, new_context, kiosk):
    # No service worker: the page's own queue (what a tablet on plain http over a LAN name gets).
    context = new_context(locale="en-GB", service_workers="block")
    page = context.new_page()
    replies = []

    def drop_first_reply(route):
        if "_key=" not in (route.request.post_data or ""):
            return route.continue_()
        response = route.fetch()  # the server receives the answers and stores them...
        replies.append(response.json()["status"])
        if len(replies) == 1:
            return route.abort("connectionreset")  # ...but its reply never reaches the tablet
        return route.fulfill(response=response)
    page.route("**/sync", drop_first_reply)

    page.goto(kiosk)
    answer_in_english(page, "Lost Reply")
    # Back at the language choice, the tablet sends what waits; the server knows the key already.
    expect(page.get_by_role("link", name="English")).to_be_visible(timeout=8000)
    expect(page.get_by_role("status")).to_be_hidden(timeout=10000)
    assert replies == ["stored", "duplicate"]
    [(name, _)] = stored(app)
    assert name == "Lost Reply"
