"""A tablet's queue never stalls on an answer the server refuses for good: staff see it, the rest is sent."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from proconnect.definitions import load_registry
from proconnect.definitions.registry import EXTENSION
from proconnect.extensions import db
from proconnect.links.models import Link
from proconnect.responses.models import Response

from conftest import FIXTURE_FORMS
from form_folders import copy_of

from .kiosk_steps import tick


@pytest.fixture
def forms_dir(tmp_path):
    """A copy of the fixture forms, so that a test can change a form while tablets hold answers to it."""
    return copy_of(FIXTURE_FORMS, tmp_path)


@pytest.fixture
def kiosk(app, make_link):
    """URL of a new kiosk link with the staff PIN 4711."""
    url = make_link(kiosk=True, kiosk_reset_seconds=1)
    with app.app_context():
        link = db.session.scalar(select(Link).filter_by(token=url.rsplit("/", 1)[1]))
        link.set_pin("4711")
        db.session.commit()
    return url


def stored_names(app) -> list[str]:
    with app.app_context():
        return [r.payload["answers"]["name"] for r in db.session.scalars(select(Response).order_by(Response.id))]


def answer_in_english(page, name, key):
    """A person answers both screens and sends; ``key`` orders the tablet's outbox (it is sent in key order)."""
    page.get_by_role("link", name="English").click()
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    page.wait_for_load_state()
    page.locator("input[name=_key]").evaluate("(input, key) => { input.value = key; }", key)
    page.get_by_label("Spitzname").fill(name)
    tick(page.get_by_role("radio", name="Holz"))
    page.get_by_role("button", name="Next").click()
    tick(page.locator(".question-consent input"))
    page.get_by_role("button", name="Send answers").click()
    expect(page.get_by_role("heading", name="Thank you!")).to_be_visible()
    expect(page.get_by_role("link", name="English")).to_be_visible(timeout=8000)


def test_the_queue_goes_past_an_answer_refused_for_good_and_staff_see_it_on_the_pin_screen(app, new_context, kiosk,
                                                                                           forms_dir):
    # No service worker: the page's own queue; the server cannot be reached while ``down`` holds.
    page = new_context(locale="en-GB", service_workers="block").new_page()
    down = [True]
    page.route("**/sync", lambda route: route.abort("internetdisconnected")
               if down[0] and "_key=" in (route.request.post_data or "") else route.continue_())
    page.goto(kiosk)
    answer_in_english(page, "Early Emma", "a" * 24)
    # Meanwhile the form's file is edited (nothing was stored under it yet): Emma answered a version that is gone.
    definition = forms_dir / "everything" / "v1.toml"
    definition.write_text(definition.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    app.extensions[EXTENSION] = load_registry(forms_dir)
    answer_in_english(page, "Later Lina", "z" * 24)
    expect(page.get_by_role("status")).to_have_text("Antworten, die noch gesendet werden: 2")

    down[0] = False
    page.get_by_role("link", name="Team").click()
    page.get_by_label("Kiosk-PIN").fill("4711")
    page.get_by_role("button", name="Entsperren").click()
    held = page.locator("#kiosk-held")
    expect(held).to_contain_text("Vom Server endgültig abgelehnte Antworten, auf diesem Tablet aufbewahrt: 1")
    expect(held.get_by_role("listitem")).to_contain_text(
        "Das Formular wurde geändert, nachdem diese Antworten gegeben wurden.")
    assert stored_names(app) == ["Later Lina"]
    expect(page.locator("#kiosk-pending")).to_be_hidden()
    assert "Early Emma" not in page.content()  # staff see when and why, never the answers


def test_a_person_whose_form_changed_while_answering_gets_their_answers_back_with_a_notice_not_thank_you(
        app, new_context, kiosk, forms_dir):
    page = new_context(locale="en-GB", service_workers="block").new_page()
    page.goto(kiosk)
    page.get_by_role("link", name="English").click()
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    page.wait_for_load_state()
    page.get_by_label("Spitzname").fill("Sami")
    tick(page.get_by_role("radio", name="Holz"))
    page.get_by_role("button", name="Next").click()
    tick(page.locator(".question-consent input"))
    definition = forms_dir / "everything" / "v1.toml"
    definition.write_text(definition.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    app.extensions[EXTENSION] = load_registry(forms_dir)
    page.get_by_role("button", name="Send answers").click()

    expect(page.get_by_role("alert")).to_have_text(
        "This form was changed while you were filling it in. Your answers are kept where the questions are the "
        "same: please check every page and send the form again.")
    expect(page.get_by_label("Spitzname")).to_have_value("Sami")
    expect(page.get_by_role("heading", name="Thank you!")).to_be_hidden()
    assert stored_names(app) == []
    page.wait_for_load_state()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Send answers").click()
    expect(page.get_by_role("heading", name="Thank you!")).to_be_visible()
    assert stored_names(app) == ["Sami"]
