"""Matching follows what a hospitation showed, for that one pair: the company's next step and the person's own
answers lead the reasons; an offer comes first, a "no" moves the pair down and says why; every other pair scores
as before."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from proconnect.cohorts.models import Cohort
from proconnect.definitions import forms_registry
from proconnect.definitions.errors import ErrorCode
from proconnect.definitions.roles import ROLES
from proconnect.extensions import db
from proconnect.links.models import Link
from proconnect.matching.engine import pair_scores, rank_participants, rank_places, reasons, score, with_offers
from proconnect.matching.models import Hospitation, MatchDecision
from proconnect.matching.profiles import AfterHospitation, Feedback, Place
from proconnect.matching.rules import load_rules, project_rules
from proconnect.matching.service import open_places, places_for
from proconnect.matching.sources import company_offers, participant_profiles
from proconnect.reports.demo import fill_demo
from proconnect.responses.models import Response
from shipped_forms import forms_dir  # noqa: F401
from staff_helpers import add_link, people, staff  # noqa: F401
from test_instruments import COMPETENCE, fill_in
from test_matching import AMIR, HOLZ_WEST, LANA, METALL_MEYER, PFLEGE_SONNE, PLACES
from test_matching_cli import company
from test_roles import check, edit, field_line, forms_copy  # noqa: F401

RULES = load_rules()
MARCH_3 = date(2027, 3, 3)


def offer(step="apprenticeship", starts=None, kind="hospitation") -> AfterHospitation:
    return AfterHospitation(company=Feedback(kind=kind, on=MARCH_3, took_place=True, step=step, starts=starts))


def voice(again=None, learn=None, way=None, kind="hospitation") -> AfterHospitation:
    return AfterHospitation(person=Feedback(kind=kind, on=MARCH_3, again=again, learn=learn, way=way))


def test_an_offer_after_a_hospitation_puts_that_company_first_with_the_reason():
    # Without it, the metal company fits Amir best and the joinery comes second.
    assert [m.place.company for m in rank_places(AMIR, PLACES, RULES)][:2] == ["Metallbau Meyer", "Tischlerei West"]
    amir = replace(AMIR, after_hospitation={HOLZ_WEST.company_id: offer(starts="training_year")})
    first = rank_places(amir, PLACES, RULES)[0]
    assert first.place.company == "Tischlerei West"
    assert reasons(first, RULES)[0] == ("After the hospitation on 2027-03-03: the company offers an apprenticeship, "
                                        "to start with the training year in August or September")
    # The company's own view: the person it offered a place comes first too.
    assert [m.participant.code for m in rank_participants([HOLZ_WEST], [LANA, amir], RULES)][0] == "AMR4-K"


def test_would_not_go_again_moves_the_company_down_says_why_and_keeps_it_listed():
    amir = replace(AMIR, after_hospitation={METALL_MEYER.company_id: voice(again="no", learn="yes", way="no")})
    before, after = score(AMIR, METALL_MEYER, RULES), score(amir, METALL_MEYER, RULES)
    assert after.score < before.score
    ranked = rank_places(amir, PLACES, RULES)
    # After every company the person did not say no to.
    assert [m.place.company for m in ranked] == ["Tischlerei West", "Pflegedienst Sonne", "Metallbau Meyer"]
    assert reasons(ranked[-1], RULES)[:3] == [
        "After the hospitation on 2027-03-03: the person would not go there again: proposed lower, talk it over first",
        "the person wants to learn this occupation",
        "the way there was hard for the person: plan it (ticket, bicycle, a lift)"]
    # Shown even where only the best one is asked for: moved down, never silently dropped.
    assert [m.place.company for m in rank_places(amir, PLACES, RULES, limit=1)] == ["Tischlerei West",
                                                                                     "Metallbau Meyer"]


def test_an_offer_the_person_said_no_to_is_not_put_first_and_no_offer_moves_down():
    refused = AfterHospitation(company=offer().company, person=voice(again="no").person)
    amir = replace(AMIR, after_hospitation={HOLZ_WEST.company_id: refused})
    top = rank_places(amir, PLACES, RULES)[0]
    assert top.place.company == "Metallbau Meyer"
    west = score(amir, HOLZ_WEST, RULES)
    assert reasons(west, RULES)[:2] == [
        "After the hospitation on 2027-03-03: the company offers an apprenticeship",
        "the person would not go there again: proposed lower, talk it over first"]
    none = replace(AMIR, after_hospitation={METALL_MEYER.company_id: offer("none")})
    assert score(none, METALL_MEYER, RULES).score < score(AMIR, METALL_MEYER, RULES).score
    assert reasons(score(none, METALL_MEYER, RULES), RULES)[0] == \
        "After the hospitation on 2027-03-03: the company has no offer at present: proposed lower"
    later = replace(AMIR, after_hospitation={METALL_MEYER.company_id: offer("later", kind="internship")})
    assert reasons(score(later, METALL_MEYER, RULES), RULES)[0] == \
        "After the internship on 2027-03-03: the company would take the person after a German course: plan one"


def test_a_hospitation_that_did_not_take_place_is_said_and_changes_no_score():
    not_held = AfterHospitation(company=Feedback(kind="hospitation", on=MARCH_3, took_place=False))
    amir = replace(AMIR, after_hospitation={METALL_MEYER.company_id: not_held})
    assert score(amir, METALL_MEYER, RULES).score == score(AMIR, METALL_MEYER, RULES).score
    assert rank_places(amir, PLACES, RULES)[0].place.company == "Metallbau Meyer"
    assert reasons(score(amir, METALL_MEYER, RULES), RULES)[0] == \
        "After the hospitation on 2027-03-03: the company says it did not take place"


def test_the_place_shown_is_the_kind_the_company_offered():
    care_job = replace(PFLEGE_SONNE, kind="job")
    care_apprenticeship = replace(PFLEGE_SONNE, kind="apprenticeship")
    lana = replace(LANA, after_hospitation={PFLEGE_SONNE.company_id: offer("apprenticeship")})
    # Lana wished a job: without the offer, the job is the company's best place for her.
    assert rank_places(LANA, [care_job, care_apprenticeship], RULES)[0].place.kind == "job"
    assert rank_places(lana, [care_job, care_apprenticeship], RULES)[0].place.kind == "apprenticeship"


def test_a_pair_without_a_hospitation_scores_exactly_as_before():
    amir = replace(AMIR, after_hospitation={HOLZ_WEST.company_id: offer()})
    for place in (METALL_MEYER, PFLEGE_SONNE):
        assert score(amir, place, RULES) == replace(score(AMIR, place, RULES), participant=amir)
        assert reasons(score(amir, place, RULES), RULES) == reasons(score(AMIR, place, RULES), RULES)


def test_the_hospitation_rule_is_edited_like_the_others(tmp_path):
    custom = tmp_path / "matching.toml"
    text = (Path(__file__).resolve().parent.parent / "proconnect/matching/default_rules.toml").read_text()
    for old, new in (("hospitation = 50", "hospitation = 0"), ("offer_first = 1", "offer_first = 0"),
                     ("no_last = 1", "no_last = 0")):
        text = text.replace(old, new)
    custom.write_text(text)
    rules = load_rules(custom)
    amir = replace(AMIR, after_hospitation={HOLZ_WEST.company_id: offer(),
                                            METALL_MEYER.company_id: voice(again="no")})
    # Weighed nothing, not put first nor last: the other rules decide; the reasons are still said.
    assert [m.place.company for m in rank_places(amir, PLACES, rules)][:2] == ["Metallbau Meyer", "Tischlerei West"]
    assert score(amir, HOLZ_WEST, rules).score == score(AMIR, HOLZ_WEST, rules).score
    assert reasons(score(amir, HOLZ_WEST, rules), rules)[0].startswith("After the hospitation on 2027-03-03")
    # A copy of the rules from before the hospitation rule gets the default.
    old = tmp_path / "old.toml"
    old.write_text("[weights]\nexperience = 30\nwish = 20\n")
    assert load_rules(old).weights["hospitation"] == 50 and load_rules(old).total_weight == 50


def in_trade(after: AfterHospitation, trade: str) -> AfterHospitation:
    """The same feedback, given after a hospitation in ``trade``."""
    return AfterHospitation(company=after.company and replace(after.company, trade=trade),
                            person=after.person and replace(after.person, trade=trade))


def test_an_offer_points_at_the_place_of_the_hospitations_beruf():
    # The joinery also trains Fachpraktiker/innen für Metallbau: for Amir (metal) that Reha place scores best.
    reha = replace(METALL_MEYER, company_id=HOLZ_WEST.company_id, company=HOLZ_WEST.company,
                   occupation="fachpraktiker_metall")
    places = [HOLZ_WEST, reha]
    assert score(AMIR, reha, RULES).score > score(AMIR, HOLZ_WEST, RULES).score
    # An offer from a hospitation recorded before the Beruf was asked points at the best place of its kind.
    undated = replace(AMIR, after_hospitation={HOLZ_WEST.company_id: offer()})
    assert rank_places(undated, places, RULES)[0].place.occupation == "fachpraktiker_metall"
    # After a hospitation in wood, the offer is the joinery's wood apprenticeship, and the reason names the Beruf.
    amir = replace(AMIR, after_hospitation={HOLZ_WEST.company_id: in_trade(offer(), "wood")})
    first = rank_places(amir, places, RULES)[0]
    assert (first.place.trade, first.place.kind, first.place.occupation) == ("wood", "apprenticeship", None)
    assert reasons(first, RULES, {"wood": "Holz"}.get)[0] == \
        "After the hospitation in Holz on 2027-03-03: the company offers an apprenticeship"


def test_an_offered_place_the_survey_does_not_list_becomes_a_place_of_its_own():
    site = Place(company_id=9, company="Küche Ost", trade="", kind="", count=0, district="oldenburg_city")
    amir = replace(AMIR, after_hospitation={9: in_trade(offer("job"), "gastronomy")})
    [offered] = with_offers(amir, PLACES, {9: site})[len(PLACES):]
    assert (offered.company, offered.trade, offered.kind, offered.count, offered.offered) == \
        ("Küche Ost", "gastronomy", "job", 1, True)
    first = rank_places(amir, with_offers(amir, PLACES, {9: site}), RULES)[0]
    assert first.place == offered
    assert reasons(first, RULES)[:2] == [
        "After the hospitation in gastronomy on 2027-03-03: the company offers a job",
        "offered after the hospitation: the company's survey lists no such place open"]
    # A place the survey lists is the one shown; no offer, a "no", or an offer without a Beruf adds nothing.
    listed = replace(AMIR, after_hospitation={HOLZ_WEST.company_id: in_trade(offer(), "wood")})
    assert with_offers(listed, PLACES, {HOLZ_WEST.company_id: site}) == PLACES
    for after in (in_trade(offer("none"), "gastronomy"), offer("job")):
        assert with_offers(replace(AMIR, after_hospitation={9: after}), PLACES, {9: site}) == PLACES
    # Nobody else gets the place.
    assert with_offers(LANA, PLACES, {9: site}) == PLACES


# -- on the real instruments, SQLite and PostgreSQL -----------------------------------------------------------------

URL = "/staff/cohorts/ol-2027/matching"


@pytest.fixture
def two_companies(app, people, filler):  # noqa: F811
    """K7Q2-X9 (metal, Westerstede) with the metal company that fits and a care company that fits less."""
    cohort = people["ol-2027"]
    fill_in(filler, add_link(app, cohort, "competence-check"), COMPETENCE)
    fill_in(filler, add_link(app, cohort, "company-readiness"), company("Metallbau Nord", "westerstede", ["metal"]))
    fill_in(filler, add_link(app, cohort, "company-readiness"),
            company("Pflege Süd", "delmenhorst", ["care"], german="4", support=("none",)))
    with app.app_context():
        return {c.name: c.id for c in company_offers()}


def record_hospitation(staff, app, company_id: int, trade: str) -> Hospitation:  # noqa: F811
    done = staff("coord1").post(f"{URL}/hospitations", {
        "participant": "K7Q2-X9", "company": company_id, "kind": "hospitation", "trade": trade,
        "starts_on": "2027-05-03", "ends_on": "2027-05-07", "mentor": 0})
    assert done.status_code == 302
    with app.app_context():
        return db.session.scalars(select(Hospitation).order_by(Hospitation.id.desc())).first()


def token(app, link_id: int) -> str:
    with app.app_context():
        return db.session.get(Link, link_id).token


def order(html: str, *names: str) -> list[str]:
    return sorted(names, key=html.index)


def test_a_company_that_offered_an_apprenticeship_after_the_hospitation_comes_first_with_the_reason(
        app, staff, filler, two_companies):  # noqa: F811
    coordinator = staff("coord1")
    assert order(coordinator.get(URL).get_data(as_text=True), "Metallbau Nord", "Pflege Süd") == \
        ["Metallbau Nord", "Pflege Süd"]
    h = record_hospitation(staff, app, two_companies["Pflege Süd"], "care")
    # Recorded, no feedback yet: nothing changes.
    assert order(coordinator.get(URL).get_data(as_text=True), "Metallbau Nord", "Pflege Süd")[0] == "Metallbau Nord"
    fill_in(filler, token(app, h.feedback_link_id), {"took_place": "yes", "next_step": "apprenticeship",
                                                    "offer_start": "training_year"})
    html = coordinator.get(URL).get_data(as_text=True)
    assert order(html, "Metallbau Nord", "Pflege Süd") == ["Pflege Süd", "Metallbau Nord"]
    assert ("After the hospitation in Care on May 3, 2027: the company offers an apprenticeship, to start with the "
            "training year in August or September") in html
    coordinator.client.set_cookie("lang", "de")
    german = coordinator.get(URL).get_data(as_text=True)
    assert ("Nach der Hospitation im Bereich Pflege am 3. Mai 2027: der Betrieb bietet eine Ausbildung an, Beginn mit "
            "dem Ausbildungsjahr im August oder September") in german
    # The hospitations page says what the company answered, beside the hospitation.
    coordinator.client.set_cookie("lang", "en")
    hospitations = coordinator.get(f"{URL}/hospitations").get_data(as_text=True)
    assert "the company offers an apprenticeship, to start with the training year in August or September" in \
        hospitations
    # The command line says the same.
    result = app.test_cli_runner().invoke(args=["match", "--cohort", "ol-2027", "--participant", "K7Q2-X9"])
    assert result.exit_code == 0 and result.output.index("Pflege Süd") < result.output.index("Metallbau Nord")


def test_would_not_go_again_moves_the_company_down_and_a_voided_answer_counts_not(app, staff, filler,
                                                                                  two_companies):  # noqa: F811
    coordinator = staff("coord1")
    h = record_hospitation(staff, app, two_companies["Metallbau Nord"], "metal")
    fill_in(filler, token(app, h.voice_link_id), {"liked_work": "so_so", "again": "no", "learn_trade": "maybe",
                                                  "way": "no"})
    html = coordinator.get(URL).get_data(as_text=True)
    assert order(html, "Metallbau Nord", "Pflege Süd") == ["Pflege Süd", "Metallbau Nord"]
    assert "After the hospitation in Metal on May 3, 2027: the person would not go there again: proposed lower, " \
        "talk it over first" in html
    assert "the way there was hard for the person" in html
    assert "the person would not go there again" in coordinator.get(f"{URL}/hospitations").get_data(as_text=True)
    coordinator.client.set_cookie("lang", "de")
    assert "die Person möchte nicht wieder hin" in coordinator.get(URL).get_data(as_text=True)
    coordinator.client.set_cookie("lang", "en")
    # A coordinator voids the answer (given on the wrong tablet, say): it leaves matching as every figure.
    with app.app_context():
        response_id = db.session.scalar(select(Response.id).where(Response.link_id == h.voice_link_id))
    assert coordinator.post(f"/staff/cohorts/ol-2027/responses/{response_id}/void",
                            {"reason": "falsches Gerät"}).status_code == 302
    html = coordinator.get(URL).get_data(as_text=True)
    assert order(html, "Metallbau Nord", "Pflege Süd") == ["Metallbau Nord", "Pflege Süd"]
    assert "would not go there again" not in html and "After the hospitation" not in html
    assert "would not go there again" not in coordinator.get(f"{URL}/hospitations").get_data(as_text=True)


def demo_cohort(app, cohort_id: int):
    """Fill the cohort with the demo's people and companies; a function that reads every pair's score, the open
    places, and each person's suggestions as the suggestions page makes them."""
    with app.app_context():
        fill_demo(forms_registry(app), db.session.get(Cohort, cohort_id), participants=12, seed=5,
                  today=date(2027, 5, 1))
        db.session.commit()

    def everything():
        with app.test_request_context():
            rules, people_ = project_rules(), participant_profiles(cohort_id)
            companies = company_offers()
            places = open_places(companies)
            return (pair_scores(people_, places, rules), places,
                    {p.code: [(m.place.company_id, m.place.trade, m.place.kind, m.score, reasons(m, rules))
                              for m in rank_places(p, places_for(p, companies, places), rules)] for p in people_})
    return everything


