"""A company's personal survey link (one answer only) may be saved half-way and resumed until it is sent."""
from __future__ import annotations

from sqlalchemy import select

from proconnect.extensions import db
from proconnect.responses.models import Response, ResponseDraft
from test_responses import PAGE_ONE, PAGE_TWO


def drafts(app):
    with app.app_context():
        return db.session.scalars(select(ResponseDraft)).all()


def test_only_a_personal_link_offers_saving(filler, make_link):
    assert "Save and continue later" not in filler(make_link(language="en")).open().get_data(as_text=True)
    assert "Save and continue later" in filler(make_link(max_responses=1, language="en")).open().get_data(as_text=True)


def test_saved_answers_come_back_with_the_same_link_and_the_draft_goes_when_sent(app, filler, make_link):
    token = make_link(max_responses=1, language="en")
    first = filler(token)
    first.open()
    first.post(PAGE_ONE)
    saved = first.post({"likes_building": "2"}, nav="save")
    assert saved.status_code == 200 and "Your answers are saved" in saved.get_data(as_text=True)
    [draft] = drafts(app)
    assert draft.page == 1 and ["name", "Sami"] in draft.answers

    later = filler(token)  # another day, another browser, the same link
    page = later.open()
    html = page.get_data(as_text=True)
    assert "Welcome back" in html and 'value="2" checked' in html  # page two, as it was left
    assert later.post(PAGE_TWO | {"likes_building": "2"}, nav="submit").status_code == 303
    with app.app_context():
        [response] = db.session.scalars(select(Response)).all()
        assert response.payload["answers"]["name"] == "Sami"
        assert response.payload["answers"]["likes_building"] == 2
    assert drafts(app) == []
    assert filler(token).open().status_code == 410  # a personal link answers once


def test_saving_needs_the_pages_csrf_token(app, filler, make_link):
    f = filler(make_link(max_responses=1, language="en"))
    f.open()
    f.hidden = [(k, "forged") if k == "csrf_token" else (k, v) for k, v in f.hidden]
    f.post(PAGE_ONE, nav="save")
    assert drafts(app) == []
