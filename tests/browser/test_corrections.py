"""A coordinator corrects a wrong answer and voids a duplicate in a real browser; the response page shows the
history (checked with axe-core)."""
from __future__ import annotations

from sqlalchemy import select

from proconnect.extensions import db
from proconnect.responses.models import Response
from staff_helpers import people, seed  # noqa: F401
from .test_coordinator import DESKTOP, serious, sign_in


def test_a_coordinator_corrects_an_answer_and_sees_it_in_the_history(app, live_server, people, seed,  # noqa: F811
                                                                     new_context, axe, tmp_path):
    seed(people["ol-2027"], code="K7Q2-H")
    with app.app_context():
        response_id = db.session.scalar(select(Response.id))
    page = new_context(viewport=DESKTOP).new_page()
    sign_in(page, live_server, "coord1")
    page.goto(f"{live_server}/staff/cohorts/ol-2027/responses/{response_id}")
    assert page.get_by_text("Nothing was changed since the response was sent.").is_visible()

    page.locator("dd", has_text="Metall").get_by_role("link", name="Correct").click()
    assert not serious(axe(page))
    page.get_by_label("Holz").check()
    page.get_by_label("Reason (kept in the history)").fill("Laut Lebenslauf Tischlerin, nicht Metall")
    page.get_by_role("button", name="Save correction").click()
    assert page.get_by_text("The answer was corrected; the old one is kept in the history.").is_visible()

    page.get_by_label("Review").select_option("attention")
    page.get_by_role("button", name="Save review state").click()
    history = page.locator("#history tbody")
    assert history.locator("tr").count() == 2
    first = history.locator("tr").first.inner_text()
    assert "coord1" in first and "Metall" in first and "Holz" in first and "Laut Lebenslauf" in first
    assert "Geländer geschweißt" in history.locator("tr").nth(1).inner_text()  # no longer asked: kept here
    assert not serious(axe(page))
    page.screenshot(path=str(tmp_path / "response-history.png"), full_page=True)