def feedback_after_hospitation(app, filler, cohort_id: int, code: str, company_id: int, answers: dict,
                               trade: str | None = None):
    """A hospitation of ``code`` at the company (in ``trade``), and the company's feedback ``answers``."""
    with app.app_context():
        h = Hospitation(cohort_id=cohort_id, participant_code=code, company_id=company_id, company_name="X",
                        kind="hospitation", trade=trade, starts_on=date(2027, 4, 5), ends_on=date(2027, 4, 9))
        link = Link(form_id="hospitation-feedback", cohort_id=cohort_id, max_responses=1)
        db.session.add_all([h, link])
        db.session.flush()
        h.feedback_link_id, feedback = link.id, link.token
        db.session.commit()
    fill_in(filler, feedback, {"took_place": "yes", **answers})


def test_the_demo_cohorts_other_pairs_score_as_before(app, people, filler):  # noqa: F811
    everything = demo_cohort(app, people["ol-2027"])
    scores, _places, ranked = everything()
    code, company_id = min(scores)
    feedback_after_hospitation(app, filler, people["ol-2027"], code, company_id, {"next_step": "not_now"})
    scores_after, _places, ranked_after = everything()
    assert scores_after[(code, company_id)] < scores[(code, company_id)]
    del scores[(code, company_id)], scores_after[(code, company_id)]
    assert scores_after == scores and len(scores) > 40
    assert {c: r for c, r in ranked_after.items() if c != code} == {c: r for c, r in ranked.items() if c != code}


