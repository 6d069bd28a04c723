"""The competence check (v3 and the newest, v4) on a tablet, in German and in Arabic (right to left): a person
walks every screen.

Screenshots of each screen go to /tmp/check-v<N>-<lang>-<nn>.png (for a person to look at, not into git).
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from shipped_forms import forms_dir  # noqa: F401

from .kiosk_steps import next_screen, no_sideways_scrolling

#: Version -> its first interest item and how many screens a person sees who worked in a kitchen and a warehouse
#: (one screen per trade): v4 leaves out the skills screen and one of the three interest screens.
VERSIONS = {3: ("like_r1", 16 + 2), 4: ("like_r2", 14 + 2)}


@pytest.mark.parametrize("version", sorted(VERSIONS))
@pytest.mark.parametrize("lang, next_label, dont_know", [("de", "Weiter", "Weiß nicht"), ("ar", "التالي", "لا أعرف")])
def test_a_person_walks_every_screen_of_the_check_on_a_tablet(page, make_link, version, lang, next_label, dont_know):
    first_like, expected_screens = VERSIONS[version]
    page.goto(make_link("competence-check", version=version) + f"?lang={lang}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    page.locator("input[name='age_band'][value='age_18_24']").check(force=True)
    screens = []
    for number in range(1, 40):
        page.wait_for_load_state()
        title = page.locator("h2.page-title").inner_text() if page.locator("h2.page-title").count() else ""
        screens.append(title)
        if page.locator("input[type=checkbox][name='trades']").count():
            for trade in ("gastronomy", "logistics"):
                page.locator(f"input[type=checkbox][name='trades'][value='{trade}']").check(force=True)
        if page.locator(f"input[type=radio][name='{first_like}']").count():
            # "Don't know" is its own button, with a question mark instead of a face.
            unsure = page.locator("label.option", has_text=dont_know).first
            expect(unsure.locator("img.face")).to_have_attribute("src", "/static/faces/unsure.svg")
            unsure.click()
        assert no_sideways_scrolling(page), title
        page.screenshot(path=f"/tmp/check-v{version}-{lang}-{number:02d}.png", full_page=True)
        if page.locator("input[type=checkbox][name='consent']").count():
            page.locator("input[name='consent']").check()
            page.locator("button[value=submit]").click()
            break
        page.get_by_role("button", name=next_label).click()
    page.wait_for_url("**/thanks**")
    assert len(screens) == expected_screens, screens


def test_a_kiosk_shows_only_the_trade_screens_a_person_chose(page, make_link):
    # The kiosk lays out every page at once and counts a page as a screen when a question on it shows: a
    # trade's page whose matrix its show_if hides must not count (its rows once did: 13 empty screens).
    page.goto(make_link("competence-check", kiosk=True) + "?lang=de")
    page.wait_for_load_state()
    titles = []
    for _ in range(30):
        screen = page.locator(".form-page:not([hidden])")
        titles.append(screen.locator("h2.page-title").inner_text() if screen.locator("h2.page-title").count() else "")
        assert screen.locator("[id^='q-']:visible").count(), f"an empty screen: {titles[-1]}"
        for trade in ("Küche und Gastronomie", "Lager und Logistik"):
            card = screen.locator("#q-trades label.option", has_text=trade)
            if card.count() and not card.locator("input").is_checked():
                card.click()
        if screen.locator(".question-consent").count():
            break
        next_screen(page, "Weiter")
    expect(page.locator("#progress-text")).to_have_text("Seite 16 von 16")
    assert [t for t in titles if t.startswith("Arbeit ")] == ["Arbeit im Lager", "Arbeit in der Küche"]
