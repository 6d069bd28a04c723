"""A coordinator in a real browser: signs in, creates a cohort and a link, signs out. Also makes the
handbook's screenshots from the real pages (``proconnect/static/handbook/*.png``)."""
from __future__ import annotations

from pathlib import Path

import pytest

from staff_helpers import PAGE_ONE, PAGE_TWO, PASSWORD, add_outcome, people, seed  # noqa: F401

HANDBOOK_SHOTS = Path(__file__).resolve().parents[2] / "proconnect" / "static" / "handbook"
DESKTOP = {"width": 1280, "height": 860}


def sign_in(page, base: str, username: str):
    page.goto(f"{base}/login?lang=en")
    page.get_by_label("Account name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def serious(violations) -> list[str]:
    return [f"{v['id']}: {v['help']}" for v in violations if v["impact"] in ("serious", "critical")]


def test_a_coordinator_signs_in_creates_a_cohort_and_a_link_and_signs_out(live_server, people, new_context, axe):
    page = new_context(viewport=DESKTOP).new_page()
    page.goto(f"{live_server}/staff/")
    assert page.url.startswith(f"{live_server}/login")
    assert not serious(axe(page))
    sign_in(page, live_server, "coord1")
    assert page.url == f"{live_server}/staff/"
    assert page.get_by_role("heading", name="Oldenburg 2027").is_visible()

    page.get_by_role("link", name="New cohort").first.click()
    page.get_by_label("Short name").fill("dh-2028")
    page.get_by_label("Title").fill("Delmenhorst 2028")
    page.get_by_label("Keep responses for (months)").fill("24")
    page.get_by_role("button", name="Create cohort").click()
    assert page.url == f"{live_server}/staff/cohorts/dh-2028"
    assert page.get_by_text("The cohort Delmenhorst 2028 was created.").is_visible()

    page.get_by_label("Form", exact=True).select_option("everything")
    page.get_by_label("Language", exact=True).select_option("ar")
    page.get_by_label("Event", exact=True).fill("Info event Delmenhorst, 3 March")
    page.get_by_role("button", name="Create link").click()
    assert page.get_by_text("The link was created.").is_visible()
    row = page.locator("#links ~ .table-wrap tbody tr").first
    assert "Info event Delmenhorst, 3 March" in row.inner_text() and "/f/" in row.inner_text()
    assert not serious(axe(page))

    link = row.locator("td.url").inner_text()
    form = new_context().new_page()
    assert form.goto(live_server + "/f/" + link.split("/f/", 1)[1]).status == 200
    assert "Alle Feldtypen" in form.content()

    page.get_by_role("button", name="Sign out").click()
    assert page.url == f"{live_server}/login"
    assert page.get_by_text("You are signed out.").is_visible()
    page.goto(f"{live_server}/staff/cohorts/dh-2028")
    assert page.url.startswith(f"{live_server}/login")


@pytest.fixture
def handbook_shot(screenshot, axe):
    """``shot(page, name)``: a screenshot of the viewport for the handbook (static/handbook/<name>.png),
    after checking the page with axe-core."""
    def take(page, name: str):
        assert not serious(axe(page)), name
        path = screenshot(page, f"handbook-{name}")
        HANDBOOK_SHOTS.mkdir(parents=True, exist_ok=True)
        path.replace(HANDBOOK_SHOTS / f"{name}.png")
    return take


def test_the_handbooks_screenshots_come_from_the_real_pages(app, live_server, people, seed, filler, new_context,
                                                            handbook_shot):
    app.config["INSTRUMENT_ROLES"] = {"training_feedback": "everything"}
    cohort = people["ol-2027"]
    for code, trade in (("K7Q2-H", "metal"), ("B8M3-Q", "wood"), ("2A3B-X", "care"), ("4C5D-K", "metal")):
        seed(cohort, code=code, trade=trade)
    for code, status in (("K7Q2-H", "apprenticeship"), ("B8M3-Q", "svb_job"), ("2A3B-X", "apprenticeship")):
        add_outcome(app, cohort, code, status)
    # The handbook is German first: the pages are shown in German wherever the catalog has the text.
    page = new_context(viewport=DESKTOP).new_page()
    sign_in(page, live_server, "coord1")
    page.goto(f"{live_server}/staff/cohorts/ol-2027?lang=de")
    handbook_shot(page, "cohort")
    page.goto(f"{live_server}/staff/cohorts/ol-2027/participants")
    handbook_shot(page, "participants")
    page.goto(f"{live_server}/staff/cohorts/ol-2027/participants/K7Q2-H/erase")
    handbook_shot(page, "erase")

    trainer = new_context(viewport=DESKTOP).new_page()
    sign_in(trainer, live_server, "trainer1")
    trainer.goto(f"{live_server}/staff/sessions/new")
    trainer.get_by_label("Topic").fill("Interkulturelle Kommunikation im Betrieb")
    trainer.get_by_label("Date").fill("2027-03-03")
    trainer.get_by_role("button", name="Create session").click()
    token = trainer.locator(".url a").inner_text().rsplit("/", 1)[1]
    for trade in ("metal", "wood", "wood", "care"):
        f = filler(token)
        f.open()
        f.post({**PAGE_ONE, "trade": trade, "participant_code": ""})
        f.post(PAGE_TWO, nav="submit")
    trainer.goto(f"{trainer.url}?lang=de")
    handbook_shot(trainer, "session")

    admin = new_context(viewport=DESKTOP).new_page()
    sign_in(admin, live_server, "admin1")
    admin.goto(f"{live_server}/staff/accounts?lang=de")
    handbook_shot(admin, "accounts")
    for name in ("cohort", "participants", "erase", "session", "accounts"):
        assert (HANDBOOK_SHOTS / f"{name}.png").stat().st_size > 10_000


def test_a_coordinator_ticks_the_selected_participants_and_the_rate_counts_them(app, live_server, people, seed,
                                                                                new_context, axe, tmp_path):
    cohort = people["ol-2027"]
    for code in ("K7Q2-H", "B8M3-Q", "2A3B-X", "4C5D-K", "9F8G-T"):
        seed(cohort, code=code)
    add_outcome(app, cohort, "K7Q2-H", "apprenticeship")
    add_outcome(app, cohort, "2A3B-X", "svb_job")
    page = new_context(viewport=DESKTOP).new_page()
    sign_in(page, live_server, "coord1")
    page.goto(f"{live_server}/staff/cohorts/ol-2027/participants")
    assert page.get_by_text("Nobody is marked selected yet").is_visible()
    page.get_by_label("Tick K7Q2-H").check()
    page.get_by_label("Tick B8M3-Q").check()
    page.get_by_label("Selected on").fill("2026-11-10")
    page.get_by_role("button", name="Mark as selected").click()
    assert page.get_by_text("2 participants marked as selected.").is_visible()
    assert page.get_by_text("Selected: 2 of 5 participants.").is_visible()
    assert page.locator("tr.selected").count() == 2
    assert not serious(axe(page))
    page.screenshot(path=str(tmp_path / "participants.png"), full_page=True)
    page.goto(f"{live_server}/staff/cohorts/ol-2027")
    figures = page.locator(".figures").inner_text()
    assert "selected participants" in figures and "not selected: 3 (placed: 1)" in figures and "50 %" in figures