@pytest.mark.parametrize("form, field, version", [("hospitation-feedback", "next_step", "v3"),
                                                  ("hospitation-voice", "again", "v1")])
def test_the_roles_check_refuses_a_feedback_form_without_a_field_matching_reads(app, runner, forms_copy, form,  # noqa: F811
                                                                                field, version):
    path = forms_copy / form / f"{version}.toml"
    edit(path, f'id = "{field}"\n', f'id = "{field}s"\n')
    if f"{field} in" in path.read_text():
        edit(path, f"{field} in", f"{field}s in")  # the condition that reads it
    result = check(runner, app, forms_copy)
    assert result.exit_code == 1
    role = next(r for r in ROLES.values() if r.default == form)
    message = ErrorCode.ROLE_002.format(role=role.name, uses=role.uses, expected="single field", field=field,
                                        why="", hint=f", did you mean '{field}s'?")
    assert f"forms/{form}/{version}.toml:{field_line(path, field + 's')}: {field}: {message}" in result.output


def test_the_coordinator_chooses_the_beruf_from_the_checks_trades_and_both_feedback_pages_name_it(
        app, staff, filler, two_companies):  # noqa: F811
    coordinator = staff("coord1")
    page = coordinator.get(f"{URL}/hospitations").get_data(as_text=True)
    # The competence check's trades (the list places and decisions name), not the survey's Ausbildungsberufe.
    assert '<option value="electrical">Electrical</option>' in page and "fachpraktiker" not in page
    h = record_hospitation(staff, app, two_companies["Pflege Süd"], "electrical")
    assert h.trade == "electrical"
    row = coordinator.get(f"{URL}/hospitations").get_data(as_text=True)
    assert "<td>Pflege Süd</td><td>hospitation</td><td>Electrical</td>" in row
    coordinator.client.set_cookie("lang", "de")
    assert "<td>Pflege Süd</td><td>Hospitation</td><td>Elektro</td>" in \
        coordinator.get(f"{URL}/hospitations").get_data(as_text=True)
    coordinator.client.set_cookie("lang", "en")
    # The company's link opens in German; the participant reads theirs in their own language.
    company_side = filler(token(app, h.feedback_link_id))
    company_side.open()
    assert "Hospitation im Bereich Elektro bei Pflege Süd, 3. Mai 2027 bis 7. Mai 2027" in company_side.text()
    person_side = filler(token(app, h.voice_link_id))
    person_side.open(lang="ar")
    assert "أيام تجربة في مجال الكهرباء لدى Pflege Süd، من" in person_side.text()
    person_side.open(lang="en")
    assert "Hospitation in Electrical at Pflege Süd, May 3, 2027 to May 7, 2027" in person_side.text()


