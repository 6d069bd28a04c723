"""The participant's own hospitation link on a phone, in Tigrinya: the company (no record in the list) is shown as the
answer, fixed, under the sentence naming it; the person answers only the questions about the days there. The page's
buttons (three on a personal link's later pages: "Send", "Back", "Save and continue later") stay on the screen.

Screenshots go to /tmp/hospitation-link-ti-<nn>.png (for a person to look at, not into git).
"""
from __future__ import annotations

from datetime import date

from playwright.sync_api import expect
from sqlalchemy import select

from proconnect.cohorts.models import Cohort
from proconnect.extensions import db
from proconnect.links.models import Link
from proconnect.matching.models import Hospitation
from proconnect.responses.models import Response
from shipped_forms import forms_dir  # noqa: F401

from .conftest import PHONE
from .kiosk_steps import no_sideways_scrolling
from .test_coordinator import serious


def _hospitation_at_a_company_without_a_record(app, make_link) -> str:
    """The voice link of a hospitation at "Pflege Süd", which answered the survey through a plain link."""
    survey = make_link("company-readiness").rsplit("/", 1)[1]
    voice = make_link("hospitation-voice", max_responses=1)
    with app.app_context():
        cohort = db.session.scalar(select(Cohort.id))
        survey_id = db.session.scalar(select(Link.id).filter_by(token=survey))
        voice_id = db.session.scalar(select(Link.id).filter_by(token=voice.rsplit("/", 1)[1]))
        db.session.add(Hospitation(cohort_id=cohort, participant_code="K7Q2-X9", company_id=survey_id,
                                   company_name="Pflege Süd", kind="hospitation", trade="care",
                                   starts_on=date(2027, 5, 3), ends_on=date(2027, 5, 7), voice_link_id=voice_id))
        db.session.commit()
    return voice


def _within_the_screen(page, selector: str) -> bool:
    return page.evaluate("""s => [...document.querySelectorAll(s)].every(b => {
        const r = b.getBoundingClientRect(); return r.left >= 0 && r.right <= document.documentElement.clientWidth; })""",
                         selector)


def test_on_a_phone_the_participant_sees_the_company_fixed_and_answers_the_rest(app, new_context, make_link, axe):
    page = new_context(viewport=PHONE).new_page()
    page.goto(_hospitation_at_a_company_without_a_record(app, make_link) + "?lang=ti")
    question = page.locator("#q-company")
    expect(question.locator(".fixed-value")).to_have_text("Pflege Süd")
    # Nothing to tick or type for the company: no radio buttons, no "other" box.
    assert question.locator("input:not([type=hidden])").count() == 0
    assert no_sideways_scrolling(page) and not serious(axe(page))
    page.screenshot(path="/tmp/hospitation-link-ti-01.png", full_page=True)
    for number, answers in enumerate((("liked_work",), ("again",)), start=2):
        page.locator("button.button-primary").last.click()
        for name in answers:
            page.locator(f"#q-{name} label.option").first.click()
        page.screenshot(path=f"/tmp/hospitation-link-ti-{number:02d}.png", full_page=True)
        # "Next", "Back" and "Save and continue later" are three buttons on a personal link: each within reach.
        assert page.locator(".nav-buttons button").count() == 3 and _within_the_screen(page, ".nav-buttons button")
    page.locator("button.button-primary").last.click()
    expect(page.locator("#q-again")).to_have_count(0)
    with app.app_context():
        answers = db.session.scalar(select(Response).filter_by(form_id="hospitation-voice")).payload["answers"]
    assert (answers["company"], answers["company.other"], answers["liked_work"], answers["again"]) == (
        "other", "Pflege Süd", "yes", "yes")
