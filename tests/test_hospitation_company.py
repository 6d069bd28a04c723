"""A hospitation's links already know the company: the participant (and the company) is never asked which company it
was, also when the company answered the readiness survey through a plain link and has no record in the list."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

import pytest
from sqlalchemy import select

from proconnect.companies.models import Company, name_key
from proconnect.definitions import forms_registry
from proconnect.extensions import db
from proconnect.fieldtypes import field_type, other_answers
from proconnect.links.models import Link
from proconnect.matching.models import Hospitation
from proconnect.responses.models import Response
from shipped_forms import forms_dir  # noqa: F401
from staff_helpers import people, staff  # noqa: F401
from test_matching_web import matched  # noqa: F401

URL = "/staff/cohorts/ol-2027/matching/hospitations"
CODE = "K7Q2-X9"
FIXED = "Filled in by your link. It cannot be changed here."


@pytest.fixture
def hospitation(app, staff, matched):  # noqa: F811
    """A hospitation at "Metallbau Nord", which answered the survey through the cohort's plain link: no record."""
    assert staff("coord1").post(URL, {"participant": CODE, "company": matched, "kind": "hospitation",
                                      "trade": "metal", "starts_on": "2027-05-03", "ends_on": "2027-05-07",
                                      "mentor": 0}).status_code == 302
    with app.app_context():
        h = db.session.scalars(select(Hospitation)).one()
        assert db.session.get(Link, h.company_id).company_id is None
        return {"voice": db.session.get(Link, h.voice_link_id).token,
                "feedback": db.session.get(Link, h.feedback_link_id).token}


def _answers(app, form_id: str) -> list[dict]:
    with app.app_context():
        return [r.payload["answers"] for r in db.session.scalars(select(Response).filter_by(form_id=form_id))]


def _company_question(html: str) -> str:
    return re.search(r'<div class="question question-fixed" id="q-company".*?</div>', html, re.S).group(0)


def test_the_participants_link_names_the_company_without_a_record_and_stores_its_name(app, hospitation, filler,
                                                                                      client):
    client.set_cookie("lang", "en")
    f = filler(hospitation["voice"])
    first = f.open().get_data(as_text=True)
    # Said above the form and shown as the answer, fixed: not a choice with only "other" to tick.
    assert "at Metallbau Nord, May 3, 2027 to May 7, 2027" in first
    question = _company_question(first)
    assert "<strong>Metallbau Nord</strong>" in question and FIXED in question
    assert 'type="radio"' not in question and "If other: the name" not in first
    f.post({})
    f.post({"liked_work": "yes", "liked_people": "yes", "way": "so_so"})
    assert f.post({"again": "yes", "learn_trade": "maybe"}, nav="submit").status_code == 303
    [answers] = _answers(app, "hospitation-voice")
    assert (answers["participant_code"], answers["company"], answers["company.other"]) == (
        CODE, "other", "Metallbau Nord")


def test_the_companys_own_feedback_link_names_it_too(app, hospitation, filler, client):
    client.set_cookie("lang", "en")
    f = filler(hospitation["feedback"])
    question = _company_question(f.open().get_data(as_text=True))
    assert "<strong>Metallbau Nord</strong>" in question and FIXED in question
    assert f.post({"took_place": "no"}).status_code == 200
    assert f.post({"not_held_reason": "moved"}, nav="submit").status_code == 303
    [answers] = _answers(app, "hospitation-feedback")
    assert (answers["company"], answers["company.other"]) == ("other", "Metallbau Nord")


@pytest.mark.parametrize("altered", [{"company__other": "Andere GmbH"}, {"company": "17"},
                                     {"company": "other", "company__other": "Metallbau Süd"}])
def test_another_company_sent_for_the_fixed_one_is_refused_and_nothing_saved_is_lost(app, hospitation, filler,
                                                                                      client, altered):
    client.set_cookie("lang", "en")
    f = filler(hospitation["voice"])
    f.open()
    refused = f.post(altered)
    assert refused.status_code == 400 and "This link was changed" in refused.get_data(as_text=True)
    # The same on the last page, where the company is carried from the first; what was saved before stays saved.
    f = filler(hospitation["voice"])
    f.open()
    f.post({})
    assert f.post({"liked_work": "no"}, nav="save").status_code == 200
    f.post({"liked_work": "no"})
    refused = f.post({"again": "yes", **altered}, nav="submit")
    assert refused.status_code == 400 and "This link was changed" in refused.get_data(as_text=True)
    assert _answers(app, "hospitation-voice") == []
    again = filler(hospitation["voice"])
    resumed = again.open().get_data(as_text=True)
    assert "Welcome back" in resumed and re.search(r'name="liked_work" value="no"\s*checked', resumed)
    assert again.post({}, nav="next").status_code == 200
    assert again.post({"again": "yes"}, nav="submit").status_code == 303
    [answers] = _answers(app, "hospitation-voice")
    assert (answers["company"], answers["company.other"], answers["liked_work"]) == ("other", "Metallbau Nord", "no")