def test_a_trade_not_on_the_list_is_refused_in_words_and_nothing_typed_is_lost(app, staff, two_companies):  # noqa: F811
    coordinator = staff("coord1")
    coordinator.client.set_cookie("lang", "de")
    for trade in ("astronaut", ""):
        page = coordinator.post(f"{URL}/hospitations", {
            "participant": "K7Q2-X9", "company": two_companies["Metallbau Nord"], "kind": "internship",
            "trade": trade, "starts_on": "2027-06-07", "ends_on": "2027-06-25", "mentor": 0})
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "Bitte wählen Sie den Beruf aus der Liste." in html
        assert 'value="2027-06-07"' in html and 'value="2027-06-25"' in html
        assert '<option selected value="internship">' in html
    with app.app_context():
        assert db.session.scalars(select(Hospitation)).all() == []


def test_a_hospitation_recorded_before_the_beruf_was_asked_still_reads(app, staff, filler, people,
                                                                        two_companies):  # noqa: F811
    with app.app_context():
        link = Link(form_id="hospitation-feedback", cohort_id=people["ol-2027"], max_responses=1)
        db.session.add(link)
        db.session.flush()
        db.session.add(Hospitation(cohort_id=people["ol-2027"], participant_code="K7Q2-X9",
                                   company_id=two_companies["Pflege Süd"], company_name="Pflege Süd",
                                   kind="internship", starts_on=date(2027, 4, 5), ends_on=date(2027, 4, 23),
                                   feedback_link_id=link.id))
        db.session.commit()
        feedback = link.token
    assert "<td>internship</td><td>Beruf not given</td>" in \
        staff("coord1").get(f"{URL}/hospitations").get_data(as_text=True)
    company_side = filler(feedback)
    company_side.open()
    assert "Praktikum bei Pflege Süd, 5. April 2027 bis 23. April 2027" in company_side.text()
    fill_in(filler, feedback, {"took_place": "yes", "next_step": "job"})
    assert "After the internship on April 5, 2027: the company offers a job" in \
        staff("coord1").get(URL).get_data(as_text=True)
    export = staff("coord1").get("/staff/cohorts/ol-2027/participants/K7Q2-X9/export.json").get_json()
    assert [(h["kind"], h["trade"]) for h in export["hospitations"]] == [("internship", None)]


