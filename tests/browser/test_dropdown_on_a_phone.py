"""A company's HR person answers on a phone: the Gemeinde is the phone's own dropdown, not a screen-long list of
buttons. The choice survives "Next" and "Back", "Woanders" opens the place question, a kiosk asks for a choice
before it moves on, and axe finds nothing serious (German and Arabic). Screenshots: /tmp/dropdown-*.png."""
from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect
from test_dropdown import forms_dir  # noqa: F401

from .conftest import PHONE

SHOTS = Path("/tmp")
GEMEINDE = "In welcher Gemeinde ist Ihr Betrieb?"
ON_A_PHONE = {"viewport": PHONE, "is_mobile": True, "has_touch": True}


def serious(page, axe) -> list:
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in axe(page) if v["impact"] in ("serious", "critical")]


def test_on_a_phone_the_gemeinde_is_picked_from_a_dropdown_and_kept_after_next_and_back(new_context, make_link, axe):
    page = new_context(**ON_A_PHONE).new_page()
    page.goto(make_link("betrieb"))
    dropdown = page.get_by_role("combobox", name=GEMEINDE)
    expect(dropdown).to_have_value("")
    expect(dropdown.locator("option").first).to_have_text("Bitte wählen")
    assert page.get_by_role("radio").count() == 0
    assert serious(page, axe) == []

    page.get_by_label("Name des Betriebs").fill("Metallbau Geduld")
    dropdown.select_option(label="Edewecht")
    expect(page.get_by_label("In welchem Ort ist Ihr Betrieb?")).to_be_hidden()
    page.screenshot(path=str(SHOTS / "dropdown-phone.png"), full_page=True)
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_label("Wie viele Ausbildungsplätze?")).to_be_visible()
    page.get_by_role("button", name="Zurück").click()
    expect(page.get_by_role("combobox", name=GEMEINDE)).to_have_value("edewecht")
    expect(page.get_by_label("Name des Betriebs")).to_have_value("Metallbau Geduld")


def test_woanders_shows_the_place_question_at_once(new_context, make_link):
    page = new_context(**ON_A_PHONE).new_page()
    page.goto(make_link("betrieb"))
    place = page.get_by_label("In welchem Ort ist Ihr Betrieb?")
    expect(place).to_be_hidden()
    page.get_by_role("combobox", name=GEMEINDE).select_option("elsewhere")
    expect(place).to_be_visible()
    page.get_by_role("combobox", name=GEMEINDE).select_option("")
    expect(place).to_be_hidden()


def test_a_page_with_an_error_comes_back_with_the_gemeinde_still_chosen(new_context, make_link):
    page = new_context(**ON_A_PHONE).new_page()
    page.goto(make_link("betrieb"))
    page.get_by_role("combobox", name=GEMEINDE).select_option(label="Bad Zwischenahn")
    page.get_by_role("button", name="Weiter").click()  # the company's name is missing
    expect(page.get_by_text("Bitte beantworten Sie diese Frage.")).to_be_visible()
    expect(page.get_by_role("combobox", name=GEMEINDE)).to_have_value("bad_zwischenahn")


def test_right_to_left_the_dropdown_reads_from_the_right_and_says_please_choose_in_arabic(new_context, make_link,
                                                                                          axe):
    page = new_context(**ON_A_PHONE).new_page()
    page.goto(make_link("betrieb", language="ar"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    dropdown = page.get_by_role("combobox", name=GEMEINDE)
    expect(dropdown.locator("option").first).to_have_text("يرجى الاختيار")
    assert page.evaluate("getComputedStyle(document.getElementById('municipality')).direction") == "rtl"
    # It spans its question's width: the arrow at the left end, the text from the right.
    box, question = dropdown.bounding_box(), page.locator("#q-municipality").bounding_box()
    assert box["width"] > question["width"] * 0.8
    assert serious(page, axe) == []
    page.screenshot(path=str(SHOTS / "dropdown-phone-ar.png"), full_page=True)


def test_a_kiosk_screen_asks_for_a_gemeinde_before_it_moves_on_and_keeps_it(page, make_link):
    page.goto(make_link("betrieb", kiosk=True, kiosk_reset_seconds=2) + "?lang=en")
    page.wait_for_load_state()
    page.get_by_role("textbox", name="Name des Betriebs").fill("Metallbau Geduld")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Please answer this question.")).to_be_visible()
    dropdown = page.get_by_role("combobox", name=GEMEINDE)
    expect(dropdown).to_be_focused()
    expect(dropdown).to_have_attribute("aria-invalid", "true")

    dropdown.select_option(label="Westerstede")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("textbox", name="Wie viele Ausbildungsplätze?")).to_be_visible()
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_role("combobox", name=GEMEINDE)).to_have_value("westerstede")
