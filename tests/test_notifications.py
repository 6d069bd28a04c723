"""Coordinators choose notifications for themselves: a company sent its survey, a hospitation feedback arrived, a
mentor marked a log red; at once or one daily digest, by e-mail through the outbox (a real SMTP server here).
The mails name no participant and tell only about the person's own cohorts."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select, update

from proconnect.accounts.models import User
from proconnect.extensions import db
from proconnect.models_util import utcnow
from proconnect.notifications import notify_due
from proconnect.notifications.models import NotificationSetting
from proconnect.responses.models import Response
from shipped_forms import forms_dir  # noqa: F401
from smtp_server import mail_server  # noqa: F401
from staff_helpers import add_link, people, staff, text  # noqa: F401
from test_instruments import fill_in
from test_matching_cli import company as readiness_answers
from test_outbox import give_address

CODE = "K7Q2-X9"
RED_LOG = {"participant_code": CODE, "meeting_date": (date.today() - timedelta(days=1)).isoformat(),
           "duration": "45", "format": "school", "topics": ["language"], "support": ["asa_flex"],
           "status": "dropout_risk", "next_steps": "Gespräch mit dem Betrieb", "bbs_involved": "yes"}
FEEDBACK = {"participant_code": CODE, "took_place": "yes", "rating__punctual": "4", "rating__skills": "3",
            "rating__motivation": "4", "rating__team": "4", "rating__german": "2", "next_step": "apprenticeship",
            "support_needed": "Sprachkurs"}


def choose(browser, mode, events=("company_survey", "hospitation_feedback", "mentor_red"), lang="en"):
    """Choose on the page, in English pages or German ones (the mails follow the language the person uses)."""
    browser.client.set_cookie("lang", lang)
    return browser.post("/staff/notifications", {"mode": mode, "events": list(events)}, follow_redirects=True)


def later(app, minutes=1) -> int:
    """The worker's look, a little later (answers of the last seconds are told the next time)."""
    with app.app_context():
        return notify_due(utcnow() + timedelta(minutes=minutes))


def test_a_coordinator_is_told_at_once_about_the_cohorts_news_without_a_code(app, people, staff, mail_server,  # noqa: F811
                                                                            filler):
    give_address(app, people["coord1"], "coord1@projekt.example")
    give_address(app, people["coord2"], "coord2@projekt.example")
    assert "Saved." in text(choose(staff("coord1"), "immediate"))
    choose(staff("coord2"), "immediate", lang="de")
    ol, dh = people["ol-2027"], people["dh-2027"]
    assert later(app, 0) == 0  # nothing happened yet

    fill_in(filler, add_link(app, ol, "company-readiness", max_responses=1, event="Metallbau Nord GmbH"),
            readiness_answers("Metallbau Nord GmbH", "westerstede", ["metal"]))
    fill_in(filler, add_link(app, ol, "mentor-log"), RED_LOG)
    fill_in(filler, add_link(app, ol, "mentor-log"), RED_LOG | {"status": "attention"})  # not red: not told
    fill_in(filler, add_link(app, ol, "hospitation-feedback"), FEEDBACK)
    fill_in(filler, add_link(app, dh, "hospitation-feedback"), FEEDBACK)
    assert later(app) == 2
    [mail] = mail_server.to("coord1@projekt.example")
    body = mail.get_content()
    assert mail["Subject"] == "pro:connect: news from your cohorts"
    assert "Oldenburg 2027:" in body and "Delmenhorst" not in body
    assert "1 company sent its readiness survey: Metallbau Nord GmbH" in body
    assert "1 hospitation feedback arrived" in body
    assert "1 mentor log marked red (dropout risk)" in body
    assert "http://127.0.0.1:5000/staff/cohorts/ol-2027" in body
    assert CODE not in body and CODE.lower() not in body.lower()
    [other] = mail_server.to("coord2@projekt.example")
    assert other["Subject"] == "pro:connect: Neues aus Ihren Kohorten"
    assert "Delmenhorst 2027:" in other.get_content() and "Oldenburg" not in other.get_content()
    assert "1 Rückmeldung zu einer Hospitation ist eingegangen" in other.get_content()
    # Told once: the next look finds nothing new.
    assert later(app, 2) == 0 and len(mail_server.messages) == 2


