"""The session cookie and a form page's CSRF token are checked once per process (``proconnect.signing``): a string
that passed once is still refused when it gets too old or belongs to another session, and an altered one is refused
however often its genuine twin passed."""
from __future__ import annotations

import re
from datetime import timedelta
import time

import pytest

from proconnect import signing
from conftest import Filler
from test_responses import PAGE_ONE

_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]*)"')


@pytest.fixture
def clock(monkeypatch):
    """Seconds to add to the real time, for the signatures too."""
    moved, real = {"by": 0.0}, time.time
    monkeypatch.setattr(time, "time", lambda: real() + moved["by"])
    return moved


def _altered(text: str) -> str:
    return text[:-2] + ("A" if text[-2] != "A" else "B") + text[-1]


def _next_page(f, **changes) -> int:
    """Send page one (its hidden inputs changed by ``changes``); 200 with page two, or the page again."""
    f.hidden = [(k, changes.get(k, v)) for k, v in f.hidden]
    response = f.post(PAGE_ONE)
    assert response.status_code == 200
    return 2 if 'name="_page" value="1"' in response.get_data(as_text=True) else 1


def test_a_page_token_that_passed_is_refused_once_it_is_too_old(app, filler, make_link, clock):
    f = filler(make_link())
    f.open()
    token = dict(f.hidden)["csrf_token"]
    assert _next_page(f) == 2
    f.post({}, nav="back")
    clock["by"] = app.config["WTF_CSRF_TIME_LIMIT"] + 5
    assert _next_page(f, csrf_token=token) == 1  # "the page was renewed", answers kept
    assert _next_page(f) == 2  # the renewed page's token is new


def test_a_page_token_that_passed_is_refused_in_another_session(app, filler, make_link):
    token = make_link()
    mine, theirs = filler(token), type(filler(token))(app.test_client(), token)
    mine.open()
    theirs.open()
    assert _next_page(mine) == 2
    assert _next_page(theirs, csrf_token=dict(mine.last_post)["csrf_token"]) == 1


def test_an_altered_page_token_is_refused_after_its_genuine_twin_passed(app, filler, make_link):
    f = filler(make_link())
    f.open()
    token = dict(f.hidden)["csrf_token"]
    assert _next_page(f) == 2
    f.post({}, nav="back")
    assert _next_page(f, csrf_token=_altered(token)) == 1


def test_a_page_token_is_signed_again_after_a_minute(app, filler, make_link, clock):
    f = filler(make_link())
    first = _TOKEN.search(f.open().get_data(as_text=True)).group(1)
    assert _TOKEN.search(f.open().get_data(as_text=True)).group(1) == first
    clock["by"] = signing.REUSE_SECONDS + 2
    assert _TOKEN.search(f.open().get_data(as_text=True)).group(1) != first


def _session_cookie(client, app):
    return client.get_cookie(app.config["SESSION_COOKIE_NAME"])


@pytest.mark.parametrize("change", ["altered", "too old"])
def test_a_session_cookie_that_passed_is_refused_once_it_is_too_old_or_altered(app, make_link, clock, change):
    # Shorter than the page token's limit: only the cookie's age refuses the page.
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=10)
    f = Filler(app.test_client(), make_link())
    f.open()
    assert _next_page(f) == 2  # the cookie passed, with the session's token in it
    f.post({}, nav="back")
    cookie = _session_cookie(f.client, app).value
    if change == "altered":
        f.client.set_cookie(app.config["SESSION_COOKIE_NAME"], _altered(cookie))
    else:
        clock["by"] = 10 * 60 + 5
    # Without its session the page's token is no one's: the page is renewed.
    assert _next_page(f) == 1
