"""Recording read-aloud texts in a real browser, with Chromium's fake microphone (a steady tone), and hearing
the take on the kiosk."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from staff_helpers import PASSWORD, people  # noqa: F401

from .conftest import CHROMIUM, CHROMIUM_ARGS

#: Chromium grants the microphone without asking and feeds it a generated tone.
MICROPHONE = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
DESKTOP = {"width": 1280, "height": 900}
HANDBOOK_SHOTS = Path(__file__).resolve().parents[2] / "proconnect" / "static" / "handbook"


@pytest.fixture(scope="module")
def microphone_browser(playwright):
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS + MICROPHONE)
    yield browser
    browser.close()


@pytest.fixture
def recorder(microphone_browser, live_server, people):  # noqa: F811
    """A coordinator's page in the microphone browser, signed in."""
    context = microphone_browser.new_context(locale="en-GB", viewport=DESKTOP, permissions=["microphone"])
    context.set_default_timeout(15000)
    page = context.new_page()
    page.goto(f"{live_server}/login?lang=en")
    page.get_by_label("Account name").fill("coord1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    yield page
    context.close()


def test_a_prompt_recorded_in_pashto_plays_back_counts_and_is_heard_on_the_kiosk(recorder, live_server, make_link,
                                                                                  new_context, axe, screenshot):
    page = recorder
    page.goto(f"{live_server}/staff/forms/everything/v1?lang=en")
    page.get_by_role("link", name="Record the texts in every language, and invite volunteers to record").click()
    page.get_by_role("link", name="Record in پښتو").click()
    coverage = page.locator("#coverage")
    total = int(coverage.locator("[data-total]").inner_text())
    expect(coverage).to_contain_text(f"0 of {total} texts have a recording.")
    violations = [f"{v['id']}: {v['help']}" for v in axe(page) if v["impact"] in ("serious", "critical")]
    assert not violations, violations

    take = page.locator("li.take[data-key='trade']")
    expect(take.locator(".take-text")).to_have_text("Beruf")
    take.get_by_role("button", name="Record").click()
    expect(take.get_by_role("button", name="Stop")).to_be_visible()
    page.wait_for_timeout(1500)
    take.get_by_role("button", name="Stop").click()
    expect(take.locator("[data-status]")).to_have_text("Recorded")
    expect(coverage).to_contain_text(f"1 of {total} texts have a recording.")
    assert page.locator("#coverage-bar").evaluate("bar => [bar.value, bar.max]") == [1, total]
    player = take.locator("audio")
    expect(player).to_have_attribute("src", re.compile(r"/recordings/everything/ps/trade\.[0-9a-f]{8}\.webm$"))
    url = player.get_attribute("src")

    # Play it back: the browser decodes the take and it runs.
    played = player.evaluate("""audio => audio.play().then(() => new Promise(done => setTimeout(() => {
        done([audio.currentTime > 0, audio.error === null]); audio.pause(); }, 700)))""")
    assert played == [True, True]
    take.screenshot(path="/tmp/recording-take.png")
    page.evaluate("scrollTo(0, 0)")
    page.screenshot(path="/tmp/recording-page.png")
    # For the README (docs/screenshots/) and the handbook's read-aloud page (static/handbook/).
    shutil.copy(screenshot(page, "recording-page"), HANDBOOK_SHOTS / "read-aloud.png")

    # Re-record: a new take replaces the old one; the count stays.
    take.get_by_role("button", name="Record").click()
    page.wait_for_timeout(800)
    take.get_by_role("button", name="Stop").click()
    expect(player).not_to_have_attribute("src", url)
    expect(coverage).to_contain_text(f"1 of {total} texts have a recording.")
    url = player.get_attribute("src")

    # A page title and a matrix row too.
    for key in ("page-1", "often.saw"):
        other = page.locator(f"li.take[data-key='{key}']")
        other.get_by_role("button", name="Record").click()
        page.wait_for_timeout(600)
        other.get_by_role("button", name="Stop").click()
        expect(other.locator("[data-status]")).to_have_text("Recorded")
    expect(coverage).to_contain_text(f"3 of {total} texts have a recording.")

    # The kiosk in Pashto plays the take for "Beruf" (tablets here have no Pashto voice), and has a speaker
    # beside the recorded page title and matrix row, and nowhere else.
    kiosk = new_context().new_page()
    kiosk.goto(make_link(kiosk=True) + "?lang=ps")
    speaker = kiosk.locator("#q-trade > button.speak")
    expect(speaker).to_be_visible()
    assert kiosk.locator("button.speak").count() == 3
    assert kiosk.locator("#q-often-saw > legend + button.speak").count() == 1
    assert kiosk.locator(".question-head:has(> .page-title) > button.speak").count() == 1
    with kiosk.expect_response(lambda r: r.url.endswith(url)) as heard:
        speaker.click()
    assert heard.value.status in (200, 206) and heard.value.headers["content-type"] == "audio/webm"
