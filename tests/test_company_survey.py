"""A coordinator sends the readiness survey to the cohort's companies from the app: one personal link each by
e-mail (a real SMTP server on 127.0.0.1), an overview of who opened, saved half-way or sent, and reminders by
hand or after N days, never to a company that has sent. Without a mail server the links are shown to copy."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from proconnect.audit.models import AuditEvent
from proconnect.companies.models import Company
from proconnect.extensions import db
from proconnect.outbox import OutboxMail
from proconnect.outreach.models import CompanyInvitation
from proconnect.outreach.survey import remind_due
from shipped_forms import forms_dir  # noqa: F401
from smtp_server import mail_server  # noqa: F401
from staff_helpers import people, staff, text  # noqa: F401
from test_instruments import fill_in
from test_matching_cli import company
from test_outbox import send_due_in


def readiness_answers(name, municipality, trades):
    """What a company answers through its personal link: the link fills in (and fixes) the company's name."""
    answers = company(name, municipality, trades)
    del answers["company_name"]
    return answers


PAGE = "/staff/cohorts/ol-2027/company-survey"
LINK = re.compile(r"http://127\.0\.0\.1:5000/f/(\S+)")


@pytest.fixture
def companies(app) -> dict[str, int]:
    """Three partner companies; the bakery gave no e-mail address."""
    with app.app_context():
        rows = [Company(name="Metallbau Nord GmbH", place="Westerstede", trades=["metal"],
                        contact_role="Ausbildungsleitung", contact_email="ausbildung@metallbau-nord.example"),
                Company(name="Holzwerk Hude", place="Hude", trades=["wood"], contact_role="Inhaber",
                        contact_email="info@holzwerk-hude.example"),
                Company(name="Bäckerei Sonne", place="Oldenburg", trades=["food"], contact_role="Inhaberin")]
        db.session.add_all(rows)
        db.session.commit()
        return {c.name: c.id for c in rows}


def send(browser, ids, language="de", days="7"):
    return browser.post(PAGE, {"company": [str(i) for i in ids], "language": language, "remind_after_days": days},
                        follow_redirects=True)


def token_in(message) -> str:
    return LINK.search(message.get_content()).group(1)


def invitation(app, company_id) -> CompanyInvitation:
    with app.app_context():
        row = db.session.scalar(select(CompanyInvitation).filter_by(company_id=company_id))
        db.session.expunge_all()
        return row


def test_each_company_gets_its_personal_link_and_the_overview_follows_what_it_does(  # noqa: F811
        app, people, staff, companies, mail_server, filler):  # noqa: F811
    coordinator = staff("coord1")
    page = send(coordinator, [companies["Metallbau Nord GmbH"], companies["Holzwerk Hude"]])
    assert "Personal links made: 2; by e-mail: 2." in text(page)
    metal, wood = mail_server.to("ausbildung@metallbau-nord.example"), mail_server.to("info@holzwerk-hude.example")
    assert len(metal) == 1 and len(wood) == 1
    assert metal[0]["Subject"] == "pro:connect: Wie bereit ist Ihr Betrieb, Geflüchtete auszubilden?"
    body = metal[0].get_content()
    assert "Guten Tag," in body and "Metallbau Nord GmbH" in body and "etwa 10 Minuten" in body
    assert token_in(metal[0]) != token_in(wood[0])
    overview = text(page)
    assert overview.count("asked, not opened") == 3  # two rows and the count badge
    assert "not asked yet: 1" in overview

    # A coordinator looking at the company's link is not the company opening it.
    metal_token, wood_token = token_in(metal[0]), token_in(wood[0])
    assert coordinator.get(f"/f/{metal_token}").status_code == 200
    assert "opened: 0" in text(coordinator.get(PAGE))
    # Opening the link shows it; saving half-way too; sending too.
    assert filler(metal_token).open().status_code == 200
    assert "opened: 1" in text(coordinator.get(PAGE))
    f = filler(wood_token)
    f.open()
    f.post({"company_name": "Holzwerk Hude"}, nav="save")
    assert "saved half-way: 1" in text(coordinator.get(PAGE))
    fill_in(filler, metal_token, readiness_answers("Metallbau Nord GmbH", "westerstede", ["metal"]))
    overview = text(coordinator.get(PAGE))
    assert "answered: 1" in overview and "saved half-way: 1" in overview and "opened: 0" in overview

    # A second click on "send" for the same company makes no second link.
    again = send(coordinator, [companies["Metallbau Nord GmbH"]])
    assert "These companies have their link already: remind them instead." in text(again)
    assert len(mail_server.to("ausbildung@metallbau-nord.example")) == 1
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).filter_by(action="company_survey_sent"))
        assert event.details["companies"] == ["Holzwerk Hude", "Metallbau Nord GmbH"]


