"""The company survey page in a real browser: a coordinator ticks companies and sends, sees who opened and
who sent, and the page passes axe. Screenshots go to /tmp (company-survey-*.png)."""
from __future__ import annotations

from pathlib import Path

from shipped_forms import forms_dir  # noqa: F401
from smtp_server import mail_server  # noqa: F401
from staff_helpers import people  # noqa: F401
from test_company_survey import LINK, companies  # noqa: F401
from test_instruments import fill_in
from test_matching_cli import company as readiness_answers
from .test_coordinator import DESKTOP, serious, sign_in

SHOTS = Path("/tmp")


def test_a_coordinator_sends_the_survey_and_follows_who_answered(live_server, people, companies,  # noqa: F811
                                                                 mail_server, new_context, axe, filler):  # noqa: F811
    page = new_context(viewport=DESKTOP).new_page()
    sign_in(page, live_server, "coord1")
    page.goto(f"{live_server}/staff/cohorts/ol-2027")
    page.get_by_role("link", name="Send the survey and follow up").click()
    assert page.get_by_role("heading", name="Company survey").is_visible()
    assert not serious(axe(page))

    page.get_by_label("Metallbau Nord GmbH").check()
    page.get_by_label("Holzwerk Hude").check()
    page.get_by_label("Language of the link and the mails").select_option("de")
    page.get_by_label("Remind automatically after").fill("7")
    page.get_by_role("button", name="Send the survey").click()
    assert page.get_by_text("Personal links made: 2; by e-mail: 2.").is_visible()
    assert len(mail_server.messages) == 2

    # The metal company answers, the wood company only opens its link.
    by_to = {m["To"]: LINK.search(m.get_content()).group(1) for m in mail_server.messages}
    # Its personal link fills in the company's name: the company answers everything else.
    answers = readiness_answers("Metallbau Nord GmbH", "westerstede", ["metal"])
    fill_in(filler, by_to["ausbildung@metallbau-nord.example"],
            {k: v for k, v in answers.items() if k != "company_name"})
    filler(by_to["info@holzwerk-hude.example"]).open()
    page.reload()
    rows = page.locator("table.data tbody tr")
    assert "answered" in rows.filter(has_text="Metallbau Nord GmbH").inner_text()
    assert "opened" in rows.filter(has_text="Holzwerk Hude").inner_text()
    assert rows.filter(has_text="Metallbau Nord GmbH").get_by_role("button", name="Remind now").count() == 0
    assert not serious(axe(page))
    page.screenshot(path=str(SHOTS / "company-survey-overview.png"), full_page=True)

    rows.filter(has_text="Holzwerk Hude").get_by_role("button", name="Remind now").click()
    assert page.get_by_text("A reminder to Holzwerk Hude is on its way.").is_visible()
    page.goto(f"{live_server}/staff/outbox")
    assert page.get_by_role("heading", name="Outbox").is_visible()
    assert not serious(axe(page))
    page.screenshot(path=str(SHOTS / "company-survey-outbox.png"), full_page=True)
    assert len(mail_server.messages) == 3

    # The coordinator asks to be told when companies send, once a day.
    page.get_by_role("link", name="Notifications").click()
    page.get_by_label("One digest a day, in the morning").check()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Saved.").is_visible()
    assert page.get_by_label("One digest a day, in the morning").is_checked()
    assert not serious(axe(page))
    page.screenshot(path=str(SHOTS / "company-survey-notifications.png"), full_page=True)