def test_a_daily_digest_comes_once_a_day_after_the_hour_and_only_with_news(app, people, staff,  # noqa: F811
                                                                          mail_server, filler):  # noqa: F811
    give_address(app, people["coord1"], "coord1@projekt.example")
    choose(staff("coord1"), "daily", events=("mentor_red",), lang="de")
    fill_in(filler, add_link(app, people["ol-2027"], "mentor-log"), RED_LOG)
    fill_in(filler, add_link(app, people["ol-2027"], "hospitation-feedback"), FEEDBACK)  # not chosen
    tomorrow = datetime.combine(date.today() + timedelta(days=1), datetime.min.time())
    with app.app_context():
        assert notify_due(tomorrow + timedelta(hours=5)) == 0  # before NOTIFY_DIGEST_HOUR (6 UTC)
        assert notify_due(tomorrow + timedelta(hours=6, minutes=1)) == 1
        assert notify_due(tomorrow + timedelta(hours=9)) == 0  # once a day
    [mail] = mail_server.messages
    assert mail["Subject"] == "pro:connect: Ihre tägliche Übersicht"
    assert "Mentoring-Eintrag auf Rot" in mail.get_content() and "Hospitation" not in mail.get_content()
    with app.app_context():
        # A quiet day sends nothing.
        assert notify_due(tomorrow + timedelta(days=1, hours=7)) == 0


def test_no_mails_when_switched_off_or_without_an_address_and_each_person_changes_only_their_own(  # noqa: F811
        app, people, staff, mail_server, filler):  # noqa: F811
    page = staff("coord1").get("/staff/notifications")
    assert "Your account has no e-mail address" in text(page)
    choose(staff("coord1"), "immediate")
    fill_in(filler, add_link(app, people["ol-2027"], "mentor-log"), RED_LOG)
    assert later(app) == 0  # no address
    give_address(app, people["coord1"], "coord1@projekt.example")
    choose(staff("coord1"), "off")
    fill_in(filler, add_link(app, people["ol-2027"], "mentor-log"), RED_LOG)
    assert later(app) == 0 and mail_server.messages == []
    # Switched on again: only what happens from now on.
    choose(staff("coord1"), "immediate")
    assert later(app) == 0
    with app.app_context():
        settings = db.session.scalars(select(NotificationSetting)).all()
        assert [s.account_id for s in settings] == [people["coord1"]]
    bad = staff("coord1").post("/staff/notifications", {"mode": "hourly", "events": ["mentor_red"]})
    assert bad.status_code == 400
    bad = staff("coord1").post("/staff/notifications", {"mode": "daily", "events": ["everything"]})
    assert bad.status_code == 400
    with app.app_context():
        assert db.session.get(NotificationSetting, people["coord1"]).mode == "immediate"


def test_a_switched_off_account_gets_no_mail(app, people, staff, mail_server, filler):  # noqa: F811
    give_address(app, people["coord1"], "coord1@projekt.example")
    choose(staff("coord1"), "immediate")
    with app.app_context():
        db.session.execute(update(User).where(User.id == people["coord1"]).values(active=False))
        db.session.commit()
    fill_in(filler, add_link(app, people["ol-2027"], "mentor-log"), RED_LOG)
    assert later(app) == 0 and mail_server.messages == []


def test_without_a_worker_cron_runs_the_periodic_work_with_one_command(app, runner, people, staff,  # noqa: F811
                                                                       mail_server, filler):  # noqa: F811
    give_address(app, people["coord1"], "coord1@projekt.example")
    choose(staff("coord1"), "immediate")
    with app.app_context():
        db.session.execute(update(NotificationSetting).values(told_until=utcnow() - timedelta(minutes=5)))
        db.session.commit()
    fill_in(filler, add_link(app, people["ol-2027"], "mentor-log"),
            RED_LOG | {"meeting_date": date.today().isoformat()})
    with app.app_context():
        db.session.execute(update(Response).values(submitted_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    result = runner.invoke(args=["jobs", "periodic"])
    assert result.exit_code == 0, result.output
    assert "outbox.send_due" in result.output and "notifications.notify_due" in result.output
    [mail] = mail_server.to("coord1@projekt.example")
    assert "1 mentor log marked red" in mail.get_content()
