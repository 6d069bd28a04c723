"""A person fills in the two-page test form in a real Chromium: typing, tapping labels, with and without JavaScript."""
from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from proconnect.extensions import db
from proconnect.responses.models import Answer, Response

ARABIC_STORY = "عملت في حلب ٣ سنوات"


def stored(app) -> tuple[list[Response], dict]:
    """All responses, and field id -> sorted list of (shown, value) over their answers (value: first typed column)."""
    with app.app_context():
        responses = db.session.scalars(select(Response)).all()
        values: dict = {}
        for a in db.session.scalars(select(Answer)):
            typed = next((v for v in (a.value_text, a.value_num, a.value_date, a.value_long) if v is not None), None)
            values.setdefault(a.field_id, []).append((a.shown, typed))
        return responses, {k: sorted(v, key=repr) for k, v in values.items()}


def fill_page_one(page, trade="Metall"):
    page.get_by_label("Teilnahme-Code").press_sequentially("K7Q2-X")
    page.get_by_label("Spitzname").press_sequentially("Sami")
    page.get_by_label("Erzählen Sie").fill(ARABIC_STORY)
    page.get_by_label("Jahre Erfahrung").fill("3,5")
    page.locator("label.option", has_text=trade).click()
    if trade == "Metall":
        page.get_by_label("Was haben Sie mit Metall gemacht?").fill("Geländer geschweißt")
    page.locator("label.option", has_text="Messen").click()
    page.locator("label.option", has_text="Schweißen").click()


def fill_page_two(page):
    # The happiest of three faces; the scale's ends ("1 = gar nicht", "3 = sehr") are written above them.
    page.get_by_role("group", name="Ich baue gern Dinge.").get_by_text("3", exact=True).click()
    page.get_by_role("group", name="Haben Sie einen Führerschein?").get_by_text("Yes").click()
    page.get_by_label("Ab wann können Sie anfangen?").fill("2027-08-01")
    page.get_by_role("group", name="Sägen").get_by_text("täglich").click()
    page.get_by_role("group", name="Bohren").get_by_text("nie").click()
    page.get_by_text("I agree.").click()


def test_a_person_fills_in_both_pages_and_sees_the_thank_you_page(app, page, make_link):
    page.goto(make_link(language="en"))
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    fill_page_one(page)
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    fill_page_two(page)
    page.get_by_role("button", name="Send answers").click()

    expect(page.get_by_role("heading", name="Thank you!")).to_be_visible()
    expect(page.get_by_text("Your answers have been saved.")).to_be_visible()
    [response], values = stored(app)
    assert (response.form_id, response.version, response.language) == ("everything", 1, "en")
    assert response.participant_code == "K7Q2-X"
    assert values["name"] == [(True, "Sami")]
    assert values["story"] == [(True, ARABIC_STORY)]
    assert values["years"] == [(True, 3.5)]
    assert values["trade"] == [(True, "metal")]
    assert values["metal_detail"] == [(True, "Geländer geschweißt")]
    assert values["skills"] == [(True, "measure"), (True, "weld")]
    assert values["likes_building"] == [(True, 3.0)]
    assert values["licence"] == [(True, "yes")]
    assert values["start"] == [(True, date(2027, 8, 1))]
    assert values["often.saw"] == [(True, 4.0)] and values["often.drill"] == [(True, 1.0)]
    assert values["consent"] == [(True, "yes")]


def test_the_metal_question_appears_only_while_metal_is_chosen(page, make_link):
    page.goto(make_link(language="en"))
    metal_question = page.get_by_label("Was haben Sie mit Metall gemacht?")
    expect(metal_question).to_be_hidden()
    page.locator("label.option", has_text="Holz").click()
    expect(metal_question).to_be_hidden()
    page.locator("label.option", has_text="Metall").click()
    expect(metal_question).to_be_visible()
    page.locator("label.option", has_text="Pflege").click()
    expect(metal_question).to_be_hidden()


def test_without_javascript_the_form_still_works_and_skips_the_metal_question(app, new_context, make_link):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(make_link(language="en"))
    # Nothing can hide it without JavaScript; the server decides that it was not asked.
    expect(page.get_by_label("Was haben Sie mit Metall gemacht?")).to_be_visible()
    fill_page_one(page, trade="Holz")
    page.get_by_role("button", name="Next").click()
    fill_page_two(page)
    page.get_by_role("button", name="Send answers").click()

    expect(page.get_by_role("heading", name="Thank you!")).to_be_visible()
    [_response], values = stored(app)
    assert values["trade"] == [(True, "wood")]
    assert values["metal_detail"] == [(False, None)]


def test_a_wrong_answer_is_explained_beside_the_field_and_the_typing_is_kept(page, make_link):
    page.goto(make_link(language="en"))
    fill_page_one(page)
    years = page.get_by_label("Jahre Erfahrung")
    years.fill("99")
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_role("alert")).to_contain_text("Please look at the marked questions.")
    message = page.locator("#q-years .field-error")
    expect(message).to_have_text("Please enter a number from 0 to 40.")
    expect(years).to_have_accessible_description("Please enter a number from 0 to 40.")
    expect(years).to_have_attribute("aria-invalid", "true")
    expect(years).to_have_value("99")
    expect(page.get_by_label("Spitzname")).to_have_value("Sami")
    expect(page.get_by_label("Erzählen Sie")).to_have_value(ARABIC_STORY)
    expect(page.get_by_label("Metall", exact=True)).to_be_checked()
    expect(page.get_by_label("Schweißen")).to_be_checked()
    expect(page.get_by_label("Fahren")).not_to_be_checked()
    # The message sits next to its field, not somewhere else on the page.
    field_box, message_box = page.locator("#q-years").bounding_box(), message.bounding_box()
    assert field_box["y"] <= message_box["y"] <= field_box["y"] + field_box["height"]


def _press(page, nav):
    # By value, not by name: the axe checks run in Arabic too, where the button text is translated.
    page.locator(f"button[name=_nav][value={nav}]").click()


def _form_page(page, url):
    page.goto(url)


def _validation_errors(page, url):
    page.goto(url)
    page.get_by_label("Jahre Erfahrung").fill("viele")
    _press(page, "next")
    expect(page.locator(".field-error").first).to_be_visible()


def _second_page(page, url):
    page.goto(url)
    fill_page_one(page)
    _press(page, "next")
    expect(page.locator("button[value=submit]")).to_be_visible()


def _thank_you_page(page, url):
    # The way there is tested above; this only checks the page itself.
    assert page.goto(url + "/thanks").status == 200


def _error_page(page, url):
    assert page.goto(url + "-not-a-real-token").status == 404


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("reach", [_form_page, _validation_errors, _second_page, _thank_you_page, _error_page],
                         ids=lambda f: f.__name__.strip("_"))
def test_axe_finds_no_serious_accessibility_problem(page, make_link, axe, reach, language):
    reach(page, make_link(language=language))
    found = [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in axe(page)
             if v["impact"] in ("serious", "critical")]
    assert found == []


def test_an_arabic_link_lays_the_page_out_right_to_left(page, make_link):
    page.goto(make_link(language="ar"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    # Mirrored, not just flagged: each radio button sits to the right of its label text.
    radio = page.get_by_label("Holz").bounding_box()
    text = page.locator("label.option", has_text="Holz").locator(".option-label").bounding_box()
    assert radio["x"] > text["x"] + text["width"]
