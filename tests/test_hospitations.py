"""A hospitation or internship is recorded with dates, company, participant and mentor; the company gets a
personal feedback link for the end, and the participant's way shows the step."""
from __future__ import annotations

from sqlalchemy import select

from proconnect.cohorts.models import Cohort
from proconnect.companies.models import Company, name_key
from proconnect.responses.models import Response
from proconnect.definitions import forms_registry
from proconnect.links.models import Link
from proconnect.reports.aggregation import Filters
from proconnect.reports.builder import build_cohort_report
from proconnect.extensions import db
from proconnect.matching.models import Hospitation
from shipped_forms import forms_dir  # noqa: F401
from staff_helpers import people, staff  # noqa: F401
from test_matching_web import matched  # noqa: F401

URL = "/staff/cohorts/ol-2027/matching/hospitations"


def test_recording_a_hospitation_makes_the_companys_feedback_link(app, staff, matched, people, filler):  # noqa: F811
    browser = staff("coord1")
    done = browser.post(URL, {"participant": "K7Q2-X9", "company": matched, "kind": "hospitation",
                              "trade": "metal", "starts_on": "2027-05-03", "ends_on": "2027-05-07",
                              "mentor": people["mentor1"]})
    assert done.status_code == 302
    with app.app_context():
        [h] = db.session.scalars(select(Hospitation)).all()
        assert (h.participant_code, h.company_name, h.kind, h.trade, h.mentor_id) == (
            "K7Q2-X9", "Metallbau Nord", "hospitation", "metal", people["mentor1"])
        link = db.session.get(Link, h.feedback_link_id)
        assert (link.form_id, link.max_responses) == ("hospitation-feedback", 1)
        token = link.token
    page = browser.get(URL).get_data(as_text=True)
    assert f"/f/{token}" in page and "2027-05-03" in page
    feedback = filler(token).open()
    assert feedback.status_code == 200 and "Hospitation" in feedback.get_data(as_text=True)
    way = browser.get("/staff/cohorts/ol-2027/matching/pipeline").get_data(as_text=True)
    assert "2027-05-03 internship or hospitation (Metallbau Nord)" in way


def test_the_participant_gets_a_link_of_their_own_that_knows_them_and_the_company(app, staff, matched, filler):  # noqa: F811
    with app.app_context():
        nord = Company(name="Metallbau Nord", name_key=name_key("Metallbau Nord"), place="Westerstede",
                       trades=["metal"])
        db.session.add(nord)
        db.session.flush()
        db.session.get(Link, matched).company_id = nord_id = nord.id
        db.session.commit()
    browser = staff("coord1")
    assert browser.post(URL, {"participant": "K7Q2-X9", "company": matched, "kind": "hospitation",
                              "trade": "metal", "starts_on": "2027-05-03", "ends_on": "2027-05-07",
                              "mentor": 0}).status_code == 302
    with app.app_context():
        [h] = db.session.scalars(select(Hospitation)).all()
        voice = db.session.get(Link, h.voice_link_id)
        # The participant's link is theirs: not among the company's links, and its label names no code.
        assert (voice.form_id, voice.max_responses, voice.company_id) == ("hospitation-voice", 1, None)
        assert "K7Q2" not in voice.event
        token = voice.token
    page = browser.get(URL).get_data(as_text=True)
    assert "Participant's feedback" in page and f"/f/{token}" in page
    f = filler(token)
    first = f.open(lang="ar").get_data(as_text=True)
    assert 'dir="rtl"' in first and "K7Q2-X9" in first and "Metallbau Nord" in first
    f.post({})
    f.post({"liked_work": "yes", "way": "so_so"})
    assert f.post({"again": "yes", "hard": ["german"]}, nav="submit").status_code == 303
    with app.app_context():
        response = db.session.scalar(select(Response).filter_by(link_id=h.voice_link_id))
        assert (response.participant_code, response.language) == ("K7Q2-X9", "ar")
        assert response.payload["answers"]["company"] == str(nord_id)
    assert "received" in browser.get(URL).get_data(as_text=True)
    # Erasing the participant switches off their link, as the company's.
    assert browser.post("/staff/cohorts/ol-2027/participants/K7Q2-X9/erase",
                        {"confirm": "K7Q2-X9"}).status_code == 302
    with app.app_context():
        assert db.session.get(Link, h.voice_link_id).revoked_at is not None
        assert db.session.get(Link, h.feedback_link_id).revoked_at is not None


