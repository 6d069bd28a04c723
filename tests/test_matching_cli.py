"""`proconnect match` on real instruments: suggestions with reasons, and clear words when there is nothing to match."""
from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from test_instruments import COMPETENCE, fill_in

FORMS = Path(__file__).resolve().parent.parent / "forms"
START = (date.today() + timedelta(days=250)).isoformat()


@pytest.fixture
def forms_dir() -> Path:
    return FORMS


def company(name, district, trades, german="3", support=("course_time",), role="hr"):
    answers = {"company_name": name, "respondent_role": role, "sector": trades[0], "size": "small",
               "district": district, "apprenticeship_trades": list(trades), "start_flexible": "yes",
               "entry_offers": ["none"], "refugee_experience": "none",
               "german_required__apprenticeship": german, "language_support": list(support),
               "mentor_available": "yes", "mentor_role": "master", "mentor_capacity": "1", "mentor_hours": "4",
               "attitude__open": "4", "concerns": ["none"], "support_wanted": ["information"]}
    for t in trades:
        answers |= {f"places_{t}": "2", f"start_{t}": START}
    return answers


@pytest.fixture
def cohort_with_companies(app, filler, make_link, make_cohort):
    make_cohort("ol-2027")
    fill_in(filler, make_link("competence-check"), COMPETENCE)  # K7Q2-X9: metal, Ammerland, A2
    fill_in(filler, make_link("company-readiness"), company("Metallbau Nord", "ammerland", ["metal"]))
    fill_in(filler, make_link("company-readiness"), company("Pflege Süd", "delmenhorst", ["care"], german="4",
                                                           support=("none",)))
    return app


def test_a_participant_gets_the_fitting_company_first_with_reasons(cohort_with_companies, runner):
    result = runner.invoke(args=["match", "--cohort", "ol-2027", "--participant", "k7q2-x9", "--format", "json"])
    assert result.exit_code == 0, result.output
    [(code, suggestions)] = json.loads(result.output).items()
    assert code == "K7Q2-X9"
    assert [s["company"] for s in suggestions] == ["Metallbau Nord", "Pflege Süd"]
    best = suggestions[0]
    assert best["trade"] == "metal" and best["kind"] == "apprenticeship"
    assert best["reasons"][0] == "experience in Metall: 4 years" or best["reasons"][0].startswith("Erfahrung")
    assert any("B1" in r and "A2" in r for r in best["reasons"])
    assert suggestions[1]["score"] < best["score"]


def test_a_company_gets_its_participants_as_a_table(cohort_with_companies, runner):
    from proconnect.links.models import Link
    from proconnect.extensions import db
    with cohort_with_companies.app_context():
        link_id = db.session.query(Link).filter_by(form_id="company-readiness").order_by(Link.id).first().id
    result = runner.invoke(args=["match", "--cohort", "ol-2027", "--company", str(link_id)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Metallbau Nord" and "K7Q2-X9" in lines[1]


def test_nothing_to_match_is_said_plainly(cohort_with_companies, runner):
    for args, message in [
        (["--cohort", "nowhere"], "There is no cohort 'nowhere'."),
        (["--cohort", "ol-2027", "--participant", "ZZZZ-Z9"],
         "Participant ZZZZ-Z9 has no competence check in cohort ol-2027: nothing to match yet."),
        (["--cohort", "ol-2027", "--company", "999"], "There is no company readiness survey for company 999."),
    ]:
        result = runner.invoke(args=["match", *args])
        assert result.exit_code == 1 and result.output.strip() == message


def test_a_company_without_open_places(app, filler, make_link, make_cohort, runner):
    make_cohort("ol-2027")
    fill_in(filler, make_link("competence-check"), COMPETENCE)
    answers = company("Voll GmbH", "ammerland", ["metal"])
    answers["apprenticeship_trades"] = ["none"]
    for key in ("places_metal", "start_metal", "start_flexible"):
        answers.pop(key)
    answers.pop("german_required__apprenticeship")
    fill_in(filler, make_link("company-readiness"), answers)
    result = runner.invoke(args=["match", "--cohort", "ol-2027"])
    assert result.exit_code == 1
    assert result.output.strip() == "No company offers open places at the moment: nothing to match."


def test_a_speed_dating_timetable_is_printed(cohort_with_companies, runner):
    result = runner.invoke(args=["speed-dating", "--cohort", "ol-2027", "--tables", "2", "--rounds", "2",
                                 "--start", "2027-04-01 10:00", "--min-score", "0"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Round 1  10:00"
    assert lines[1].startswith("  table  1: Metallbau Nord  –  K7Q2-X9")
    assert lines[2] == "Round 2  10:12" and "Pflege Süd  –  K7Q2-X9" in lines[3]
