"""A test link on a phone, in Arabic and German: the banner is on the screen, in the page's direction, and the
layout keeps to the phone's width. Screenshots land in docs/screenshots/test-link-<lang>.png."""
from __future__ import annotations

import pytest

from shipped_forms import forms_dir  # noqa: F401

PHONE = {"width": 360, "height": 740}
#: Language -> the banner's first words and the page's direction.
BANNERS = {"ar": ("رابط تجريبي", "rtl"), "de": ("Testlink: Antworten hier", "ltr")}


@pytest.mark.parametrize("lang", sorted(BANNERS))
def test_a_test_links_form_page_says_so_on_a_phone_in_the_pages_direction(new_context, make_link, screenshot,
                                                                          lang):
    words, direction = BANNERS[lang]
    page = new_context(viewport=PHONE).new_page()
    page.goto(make_link("competence-check", language=lang, test=True))
    banner = page.locator(".test-banner")
    assert banner.is_visible() and words in banner.inner_text()
    assert banner.evaluate("el => getComputedStyle(el).direction") == direction
    box = banner.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # Nothing sticks out sideways: no horizontal scrolling on the phone.
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    screenshot(page, f"test-link-{lang}")


def test_a_test_kiosk_shows_the_banner_on_the_language_choice_and_each_screen(new_context, make_link):
    page = new_context().new_page()
    page.goto(make_link("competence-check", language="de", test=True, kiosk=True))
    assert page.locator(".test-banner").is_visible()
    page.locator(".kiosk-language[lang=ar]").click()
    page.wait_for_selector(".form-page")
    assert "رابط تجريبي" in page.locator(".test-banner").inner_text()