def test_an_end_before_the_start_is_refused_with_a_message(app, staff, matched):  # noqa: F811
    page = staff("coord1").post(URL, {"participant": "K7Q2-X9", "company": matched, "kind": "internship",
                                      "trade": "metal", "starts_on": "2027-05-07", "ends_on": "2027-05-03",
                                      "mentor": 0})
    assert page.status_code == 200 and "The end must not be before the start." in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Hospitation)).all() == []


def test_the_company_gives_its_feedback_at_the_end(app, filler, make_link):
    from test_instruments import fill_in, stored
    fill_in(filler, make_link("hospitation-feedback"), {
        "participant_code": "K7Q2-X9", "took_place": "yes",
        "rating__punctual": "4", "rating__skills": "3", "rating__motivation": "4", "rating__team": "4",
        "rating__german": "2", "next_step": "apprenticeship", "support_needed": "Sprachkurs neben der Ausbildung"})
    _response, a = stored(app, "hospitation-feedback")
    assert (a["next_step"], a["rating.german"], a["not_held_reason"]) == ("apprenticeship", 2, "not shown")


def test_v3_a_trainer_who_could_not_judge_and_would_take_the_person_after_a_german_course(app, filler, make_link):
    from test_instruments import fill_in, stored
    token = make_link("hospitation-feedback")
    f = filler(token)
    f.open()
    f.post({"took_place": "yes"})
    assert "nicht beurteilbar" in f.text() and "Später, nach einem Deutschkurs" in f.text()
    fill_in(filler, token, {
        "participant_code": "K7Q2-X9", "took_place": "yes",
        "rating__punctual": "4", "rating__skills": "unsure", "rating__motivation": "4", "rating__team": "unsure",
        "rating__german": "1", "next_step": "after_course", "support": ["german_course", "authorities"]})
    response, a = stored(app, "hospitation-feedback")
    assert response.version == 3
    # Not judged is an answer of its own, no point; the step is neither an offer nor "no offer now".
    assert (a["rating.skills"], a["rating.team"], a["rating.german"]) == ("unsure", "unsure", 1)
    assert (a["next_step"], a["support"]) == ("after_course", ["authorities", "german_course"])
    # "Ab wann?" belongs to an offer: it was not shown.
    assert a["offer_start"] == "not shown"
    with app.app_context():
        cohort = db.session.scalar(select(Cohort))
        report = build_cohort_report(forms_registry(app), cohort, Filters(cohort.id))
    questions = {q.id: q for s in report.sections if s.form_id == "hospitation-feedback" for q in s.questions}
    steps = {b.key: b.count for b in questions["next_step"].bars}
    assert (steps["after_course"], steps["not_now"]) == (1, 0)
    skills = next(row for row in questions["rating"].matrix if row.key == "skills")
    assert (skills.numeric.n, skills.numeric.unsure) == (0, 1)


def test_without_its_feedback_form_a_hospitation_gets_no_link(app, staff, matched):  # noqa: F811
    app.config["INSTRUMENT_ROLES"] = {"hospitation_feedback": "praktikum-feedback"}
    browser = staff("coord1")
    page = browser.get(URL).get_data(as_text=True)
    assert "The form 'praktikum-feedback' for hospitation feedback is not installed" in page
    done = browser.post(URL, {"participant": "K7Q2-X9", "company": matched, "kind": "hospitation",
                              "trade": "metal", "starts_on": "2027-05-03", "ends_on": "2027-05-07", "mentor": 0})
    assert done.status_code == 302
    with app.app_context():
        [h] = db.session.scalars(select(Hospitation)).all()
        assert h.feedback_link_id is None