def test_a_reminder_goes_to_a_company_that_has_not_sent_and_never_to_one_that_has(  # noqa: F811
        app, people, staff, companies, mail_server, filler):  # noqa: F811
    coordinator = staff("coord1")
    send(coordinator, [companies["Metallbau Nord GmbH"], companies["Holzwerk Hude"]])
    wood_token = token_in(mail_server.to("info@holzwerk-hude.example")[0])
    f = filler(wood_token)
    f.open()
    f.post({"company_name": "Holzwerk Hude"}, nav="save")
    wood = invitation(app, companies["Holzwerk Hude"])
    done = coordinator.post(f"{PAGE}/{wood.id}/remind", follow_redirects=True)
    assert "A reminder to Holzwerk Hude is on its way." in text(done)
    [_first, reminder] = mail_server.to("info@holzwerk-hude.example")
    assert reminder["Subject"] == "Erinnerung: die pro:connect-Betriebsumfrage"
    assert "Ihre bisher gespeicherten Antworten bleiben erhalten" in reminder.get_content()
    assert token_in(reminder) == wood_token
    assert invitation(app, companies["Holzwerk Hude"]).reminders == 1

    metal_token = token_in(mail_server.to("ausbildung@metallbau-nord.example")[0])
    fill_in(filler, metal_token, readiness_answers("Metallbau Nord GmbH", "westerstede", ["metal"]))
    metal = invitation(app, companies["Metallbau Nord GmbH"])
    refused = coordinator.post(f"{PAGE}/{metal.id}/remind", follow_redirects=True)
    assert "Metallbau Nord GmbH has already sent the survey: no reminder was sent." in text(refused)
    assert len(mail_server.to("ausbildung@metallbau-nord.example")) == 1
    assert invitation(app, companies["Metallbau Nord GmbH"]).reminders == 0
    # Another cohort's coordinator cannot remind (or see) this cohort's companies.
    assert staff("coord2").post(f"{PAGE}/{wood.id}/remind").status_code == 404
    assert staff("coord2").post(f"/staff/cohorts/dh-2027/company-survey/{wood.id}/remind").status_code == 404


def test_a_reminder_written_before_the_company_sent_is_not_sent_after(app, people, staff, companies,  # noqa: F811
                                                                      mail_server, filler):  # noqa: F811
    coordinator = staff("coord1")
    send(coordinator, [companies["Metallbau Nord GmbH"]])
    token = token_in(mail_server.messages[0])
    metal = invitation(app, companies["Metallbau Nord GmbH"])
    mail_server.stop()  # the reminder waits in the outbox ...
    coordinator.post(f"{PAGE}/{metal.id}/remind")
    fill_in(filler, token, readiness_answers("Metallbau Nord GmbH", "westerstede", ["metal"]))  # ... the company sends
    mail_server.start()
    with app.app_context():
        for row in db.session.scalars(select(OutboxMail)):
            row.next_attempt_at -= timedelta(minutes=5)
        db.session.commit()
    send_due_in(app)
    with app.app_context():
        states = db.session.execute(select(OutboxMail.kind, OutboxMail.status).order_by(OutboxMail.id)).all()
    assert states == [("survey_invite", "sent"), ("survey_reminder", "cancelled")]
    assert len(mail_server.messages) == 1


