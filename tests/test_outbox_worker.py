"""The outbox with the real worker: ``proconnect jobs worker`` sends the mails, keeps trying while the mail server
is down, and sends each mail once when it is back."""
from __future__ import annotations

import re
import time

from sqlalchemy import select

from pdf_worker import app, worker  # noqa: F401
from proconnect.extensions import db
from proconnect.outbox import OutboxMail
from smtp_server import MailServer
from staff_helpers import people, staff, text  # noqa: F401
from test_outbox import give_address


def wait_for(app, condition, log, seconds=60) -> OutboxMail:  # noqa: F811
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with app.app_context():
            row = db.session.scalar(select(OutboxMail))
            db.session.expunge_all()
        if row is not None and condition(row):
            return row
        time.sleep(0.2)
    raise AssertionError(f"the worker did not get there in {seconds} s:\n{log.read_text()[-3000:]}")


def test_the_worker_keeps_trying_while_the_server_is_down_and_sends_once_it_is_back(app, people, staff,  # noqa: F811
                                                                                    worker, tmp_path):  # noqa: F811
    server = MailServer()  # not started: the mail server is down
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_DEFAULT_SENDER="projekt@proconnect.test",
                      MAIL_RETRY_SECONDS=0.5, MAIL_RETRY_MAX_SECONDS=1)
    give_address(app, people["mentor1"], "mentor1@example.org")
    admin = staff("admin1")
    page = admin.post(f"/staff/accounts/{people['mentor1']}/reset")
    # No worker yet: the mail waits in the outbox, the page says so and shows the link as well.
    assert "The link is on its way by e-mail" in text(page)
    path = re.search(r'5000(/account/set-password/[^<]+)<', page.get_data(as_text=True)).group(1)
    assert "waiting (1)" in text(admin.get("/staff/outbox"))

    log = tmp_path / "worker.log"
    worker()
    try:
        row = wait_for(app, lambda r: r.attempts >= 3, log)
        assert row.status == "pending" and "ConnectionRefusedError" in row.last_error
        server.start()
        row = wait_for(app, lambda r: r.status == "sent", log)
        [message] = server.wait_for(1)
        assert message["To"] == "mentor1@example.org" and path in message.get_content()
        assert row.body is None  # the key to the account is not kept once it went
        time.sleep(2)  # the tries scheduled before it went find nothing to do
        assert len(server.messages) == 1
        assert "sent (1)" in text(admin.get("/staff/outbox"))
    finally:
        server.stop()
