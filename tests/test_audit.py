"""The audit log: every sign-in, export, erasure, role change and new link is written, and never changed."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select, text

from proconnect.audit import record
from proconnect.audit.models import AppendOnly, AuditEvent
from proconnect.extensions import db
from proconnect.personal_data import code_digest
from staff_helpers import people, seed, staff  # noqa: F401


def entries(app, action=None) -> list[tuple]:
    """(actor, action, target, details) of the log, oldest first."""
    with app.app_context():
        query = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.filter_by(action=action)
        return [(e.actor, e.action, e.target, e.details) for e in db.session.scalars(query)]


def test_sign_ins_failed_sign_ins_and_sign_outs_are_recorded(app, people, staff):
    browser = staff()
    browser.login("coord1", "a wrong guess")
    browser.login("coord1")
    browser.logout()
    assert [e[:3] for e in entries(app)] == [("-", "login_failed", "account coord1"),
                                            ("coord1", "login", "account coord1"),
                                            ("coord1", "logout", "account coord1")]


def test_the_log_records_the_address_of_a_sign_in(app, people, staff):
    staff().login("coord1", environ_base={"REMOTE_ADDR": "127.0.0.7"})
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.ip).filter_by(action="login")) == "127.0.0.7"


def test_cohort_and_link_creation_are_recorded(app, people, staff):
    coordinator = staff("coord1")
    coordinator.post("/staff/cohorts/new", {"slug": "ol-2028", "title": "Oldenburg 2028", "retention_months": "24"})
    coordinator.post("/staff/cohorts/ol-2028/links/new", {"form_id": "everything", "version": "", "language": "ar",
                                                      "event": "Info event 3 March"})
    assert entries(app, "cohort_created") == [("coord1", "cohort_created", "cohort ol-2028",
                                               {"retention_months": 24})]
    (actor, _action, target, details), = entries(app, "link_created")
    assert actor == "coord1" and target.endswith("of cohort ol-2028")
    assert details["form"] == "everything" and details["event"] == "Info event 3 March"


def test_role_changes_and_new_accounts_are_recorded(app, people, staff):
    admin = staff("admin1")
    admin.post("/staff/accounts/new", {"username": "newmentor", "role": "mentor"})
    admin.post(f"/staff/accounts/{people['mentor1']}", {"role": "coordinator", "email": "", "active": "y",
                                                        "cohorts": [str(people["ol-2027"])]})
    assert entries(app, "account_created")[0][:3] == ("admin1", "account_created", "account newmentor")
    assert entries(app, "invitation_issued")[0][:3] == ("admin1", "invitation_issued", "account newmentor")
    assert entries(app, "role_changed") == [("admin1", "role_changed", "account mentor1",
                                             {"before": "mentor", "after": "coordinator"})]
    assert entries(app, "membership_changed") == [("admin1", "membership_changed", "account mentor1",
                                                   {"added": ["ol-2027"], "removed": []})]


def test_exports_and_erasures_are_recorded_and_the_erasure_without_the_code(app, people, staff, seed):
    seed(people["ol-2027"], code="K7Q2-H")
    coordinator = staff("coord1")
    coordinator.get("/staff/cohorts/ol-2027/participants/K7Q2-H/export.json")
    coordinator.post("/staff/cohorts/ol-2027/participants/K7Q2-H/erase", {"confirm": "k7q2-h"})
    with app.app_context():
        digest = code_digest(people["ol-2027"], "K7Q2-H")
    assert entries(app, "export") == [("coord1", "export", f"participant {digest[:16]} of cohort ol-2027",
                                       {"format": "json", "responses": 1})]
    erasure, = entries(app, "erasure")
    assert erasure == ("coord1", "erasure", "cohort ol-2027", {"responses": 1, "answers_removed": 4})
    assert "K7Q2" not in repr(erasure)


def test_audit_entries_cannot_be_changed_or_deleted_through_the_app(app):
    with app.app_context():
        entry = record("logout", "account x", commit=True)
        entry.target = "something else"
        with pytest.raises(AppendOnly):
            db.session.commit()
        db.session.rollback()
        db.session.delete(db.session.get(AuditEvent, entry.id))
        with pytest.raises(AppendOnly):
            db.session.commit()


@pytest.mark.parametrize("statement", ["UPDATE audit_event SET actor = 'someone else'", "DELETE FROM audit_event"])
def test_the_database_itself_refuses_to_change_the_log(app, statement):
    with app.app_context():
        record("logout", "account x", commit=True)
        with pytest.raises(Exception, match="append-only"):
            with db.engine.begin() as connection:
                connection.execute(text(statement))
        assert entries(app)[0][0] == "cli"


def test_admins_read_the_log_newest_first_and_filter_it(app, people, staff):
    staff("coord1").logout()
    admin = staff("admin1")
    page = admin.get("/staff/audit").get_data(as_text=True)
    actions = re.findall(r"<td><code>([a-z_]+)</code></td>", page)
    assert actions == ["login", "logout", "login"]  # admin1's sign-in is the newest
    filtered = admin.get("/staff/audit", query_string={"action": "logout"}).get_data(as_text=True)
    assert re.findall(r"<td><code>([a-z_]+)</code></td>", filtered) == ["logout"]
    by_actor = admin.get("/staff/audit", query_string={"actor": "admin1"}).get_data(as_text=True)
    assert re.findall(r"<td><code>([a-z_]+)</code></td>", by_actor) == ["login"]
    nonsense = admin.get("/staff/audit", query_string={"action": "drop table", "since": "yesterday", "page": "-3"})
    assert nonsense.status_code == 200