def test_automatic_reminders_after_n_days_at_most_twice_and_in_the_links_language(  # noqa: F811
        app, people, staff, companies, mail_server, filler):  # noqa: F811
    coordinator = staff("coord1")
    send(coordinator, [companies["Holzwerk Hude"]], language="en", days="7")
    send(coordinator, [companies["Metallbau Nord GmbH"]], language="de", days="0")
    [invite] = mail_server.to("info@holzwerk-hude.example")
    assert invite["Subject"] == "pro:connect: how ready is your company to train refugees?"
    assert "Good day," in invite.get_content() and "about 10 minutes" in invite.get_content()

    def days_pass(days):
        with app.app_context():
            for row in db.session.scalars(select(CompanyInvitation)):
                row.last_mailed_at -= timedelta(days=days)
            db.session.commit()
            return remind_due()

    assert days_pass(6) == 0
    assert days_pass(1) == 1  # 7 days after the invitation
    assert days_pass(3) == 0
    assert days_pass(4) == 1  # 7 days after the first reminder
    assert days_pass(30) == 0  # SURVEY_MAX_REMINDERS = 2
    reminders = mail_server.to("info@holzwerk-hude.example")[1:]
    assert [m["Subject"] for m in reminders] == ["Reminder: the pro:connect company survey"] * 2
    # Metallbau Nord chose "only by hand": never reminded automatically.
    assert len(mail_server.to("ausbildung@metallbau-nord.example")) == 1

    fill_in(filler, token_in(invite), readiness_answers("Holzwerk Hude", "westerstede", ["logistics"]))
    app.config["SURVEY_MAX_REMINDERS"] = 5
    assert days_pass(30) == 0  # sent: never again


def test_without_a_mail_server_the_links_are_made_and_shown_to_copy(app, people, staff, companies):  # noqa: F811
    coordinator = staff("coord1")
    page = coordinator.get(PAGE)
    assert "No mail server is configured (MAIL_SERVER)" in text(page) and "Make the links" in text(page)
    page = send(coordinator, [companies["Metallbau Nord GmbH"], companies["Bäckerei Sonne"]])
    assert "Personal links made: 2; by e-mail: 0." in text(page)
    html = page.get_data(as_text=True)
    with app.app_context():
        tokens = {i.company.name: i.link.token for i in db.session.scalars(select(CompanyInvitation))}
        assert db.session.scalar(select(OutboxMail)) is None
    for name, token in tokens.items():
        assert f'value="http://127.0.0.1:5000/f/{token}"' in html, name
    metal = invitation(app, companies["Metallbau Nord GmbH"])
    refused = coordinator.post(f"{PAGE}/{metal.id}/remind", follow_redirects=True)
    assert "No e-mail can be sent to Metallbau Nord GmbH (no mail server or no address)" in text(refused)


def test_a_company_without_an_address_gets_a_link_to_copy_while_the_others_are_mailed(  # noqa: F811
        app, people, staff, companies, mail_server):  # noqa: F811
    page = send(staff("coord1"), list(companies.values()))
    assert "Personal links made: 3; by e-mail: 2." in text(page)
    bakery = invitation(app, companies["Bäckerei Sonne"])
    with app.app_context():
        token = db.session.get(CompanyInvitation, bakery.id).link.token
    html = page.get_data(as_text=True)
    assert f'value="http://127.0.0.1:5000/f/{token}"' in html
    assert html.count('class="copy-link"') == 1
    assert len(mail_server.messages) == 2


def test_bad_input_is_refused_with_a_message_and_nothing_is_made(app, people, staff, companies,  # noqa: F811
                                                                 mail_server):  # noqa: F811
    coordinator = staff("coord1")
    nothing = coordinator.post(PAGE, {"language": "de", "remind_after_days": "7"})
    assert nothing.status_code == 400 and "Tick the companies the survey should go to." in text(nothing)
    for language, days in (("ar", "7"), ("de", "-3"), ("de", "viele")):
        bad = coordinator.post(PAGE, {"company": [str(companies["Holzwerk Hude"])], "language": language,
                                      "remind_after_days": days})
        assert bad.status_code == 400, (language, days)
    assert coordinator.post(PAGE, {"company": ["999999"], "language": "de", "remind_after_days": "7"}).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(CompanyInvitation)) is None
    assert mail_server.messages == []


def test_the_cohort_page_shows_how_many_companies_were_asked_and_sent(app, people, staff, companies,  # noqa: F811
                                                                       mail_server):  # noqa: F811
    coordinator = staff("coord1")
    send(coordinator, [companies["Holzwerk Hude"]])
    page = text(coordinator.get("/staff/cohorts/ol-2027"))
    assert "Company survey" in page and "Companies asked: 1; sent: 0." in page
