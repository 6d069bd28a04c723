"""A link's limits hold when many answers arrive at once, and an answer is never dropped behind a thank-you.

The parallel tests send through separate clients in separate threads: each request gets its own app context,
so its own session and database connection, as with several gunicorn workers.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from proconnect.extensions import db
from proconnect.links.models import Link
from proconnect.responses.models import Response

from test_kiosk import queued
from test_responses import PAGE_ONE, PAGE_TWO

PARALLEL = 8


@pytest.fixture
def kiosk_link(make_link):
    """Factory: a kiosk link in English; :return: its token."""
    def make(**kw):
        return make_link(language="en", kiosk=True, **kw)
    return make


def stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Response.id)))


def at_once(send, count=PARALLEL) -> list:
    """Run ``send(i)`` in ``count`` threads released together; :return: their results in order."""
    barrier = threading.Barrier(count)

    def run(i):
        barrier.wait()
        return send(i)
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def last_page(app, filler, token):
    """A person's form filled in up to "Send", on their own device (cookies, session, connection)."""
    f = filler(token)
    f.client = app.test_client()
    f.open()
    assert f.post(PAGE_ONE).status_code == 200
    return f


def test_parallel_sends_to_a_link_for_one_answer_store_one_and_tell_the_others_it_is_full(app, filler, make_link):
    token = make_link(max_responses=1)
    people = [last_page(app, filler, token) for _ in range(PARALLEL)]
    results = at_once(lambda i: people[i].post(PAGE_TWO, nav="submit"))
    assert stored(app) == 1
    assert sorted(r.status_code for r in results) == [303] + [410] * (PARALLEL - 1)
    full = next(r for r in results if r.status_code == 410).get_data(as_text=True)
    assert "Dieses Formular hat alle Antworten, die es braucht." in full


def test_parallel_kiosk_items_for_a_link_with_three_places_store_three_and_refuse_the_rest_for_good(
        app, kiosk_link):
    token = kiosk_link(max_responses=3)
    results = at_once(lambda i: queued(app.test_client(), token, key=f"tablet-item-{i:02d}-" + "k" * 12))
    assert stored(app) == 3
    statuses = sorted((r.status_code, r.get_json()["status"]) for r in results)
    assert statuses == [(200, "stored")] * 3 + [(410, "closed")] * (PARALLEL - 3)
    assert all(r.get_json()["final"] for r in results if r.status_code == 410)


def test_one_item_sent_eight_times_at_once_to_the_last_place_is_stored_once_and_never_called_full(
        app, kiosk_link):
    token = kiosk_link(max_responses=1)
    results = at_once(lambda i: queued(app.test_client(), token))
    assert sorted(r.get_json()["status"] for r in results) == ["duplicate"] * (PARALLEL - 1) + ["stored"]
    assert queued(app.test_client(), token).get_json()["status"] == "duplicate"
    assert stored(app) == 1


def test_a_double_tap_on_the_last_place_shows_thank_you_twice_not_full(app, filler, make_link):
    token = make_link(max_responses=1)
    f = last_page(app, filler, token)
    first = f.post(PAGE_TWO, nav="submit")
    again = f.replay()
    assert (first.status_code, again.status_code) == (303, 303) and stored(app) == 1


def test_an_answer_sent_with_another_links_key_is_refused_not_thanked_for(app, filler, make_link):
    other, mine = make_link(), make_link()
    _f = last_page(app, filler, other)
    done = _f.post(PAGE_TWO, nav="submit")
    assert done.status_code == 303
    taken = dict(_f.last_post)["_key"]

    f = last_page(app, filler, mine)
    f.hidden = [(k, taken if k == "_key" else v) for k, v in f.hidden]
    refused = f.post(PAGE_TWO, nav="submit")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "/thanks" not in refused.headers.get("Location", "")
    assert "Diese Antworten wurden nicht gespeichert" in html
    assert stored(app) == 1


def test_a_kiosk_item_with_another_links_key_is_refused_for_good(app, client, kiosk_link):
    first, second = kiosk_link(), kiosk_link()
    assert queued(client, first).get_json()["status"] == "stored"
    refused = queued(client, second)
    assert refused.status_code == 409
    assert refused.get_json()["status"] == "invalid" and refused.get_json()["final"] is True
    assert stored(app) == 1


def test_one_key_sent_to_two_links_at_once_is_stored_through_one_and_refused_by_the_other(app, kiosk_link):
    links = kiosk_link(), kiosk_link()
    results = at_once(lambda i: queued(app.test_client(), links[i % 2]))
    with app.app_context():
        [winning] = db.session.scalars(select(Link.token).join(Response, Response.link_id == Link.id)).all()
    for i, r in enumerate(results):
        expected = {"stored", "duplicate"} if links[i % 2] == winning else {"invalid"}
        assert r.get_json()["status"] in expected, (i, r.get_json())
