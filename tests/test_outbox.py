"""The mail outbox against a real SMTP server on 127.0.0.1: every mail is a row first; when the server is down
nothing is lost, it is tried again after longer and longer pauses and sent once the server is back; staff see
what waits, what went and what failed. Here mails are sent in the request (JOBS_IMMEDIATE, as the suite runs);
tests/test_outbox_worker.py does the same with the real worker process."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from proconnect.extensions import db
from proconnect.models_util import utcnow
from proconnect.outbox import OutboxMail, queue_mail, send_due
from proconnect.outbox.sending import tidy
from smtp_server import mail_server  # noqa: F401
from staff_helpers import people, staff, text  # noqa: F401

LINK = re.compile(r"http://127\.0\.0\.1:5000(/account/set-password/\S+)")


def mails(app) -> list[OutboxMail]:
    with app.app_context():
        rows = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)).all()
        db.session.expunge_all()
        return rows


def give_address(app, user_id: int, address: str) -> None:
    from proconnect.accounts.models import User
    with app.app_context():
        db.session.get(User, user_id).email = address
        db.session.commit()


def time_passes(app, **delta) -> None:
    """Move every waiting mail's next try and every row's age back by ``delta`` (as if that much time passed)."""
    with app.app_context():
        for row in db.session.scalars(select(OutboxMail)):
            row.next_attempt_at -= timedelta(**delta)
            row.created_at -= timedelta(**delta)
        db.session.commit()


def test_an_invitation_goes_through_the_outbox_to_the_mail_server(app, people, staff, mail_server):  # noqa: F811
    page = staff("admin1").post("/staff/accounts/new", {"username": "newcoord", "role": "coordinator",
                                                        "email": "new.coord@example.org"})
    assert "The link was sent by e-mail to the account's address." in text(page)
    [message] = mail_server.messages
    assert message["To"] == "new.coord@example.org" and message["From"] == "projekt@proconnect.test"
    assert message["Subject"] == "Your pro:connect account"
    path = LINK.search(message.get_content()).group(1)
    # The page still shows the link to hand over in person.
    assert path in page.get_data(as_text=True)
    newcomer = staff()
    done = newcomer.client.post(path, data={"new_password": "walnut tree by the Hunte",
                                            "confirm": "walnut tree by the Hunte", "csrf_token": newcomer.token(path)})
    assert done.headers["Location"] == "/login"

    # The outbox keeps who got what and when, but not the key to the account.
    [row] = mails(app)
    assert (row.status, row.kind, row.to_address, row.attempts, row.body) == ("sent", "account_invite",
                                                                              "new.coord@example.org", 1, None)
    outbox = text(staff("admin1").get("/staff/outbox"))
    assert "Account invitation" in outbox and "new.coord@example.org" in outbox and "sent (1)" in outbox
    assert "set-password" not in outbox


def test_without_a_mail_server_the_link_is_shown_to_copy_and_nothing_is_queued(app, people, staff):  # noqa: F811
    give_address(app, people["mentor1"], "mentor1@example.org")
    page = staff("admin1").post(f"/staff/accounts/{people['mentor1']}/reset")
    assert "/account/set-password/" in page.get_data(as_text=True)
    assert "e-mail" not in text(page)
    assert mails(app) == []
    outbox = text(staff("admin1").get("/staff/outbox"))
    assert "No mail server is configured (MAIL_SERVER)" in outbox and "No mails." in outbox


def test_a_mail_server_that_is_down_loses_nothing_and_gets_the_mail_when_it_is_back(app, people, staff,  # noqa: F811
                                                                                     mail_server):  # noqa: F811
    give_address(app, people["mentor1"], "mentor1@example.org")
    mail_server.stop()
    admin = staff("admin1")
    page = admin.post(f"/staff/accounts/{people['mentor1']}/reset")
    assert "The link is on its way by e-mail" in text(page)
    path = re.search(r'5000(/account/set-password/[^<]+)<', page.get_data(as_text=True)).group(1)
    [row] = mails(app)
    assert row.status == "pending" and row.attempts == 1 and "ConnectionRefusedError" in row.last_error
    assert timedelta(seconds=55) < row.next_attempt_at - utcnow() <= timedelta(seconds=60)
    outbox = text(admin.get("/staff/outbox"))
    assert "waiting (1)" in outbox and "ConnectionRefusedError" in outbox and "Password reset" in outbox

    # Not yet due: the worker's look every minute leaves it alone.
    assert send_due_in(app) == 0
    # Still down a minute later: the second try fails, and the pause doubles.
    time_passes(app, seconds=61)
    assert send_due_in(app) == 1
    [row] = mails(app)
    assert row.status == "pending" and row.attempts == 2
    assert timedelta(seconds=115) < row.next_attempt_at - utcnow() <= timedelta(seconds=120)

    mail_server.start()
    time_passes(app, seconds=121)
    assert send_due_in(app) == 1
    [message] = mail_server.messages
    assert message["To"] == "mentor1@example.org" and path in message.get_content()
    [row] = mails(app)
    assert row.status == "sent" and row.attempts == 3 and row.last_error is None and row.body is None
    # Sent is sent: no second copy however often the worker looks.
    time_passes(app, hours=1)
    send_due_in(app)
    assert len(mail_server.messages) == 1


def send_due_in(app) -> int:
    with app.app_context():
        return send_due()


def test_after_the_last_try_the_mail_is_failed_and_staff_can_send_it_again(app, people, staff,  # noqa: F811
                                                                           mail_server):  # noqa: F811
    app.config.update(MAIL_MAX_ATTEMPTS=3, MAIL_RETRY_MAX_SECONDS=90)
    give_address(app, people["mentor1"], "mentor1@example.org")
    mail_server.stop()
    admin = staff("admin1")
    admin.post(f"/staff/accounts/{people['mentor1']}/reset")
    delays = []
    for _ in range(2):
        [row] = mails(app)
        delays.append(round((row.next_attempt_at - utcnow()).total_seconds() / 10) * 10)
        time_passes(app, seconds=100)
        send_due_in(app)
    assert delays == [60, 90]  # doubled, then capped
    [row] = mails(app)
    assert row.status == "failed" and row.attempts == 3
    outbox = admin.get("/staff/outbox?state=failed")
    assert "failed (1)" in text(outbox) and "Try again" in text(outbox)

    mail_server.start()
    done = admin.post(f"/staff/outbox/{row.id}/retry", follow_redirects=True)
    assert "The mail is being sent again." in text(done) and "sent (1)" in text(done)
    assert [m["To"] for m in mail_server.messages] == ["mentor1@example.org"]
    with app.app_context():
        from proconnect.audit.models import AuditEvent
        event = db.session.scalar(select(AuditEvent).filter_by(action="mail_retried"))
        assert (event.actor, event.target, event.details) == ("admin1", f"mail {row.id}", {"kind": "account_reset"})
    # A mail that is not failed is not sent again by a forged click.
    again = admin.post(f"/staff/outbox/{row.id}/retry", follow_redirects=True)
    assert "Only a failed mail can be tried again; this one is sent." in text(again)
    assert len(mail_server.messages) == 1


def test_an_address_the_server_refuses_for_good_fails_at_once(app, people, staff, mail_server):  # noqa: F811
    give_address(app, people["mentor1"], "nobody@example.org")
    mail_server.refuse = "550 5.1.1 No such mailbox"
    staff("admin1").post(f"/staff/accounts/{people['mentor1']}/reset")
    [row] = mails(app)
    assert row.status == "failed" and row.attempts == 1 and row.last_error == "550 5.1.1 No such mailbox"
    page = staff("admin1").post(f"/staff/accounts/{people['mentor1']}/reset")
    assert "The e-mail could not be sent (see the outbox)." in text(page)
    # "Try later" (4xx) is not for good: it waits for the next try.
    mail_server.refuse = "450 4.2.1 Mailbox busy"
    staff("admin1").post(f"/staff/accounts/{people['mentor1']}/reset")
    assert mails(app)[-1].status == "pending" and mails(app)[-1].last_error == "450 4.2.1 Mailbox busy"
    assert mail_server.messages == []


def test_a_password_link_that_expired_while_waiting_is_not_sent(app, people, staff, mail_server):  # noqa: F811
    give_address(app, people["mentor1"], "mentor1@example.org")
    mail_server.stop()
    staff("admin1").post(f"/staff/accounts/{people['mentor1']}/reset")
    mail_server.start()
    time_passes(app, hours=49)  # RESET_HOURS is 48
    with app.app_context():
        db.session.execute(update(OutboxMail).values(send_before=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    send_due_in(app)
    [row] = mails(app)
    assert row.status == "expired" and row.body is None and mail_server.messages == []
    assert "expired (1)" in text(staff("admin1").get("/staff/outbox"))


def test_coordinators_see_the_mails_of_their_cohorts_only(app, people, staff, mail_server):  # noqa: F811
    give_address(app, people["mentor1"], "mentor1@example.org")
    staff("admin1").post(f"/staff/accounts/{people['mentor1']}/reset")
    with app.app_context():
        queue_mail("info@metallbau-nord.example", "Umfrage", "Hallo", "notice", cohort_id=people["ol-2027"])
        queue_mail("info@holz-delme.example", "Umfrage", "Hallo", "notice", cohort_id=people["dh-2027"])
        db.session.commit()
    assert len(mail_server.messages) == 3
    own = text(staff("coord1").get("/staff/outbox"))
    assert "info@metallbau-nord.example" in own and "Oldenburg 2027" in own
    assert "holz-delme" not in own and "mentor1@example.org" not in own and "all (1)" in own
    assert "mentor1@example.org" in text(staff("admin1").get("/staff/outbox"))
    # Another cohort's mail cannot be touched by its id.
    other = [m for m in mails(app) if m.to_address == "info@holz-delme.example"][0]
    assert staff("coord1").post(f"/staff/outbox/{other.id}/retry").status_code == 404


def test_retention_removes_bodies_after_30_days_and_rows_after_a_year(app, people, mail_server):  # noqa: F811
    with app.app_context():
        queue_mail("info@metallbau-nord.example", "Umfrage", "Ihr Link: …", "notice",
                   cohort_id=people["ol-2027"])
        db.session.commit()
        assert tidy(utcnow() + timedelta(days=29)) == {"mail_bodies": 0, "mails": 0}
        assert tidy(utcnow() + timedelta(days=31)) == {"mail_bodies": 1, "mails": 0}
        row = db.session.scalar(select(OutboxMail))
        assert row.body is None and row.to_address == "info@metallbau-nord.example"
        assert tidy(utcnow() + timedelta(days=366)) == {"mail_bodies": 0, "mails": 1}
        assert db.session.scalar(select(OutboxMail)) is None


def test_a_waiting_mail_is_never_removed_by_retention(app, people, mail_server):  # noqa: F811
    mail_server.stop()
    with app.app_context():
        queue_mail("info@metallbau-nord.example", "Umfrage", "Ihr Link: …", "notice",
                   cohort_id=people["ol-2027"])
        db.session.commit()
        assert tidy(utcnow() + timedelta(days=400)) == {"mail_bodies": 0, "mails": 0}


@pytest.mark.parametrize("args", [["mail", "status"], ["mail", "send-due"]])
def test_the_command_line_shows_and_sends_what_waits(app, runner, people, mail_server, args):  # noqa: F811
    mail_server.stop()
    with app.app_context():
        queue_mail("info@metallbau-nord.example", "Umfrage", "Hallo", "notice", cohort_id=people["ol-2027"])
        db.session.commit()
    mail_server.start()
    time_passes(app, minutes=2)
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    if args[1] == "status":
        assert "pending: 1, sent: 0, failed: 0" in result.output
    else:
        assert "1 tried." in result.output and "pending: 0, sent: 1" in result.output
        assert len(mail_server.messages) == 1
