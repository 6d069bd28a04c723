"""A form page is drawn once per link, version, language and page and filled in per request (``responses.pageframe``):
what a person sees is exactly what drawing the page in full shows, and a change to the link shows at once."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from proconnect.extensions import db
from proconnect.links.models import Link
from proconnect.responses import pageframe
from conftest import Filler
from test_responses import PAGE_ONE

#: Valid answers that must stay text when carried to the next page as hidden inputs.
ODD_ONE = {**PAGE_ONE, "name": 'Sa<mi> & "Co"', "story": "Zeile 1\nZeile 2 </textarea><b>'x'"}
_TOKEN = re.compile(r'(name="csrf_token" type="hidden" value=")[^"]*')
_KEY = re.compile(r'(name="_key" value=")[^"]*')


def _walk(app, token: str, page_one: dict) -> list[tuple[int, str]]:
    """Status and page of every step of a person going forward, back, forward, changing language, going on."""
    f = Filler(app.test_client(), token)
    # Page two half answered, then back: its answers come back with page one and are drawn again with page two.
    steps = [f.open(), f.post(page_one), f.post({"likes_building": "3", "often__drill": "2"}, nav="back"),
             f.post({}), f.post({"often__saw": "9"}), f.post({}, nav="language", query_string={"lang": "ar"}),
             f.post({}, nav="back")]
    # The CSRF token is signed with the time, a GET makes a new key: neither is the page's drawing.
    return [(r.status_code, _KEY.sub(r"\1K", _TOKEN.sub(r"\1T", r.get_data(as_text=True)))) for r in steps]


@pytest.mark.parametrize("language", ["de", "ar"])
@pytest.mark.parametrize("page_one", [PAGE_ONE, ODD_ONE], ids=["answered", "odd text"])
def test_a_page_filled_into_its_frame_is_the_page_drawn_in_full(app, make_link, monkeypatch, language,
                                                                page_one):
    token = make_link(language=language)
    framed, from_kept_frames = _walk(app, token, page_one), _walk(app, token, page_one)
    monkeypatch.setattr(pageframe, "frames", lambda: None)
    in_full = _walk(app, token, page_one)
    # A scale point the question does not have is a forged answer: the page again, with its error.
    assert [status for status, _ in in_full] == [200, 200, 200, 200, 400, 200, 200]
    assert framed == in_full and from_kept_frames == in_full
    carried, again = in_full[1][1], in_full[3][1]
    assert 'value="3" checked' in again and 'name="often__drill" value="2" checked' in again
    assert '<input type="hidden" name="name" value="%s">' % {
        "answered": "Sami", "odd text": "Sa&lt;mi&gt; &amp; &#34;Co&#34;"}["odd text" if page_one is ODD_ONE else "answered"] \
        in carried


def test_a_change_to_the_link_shows_on_the_next_page_at_once(app, filler, make_link):
    token = make_link()
    f = filler(token)
    f.open()
    assert "test-banner" not in f.post(PAGE_ONE).get_data(as_text=True)
    f.post({}, nav="back")
    assert 'value="save"' not in f.post({}).get_data(as_text=True)  # the frames of both pages are kept
    with app.app_context():
        db.session.execute(update(Link).where(Link.token == token).values(test=True, max_responses=1))
        db.session.commit()
    f.post({}, nav="back")
    page = f.post({}).get_data(as_text=True)
    assert 'class="test-banner"' in page and 'value="save"' in page
