"""A form page reads its link, its cohort's cards and its version's pin from copies each worker process keeps
(``links.linkview``); a copy is never staler than the database.

"Elsewhere" is a connection of its own writing plain SQL, as a second gunicorn worker, the command line or a
hand at the database would: the app learns every change through the number the triggers move.
"""
from __future__ import annotations

import importlib
from dataclasses import fields
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, event, text

from proconnect.extensions import db
from proconnect.links import codes
from proconnect.links.linkview import LinkView
from proconnect.links.models import Link
from proconnect.models_util import utcnow
from proconnect.responses import flow
from test_responses import PAGE_ONE, PAGE_TWO, responses

CLOSED = "This form is closed"


@pytest.fixture
def elsewhere(database_url):
    """``run(sql, **params)``: one committed statement through a connection the app does not know."""
    engine = create_engine(database_url)

    def run(sql, **params):
        with engine.begin() as conn:
            conn.execute(text(sql), params)
    yield run
    engine.dispose()


def opened_twice(client, token):
    """The page was served twice: the second time from the worker's copy."""
    for _ in range(2):
        assert client.get(f"/f/{token}").status_code == 200


@pytest.mark.parametrize("change, status, message", [
    ("UPDATE link SET revoked_at = :now WHERE token = :token", 410, "switched off by the project team"),
    ("UPDATE link SET closes_at = :now WHERE token = :token", 410, CLOSED),
    ("UPDATE link SET opens_at = :later WHERE token = :token", 403, "not open yet"),
    ("DELETE FROM link WHERE token = :token", 404, ""),
])
def test_a_link_switched_off_closed_or_deleted_elsewhere_is_refused_at_once(client, make_link, elsewhere, change,
                                                                           status, message):
    token = make_link(language="en")
    opened_twice(client, token)
    elsewhere(change, token=token, now=utcnow(), later=utcnow() + timedelta(days=1))
    page = client.get(f"/f/{token}")
    assert page.status_code == status and message in page.get_data(as_text=True)


def test_a_sent_page_of_a_link_switched_off_elsewhere_is_not_stored(app, filler, make_link, elsewhere):
    token = make_link(language="en")
    f = filler(token)
    f.open()
    assert f.post(PAGE_ONE).status_code == 200
    elsewhere("UPDATE link SET revoked_at = :now WHERE token = :token", token=token, now=utcnow())
    assert f.post(PAGE_TWO, nav="submit").status_code == 410
    assert responses(app) == []


def test_a_kept_link_closes_when_its_time_comes(client, make_link, monkeypatch):
    closes = utcnow() + timedelta(hours=1)
    token = make_link(language="en", closes_at=closes)
    opened_twice(client, token)
    monkeypatch.setattr(flow, "utcnow", lambda: closes + timedelta(seconds=1))
    page = client.get(f"/f/{token}")
    assert page.status_code == 410 and CLOSED in page.get_data(as_text=True)


def test_a_version_pinned_elsewhere_from_another_file_is_not_served(client, make_link, elsewhere):
    token = make_link(language="en")
    opened_twice(client, token)  # not pinned yet: the worker keeps knowing that
    elsewhere("INSERT INTO form_version (form_id, version, content_hash, published_at) "
              "VALUES ('everything', 1, :other, :now)", other="0" * 64, now=utcnow())
    page = client.get(f"/f/{token}")
    assert page.status_code == 410 and "This form is being revised" in page.get_data(as_text=True)


def test_cards_printed_elsewhere_hold_for_the_next_page(app, filler, make_link, elsewhere):
    token = make_link(language="en")
    f = filler(token)
    f.open()
    f.open()
    with app.app_context():
        cohort_id = db.session.scalar(db.select(Link.cohort_id).filter_by(token=token))
    elsewhere("INSERT INTO participant (code, cohort_id, created_at) VALUES ('B8M3-Q', :cohort, :now)",
              cohort=cohort_id, now=utcnow())
    page = f.post({**PAGE_ONE, "participant_code": "K7Q2-M"})
    typed_wrong = not codes.is_valid("K7Q2-M")
    assert page.status_code == 200 and ("typing error" if typed_wrong else "does not belong to this group") in f.text()
    f.post(PAGE_TWO, nav="submit")
    assert responses(app) == []


def test_while_nothing_changed_a_page_reads_nothing_but_the_number_from_the_database(app, client, make_link):
    token = make_link(language="en")
    opened_twice(client, token)
    statements = []
    with app.app_context():
        engine = db.engine
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listen)
    try:
        assert client.get(f"/f/{token}").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    # The number is read through the driver itself (no statement for SQLAlchemy to compile); the tests above
    # show it is read on every request.
    assert statements == []


def test_the_view_and_the_triggers_know_every_column_of_a_link():
    migration = importlib.import_module("proconnect.migrations.versions.0022_link_view_state")
    columns = [c.name for c in Link.__table__.columns]
    assert list(migration.LINK_COLUMNS) == columns
    assert [f.name for f in fields(LinkView)] == columns + ["cohort_has_cards"]
