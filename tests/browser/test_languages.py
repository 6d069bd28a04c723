"""The competence check in a real browser in Arabic, Tigrinya and Ukrainian: direction, script, fonts, answers.

Screenshots land in docs/screenshots/language-<code>.png (one per script: Arabic, Ethiopic, Cyrillic).
"""
from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect
from sqlalchemy import select

from proconnect.extensions import db
from proconnect.responses.models import Answer, Response
from shipped_forms import forms_dir  # noqa: F401

from .conftest import ROOT

FORM = "competence-check"
#: Language -> the font file its script needs, and a word in it.
SCRIPTS = {"ar": ("NotoSansArabic-", "العربية"), "ti": ("NotoSansEthiopic-", "ትግርኛ"),
           "uk": ("NotoSans-Cyrillic-", "Українська")}


def translated(lang: str, text: str) -> str:
    with (ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f).get(text, context=FORM).string


#: Answers a page in the browser itself (one round trip): clicks as a person would, so the page's own
#: script shows the questions that depend on them, and repeats for the questions that appear.
_ANSWER = """form => {
  for (let pass = 0; pass < 3; pass++) {
    const groups = new Map();
    for (const el of form.querySelectorAll('input[type=radio], input[type=checkbox]')) {
      if (!el.checkVisibility()) continue;
      if (!groups.has(el.name)) groups.set(el.name, []);
      groups.get(el.name).push(el);
    }
    const open = [...groups.values()].filter(g => !g.some(el => el.checked));
    const empty = [...form.querySelectorAll('input[type=text], textarea')]
      .filter(el => el.checkVisibility() && !el.value && el.name !== 'participant_code');
    if (!open.length && !empty.length) return;
    for (const g of open) (g[0].type === 'radio' ? g[Math.min(1, g.length - 1)] : g[0]).click();
    for (const el of empty) {
      el.value = el.inputMode === 'decimal' ? '3' : 'Test';
      el.dispatchEvent(new Event('input', {bubbles: true}));
    }
  }
}"""


def answer_the_page(page):
    """Answer what the page shows by position, never by wording: the second option of each radio group, the
    first box of each checkbox group, "3" in numbers, "Test" in texts. The same in every language."""
    page.locator("form.response-form").evaluate(_ANSWER)


def fill_the_competence_check(page, url: str, lang: str) -> int:
    """Go through every page the answers lead to and send; :return: the number of pages seen."""
    page.goto(url)
    for seen in range(1, 60):
        expect(page.locator("html")).to_have_attribute("lang", lang)
        assert page.locator(".untranslated").count() == 0, page.locator(".untranslated").first.inner_text()
        answer_the_page(page)
        page.locator("button[name=_nav][value=next], button[name=_nav][value=submit]").click()
        page.wait_for_load_state()
        if page.url.endswith("/thanks"):
            return seen
    raise AssertionError("the form never ended")


def stored(app) -> dict[str, list[tuple]]:
    """language -> its response's answers as (field, shown, text, number, date, long text)."""
    with app.app_context():
        out = {}
        for response in db.session.scalars(select(Response)):
            rows = db.session.scalars(select(Answer).filter_by(response_id=response.id))
            out[response.language] = sorted((a.field_id, a.shown, a.value_text, a.value_num, a.value_date,
                                             a.value_long) for a in rows)
        return out


def test_the_competence_check_in_arabic_stores_what_the_same_answers_in_german_store(app, page, make_link):
    page.goto(make_link(FORM, language="ar"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text(translated("ar", "Kompetenz-Check"))
    page.locator("button[name=_nav][value=next]").click()
    expect(page.locator("#q-first_language legend")).to_contain_text(translated("ar", "Was ist Ihre erste Sprache?"))
    assert page.locator("#q-first_language legend").evaluate("e => getComputedStyle(e).direction") == "rtl"

    pages_ar = fill_the_competence_check(page, make_link(FORM, language="ar"), "ar")
    pages_de = fill_the_competence_check(page, make_link(FORM, language="de"), "de")
    answers = stored(app)
    assert pages_ar == pages_de > 10
    assert set(answers) == {"ar", "de"}
    assert ("first_language", True, "fa", None, None, None) in answers["ar"]
    assert answers["ar"] == answers["de"]


def test_right_to_left_puts_forward_on_the_left_and_questions_on_the_right(page, make_link):
    positions = {}
    for lang in ("ar", "de"):
        page.goto(make_link(FORM, language=lang))
        page.locator("button[name=_nav][value=next]").click()
        forward = page.locator("button[name=_nav][value=next]").bounding_box()
        back = page.locator("button[name=_nav][value=back]").bounding_box()
        # Where the words are, not the box: the label's box spans the whole line in both directions.
        words = page.locator("#q-first_language legend .question-label").evaluate(
            "e => { const r = document.createRange(); r.selectNodeContents(e); const b = r.getBoundingClientRect();"
            " return {x: b.x, width: b.width}; }")
        box = page.locator("#q-first_language").bounding_box()
        positions[lang] = (forward["x"] < back["x"],
                           box["x"] + box["width"] - (words["x"] + words["width"]) < words["x"] - box["x"])
    assert positions == {"ar": (True, True), "de": (False, False)}


@pytest.mark.parametrize("lang", SCRIPTS)
def test_each_script_is_drawn_with_the_fonts_the_app_serves(new_context, make_link, screenshot, lang):
    font, word = SCRIPTS[lang]
    page = new_context(locale={"ar": "ar-SY", "ti": "ti-ER", "uk": "uk-UA"}[lang]).new_page()
    fetched = []
    page.on("response", lambda r: fetched.append((r.url.rsplit("/", 1)[-1], r.status)) if ".woff2" in r.url else None)
    page.goto(make_link(FORM, language=lang))
    page.locator("button[name=_nav][value=next]").click()
    page.evaluate("document.fonts.ready.then(() => true)")
    family = {"ar": "Noto Sans Arabic", "ti": "Noto Sans Ethiopic", "uk": "Noto Sans"}[lang]
    assert page.evaluate("([f, w]) => document.fonts.check(`18px \"${f}\"`, w)", [family, word])
    assert any(name.startswith(font) and status == 200 for name, status in fetched), fetched
    assert not any(re.match(r"https?://(?!127\.0\.0\.1)", u) for u in page.evaluate(
        "performance.getEntriesByType('resource').map(e => e.name)"))
    expect(page.locator("h2.page-title")).to_have_text(translated(lang, "Sprachen"))
    screenshot(page, f"language-{lang}")


def test_the_language_buttons_switch_mid_form_without_losing_an_answer(app, page, make_link):
    page.goto(make_link(FORM, language="de"))
    page.locator("button[name=_nav][value=next]").click()
    page.locator("#q-first_language input[value=ti]").check()
    page.get_by_role("button", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("#q-first_language input[value=ti]")).to_be_checked()
    page.get_by_role("button", name="العربية").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#q-first_language input[value=ti]")).to_be_checked()
    expect(page.locator("#q-first_language legend")).to_contain_text(translated("ar", "Was ist Ihre erste Sprache?"))


def test_a_german_page_downloads_no_font_for_other_scripts(new_context, make_link):
    page = new_context().new_page()
    fetched = []
    page.on("response", lambda r: fetched.append(r.url.rsplit("/", 1)[-1]) if ".woff2" in r.url else None)
    page.goto(make_link(FORM, language="de"))
    expect(page.locator("#languages button[lang=ti]")).to_have_text("ትግርኛ")
    page.evaluate("document.fonts.ready.then(() => true)")
    assert fetched and all(name.startswith("NotoSans-Latin-") for name in fetched), fetched
