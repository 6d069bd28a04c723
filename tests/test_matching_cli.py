"""`proconnect match` on real instruments: suggestions with reasons, and clear words when there is nothing to match."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from shipped_forms import forms_dir  # noqa: F401
from test_instruments import COMPETENCE, fill_in

START = (date.today() + timedelta(days=250)).isoformat()


#: An Ausbildungsberuf of the company survey (v2) for each trade the tests use.
OCCUPATION = {"metal": "metallbauer", "care": "pflegefachkraft", "logistics": "fachkraft_lagerlogistik"}


def company(name, municipality, trades, german="3", support=("course_time",), role="hr", jobs=None, **more):
    """The answers of a company's manager to the newest readiness survey (v3): its Gemeinde, apprenticeship places
    in a Beruf of each trade, and ``jobs`` (trade -> (helper jobs, skilled jobs)) when it has open jobs. A v2 answer
    gives ``district=`` instead of the Gemeinde."""
    jobs = jobs or {}
    place = {"district": more.pop("district")} if "district" in more else {"municipality": municipality}
    answers = {"company_name": name, "respondent_role": role, "sector": [*trades, *jobs][0], "size": "small",
               **place, "apprenticeships": [OCCUPATION[t] for t in trades] or ["none"],
               "job_trades": list(jobs) or ["none"],
               **({"start_flexible": "yes", "part_time_training": "no"} if trades else {}),
               "entry_offers": ["none"], "school_required": "none", "licence_required": "no",
               "building_sites": "no", "pending_approval": "yes", "refugee_experience": "none",
               "german_required__apprenticeship": german, "german_required__helper": "2",
               "language_support": list(support),
               "mentor_available": "yes", "mentor_role": "master", "mentor_capacity": "1", "mentor_hours": "4",
               "attitude__open": "4", "concerns": ["none"], "support_wanted": ["information"]}
    for t in trades:
        answers |= {f"apprenticeship_places_{OCCUPATION[t]}": "2", f"apprenticeship_start_{OCCUPATION[t]}": START}
    for t, (helpers, skilled) in jobs.items():
        answers |= {f"helper_jobs_{t}": str(helpers), f"skilled_jobs_{t}": str(skilled)}
    return answers | more


@pytest.fixture
def cohort_with_companies(app, filler, make_link, make_cohort):
    make_cohort("ol-2027")
    fill_in(filler, make_link("competence-check"), COMPETENCE)  # K7Q2-X9: metal, Ammerland, A2
    fill_in(filler, make_link("company-readiness"), company("Metallbau Nord", "westerstede", ["metal"]))
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
    answers = company("Voll GmbH", "westerstede", ["metal"])
    answers["apprenticeships"] = ["none"]
    for key in ("apprenticeship_places_metallbauer", "apprenticeship_start_metallbauer", "start_flexible",
                "part_time_training"):
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


def test_a_job_vacancy_is_proposed_as_a_job_with_its_reasons(app, filler, make_link, make_cohort, runner):
    make_cohort("ol-2027")
    fill_in(filler, make_link("competence-check"), COMPETENCE)  # metal: 4 years, trained without a certificate
    fill_in(filler, make_link("company-readiness"), company(
        "Stahlbau Süd", "westerstede", [], jobs={"metal": (0, 2)}, licence_required="required",
        pending_approval="no"))
    result = runner.invoke(args=["match", "--cohort", "ol-2027", "--participant", "K7Q2-X9", "--format", "json"])
    assert result.exit_code == 0, result.output
    [job] = json.loads(result.output)["K7Q2-X9"]
    assert (job["company"], job["kind"], job["level"], job["trade"]) == ("Stahlbau Süd", "job", "skilled", "metal")
    # The command speaks German, as the coordinators do.
    assert job["offer"] == "Stelle als Fachkraft in Metall"
    assert job["reasons"][0] == "Erfahrung in Metall: 4 Jahre"
    assert "Führerschein B verlangt: vorhanden" in job["reasons"]
    assert "Fachkraft-Stelle: Ausbildung ohne Zeugnis oder lange Erfahrung, zuerst Anerkennung nötig" in job["reasons"]
    assert ("der Betrieb nimmt nur Bewerberinnen und Bewerber, die schon eine Arbeitserlaubnis haben: vorher klären"
            in job["reasons"])
    assert "bietet eine Arbeitsstelle, was nicht gewünscht ist" in job["reasons"]

def test_helper_jobs_eq_places_and_apprenticeships_of_one_survey_are_all_offered(app, filler, make_link,
                                                                                 make_cohort):
    from proconnect.matching.sources import company_offers
    make_cohort("ol-2027")
    fill_in(filler, make_link("company-readiness"), company(
        "Lager Ahlers", "delmenhorst", ["logistics"], jobs={"logistics": (3, 1)},
        entry_offers=["internship", "eq"], trial_places="2", eq_places="1", eq_trades=["logistics", "metal"]))
    with app.app_context():
        [offer] = company_offers()
        assert sorted((p.kind, p.level or p.occupation or "", p.trade, p.count) for p in offer.places) == [
            ("apprenticeship", "fachkraft_lagerlogistik", "logistics", 2),
            ("eq", "", "logistics", 1), ("eq", "", "metal", 1),
            ("internship", "", "logistics", 2),
            ("job", "helper", "logistics", 3), ("job", "skilled", "logistics", 1)]
        assert {p.german_required for p in offer.places if p.kind == "job"} == {"a2", None}


#: A manager's answers to version 1, which asked apprenticeship places per broad trade.
V1_COMPANY = {"company_name": "Metallbau Alt", "respondent_role": "owner", "sector": "metal", "size": "small",
              "district": "ammerland", "apprenticeship_trades": ["metal"], "places_metal": "1",
              "start_metal": START, "start_flexible": "no", "entry_offers": ["hospitation", "eq"],
              "entry_places": "3", "refugee_experience": "none", "german_required__apprenticeship": "2",
              "language_support": ["none"], "mentor_available": "no", "attitude__open": "5",
              "concerns": ["none"], "support_wanted": ["none"]}


def test_a_company_that_answered_version_1_is_still_matched(app, filler, make_link, make_cohort, runner):
    make_cohort("ol-2027")
    fill_in(filler, make_link("competence-check"), COMPETENCE)
    fill_in(filler, make_link("company-readiness", version=1), V1_COMPANY)
    from proconnect.matching.sources import company_offers
    with app.app_context():
        [offer] = company_offers()
        assert [(p.kind, p.trade, p.count, p.occupation) for p in offer.places] == [
            ("apprenticeship", "metal", 1, None), ("internship", "metal", 3, None)]
    result = runner.invoke(args=["match", "--cohort", "ol-2027", "--format", "json"])
    [best] = json.loads(result.output)["K7Q2-X9"]
    assert best["offer"] == "Ausbildung in Metall" and best["company"] == "Metallbau Alt"


def test_a_person_who_asks_for_help_with_the_permission_to_work_is_proposed_lower_where_no_one_waits(
        app, filler, make_link, make_cohort, runner):
    make_cohort("ol-2027")
    fill_in(filler, make_link("competence-check"), COMPETENCE | {"support": ["language_course", "work_permit"]})
    fill_in(filler, make_link("company-readiness"), company("Metallbau Streng", "westerstede", ["metal"],
                                                            pending_approval="no"))
    fill_in(filler, make_link("company-readiness"), company("Metallbau Geduld", "westerstede", ["metal"],
                                                            pending_approval="yes"))
    result = runner.invoke(args=["match", "--cohort", "ol-2027", "--format", "json"])
    strict, patient = sorted(json.loads(result.output)["K7Q2-X9"], key=lambda p: p["company"], reverse=True)
    assert strict["company"] == "Metallbau Streng" and patient["score"] > strict["score"]
    # The person's own answer may be wrong: staff check it first (their record rules the company out).
    assert "der Betrieb nimmt nur Bewerberinnen und Bewerber, die schon eine Arbeitserlaubnis haben, und die Person " \
        "hat dafür Hilfe erbeten: zuerst prüfen" in strict["reasons"]
    assert "der Betrieb nimmt auch Bewerberinnen und Bewerber, die noch auf die Zustimmung der Ausländerbehörde " \
        "warten" in patient["reasons"]


def test_a_companys_personal_link_names_it_by_its_record_not_by_what_was_typed(app, filler, make_cohort):
    from proconnect.companies.models import Company, name_key
    from proconnect.extensions import db
    from proconnect.links.models import Link
    from proconnect.matching.sources import company_offers
    cohort_id = make_cohort("ol-2027")
    with app.app_context():
        record = Company(name="Metallbau Janssen GmbH", name_key=name_key("Metallbau Janssen GmbH"))
        db.session.add(record)
        db.session.flush()
        link = Link(form_id="company-readiness", cohort_id=cohort_id, company_id=record.id)
        db.session.add(link)
        db.session.commit()
        token = link.token
    # The personal link fills in the company's name (the company cannot type another): the answers carry none.
    answers = {k: v for k, v in company("Metalbau Jansen", "westerstede", ["metal"]).items() if k != "company_name"}
    fill_in(filler, token, answers)
    with app.app_context():
        assert [offer.name for offer in company_offers()] == ["Metallbau Janssen GmbH"]
