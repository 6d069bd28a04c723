"""A tablet in kiosk mode, in a real Chromium: language choice, every screen, thank-you, reset for the next person."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from proconnect.extensions import db
from proconnect.responses.models import Response

from conftest import FIXTURE_FORMS
from form_folders import copy_of

from .kiosk_steps import tick

OUTBOX_SIZE = """() => new Promise(resolve => {
  const req = indexedDB.open("proconnect-kiosk", 1);
  req.onupgradeneeded = () => { req.result.createObjectStore("outbox", {keyPath: "key"}); req.result.createObjectStore("meta"); };
  req.onsuccess = () => { const r = req.result.transaction("outbox").objectStore("outbox").count();
                          r.onsuccess = () => { resolve(r.result); req.result.close(); }; };
})"""


def stored(app) -> list[Response]:
    with app.app_context():
        responses = db.session.scalars(select(Response).order_by(Response.id)).all()
        for r in responses:
            db.session.expunge(r)
        return responses


@pytest.fixture
def kiosk(make_link):
    """URL of a new kiosk link (German by default, 2 s on the thank-you screen)."""
    return make_link(kiosk=True, kiosk_reset_seconds=2)


def answer_every_screen_in_arabic(page, name="سامي"):
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_text("الصفحة 1 من 2")).to_be_visible()
    # The text shows while the page is still parsed; kiosk.js (deferred) then lays the screens out anew, and a
    # click aimed before that lands beside its target.
    page.wait_for_load_state()
    page.get_by_role("textbox", name="Spitzname").fill(name)
    tick(page.get_by_role("radio", name="Metall"))
    page.get_by_role("textbox", name="Was haben Sie mit Metall gemacht?").fill("لحام")
    tick(page.get_by_role("checkbox", name="Schweißen"))
    page.get_by_role("button", name="التالي").click()

    expect(page.get_by_text("الصفحة 2 من 2")).to_be_visible()
    page.locator("label.option:has(input[name=likes_building][value='3'])").click()
    page.get_by_role("group", name="Haben Sie einen Führerschein?").locator("label.option").first.click()
    page.get_by_role("group", name="Sägen").get_by_text("täglich").click()
    page.get_by_role("group", name="Bohren").get_by_text("nie").click()
    tick(page.locator(".question-consent input"))


def test_a_person_answers_in_arabic_and_the_next_person_starts_empty(app, page, kiosk, screenshot):
    page.goto(kiosk)
    history = page.evaluate("history.length")
    expect(page.get_by_role("link", name="العربية")).to_be_visible()
    screenshot(page, "kiosk-languages")
    page.get_by_role("link", name="العربية").click()
    answer_every_screen_in_arabic(page)
    first_key = page.locator("input[name=_key]").input_value()
    screenshot(page, "kiosk-form-ar")
    page.get_by_role("button", name="إرسال الإجابات").click()

    expect(page.get_by_role("heading", name="شكراً لك!")).to_be_visible()
    screenshot(page, "kiosk-thanks-ar")
    assert page.locator("form.response-form").count() == 0  # nothing of the person left on screen

    # The thank-you screen goes back to the language choice by itself.
    expect(page.get_by_role("link", name="العربية")).to_be_visible(timeout=6000)
    assert page.url == kiosk
    assert page.evaluate("history.length") == history  # no entry to go "back" to
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert page.evaluate(OUTBOX_SIZE) == 0
    [response] = stored(app)
    assert (response.language, response.payload["answers"]["name"]) == ("ar", "سامي")
    assert response.payload["answers"]["metal_detail"] == "لحام" and response.idempotency_key == first_key

    page.get_by_role("link", name="العربية").click()
    expect(page.get_by_role("textbox", name="Spitzname")).to_have_value("")
    expect(page.locator("label.option input:checked")).to_have_count(0)
    assert page.locator("input[name=_key]").input_value() != first_key


def test_a_screen_cannot_be_left_with_a_required_answer_missing(page, kiosk):
    page.goto(kiosk + "?lang=en")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Please answer this question.").first).to_be_visible()
    expect(page.get_by_label("Spitzname")).to_be_focused()
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()


def fill_first_screen(page, years):
    page.wait_for_load_state()
    page.get_by_role("textbox", name="Spitzname").fill("Sami")
    page.get_by_role("textbox", name="Jahre Erfahrung").fill(years)
    # check() verifies the answer took (a click on a card's label was once lost under CI load: "Holz" unticked).
    tick(page.get_by_role("radio", name="Holz"))
    tick(page.get_by_role("checkbox", name="Messen"))


def test_a_number_typed_as_words_is_named_on_its_own_screen(page, kiosk):
    page.goto(kiosk + "?lang=en")
    fill_first_screen(page, "drei")
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_text("Please enter a number, for example 3 or 2.5.")).to_be_visible()
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    expect(page.get_by_role("textbox", name="Jahre Erfahrung")).to_be_focused()
    expect(page.get_by_role("textbox", name="Spitzname")).to_have_value("Sami")  # nothing typed is lost

    page.get_by_role("textbox", name="Jahre Erfahrung").fill("3")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(page.get_by_text("Please enter a number, for example 3 or 2.5.")).to_have_count(0)


def test_a_number_out_of_range_is_named_in_the_persons_language(page, kiosk):
    page.goto(kiosk + "?lang=ar")
    fill_first_screen(page, "90")
    page.get_by_role("button", name="التالي").click()
    expect(page.get_by_text("الصفحة 1 من 2")).to_be_visible()
    error = page.locator("#q-years .k-error")
    expect(error).to_be_visible()
    assert "40" in error.inner_text() and "Please" not in error.inner_text()


def test_offline_the_screen_moves_on_and_the_answers_are_checked_when_sent(new_context, kiosk):
    # Without the service worker: requests that pass through it escape Playwright's routes.
    page = new_context(service_workers="block").new_page()
    page.route("**/check", lambda route: route.abort())
    page.goto(kiosk + "?lang=en")
    fill_first_screen(page, "drei")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()


def test_chromium_reads_the_kiosks_manifest_and_logs_no_error(page, kiosk):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(kiosk)
    page.wait_for_load_state("networkidle")
    cdp = page.context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"].endswith("/manifest.webmanifest") and manifest["errors"] == []
    parsed = manifest["parsed"] if "parsed" in manifest else {}
    assert parsed.get("display", "fullscreen") == "fullscreen"
    # Playwright's contexts are private windows, which never install anything; every other reason would show.
    reasons = [e["errorId"] for e in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]]
    assert [r for r in reasons if r != "in-incognito"] == []
    assert errors == []  # e.g. no /favicon.ico answered 404


def test_the_kiosk_shows_no_way_out_but_the_pin_screen(page, kiosk):
    page.goto(kiosk)
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    path = re.sub(r"^http://[^/]+", "", kiosk)
    assert all(h.startswith(path) for h in hrefs), hrefs
    page.get_by_role("link", name="Team").click()
    # The PIN screen names its tablet (the id its heartbeats registered), so wrong PINs slow this tablet only.
    expect(page.locator("#kiosk-device")).to_have_value(re.compile(r"^[A-Za-z0-9_-]{32}$"))
    page.get_by_label("Kiosk-PIN").fill("0000")
    page.get_by_role("button", name="Entsperren").click()
    expect(page.get_by_text("Diese PIN ist nicht richtig.")).to_be_visible()


def test_the_first_kiosk_screen_weighs_tens_of_kilobytes(page, kiosk):
    page.goto(kiosk)
    page.wait_for_load_state("networkidle")
    sizes = page.evaluate("""() => [performance.getEntriesByType('navigation')[0].transferSize,
        ...performance.getEntriesByType('resource').filter(r => !r.name.endsWith('/sw.js') && !r.name.endsWith('/sync'))
           .map(r => r.transferSize)]""")
    assert sum(sizes) < 50_000, page.evaluate("performance.getEntriesByType('resource').map(r => [r.name, r.transferSize])")


@pytest.mark.parametrize("screen", ["languages", "form", "thanks"])
def test_axe_finds_no_serious_problem_on_the_kiosk_screens(page, kiosk, axe, screen):
    page.goto(kiosk)
    if screen != "languages":
        page.get_by_role("link", name="العربية").click()
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
    if screen == "thanks":
        answer_every_screen_in_arabic(page)
        page.get_by_role("button", name="إرسال الإجابات").click()
        expect(page.get_by_role("heading", name="شكراً لك!")).to_be_visible()
    serious = [v for v in axe(page) if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in serious]


FAKE_VOICE = """
window.__spoken = [];
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
Object.defineProperty(window, "speechSynthesis", {value: {
  getVoices: () => [{lang: "ar-SA", name: "Test voice"}],
  speak: u => window.__spoken.push([u.text, u.lang]), cancel: () => {}, addEventListener: () => {},
}});
"""


@pytest.fixture
def forms_dir(tmp_path):
    """The fixture forms with one recorded question: audio/ar/name.ogg of the "everything" form."""
    folder = copy_of(FIXTURE_FORMS, tmp_path)
    (folder / "everything" / "audio" / "ar").mkdir(parents=True)
    (folder / "everything" / "audio" / "ar" / "name.ogg").write_bytes(b"OggS" + bytes(60))
    return folder


def test_read_aloud_plays_the_recording_where_there_is_one_and_the_voice_elsewhere(new_context, kiosk, screenshot):
    context = new_context()
    context.add_init_script(FAKE_VOICE)
    page = context.new_page()
    page.goto(kiosk + "?lang=ar")
    screenshot(page, "kiosk-read-aloud-ar", full_page=True)
    with page.expect_request("**/assets/everything/audio/ar/name.ogg"):
        page.get_by_role("button", name="قراءة بصوت عالٍ: Spitzname").click()
    assert page.evaluate("window.__spoken") == []
    page.get_by_role("button", name="قراءة بصوت عالٍ: Metall").click()
    page.get_by_role("button", name="قراءة بصوت عالٍ: Beruf").click()
    assert page.evaluate("window.__spoken") == [["Metall", "ar-SA"], ["Beruf", "ar-SA"]]


def test_without_a_voice_or_a_recording_no_speaker_is_shown(page, kiosk):
    page.goto(kiosk + "?lang=en")
    expect(page.get_by_label("Spitzname")).to_be_visible()
    assert page.locator("button.speak").count() == 0


def test_a_form_left_half_done_is_cleared_for_the_next_person(app, page, kiosk):
    app.config["KIOSK_IDLE_SECONDS"] = 2
    page.goto(kiosk + "?lang=en")
    page.get_by_role("textbox", name="Spitzname").fill("Walked Away")
    expect(page.get_by_role("link", name="English")).to_be_visible(timeout=6000)
    assert page.get_by_text("Walked Away").count() == 0 and stored(app) == []


FAKE_CAMERA = """
window.BarcodeDetector = class { detect() { return Promise.resolve([{rawValue: " k7q2-m "}]); } };
navigator.mediaDevices.getUserMedia = () => {
  const canvas = document.createElement("canvas"); canvas.width = 64; canvas.height = 64;
  canvas.getContext("2d").fillRect(0, 0, 64, 64);
  return Promise.resolve(canvas.captureStream());
};
"""


def test_the_camera_reads_a_participant_card_into_the_code_field(new_context, kiosk):
    context = new_context()
    context.add_init_script(FAKE_CAMERA)
    page = context.new_page()
    page.goto(kiosk + "?lang=en")
    page.get_by_role("button", name="Scan your card").click()
    expect(page.get_by_role("textbox", name="Teilnahme-Code")).to_have_value("K7Q2-M")
    expect(page.locator(".scan-box")).to_have_count(0)
