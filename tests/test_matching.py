"""Match-making: explicit rules, an obvious ranking on a hand-built fixture, reasons in plain words."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from itertools import product

import pytest

from proconnect.matching.engine import describe, left_out, rank_participants, rank_places, reasons, score
from proconnect.matching.profiles import ParticipantProfile, Place
from proconnect.matching.rules import Travel, load_rules
from proconnect.matching.speed_dating import plan_speed_dating

RULES = load_rules()

AMIR = ParticipantProfile(code="AMR4-K", checked_on=date(2027, 3, 1), experience={"metal": 3},
                          wish_trades=frozenset({"metal"}), wish_kinds=frozenset({"apprenticeship"}),
                          interests={"r": 2.8, "s": 1.4}, district="oldenburg_city", travel_limit=45,
                          german="a2", earliest_start=date(2027, 8, 1))
LANA = ParticipantProfile(code="LNA7-P", checked_on=date(2027, 3, 1), experience={"care": 2},
                          wish_trades=frozenset({"care"}), wish_kinds=frozenset({"job"}),
                          interests={"r": 1.2, "s": 3.0}, district="delmenhorst", travel_limit=30, german="b2")

METALL_MEYER = Place(company_id=1, company="Metallbau Meyer", trade="metal", kind="apprenticeship",
                     start=date(2027, 8, 1), district="oldenburg_city", german_required="b1", language_support=True)
PFLEGE_SONNE = Place(company_id=2, company="Pflegedienst Sonne", trade="care", kind="job", district="delmenhorst",
                     german_required="b1")
HOLZ_WEST = Place(company_id=3, company="Tischlerei West", trade="wood", kind="apprenticeship",
                  district="ammerland", german_required="b2")
FULL = Place(company_id=4, company="Elektro Voll", trade="electrical", kind="apprenticeship", count=0,
             district="oldenburg_city")
PLACES = [METALL_MEYER, PFLEGE_SONNE, HOLZ_WEST, FULL]


def test_each_participant_gets_the_obvious_company_first():
    # Amir: metal experience and wish first; then the joinery (apprenticeship, realistic interest, 35 min)
    # before the care service (a job he did not wish, social interest low).
    assert [m.place.company for m in rank_places(AMIR, PLACES, RULES)] == \
        ["Metallbau Meyer", "Tischlerei West", "Pflegedienst Sonne"]
    assert [m.place.company for m in rank_places(LANA, PLACES, RULES)][0] == "Pflegedienst Sonne"


def test_a_company_sees_the_fitting_participant_first():
    assert [m.participant.code for m in rank_participants([METALL_MEYER], [LANA, AMIR], RULES)] == \
        ["AMR4-K", "LNA7-P"]


def test_a_company_without_open_places_gets_no_suggestions():
    assert rank_participants([FULL], [AMIR, LANA], RULES) == []
    assert all(m.place.company_id != FULL.company_id for m in rank_places(AMIR, PLACES, RULES))


def test_the_reasons_are_plain_words_strongest_first():
    match = score(AMIR, METALL_MEYER, RULES)
    assert reasons(match, RULES, {"metal": "metal work"}.get) == [
        "experience in metal work: 3 years",
        "wishes to work in metal work",
        "about 25 min away by bus and train",
        "interest profile realistic high (2.8 of 3)",
        "German B1 required, has A2 → language support offered",
    ]


def test_the_score_is_the_weighted_share_of_the_best_possible():
    match = score(AMIR, METALL_MEYER, RULES)
    # everything fits fully except interest (realistic 2.8 is 0.7 above his own average of 2.1: 0.5 + 0.7 / 2)
    # and German (bridged: half of 10 points); the place has no requirements, so their 10 points are full
    expected = 100 * (30 + 20 + 15 * 0.85 + 15 + 10 * 0.5 + 5 + 5 + 10) / 110
    assert match.score == pytest.approx(expected, abs=0.1)


# A warehouse with a helper job and a skilled job, and a joinery with an EQ place.
LAGER_HELPER = Place(company_id=5, company="Spedition Ahlers", trade="logistics", kind="job", level="helper",
                     district="oldenburg_city", german_required="a2", licence="helpful")
LAGER_SKILLED = Place(company_id=5, company="Spedition Ahlers", trade="logistics", kind="job", level="skilled",
                      district="oldenburg_city", german_required="b1")
HOLZ_EQ = Place(company_id=6, company="Tischlerei Oltmanns", trade="wood", kind="eq", district="oldenburg_city",
                german_required="a2")
#: Worked four years in a warehouse, has a driving licence, wants a job.
SAMIR = ParticipantProfile(code="SMR2-Q", checked_on=date(2027, 3, 1), experience={"logistics": 4},
                           wish_trades=frozenset({"logistics"}), wish_kinds=frozenset({"job"}),
                           interests={"c": 2.5}, district="oldenburg_city", travel_limit=45, german="a2",
                           licence=True, school=2)


def test_a_job_vacancy_is_proposed_as_a_job_with_its_reasons():
    [best] = rank_places(SAMIR, [LAGER_HELPER, METALL_MEYER], RULES, limit=1)
    assert (best.place.company, best.place.kind, best.place.level) == ("Spedition Ahlers", "job", "helper")
    assert describe(best.place, {"logistics": "Lager und Logistik"}.get) == "job as a helper in Lager und Logistik"
    assert reasons(best, RULES, {"logistics": "Lager und Logistik"}.get) == [
        "experience in Lager und Logistik: 4 years",
        "wishes to work in Lager und Logistik",
        "about 25 min away by bus and train",
        "German A2 required, has A2",
        "interest profile conventional medium (2.5 of 3)",
        "has a driving licence, which the company finds helpful",
    ]


def test_a_skilled_job_asks_for_a_vocational_training_in_its_trade():
    # Four years of experience but no training: recognition first, half the requirements' points.
    partly = score(SAMIR, LAGER_SKILLED, RULES)
    assert partly.fits["requirements"] == 0.5
    assert "skilled job: training without a certificate or long experience, recognition needed first" in \
        reasons(partly, RULES)
    trained = score(replace(SAMIR, training={"logistics": "certificate"}), LAGER_SKILLED, RULES)
    assert trained.fits["requirements"] == 1.0 and trained.score > partly.score
    assert "vocational training with a certificate for a skilled job" in reasons(trained, RULES)
    novice = score(replace(SAMIR, experience={}), LAGER_SKILLED, RULES)
    assert novice.fits["requirements"] == 0.0
    assert "skilled job without a vocational training in this trade" in reasons(novice, RULES)


def test_an_eq_place_fits_a_wish_for_an_apprenticeship():
    match = score(AMIR, HOLZ_EQ, RULES)
    assert match.fits["kind"] == 1.0
    assert describe(HOLZ_EQ) == "entry qualification (EQ) in wood"
    assert score(SAMIR, HOLZ_EQ, RULES).fits["kind"] == 0.0  # he wants a job


def test_a_required_driving_licence_and_school_level_count_and_are_said():
    place = replace(METALL_MEYER, licence="required", school=3, occupation="metallbauer")
    without = score(AMIR, place, RULES)
    assert without.fits["requirements"] == 0.0
    said = reasons(without, RULES)
    assert "driving licence B required: has none" in said
    assert "school level not stated; the company asks for a school certificate" in said
    # Unmet requirements come last: they add nothing.
    assert said[-1] == "driving licence B required: has none"
    able = score(replace(AMIR, licence=True, school=3), place, RULES)
    assert able.fits["requirements"] == 1.0 and able.score > without.score
    assert "school level meets the company's requirement (a certificate from abroad must be equivalent)" in \
        reasons(able, RULES)
    assert describe(place, occupation_label={"metallbauer": "Metallbauer/in (3,5 Jahre)"}.get) == \
        "apprenticeship: Metallbauer/in (3,5 Jahre)"


def test_the_immigration_offices_approval_and_reha_apprenticeships_are_said():
    strict = replace(METALL_MEYER, pending_approval=False)
    assert "the company takes only candidates who already have permission to work: check it first" in \
        reasons(score(AMIR, strict, RULES), RULES)
    waiting = replace(AMIR, needs_approval=True)
    assert score(waiting, strict, RULES).fits["requirements"] == 0.0
    assert "the company takes only candidates who already have permission to work, and the person said they " \
        "need help with it: check it first" in reasons(score(waiting, strict, RULES), RULES)
    patient = replace(METALL_MEYER, pending_approval=True)
    assert "the company also takes candidates who still wait for the immigration office's approval" in \
        reasons(score(waiting, patient, RULES), RULES)
    reha = score(AMIR, replace(METALL_MEYER, occupation="fachpraktiker_metall"), RULES)
    assert reha.fits["requirements"] == 0.5
    assert any(r.startswith("Reha-Ausbildung (Fachpraktiker/in)") for r in reasons(reha, RULES))


def test_a_participant_who_needs_the_approval_by_staffs_record_is_not_proposed_where_nobody_waits_for_it():
    strict = replace(METALL_MEYER, company_id=21, company="Metallbau Streng", pending_approval=False)
    patient = replace(METALL_MEYER, company_id=22, company="Metallbau Geduld", pending_approval=True)
    waiting = replace(AMIR, work_permission="needs_approval")
    assert [m.place.company for m in rank_places(waiting, [strict, patient], RULES)] == ["Metallbau Geduld"]
    assert rank_participants([strict], [waiting], RULES) == []
    assert left_out(waiting, strict) == "not proposed: still needs the approval of the Ausländerbehörde (recorded " \
        "by staff), and the company takes only candidates who already have permission to work"
    assert "still needs the approval of the Ausländerbehörde (recorded by staff): the company also takes " \
        "candidates who wait for it" in reasons(score(waiting, patient, RULES), RULES)


def test_staffs_record_of_the_permission_to_work_counts_before_the_persons_own_answer():
    strict = replace(METALL_MEYER, pending_approval=False)
    # Asked for help with the permission in the check, but staff saw that the person may work.
    allowed = replace(AMIR, needs_approval=True, work_permission="allowed")
    assert score(allowed, strict, RULES).fits["requirements"] == 1.0 and left_out(allowed, strict) is None
    assert "the company takes only candidates who already have permission to work: has it (recorded by staff)" in \
        reasons(score(allowed, strict, RULES), RULES)
    # The own answer alone only lowers the score: the coordinator checks it first.
    asked = replace(AMIR, needs_approval=True)
    assert left_out(asked, strict) is None and [m.place.company for m in rank_places(asked, [strict], RULES)] == \
        ["Metallbau Meyer"]
    barred = replace(AMIR, work_permission="not_allowed")
    assert rank_places(barred, PLACES, RULES) == []
    assert left_out(barred, METALL_MEYER) == "not proposed: not allowed to work at present (recorded by staff)"


def test_too_long_a_journey_and_missing_german_without_support_are_said():
    text = reasons(score(LANA, HOLZ_WEST, RULES), RULES)
    assert "about 65 min away by bus and train, more than the 30 min they can travel" in text
    assert "German B2 required, has B2" in text
    assert "no experience in wood yet" in text
    assert "offers an apprenticeship, which was not wished" in text
    # A person who gave no German level: said as unknown, never as "has ?".
    unknown = reasons(score(replace(LANA, german=None), HOLZ_WEST, RULES), RULES)
    assert "German B2 required; the person's German level is not known: ask" in unknown
    assert not any("?" in reason for reason in unknown)


def test_custom_rules_change_the_ranking(tmp_path):
    custom = tmp_path / "matching.toml"
    custom.write_text(RULES_TOML_ONLY_TRAVEL)
    rules = load_rules(custom)
    # Only travel counts: for Lana (Delmenhorst) the company next door wins whatever its trade.
    near = Place(company_id=9, company="Lager Nord", trade="logistics", kind="job", district="delmenhorst")
    far = Place(company_id=10, company="Pflege Fern", trade="care", kind="job", district="ammerland")
    assert [m.place.company for m in rank_places(LANA, [far, near], rules)] == ["Lager Nord", "Pflege Fern"]


RULES_TOML_ONLY_TRAVEL = """
[weights]
travel = 1
[travel]
same_district = 20
unknown = 90
"""


def test_speed_dating_with_20_companies_and_20_participants():
    people = [f"P{i:02d}" for i in range(20)]
    scores = {(p, c): float((i * 7 + c * 3) % 11) for (i, p), c in product(enumerate(people), range(20))}
    plan = plan_speed_dating(scores, tables=12, rounds=8, start=datetime(2027, 4, 1, 10, 0))
    pairs = [(m.participant, m.company_id) for m in plan.meetings]
    assert len(pairs) == len(set(pairs)), "a pair was seated twice"
    for meetings in plan.rounds():
        assert len(meetings) <= 12
        assert len({m.table for m in meetings}) == len(meetings)
        assert len({m.participant for m in meetings}) == len(meetings)
        assert len({m.company_id for m in meetings}) == len(meetings)
    assert len(plan.meetings) == 12 * 8
    # everybody gets conversations, and nobody many more than others
    per_person = [sum(m.participant == p for m in plan.meetings) for p in people]
    assert min(per_person) >= 4 and max(per_person) - min(per_person) <= 1
    assert plan.rounds()[1][0].starts == datetime(2027, 4, 1, 10, 12)


def test_speed_dating_prefers_the_best_pairs_and_lists_what_did_not_fit():
    scores = {("A", 1): 90.0, ("A", 2): 10.0, ("B", 1): 80.0, ("B", 2): 70.0}
    plan = plan_speed_dating(scores, tables=1, rounds=2, start=datetime(2027, 4, 1, 10))
    assert [(m.round, m.participant, m.company_id) for m in plan.meetings] == [(1, "A", 1), (2, "B", 1)]
    assert plan.missing == [("B", 2), ("A", 2)]


def test_speed_dating_needs_tables_and_rounds():
    with pytest.raises(ValueError):
        plan_speed_dating({}, tables=0, rounds=3, start=datetime(2027, 1, 1))


def test_interests_count_against_the_persons_own_average():
    # Someone who likes everything is no more "realistic" than someone who likes little but realistic work most.
    keen = replace(AMIR, interests=dict.fromkeys("riasec", 3.0))
    choosy = replace(AMIR, interests={**dict.fromkeys("riasec", 1.2), "r": 2.2})
    assert score(keen, HOLZ_WEST, RULES).fits["interest"] == 0.5
    assert score(choosy, HOLZ_WEST, RULES).fits["interest"] == pytest.approx(0.5 + (2.2 - 8.2 / 6) / 2, abs=1e-3)
    assert score(choosy, HOLZ_WEST, RULES).score > score(keen, HOLZ_WEST, RULES).score
    assert "interest profile realistic medium (3 of 3)" in reasons(score(keen, HOLZ_WEST, RULES), RULES)


def test_experience_only_at_home_counts_for_half_and_says_so():
    cook = replace(LANA, experience={"gastronomy": 3}, family_only=frozenset({"gastronomy"}))
    kitchen = Place(company_id=9, company="Gasthaus Linde", trade="gastronomy", kind="job", district="delmenhorst")
    assert score(cook, kitchen, RULES).fits["experience"] == 0.5
    assert "experience in gastronomy: 3 years, at home or in the family" in reasons(score(cook, kitchen, RULES), RULES)
    worked = replace(cook, family_only=frozenset())
    assert score(worked, kitchen, RULES).fits["experience"] == 1.0


def test_the_nearer_company_comes_first_by_the_gemeinden_of_participant_and_company():
    # Apen has the train to Oldenburg and Bad Zwischenahn (Augustfehn); Wildeshausen is across two counties.
    apen = replace(AMIR, district="ammerland", municipality="apen")
    near = replace(METALL_MEYER, company_id=11, company="Metallbau Zwischenahn", municipality="bad_zwischenahn",
                   district="ammerland")
    far = replace(METALL_MEYER, company_id=12, company="Metallbau Aaron", municipality="wildeshausen",
                  district="lk_oldenburg")
    ranked = rank_places(apen, [far, near], RULES)
    assert [m.place.company for m in ranked] == ["Metallbau Zwischenahn", "Metallbau Aaron"]
    assert "about 35 min away by bus and train" in reasons(ranked[0], RULES)
    assert "about 100 min away by bus and train, more than the 45 min they can travel" in reasons(ranked[1], RULES)
    driving = replace(apen, drives=True, licence=True)
    assert "about 65 min away by car, more than the 45 min they can travel" in \
        reasons(score(driving, far, RULES), RULES)
    # Within one Gemeinde; and a company known only by its district (a survey without a record).
    assert "about 20 min away by bus and train" in \
        reasons(score(replace(AMIR, municipality="bad_zwischenahn"), near, RULES), RULES)
    assert RULES.travel(("apen", "ammerland"), (None, "lk_oldenburg"), False) == Travel(95)
    assert RULES.travel((None, "ammerland"), (None, "lk_oldenburg"), False) == Travel(70)
    assert RULES.travel((None, "ammerland"), (None, "ammerland"), False) == Travel(25)  # the district's way


def test_a_way_the_travel_table_does_not_know_is_said_not_guessed():
    elsewhere = replace(AMIR, district=None, municipality="other")
    unlisted = replace(METALL_MEYER, district=None, municipality=None)  # a record still "not on the list"
    for person, place in ((elsewhere, METALL_MEYER), (AMIR, unlisted), (AMIR, replace(METALL_MEYER,
                                                                                      municipality="other"))):
        said = reasons(score(person, place, RULES), RULES)
        assert "travel time not known (a place elsewhere or not on the list of Gemeinden): ask how long the way " \
               "takes" in said
        assert not any(r.startswith("about ") for r in said)
        assert RULES.travel((person.municipality, person.district), (place.municipality, place.district),
                            False) == Travel(60, known=False)


def test_custom_travel_times_replace_the_table(tmp_path):
    table = tmp_path / "travel_times.toml"
    table.write_text('unknown = 90\n[public]\n"apen:hude" = 50\n[car]\n')
    rules = load_rules(travel_path=table)
    assert rules.travel(("apen", None), ("hude", None), False) == Travel(50)
    assert rules.travel(("apen", None), ("hatten", None), False) == Travel(90, known=False)


def test_a_wish_to_work_part_time_is_said_against_what_the_place_offers():
    mother = replace(LANA, part_time=True)
    assert "wants part-time: the company offers it" in reasons(
        score(mother, replace(PFLEGE_SONNE, part_time=True), RULES), RULES)
    assert "wants part-time, which the company does not offer" in reasons(
        score(mother, replace(PFLEGE_SONNE, part_time=False), RULES), RULES)
    assert not any("part-time" in r for r in reasons(score(mother, PFLEGE_SONNE, RULES), RULES))  # not said
