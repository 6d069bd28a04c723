"""A hospitation's two sides on a tablet: the participant's picture feedback on a kiosk in German and Arabic (right to
left), and the company's feedback v3 with "nicht beurteilbar" on each rating.

Screenshots go to /tmp/voice-<lang>-<nn>.png and /tmp/feedback-v3-<nn>.png (for a person to look at, not into git).
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from proconnect.companies.models import Company, name_key
from proconnect.extensions import db
from shipped_forms import forms_dir  # noqa: F401

from .kiosk_steps import next_screen, no_sideways_scrolling

#: A tablet held upright: the width the kiosks stand at.
UPRIGHT = {"width": 800, "height": 1280}


@pytest.fixture
def nord(app):
    with app.app_context():
        db.session.add(Company(name="Metallbau Nord", name_key=name_key("Metallbau Nord"), place="Westerstede",
                               trades=["metal"]))
        db.session.commit()


@pytest.mark.parametrize("lang, next_label, yes", [("de", "Weiter", "Ja"), ("ar", "التالي", "نعم")])
def test_a_participant_gives_picture_feedback_on_a_kiosk(new_context, make_link, nord, lang, next_label, yes):
    page = new_context(viewport=UPRIGHT).new_page()
    page.goto(make_link("hospitation-voice", kiosk=True) + f"?lang={lang}")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    screens = []
    for number in range(1, 6):
        screen = page.locator(".form-page:not([hidden])")
        screens.append(screen.locator("h2.page-title").inner_text() if screen.locator("h2.page-title").count() else "")
        if screen.locator("#q-company").count():
            screen.locator("#q-company label.option", has_text="Metallbau Nord").click()
        for question in ("liked_work", "liked_people", "way", "again", "learn_trade"):
            options = screen.locator(f"#q-{question} label.option")
            if options.count():
                # Every answer is a picture with its words; the first is the thumbs up, "yes".
                expect(options.first.locator("img.pictogram")).to_be_visible()
                expect(options.first).to_contain_text(yes)
                options.first.click()
        assert no_sideways_scrolling(page), screens[-1]
        page.screenshot(path=f"/tmp/voice-{lang}-{number:02d}.png", full_page=True)
        if screen.locator("#q-hard").count():
            screen.locator("#q-hard label.option").first.click()
            # On the last screen the kiosk's forward button sends the answers.
            page.locator("button.button-primary:visible").last.click()
            break
        next_screen(page, next_label)
    assert len(screens) == 3
    expect(page.locator("body")).not_to_contain_text("Metallbau Nord", timeout=15000)
    page.screenshot(path=f"/tmp/voice-{lang}-thanks.png", full_page=True)


def test_a_trainer_can_say_a_rating_could_not_be_judged(new_context, make_link, nord):
    page = new_context(viewport=UPRIGHT).new_page()
    page.goto(make_link("hospitation-feedback"))
    page.locator("#q-took_place label.option", has_text="Ja").click()
    page.screenshot(path="/tmp/feedback-v3-01.png", full_page=True)
    page.get_by_role("button", name="Weiter").click()
    skills = page.locator("#q-rating-skills")
    # The row's radio group is named by its row; "nicht beurteilbar" is its own button after the points.
    expect(skills.get_by_role("radio", name="nicht beurteilbar")).to_have_count(1)
    skills.locator("label.option-unsure").click()
    expect(skills.get_by_role("radio", name="nicht beurteilbar")).to_be_checked()
    page.locator("#q-next_step label.option", has_text="Später, nach einem Deutschkurs").click()
    assert no_sideways_scrolling(page)
    page.screenshot(path="/tmp/feedback-v3-02.png", full_page=True)
