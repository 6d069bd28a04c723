"""Filling in a form at /f/<token>: pages, validation, conditions, storage with the exact version."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from proconnect.extensions import db
from proconnect.responses.models import Answer, FormVersion, Response
from staff_helpers import PAGE_ONE as EVERYTHING_PAGE_ONE, PAGE_TWO

#: The answers of the "everything" form (staff_helpers'), under a participant code of their own.
PAGE_ONE = {**EVERYTHING_PAGE_ONE, "participant_code": "K7Q2-X"}


def responses(app):
    with app.app_context():
        return db.session.scalars(select(Response)).all()


def answers(app) -> dict:
    """field id -> list of (shown, text, number, date, long text) of the only response."""
    with app.app_context():
        rows = db.session.scalars(select(Answer).order_by(Answer.id)).all()
        out = {}
        for a in rows:
            out.setdefault(a.field_id, []).append((a.shown, a.value_text, a.value_num, a.value_date, a.value_long))
        return out


def submit_everything(filler, token, page_one=PAGE_ONE, page_two=PAGE_TWO):
    f = filler(token)
    f.open()
    assert f.post(page_one).status_code == 200
    return f, f.post(page_two, nav="submit")


def test_a_form_opens_at_its_link_in_the_links_language(client, make_link):
    token = make_link(language="de")
    page = client.get(f"/f/{token}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<html lang="de" dir="ltr">' in html
    assert "Alle Feldtypen" in html and "Spitzname" in html
    assert "Page 1 of 2" in html or "Seite 1 von 2" in html


def test_a_right_to_left_link_sets_the_page_direction(client, make_link):
    html = client.get(f"/f/{make_link(language='ar')}").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html


def test_an_unknown_link_is_not_found(client, make_link):
    make_link()
    assert client.get("/f/not-a-real-token").status_code == 404


def test_a_full_submission_is_stored_with_form_version_hash_cohort_and_language(app, filler, make_link):
    token = make_link(language="de")
    _f, done = submit_everything(filler, token)
    assert done.status_code == 303 and done.headers["Location"].endswith(f"/f/{token}/thanks")
    [response] = responses(app)
    definition = app.extensions["proconnect.forms"].get("everything", 1)
    assert (response.form_id, response.version, response.content_hash) == ("everything", 1, definition.content_hash)
    assert response.language == "de" and response.cohort_id is not None and response.link_id is not None
    assert response.participant_code == "K7Q2-X"
    assert len(response.idempotency_key) >= 16


def test_every_field_type_is_stored_as_typed_rows(app, filler, make_link):
    submit_everything(filler, make_link())
    a = answers(app)
    assert a["name"] == [(True, None, None, None, "Sami")]
    assert a["story"] == [(True, None, None, None, "Ich habe in Aleppo gearbeitet.")]
    assert a["years"] == [(True, None, 3.5, None, None)]
    assert a["trade"] == [(True, "metal", None, None, None)]
    assert sorted(v[1] for v in a["skills"]) == ["measure", "weld"]
    assert a["likes_building"] == [(True, None, 3.0, None, None)]
    assert a["licence"] == [(True, "yes", 1.0, None, None)]
    assert a["start"] == [(True, None, None, date(2027, 8, 1), None)]
    assert a["often.saw"] == [(True, None, 4.0, None, None)]
    assert a["often.drill"] == [(True, None, 1.0, None, None)]
    assert a["consent"] == [(True, "yes", None, None, None)]
    assert "info" not in a and "page_two" not in a


def test_scores_are_computed_at_submission_with_reversed_items(app, filler, make_link):
    submit_everything(filler, make_link())
    a = answers(app)
    # mean of likes_building 3, often.saw 4, often.drill reversed on 4 points: 5 - 1 = 4
    assert a["practical"][0][2] == pytest.approx((3 + 4 + 4) / 3, abs=1e-4)
    assert a["practical_sum"][0][2] == 7.0
    [response] = responses(app)
    assert response.payload["scores"]["practical_sum"] == 7.0
    assert response.payload["answers"]["start"] == "2027-08-01"


def test_the_first_response_publishes_the_version(app, filler, make_link):
    submit_everything(filler, make_link())
    with app.app_context():
        [pinned] = db.session.scalars(select(FormVersion)).all()
    assert (pinned.form_id, pinned.version) == ("everything", 1)


def test_the_same_submission_posted_twice_is_stored_once(app, filler, make_link):
    token = make_link()
    f, first = submit_everything(filler, token)
    second = f.replay()
    assert second.status_code == 303 and second.headers["Location"] == first.headers["Location"]
    assert len(responses(app)) == 1
    thanks = f.client.get(second.headers["Location"])
    assert thanks.status_code == 200 and ("Thank you" in thanks.get_data(as_text=True)
                                          or "Danke" in thanks.get_data(as_text=True))


@pytest.mark.parametrize("test_link", [False, True], ids=["real link", "test link"])
def test_a_page_sent_again_after_the_answers_were_stored_gets_the_thank_you_page(app, filler, make_link, test_link):
    # The browser's Back button shows page one as it was; its "Next" must not start the form over, also on a
    # test link, whose answers every ordinary query leaves out.
    token = make_link(test=test_link)
    f = filler(token)
    f.open()
    assert f.post(PAGE_ONE).status_code == 200
    first_next = f.last_post
    sent = f.post(PAGE_TWO, nav="submit")
    assert sent.status_code == 303
    again = f.client.post(f.url, data=first_next)
    assert again.status_code == 303 and again.headers["Location"] == sent.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id)).execution_options(with_tests=True)) == 1


def test_two_people_on_the_same_link_give_two_responses(app, filler, make_link):
    token = make_link()
    submit_everything(filler, token)
    submit_everything(filler, token)
    assert len(responses(app)) == 2


def test_a_hidden_field_is_not_required_and_not_stored(app, filler, make_link):
    page_one = dict(PAGE_ONE, trade="wood")
    del page_one["metal_detail"]
    _f, done = submit_everything(filler, make_link(), page_one=page_one)
    assert done.status_code == 303
    assert answers(app)["metal_detail"] == [(False, None, None, None, None)]


def test_an_answer_to_a_hidden_field_is_thrown_away(app, filler, make_link):
    _f, done = submit_everything(filler, make_link(), page_one=dict(PAGE_ONE, trade="care"))
    assert done.status_code == 303
    assert answers(app)["metal_detail"] == [(False, None, None, None, None)]
    assert "metal_detail" not in responses(app)[0].payload["answers"]


def test_a_shown_required_field_must_be_answered(app, filler, make_link):
    f = filler(make_link())
    f.open()
    page = f.post(dict(PAGE_ONE, metal_detail=""))
    assert page.status_code == 200
    assert 'id="metal_detail-error"' in page.get_data(as_text=True)
    assert responses(app) == []


def test_a_wrong_answer_re_renders_the_page_with_everything_kept(filler, make_link):
    f = filler(make_link())
    f.open()
    page = f.post(dict(PAGE_ONE, name="", years="99"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="name-error"' in html and 'id="years-error"' in html
    assert 'value="99"' in html and "Ich habe in Aleppo gearbeitet." in html
    assert 'value="metal" checked' in html and 'value="weld" checked' in html


def test_answers_of_earlier_pages_are_carried_and_back_keeps_them(app, filler, make_link):
    f = filler(make_link())
    f.open()
    f.post(PAGE_ONE)
    back = f.post(PAGE_TWO, nav="back")
    html = back.get_data(as_text=True)
    assert 'value="Sami"' in html and 'value="metal" checked' in html
    f.post(PAGE_ONE)
    assert f.post({}, nav="submit").status_code == 303  # page two's answers travelled along
    assert answers(app)["often.saw"][0][2] == 4.0


def test_a_tampered_earlier_answer_is_caught_at_submission(app, filler, make_link):
    f = filler(make_link())
    f.open()
    f.post(PAGE_ONE)
    f.hidden = [(k, "") if k == "name" else (k, v) for k, v in f.hidden]
    page = f.post(PAGE_TWO, nav="submit")
    assert page.status_code == 200 and 'id="name-error"' in page.get_data(as_text=True)
    assert responses(app) == []


@pytest.mark.parametrize("answer, message_id", [
    ({"years": "drei"}, "years-error"),
    ({"years": "0.3"}, "years-error"),
    ({"years": "-1"}, "years-error"),
    ({"skills": ["measure", "weld", "drive"]}, "skills-error"),
    ({"name": "x" * 21}, "name-error"),
])
def test_validation_limits_give_a_message_beside_the_field(filler, make_link, answer, message_id):
    f = filler(make_link())
    f.open()
    page = f.post(dict(PAGE_ONE, **answer))
    assert page.status_code == 200 and f'id="{message_id}"' in page.get_data(as_text=True)


@pytest.mark.parametrize("answer, message_id", [
    ({"start": "2019-12-31"}, "start-error"),
    ({"start": "morgen"}, "start-error"),
    ({"start": "31.2.2027"}, "start-error"),
    ({"start": "31.12.2019"}, "start-error"),
    ({"consent": ""}, "consent-error"),
])
def test_second_page_limits(filler, make_link, answer, message_id):
    f = filler(make_link())
    f.open()
    f.post(PAGE_ONE)
    page = f.post(dict(PAGE_TWO, **answer), nav="submit")
    assert page.status_code == 200 and f'id="{message_id}"' in page.get_data(as_text=True)


@pytest.mark.parametrize("typed", ["31.12.2027", "31. 12. 2027", "2027-12-31"])
def test_a_date_typed_as_germans_write_it_is_read(app, filler, make_link, typed):
    # A browser without a date picker sends what the person typed.
    f = filler(make_link())
    f.open()
    f.post(PAGE_ONE)
    assert f.post(dict(PAGE_TWO, start=typed), nav="submit").status_code == 303
    assert responses(app)[0].payload["answers"]["start"] == "2027-12-31"


@pytest.mark.parametrize("lang, message", [("de", "Bitte geben Sie ein Datum ein, zum Beispiel 3.5.2027."),
                                           ("ar", "يرجى إدخال تاريخ، مثلاً 3.5.2027.")])
def test_a_date_that_cannot_be_read_is_asked_for_again_in_the_persons_language(app, filler, make_link, lang, message):
    f = filler(make_link())
    f.open(lang=lang)
    f.post(PAGE_ONE)
    page = f.post(dict(PAGE_TWO, start="morgen"), nav="submit")
    assert page.status_code == 200 and message in f.text() and 'value="morgen"' in page.get_data(as_text=True)
    assert responses(app) == []


def test_a_forged_choice_value_is_refused_with_400_and_nothing_lost(app, filler, make_link):
    f = filler(make_link())
    f.open()
    page = f.post(dict(PAGE_ONE, trade="<script>"))
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and 'id="trade-error"' in html
    assert 'value="Sami"' in html and "<script>" not in html
    assert responses(app) == []


def test_a_forged_scale_point_is_refused(filler, make_link):
    f = filler(make_link())
    f.open()
    f.post(PAGE_ONE)
    page = f.post(dict(PAGE_TWO, likes_building="7"), nav="submit")
    assert page.status_code == 400


def test_unknown_field_names_are_refused_with_400(app, filler, make_link):
    f = filler(make_link())
    f.open()
    page = f.post(dict(PAGE_ONE, is_admin="1"))
    assert page.status_code == 400 and 'value="Sami"' in page.get_data(as_text=True)


def test_an_expired_csrf_token_keeps_the_answers(app, filler, make_link):
    f = filler(make_link())
    f.open()
    f.hidden = [(k, "expired") if k == "csrf_token" else (k, v) for k, v in f.hidden]
    page = f.post(PAGE_ONE)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'role="alert"' in html and 'value="Sami"' in html
    f.post(PAGE_ONE)  # with the renewed token
    assert f.post(PAGE_TWO, nav="submit").status_code == 303


def test_a_post_without_idempotency_key_is_a_bad_request(filler, make_link):
    f = filler(make_link())
    f.open()
    assert f.post(PAGE_ONE, drop=("_key",)).status_code == 400


def test_an_oversized_body_is_refused_with_413(client, make_link):
    token = make_link()
    page = client.post(f"/f/{token}", data={"story": "x" * (600 * 1024)})
    assert page.status_code == 413


def test_invalid_utf8_is_refused_with_400(client, make_link):
    token = make_link()
    page = client.post(f"/f/{token}", data=b"name=%ff%fe&_nav=next",
                       content_type="application/x-www-form-urlencoded")
    assert page.status_code == 400


def test_a_revoked_link_shows_a_clear_page_not_the_form(app, client, make_link):
    from proconnect.models_util import utcnow
    token = make_link(revoked_at=utcnow())
    page = client.get(f"/f/{token}")
    assert page.status_code == 410 and "Spitzname" not in page.get_data(as_text=True)


def test_a_closed_and_a_not_yet_open_link(client, make_link):
    from proconnect.models_util import utcnow
    closed = make_link(closes_at=utcnow() - timedelta(hours=1))
    later = make_link(opens_at=utcnow() + timedelta(days=1))
    assert client.get(f"/f/{closed}").status_code == 410
    assert client.get(f"/f/{later}").status_code == 403


def test_a_full_link_takes_no_more_answers(app, filler, make_link):
    token = make_link(max_responses=1)
    submit_everything(filler, token)
    assert filler(token).open().status_code == 410


def test_a_pinned_link_serves_its_version_and_latest_follows_new_ones(app, filler, make_link):
    pinned, latest = make_link("survey", version=1), make_link("survey")
    assert "Wie war es?" in filler(pinned).open().get_data(as_text=True)
    assert "Wie hat es Ihnen gefallen?" in filler(latest).open().get_data(as_text=True)
    f = filler(latest)
    f.open()
    assert f.post({"rating": "4", "recommend": "no"}, nav="submit").status_code == 303
    assert [(r.form_id, r.version) for r in responses(app)] == [("survey", 2)]


def test_a_changed_published_version_is_no_longer_served(app, filler, make_link, tmp_path):
    token = make_link("survey", version=1)
    f = filler(token)
    f.open()
    f.post({"rating": "5"}, nav="submit")
    with app.app_context():
        pinned = db.session.scalar(select(FormVersion))
        pinned.content_hash = "0" * 64  # as if the file had been edited after publication
        db.session.commit()
    page = filler(token).open()
    assert page.status_code == 410 and "Wie war es?" not in page.get_data(as_text=True)


def test_pictograms_are_served_but_definitions_are_not(client, make_link):
    make_link()
    with client.get("/assets/everything/img/metal.svg") as picture:
        assert picture.status_code == 200 and picture.mimetype == "image/svg+xml"
    assert client.get("/assets/everything/v1.toml").status_code == 404
    assert client.get("/assets/everything/../survey/v1.toml").status_code == 404


def test_conditions_on_the_same_page_are_sent_to_the_browser(filler, make_link):
    html = filler(make_link()).open().get_data(as_text=True)
    assert 'id="q-metal_detail" data-show-if=' in html


def test_the_response_count_per_form_is_one_query(app, filler, make_link):
    submit_everything(filler, make_link())
    with app.app_context():
        assert db.session.scalar(select(func.count(Answer.id)).where(Answer.field_id == "skills")) == 2
