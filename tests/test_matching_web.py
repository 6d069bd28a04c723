"""Coordinators see suggestions with reasons, keep decisions about them, and plan a speed-dating event."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from proconnect.extensions import db
from proconnect.matching.models import MatchDecision
from shipped_forms import forms_dir  # noqa: F401
from staff_helpers import people, staff  # noqa: F401
from test_instruments import COMPETENCE, fill_in
from test_matching_cli import company
from test_reports_pdf import pdf_text


@pytest.fixture
def matched(app, people, filler):  # noqa: F811
    from proconnect.links.models import Link

    def link(form_id):
        with app.app_context():
            row = Link(form_id=form_id, cohort_id=people["ol-2027"])
            db.session.add(row)
            db.session.commit()
            return row.token, row.id
    token, _ = link("competence-check")
    fill_in(filler, token, COMPETENCE)
    token, company_id = link("company-readiness")
    fill_in(filler, token, company("Metallbau Nord", "westerstede", ["metal"]))
    return company_id


def test_a_coordinator_sees_each_participant_with_the_reasons(app, staff, matched):  # noqa: F811
    page = staff("coord1").get("/staff/cohorts/ol-2027/matching")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "K7Q2-X9" in html and "Metallbau Nord" in html
    assert "experience in" in html and "4 years" in html


@pytest.mark.parametrize("top", ["abc", "²", "-1", "9" * 5000, ""])
def test_a_hand_edited_number_of_suggestions_shows_the_default_not_an_error(staff, matched, top):  # noqa: F811
    page = staff("coord1").get("/staff/cohorts/ol-2027/matching", query_string={"top": top})
    assert page.status_code == 200 and "Metallbau Nord" in page.get_data(as_text=True)


def test_a_decision_is_kept_with_its_history_and_audited(app, staff, matched):  # noqa: F811
    browser = staff("coord1")
    url = "/staff/cohorts/ol-2027/matching/decide"
    assert browser.post(url, {"participant": "k7q2-x9", "company": matched, "decision": "contacted"}).status_code == 302
    refused = browser.post(url, {"participant": "K7Q2-X9", "company": matched, "decision": "rejected"},
                           follow_redirects=True)
    assert "Please give a reason" in refused.get_data(as_text=True)
    browser.post(url, {"participant": "K7Q2-X9", "company": matched, "decision": "rejected",
                       "reason": "keine Ausbildungsplätze mehr frei"})
    with app.app_context():
        rows = db.session.scalars(select(MatchDecision).order_by(MatchDecision.id)).all()
        assert [(r.participant_code, r.company_name, r.decision, r.reason) for r in rows] == [
            ("K7Q2-X9", "Metallbau Nord", "contacted", ""),
            ("K7Q2-X9", "Metallbau Nord", "rejected", "keine Ausbildungsplätze mehr frei")]
        from proconnect.audit.models import AuditEvent
        assert db.session.scalar(select(AuditEvent).filter_by(action="match_decision")) is not None
    page = browser.get("/staff/cohorts/ol-2027/matching").get_data(as_text=True)
    assert "keine Ausbildungsplätze mehr frei" in page


def test_deciding_about_an_unknown_company_or_another_cohort_is_refused(app, staff, matched):  # noqa: F811
    url = "/staff/cohorts/ol-2027/matching/decide"
    assert staff("coord1").post(url, {"participant": "K7Q2-X9", "company": 999,
                                      "decision": "contacted"}).status_code == 404
    assert staff("coord2").get("/staff/cohorts/ol-2027/matching").status_code == 404


def test_a_speed_dating_plan_is_shown(app, staff, matched):  # noqa: F811
    page = staff("coord1").get("/staff/cohorts/ol-2027/matching/speed-dating?tables=2&rounds=2"
                               "&start=2027-04-01+10%3A00&minutes=10")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Metallbau Nord" in html and "K7Q2-X9" in html and "10:00" in html
    wrong = staff("coord1").get("/staff/cohorts/ol-2027/matching/speed-dating?tables=2&rounds=2&start=morgen"
                                "&minutes=10")
    assert wrong.status_code == 200 and "YYYY-MM-DD HH:MM" in wrong.get_data(as_text=True)


def test_the_nearer_company_record_comes_first_with_the_way_from_gemeinde_to_gemeinde(app, people, filler,  # noqa: F811
                                                                                      staff):
    from proconnect.companies.models import Company
    from proconnect.links.models import Link

    def company_link(name, municipality):
        with app.app_context():
            record = Company(name=name, municipality=municipality, trades=["metal"])
            db.session.add(record)
            db.session.flush()
            # Version 2, which asked only the district.
            row = Link(form_id="company-readiness", version=2, cohort_id=people["ol-2027"], company_id=record.id)
            db.session.add(row)
            db.session.commit()
            return row.token
    with app.app_context():
        check = Link(form_id="competence-check", cohort_id=people["ol-2027"])
        db.session.add(check)
        db.session.commit()
        token = check.token
    fill_in(filler, token, COMPETENCE)  # lives in Westerstede, 45 minutes at most, by bus and bicycle
    # Both in the same district by the survey; their records know the Gemeinde.
    for name, municipality in (("Metallbau Wildeshausen", "wildeshausen"), ("Metallbau Westerstede", "westerstede")):
        answers = company(name, None, ["metal"], district="ammerland")
        del answers["company_name"]  # the personal link names the company
        fill_in(filler, company_link(name, municipality), answers)
    coordinator = staff("coord1")
    html = coordinator.get("/staff/cohorts/ol-2027/matching").get_data(as_text=True)
    assert html.index("Metallbau Westerstede") < html.index("Metallbau Wildeshausen")
    assert "about 30 min away by bus and train" in html
    assert "about 110 min away by bus and train, more than the 45 min they can travel" in html
    coordinator.client.set_cookie("lang", "de")
    german = coordinator.get("/staff/cohorts/ol-2027/matching").get_data(as_text=True)
    assert "etwa 30 Min. entfernt mit Bus und Bahn" in german


def test_a_company_that_names_its_gemeinde_in_the_survey_gets_the_way_from_gemeinde_to_gemeinde(
        app, people, filler, make_link, staff):  # noqa: F811
    fill_in(filler, make_link("competence-check"), COMPETENCE)  # lives in Westerstede, 45 minutes at most
    # Version 3 asks the Gemeinde, from the competence check's list; no record is needed for matching to know it.
    for name, municipality in (("Metallbau Wildeshausen", "wildeshausen"), ("Metallbau Westerstede", "westerstede")):
        fill_in(filler, make_link("company-readiness"), company(name, municipality, ["metal"]))
    # A company elsewhere says where: no travel time is guessed for it.
    fill_in(filler, make_link("company-readiness"), company("Metallbau Bremen", "other", ["metal"], place="Bremen"))
    html = staff("coord1").get("/staff/cohorts/ol-2027/matching").get_data(as_text=True)
    assert html.index("Metallbau Westerstede") < html.index("Metallbau Wildeshausen")
    assert "about 30 min away by bus and train" in html
    assert "about 110 min away by bus and train, more than the 45 min they can travel" in html
    bremen = html[html.index("Metallbau Bremen"):]
    assert "travel time not known" in bremen[:2000]


def test_the_travel_table_knows_every_way_between_the_gemeinden_of_the_list(app):
    from proconnect.companies.places import ELSEWHERE, municipalities
    from proconnect.matching.rules import load_rules
    with app.test_request_context():
        gemeinden = [value for value, _label in municipalities() if value != ELSEWHERE]
    rules = load_rules()
    unknown = [(a, b, by_car) for a in gemeinden for b in gemeinden for by_car in (False, True)
               if not rules.travel((a, None), (b, None), by_car).known]
    assert len(gemeinden) == 16 and unknown == []


def test_staff_record_the_permission_to_work_on_the_participants_page_and_matching_follows_it(
        app, people, filler, staff):  # noqa: F811
    from proconnect.audit.models import AuditEvent
    from proconnect.links.models import Link
    from proconnect.matching.permission import WorkPermission

    def link(form_id):
        with app.app_context():
            row = Link(form_id=form_id, cohort_id=people["ol-2027"])
            db.session.add(row)
            db.session.commit()
            return row.token
    fill_in(filler, link("competence-check"), COMPETENCE)
    fill_in(filler, link("company-readiness"), company("Metallbau Streng", "westerstede", ["metal"],
                                                       pending_approval="no"))
    fill_in(filler, link("company-readiness"), company("Metallbau Geduld", "westerstede", ["metal"],
                                                       pending_approval="yes"))
    coordinator, page = staff("coord1"), "/staff/cohorts/ol-2027/participants/K7Q2-X9"
    html = coordinator.get(page).get_data(as_text=True)
    assert "Permission to work" in html and "Not recorded: matching reads the person's own answer" in html
    assert "Metallbau Streng" in coordinator.get("/staff/cohorts/ol-2027/matching").get_data(as_text=True)

    # Refused in words, nothing saved: a day in the future, a status that is not offered.
    future = coordinator.post(f"{page}/work-permission", {"status": "allowed", "as_of": "2999-01-01"},
                              follow_redirects=True)
    assert "The day of the status cannot be in the future." in future.get_data(as_text=True)
    forged = coordinator.post(f"{page}/work-permission", {"status": "duldung", "as_of": "2026-11-20"},
                              follow_redirects=True)
    assert forged.status_code == 200 and "Not a valid choice" in forged.get_data(as_text=True)
    # Another cohort's coordinator cannot see or set it.
    assert staff("coord2").post(f"{page}/work-permission", {"status": "allowed", "as_of": "2026-11-20"}
                                ).status_code == 404
    with app.app_context():
        assert db.session.scalars(select(WorkPermission)).all() == []

    assert coordinator.post(f"{page}/work-permission", {"status": "needs_approval", "as_of": "2026-11-20"}
                            ).status_code == 302
    html = coordinator.get(page).get_data(as_text=True)
    assert "Needs the approval of the Ausländerbehörde for each job · as of 2026-11-20 · recorded by coord1" in html
    matching = coordinator.get("/staff/cohorts/ol-2027/matching").get_data(as_text=True)
    proposals, ruled_out = matching.split('class="hint ruled-out"')
    assert "Metallbau Geduld" in proposals and "Metallbau Streng" not in proposals
    assert "Metallbau Streng: not proposed: still needs the approval of the Ausländerbehörde (recorded by staff), " \
        "and the company takes only candidates who already have permission to work" in ruled_out
    assert "still needs the approval of the Ausländerbehörde (recorded by staff): the company also takes " \
        "candidates who wait for it" in proposals
    with app.app_context():
        [event] = db.session.scalars(select(AuditEvent).filter_by(action="work_permission_changed")).all()
        # The log names the change by the participant's digest, not the status (it outlives an erasure).
        assert event.target.startswith("participant ") and "needs_approval" not in str(event.details)

    coordinator.client.set_cookie("lang", "de")
    german = coordinator.get(page).get_data(as_text=True)
    assert "Arbeitserlaubnis" in german and "Braucht Zustimmung der Ausländerbehörde je Stelle" in german


def test_one_year_reads_one_jahr_on_the_profile_sheet_the_answers_and_the_suggestions(app, people, filler, staff,  # noqa: F811
                                                                                      tmp_path):
    import subprocess
    from proconnect.links.models import Link
    with app.app_context():
        check = Link(form_id="competence-check", cohort_id=people["ol-2027"])
        db.session.add(check)
        db.session.commit()
        token = check.token
    fill_in(filler, token, COMPETENCE | {"years_metal": "1", "years_painting": "0,5"})
    fill_in(filler, _company_link(app, people), company("Metallbau Nord", "westerstede", ["metal"]))
    coordinator = staff("coord1")
    coordinator.client.set_cookie("lang", "de")
    sheet = coordinator.get("/reports/ol-2027/participants/K7Q2-X9/profile.pdf")
    text = " ".join(pdf_text(sheet.data, tmp_path, layout=False).split())
    assert "1 Jahr" in text and "1 Jahre" not in text and "0,5 Jahre" in text
    answers = coordinator.get("/staff/cohorts/ol-2027/participants/K7Q2-X9").get_data(as_text=True)
    assert "1 Jahr<" in answers and "0,5 Jahre" in answers
    german = coordinator.get("/staff/cohorts/ol-2027/matching").get_data(as_text=True)
    assert "Erfahrung in Metall: 1 Jahr<" in german
    assert re.search(r"Interessenprofil \w+ \w+ \(\d,\d von 3\)", german)  # a German decimal comma
    coordinator.client.set_cookie("lang", "en")
    english = coordinator.get("/staff/cohorts/ol-2027/matching").get_data(as_text=True)
    assert re.search(r"experience in [^<:]+: 1 year<", english) and "1 years" not in english


def _company_link(app, people):  # noqa: F811
    from proconnect.links.models import Link
    with app.app_context():
        row = Link(form_id="company-readiness", cohort_id=people["ol-2027"])
        db.session.add(row)
        db.session.commit()
        return row.token


def test_a_speed_dating_event_leaves_out_a_pair_that_already_met_at_a_hospitation(app, staff, matched, people):  # noqa: F811
    from datetime import date

    from proconnect.matching.models import Hospitation
    plan = "/staff/cohorts/ol-2027/matching/speed-dating?tables=2&rounds=2&start=2027-04-01+10%3A00&minutes=10"
    assert "K7Q2-X9" in staff("coord1").get(plan).get_data(as_text=True)
    with app.app_context():
        db.session.add(Hospitation(cohort_id=people["ol-2027"], participant_code="K7Q2-X9", company_id=matched,
                                   company_name="Metallbau Nord", kind="hospitation", starts_on=date(2027, 3, 1),
                                   ends_on=date(2027, 3, 3)))
        db.session.commit()
    html = staff("coord1").get(plan + "&lang=de").get_data(as_text=True)
    assert "K7Q2-X9" not in html
    assert "1 Paar wird nicht eingeplant: Es hat sich schon bei einer Hospitation kennengelernt" in html
