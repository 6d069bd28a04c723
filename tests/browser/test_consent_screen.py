"""The consent screen: a long consent text scrolls in its box, and the keyboard reaches and scrolls it too."""
from __future__ import annotations

import tomllib

import pytest
from playwright.sync_api import expect

from conftest import FIXTURE_FORMS
from form_folders import copy_of
from shipped_forms import FORMS

from .test_kiosk import fill_first_screen


@pytest.fixture
def forms_dir(tmp_path):
    """The fixture forms, their consent as long as the competence check's (it scrolls in its box)."""
    folder = copy_of(FIXTURE_FORMS, tmp_path)
    check = tomllib.loads((FORMS / "competence-check" / "v2.toml").read_text(encoding="utf-8"))
    long_text = next(f["text"] for f in check["fields"] if f["id"] == "consent").strip()
    definition = folder / "everything" / "v1.toml"
    short = 'text = "Wir speichern Ihre Antworten.\\n\\nSie können die Einwilligung widerrufen."'
    source = definition.read_text(encoding="utf-8")
    assert short in source
    definition.write_text(source.replace(short, f'text = """\n{long_text}"""'), encoding="utf-8")
    return folder


def to_consent_screen(page, url):
    page.goto(url)
    fill_first_screen(page, "3")
    page.get_by_role("button", name="التالي").click()
    expect(page.get_by_text("الصفحة 2 من 2")).to_be_visible()


def test_the_keyboard_reaches_the_consent_text_and_scrolls_it(page, make_link):
    to_consent_screen(page, make_link(kiosk=True) + "?lang=ar")
    box = page.get_by_role("region", name="Einwilligung")
    assert box.evaluate("e => e.scrollHeight > e.clientHeight")  # the text is longer than its box
    page.get_by_role("group", name="Bohren").get_by_text("nie").click()
    for _ in range(10):
        page.keyboard.press("Tab")
        if box.evaluate("e => e === document.activeElement"):
            break
    expect(box).to_be_focused()
    page.keyboard.press("PageDown")
    page.wait_for_function("() => document.activeElement.scrollTop > 0")


def test_axe_finds_no_serious_problem_on_the_consent_screen(page, make_link, axe, screenshot):
    to_consent_screen(page, make_link(kiosk=True) + "?lang=ar")
    page.locator(".consent-text").scroll_into_view_if_needed()
    serious = [v for v in axe(page) if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in serious]