def test_a_company_without_open_places_that_offered_one_after_the_hospitation_comes_first(
        app, staff, filler, people, two_companies):  # noqa: F811
    cohort = people["ol-2027"]
    # Its survey says: no apprenticeship places open now (0 of its Beruf), no jobs.
    fill_in(filler, add_link(app, cohort, "company-readiness"),
            company("Lager Ost", "westerstede", ["logistics"], apprenticeship_places_fachkraft_lagerlogistik="0"))
    with app.app_context():
        lager = next(c for c in company_offers() if c.name == "Lager Ost")
        assert lager.places == []
    coordinator = staff("coord1")
    assert "Lager Ost" not in coordinator.get(URL).get_data(as_text=True)
    h = record_hospitation(staff, app, lager.id, "logistics")
    fill_in(filler, token(app, h.feedback_link_id), {"took_place": "yes", "next_step": "apprenticeship",
                                                    "offer_start": "training_year"})
    html = coordinator.get(URL).get_data(as_text=True)
    assert order(html, "Lager Ost", "Metallbau Nord", "Pflege Süd") == ["Lager Ost", "Metallbau Nord", "Pflege Süd"]
    assert "<strong>Lager Ost</strong> · apprenticeship in Warehouse and logistics" in html
    assert ("After the hospitation in Warehouse and logistics on May 3, 2027: the company offers an apprenticeship, "
            "to start with the training year in August or September") in html
    assert "offered after the hospitation: the company&#39;s survey lists no such place open" in html
    coordinator.client.set_cookie("lang", "de")
    german = coordinator.get(URL).get_data(as_text=True)
    assert "Nach der Hospitation im Bereich Lager und Logistik am 3. Mai 2027" in german
    assert "nach der Hospitation angeboten: im Betriebs-Check ist kein solcher Platz offen" in german
    # A decision about it keeps the Beruf of the offer.
    assert coordinator.post(f"{URL}/decide", {"participant": "K7Q2-X9", "company": lager.id,
                                              "decision": "contacted"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(MatchDecision.trade).where(MatchDecision.company_id == lager.id)) == \
            "logistics"
    result = app.test_cli_runner().invoke(args=["match", "--cohort", "ol-2027", "--participant", "K7Q2-X9"])
    assert result.exit_code == 0 and result.output.index("Lager Ost") < result.output.index("Metallbau Nord")
    # The company's own list has the person it made the offer, though it lists no open place.
    result = app.test_cli_runner().invoke(args=["match", "--cohort", "ol-2027", "--company", str(lager.id)])
    assert result.exit_code == 0 and "K7Q2-X9  Ausbildung in Lager und Logistik" in result.output


def test_in_the_demo_cohort_an_offer_in_a_beruf_without_places_moves_only_its_own_pair(app, people,
                                                                                      filler):  # noqa: F811
    everything = demo_cohort(app, people["ol-2027"])
    scores, places, ranked = everything()
    code, company_id = max(scores)
    # A Beruf in which that company lists no open place.
    trade = next(t for t in ("it", "care", "retail", "agriculture")
                 if not any(p.company_id == company_id and p.trade == t for p in places))
    feedback_after_hospitation(app, filler, people["ol-2027"], code, company_id,
                               {"next_step": "job", "offer_start": "now"}, trade=trade)
    scores_after, _places, ranked_after = everything()
    assert ranked_after[code][0][:3] == (company_id, trade, "job")
    assert "nach der Hospitation angeboten: im Betriebs-Check ist kein solcher Platz offen" in ranked_after[code][0][4]
    del scores[(code, company_id)], scores_after[(code, company_id)]
    assert scores_after == scores and len(scores) > 40
    assert {c: r for c, r in ranked_after.items() if c != code} == {c: r for c, r in ranked.items() if c != code}