def _record_hospitation(app, staff, matched):  # noqa: F811
    assert staff("coord1").post(URL, {"participant": CODE, "company": matched, "kind": "internship",
                                      "trade": "metal", "starts_on": "2027-05-03", "ends_on": "2027-05-28",
                                      "mentor": 0}).status_code == 302
    with app.app_context():
        newest = db.session.scalars(select(Hospitation).order_by(Hospitation.id.desc())).first()
        return db.session.get(Link, newest.voice_link_id).token


def _send_voice(filler, token) -> str:
    f = filler(token)
    question = _company_question(f.open().get_data(as_text=True))
    f.post({})
    f.post({"liked_work": "yes"})
    assert f.post({"again": "maybe"}, nav="submit").status_code == 303
    return question


def test_a_record_the_coordinator_made_from_the_companys_survey_answer_is_stored_as_that_record(
        app, staff, matched, filler, client):  # noqa: F811
    client.set_cookie("lang", "en")
    coordinator = staff("coord1")
    with app.app_context():
        answer = db.session.scalar(select(Response.id).filter_by(form_id="company-readiness"))
    assert coordinator.post(f"/staff/companies/from-survey/{answer}").status_code == 302
    with app.app_context():
        record = db.session.scalar(select(Company.id).filter_by(name="Metallbau Nord"))
    question = _send_voice(filler, _record_hospitation(app, staff, matched))
    assert "<strong>Metallbau Nord</strong>" in question
    [answers] = _answers(app, "hospitation-voice")
    assert (answers["company"], answers.get("company.other")) == (str(record), None)


def test_a_name_the_coordinator_confirmed_to_mean_a_record_is_stored_as_that_record_unless_it_left(
        app, staff, matched, filler, client):  # noqa: F811
    client.set_cookie("lang", "en")
    coordinator = staff("coord1")
    with app.app_context():
        record = Company(name="Nord Metall GmbH", name_key=name_key("Nord Metall GmbH"), place="Westerstede")
        db.session.add(record)
        db.session.commit()
        record_id = record.id
    confirmed = coordinator.post("/staff/companies/names", {"name": "Metallbau Nord", "company": record_id})
    assert confirmed.status_code == 302
    token = _record_hospitation(app, staff, matched)
    assert "<strong>Nord Metall GmbH</strong>" in _send_voice(filler, token)
    [answers] = _answers(app, "hospitation-voice")
    assert answers["company"] == str(record_id)
    # A record that left the project is no longer offered: the next hospitation's link names the company as "other".
    with app.app_context():
        db.session.get(Company, record_id).retired_at = datetime(2027, 6, 1)
        db.session.commit()
    assert "<strong>Metallbau Nord</strong>" in _send_voice(filler, _record_hospitation(app, staff, matched))
    assert {(a["company"], a.get("company.other")) for a in _answers(app, "hospitation-voice")} == {
        (str(record_id), None), ("other", "Metallbau Nord")}


def test_the_record_question_takes_a_known_name_as_its_input_would_store_it(app):
    company = forms_registry(app).get("hospitation-voice").field("company")
    short = replace(company, extra={**company.extra, "max_length": 14})
    record = field_type(company)
    # Its two inputs: the choice and the name under "other"; the name as the page shows it.
    known = record.prefilled(company, other_answers("company", " Metallbau Nord GmbH & Co. KG "))
    assert known == {"company": "other", "company__other": "Metallbau Nord GmbH & Co. KG"}
    assert record.prefilled_text(company, known) == "Metallbau Nord GmbH & Co. KG"
    # Never longer than the question takes (the person could not shorten it), and no "other" without a name.
    assert record.prefilled(short, other_answers("company", "Metallbau Nord GmbH & Co. KG")) == {
        "company": "other", "company__other": "Metallbau Nord"}
    assert record.prefilled(company, other_answers("company", "  ")) == {}
    # A record's value is one input, as before.
    assert record.prefilled(company, {"company": "7", "participant_code": CODE}) == {"company": "7"}


def test_the_name_both_sides_gave_is_offered_on_the_company_names_page_to_match_to_a_record(
        app, hospitation, staff, filler):  # noqa: F811
    _send_voice(filler, hospitation["voice"])
    f = filler(hospitation["feedback"])
    f.open()
    f.post({"took_place": "no"})
    assert f.post({"not_held_reason": "moved"}, nav="submit").status_code == 303
    with app.app_context():
        record = Company(name="Metallbau Nord GmbH", name_key=name_key("Metallbau Nord GmbH"), place="Westerstede")
        db.session.add(record)
        db.session.commit()
        record_id = record.id
    coordinator = staff("coord1")
    page = coordinator.get("/staff/companies/names").get_data(as_text=True)
    # Typed under "other" in the participant's and the company's feedback (no outcome yet): one name, twice.
    assert "<td>Metallbau Nord</td><td>2</td>" in page
    assert page.count(f'<option value="{record_id}" selected>') == 1
    assert coordinator.post("/staff/companies/names", {"name": "Metallbau Nord", "company": record_id}
                            ).status_code == 302
    assert "Every typed name is matched to a record." in coordinator.get("/staff/companies/names").get_data(
        as_text=True)
