"""The five instruments under forms/: they pass the check, and a person can fill each in from start to end."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from statistics import mean

import pytest
from sqlalchemy import select

from proconnect.extensions import db
from proconnect.reports.placement import PLACED
from proconnect.responses.models import Response
from shipped_forms import FORMS, forms_dir  # noqa: F401

INSTRUMENTS = ("company-readiness", "competence-check", "hospitation-feedback", "hospitation-voice", "mentor-log",
               "outcome", "training-feedback")
FACES = {"dislike": "1", "unsure": "2", "like": "3"}


def _interests(**scales: list[str]) -> dict:
    """Interest answers per RIASEC letter, five faces each, e.g. ``r=["like", ...]``."""
    return {f"interest_{letter}{n}": FACES[face] for letter, faces in scales.items()
            for n, face in enumerate(faces, start=1)}


INTERESTS = dict(
    r=["like", "like", "unsure", "like", "dislike"],
    i=["dislike", "unsure", "like", "dislike", "dislike"],
    a=["unsure", "dislike", "dislike", "like", "dislike"],
    s=["like", "like", "unsure", "unsure", "like"],
    e=["dislike", "dislike", "like", "unsure", "dislike"],
    c=["like", "unsure", "unsure", "like", "like"],
)
METAL = {"measure": "4", "saw": "3", "drill": "4", "grind": "3", "weld": "3", "assemble": "2", "drawing": "1"}

#: Sami: metal worker, some painting, grew up on a farm; wants an apprenticeship in metal or plumbing (v2).
COMPETENCE_V2 = {
    "participant_code": "k7q2-x9",
    "first_language": "ar", "other_languages": ["en", "tr"],
    "german_level": "a2", "german_certificate": "a2",
    "school_years": "9", "school_level": "middle", "school_country": "abroad", "school_documents": "elsewhere",
    "training_done": "no_certificate", "training_trade": "metal",
    "trades": ["metal", "painting", "agriculture"],
    "years_metal": "4", "years_painting": "0,5", "years_agriculture": "10",
    **{f"work_metal__{row}": v for row, v in METAL.items()},
    **{f"work_painting__{row}": v for row, v in
       {"walls": "3", "wallpaper": "1", "filler": "2", "mix": "1", "spray": "1", "facade": "2", "ladder": "3"}.items()},
    **{f"work_agriculture__{row}": v for row, v in
       {"tractor": "3", "animals": "4", "milk": "4", "plant": "3", "harvest": "4", "garden": "2", "repair": "2"}.items()},
    **{f"skills__{row}": v for row, v in
       {"measure": "3", "hand_tools": "3", "power_tools": "3", "welding": "2", "drawing": "2", "computer": "1"}.items()},
    "licence_classes": ["b", "forklift"],
    "strengths": ["reliable", "team", "strong", "skilful"],
    **_interests(**INTERESTS),
    "wish_type": ["apprenticeship"], "wish_trades": ["metal", "plumbing"],
    "earliest_start": "months_3", "hours": "full_time", "shift_work": "yes_days",
    "district": "ammerland", "licence_origin": "other",
    "transport": ["bicycle", "bus_train"], "travel_time": "min_45",
    "support": ["language_course", "recognition"],
    "consent": "y", "consent_companies": "y",
}


#: Sami again, on v3: the same person, with what v3 asks besides (and without what it dropped). Lives in
#: Westerstede (Ammerland).
LIKES = dict(r=["like", "like", "unsure"], i=["dislike", "like", "dunno"], a=["dunno", "dislike", "dislike"],
             s=["like", "unsure", "like"], e=["dislike", "dislike", "like"], c=["like", "unsure", "like"])
LIKE_FACES = {"dislike": "1", "unsure": "2", "like": "3", "dunno": "unsure"}
COMPETENCE_V3 = {
    **{k: v for k, v in COMPETENCE_V2.items()
       if not k.startswith(("interest_", "skills__welding", "skills__drawing"))
       and k not in ("district", "school_country")},
    "age_band": "age_25_34", "language_course": "job", "language_course_end": "months_3",
    "latin_script": "well", "math_price": "eur_12", "math_length": "m1_95",
    "context_metal": ["paid"], "context_painting": ["paid", "family"], "context_agriculture": ["family"],
    **{f"like_{letter}{n}": LIKE_FACES[face] for letter, faces in LIKES.items() for n, face in enumerate(faces, 1)},
    "apprenticeship_pay": "with_help", "municipality": "westerstede",
    "support": ["language_course", "recognition", "money", "learning"],
}

#: Sami on v4, the newest version, as other test modules fill it in: what v3 asked, without what v4 leaves out
#: (school years, the skills matrix, six interest items, three or four work actions per trade); the computer is a
#: strength card now.
V4_DROPPED = ("school_years", "skills__", "like_r1", "like_i3", "like_a3", "like_s3", "like_e3", "like_c2",
              "work_metal__measure", "work_metal__drill", "work_metal__grind", "work_painting__mix",
              "work_painting__facade", "work_painting__ladder", "work_agriculture__milk",
              "work_agriculture__harvest", "work_agriculture__repair")
METAL_V4 = {row: METAL[row] for row in ("saw", "weld", "assemble", "drawing")}
COMPETENCE = {**{k: v for k, v in COMPETENCE_V3.items() if not k.startswith(V4_DROPPED)},
              "strengths": ["reliable", "team", "strong", "computer"]}


def _visible_inputs(html: str) -> set[str]:
    """Names of the inputs a person can fill in on this page (not the carried hidden ones)."""
    names = set()
    for tag in re.findall(r"<(?:input|textarea|select)\b[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if name and 'type="hidden"' not in tag and 'type="submit"' not in tag:
            names.add(name.group(1))
    return names


def _page_title(html: str) -> str:
    m = re.search(r'<h2 class="page-title">([^<]*)</h2>', html)
    return m.group(1).strip() if m else ""


def fill_in(filler, token, answers: dict) -> list[str]:
    """Walk the form like a person: on each page answer what is asked there and press the button the page
    shows ("Next", or "Send answers" on what looks like the last page) until the answers are stored.

    :return: the titles of the pages seen, in order
    """
    f = filler(token)
    f.open()
    seen, used = [], set()
    for _ in range(60):
        html = f.page.get_data(as_text=True)
        seen.append(_page_title(html))
        on_page = {k: v for k, v in answers.items() if k in _visible_inputs(html)}
        used |= set(on_page)
        response = f.post(on_page, nav="submit" if 'value="submit"' in html else "next")
        if response.status_code == 303:
            assert set(answers) == used, f"never asked: {sorted(set(answers) - used)}"
            return seen
        assert response.status_code == 200
        assert 'class="field-error"' not in f.page.get_data(as_text=True), f.text()
    pytest.fail("the form never ended")


def stored(app, form_id: str) -> tuple[Response, dict]:
    """The only response of a form and its answers: field id -> value (a sorted list for multiple choices).

    A field hidden by its condition reads as ``"not shown"``.
    """
    with app.app_context():
        [response] = db.session.scalars(select(Response).filter_by(form_id=form_id)).all()
        values: dict = {}
        for a in response.answers:
            value = "not shown" if not a.shown else next(
                (v for v in (a.value_text, a.value_num, a.value_date, a.value_long) if v is not None), None)
            values.setdefault(a.field_id, []).append(value)
        db.session.expunge(response)
    return response, {k: sorted(v) if len(v) > 1 else v[0] for k, v in values.items()}


def test_forms_check_passes_on_the_real_instruments(runner):
    result = runner.invoke(args=["forms", "check", str(FORMS)])
    assert result.exit_code == 0, result.output
    ok = [line for line in result.output.splitlines() if line.startswith("OK ")]
    assert ok == ["OK company-readiness v1", "OK company-readiness v2", "OK company-readiness v3", "OK company-readiness v4",
                  "OK competence-check v1",
                  "OK competence-check v2", "OK competence-check v3", "OK competence-check v4",
                  "OK hospitation-feedback v1", "OK hospitation-feedback v2", "OK hospitation-feedback v3",
                  "OK hospitation-voice v1", "OK mentor-log v1", "OK mentor-log v2", "OK outcome v1", "OK outcome v2",
                  "OK outcome v3", "OK training-feedback v1"]
    # v2 rewords the B1 description on purpose: the check asks to make sure the meaning stayed the same.
    assert "warning: forms/competence-check/v2.toml" in result.output and "'b1' of field 'german_level'" in result.output


def test_every_instrument_has_a_readme_and_all_its_pictograms(app):
    registry = app.extensions["proconnect.forms"]
    assert sorted(registry.instruments) == list(INSTRUMENTS)
    for instrument in registry:
        assert "Purpose" in instrument.readme and "Audience" in instrument.readme and "Duration" in instrument.readme
        used = set()
        for definition in instrument.versions.values():
            for f in definition.fields:
                used |= {x for x in (f.image, *(c.image for c in f.choices + f.rows)) if x}
        on_disk = {f"img/{p.name}" for p in (instrument.folder / "img").glob("*.svg")}
        assert used == on_disk, f"{instrument.id}: unused {on_disk - used}, missing {used - on_disk}"
    total = sum(p.stat().st_size for p in FORMS.glob("*/img/*"))
    assert total < 1_000_000


def test_the_participant_code_is_the_same_kind_of_field_wherever_it_is_asked(app):
    registry = app.extensions["proconnect.forms"]
    for form_id, required in (("competence-check", False), ("mentor-log", True), ("outcome", True)):
        for definition in registry.instruments[form_id].versions.values():
            code = definition.field("participant_code")
            assert (code.type, code.max_length, code.required) == ("text", 12, required)


def test_v2_of_the_competence_check_is_stored_with_its_answers_and_scores(app, filler, make_link):
    pages = fill_in(filler, make_link("competence-check", version=2), COMPETENCE_V2)
    assert [p for p in pages if p.startswith("Arbeit ")] == [
        "Arbeit mit Metall", "Arbeit mit Farbe", "Arbeit in Landwirtschaft und Garten"]
    response, a = stored(app, "competence-check")
    assert (response.version, response.participant_code) == (2, "K7Q2-X9")
    assert a["trades"] == ["agriculture", "metal", "painting"]
    assert (a["years_metal"], a["years_painting"], a["years_care"]) == (4, 0.5, "not shown")
    assert (a["work_metal.weld"], a["work_painting.walls"], a["work_care.wash"]) == (3, 3, "not shown")
    assert (a["german_level"], a["licence_origin"], a["consent"], a["consent_companies"]) == ("a2", "other", "yes", "yes")
    assert a["strengths"] == ["reliable", "skilful", "strong", "team"]
    for letter, faces in INTERESTS.items():
        assert a[f"interest_{letter}"] == pytest.approx(mean(int(FACES[face]) for face in faces), abs=1e-4)
    assert (a["interest_r"], a["interest_s"], a["interest_e"]) == (pytest.approx(2.4), pytest.approx(2.6), 1.6)
    assert a["experience_metal"] == pytest.approx(mean(int(v) for v in METAL.values()), abs=1e-4)  # stored to 4 places
    assert "experience_care" not in a


def test_a_whole_v3_run_stores_readiness_where_experience_comes_from_and_interests_without_dont_know(
        app, filler, make_link):
    pages = fill_in(filler, make_link("competence-check", version=3), COMPETENCE_V3)
    assert pages[:5] == ["", "Sprachen", "Deutsch", "Lesen und Rechnen", "Schule und Beruf"]
    assert [p for p in pages if p.startswith("Arbeit ")] == [
        "Arbeit mit Metall", "Arbeit mit Farbe", "Arbeit in Landwirtschaft und Garten"]
    assert len(pages) == 16 + 3  # one page per chosen trade
    response, a = stored(app, "competence-check")
    assert (response.version, response.participant_code) == (3, "K7Q2-X9")
    assert (a["age_band"], a["language_course"], a["language_course_end"]) == ("age_25_34", "job", "months_3")
    assert (a["math_price"], a["math_length"], a["apprenticeship_pay"]) == ("eur_12", "m1_95", "with_help")
    assert (a["context_metal"], a["context_painting"], a["context_agriculture"]) == ("paid", ["family", "paid"],
                                                                                     "family")
    assert (a["years_metal"], a["work_metal.weld"], a["context_care"]) == (4, 3, "not shown")
    assert (a["municipality"], a["shift_work"]) == ("westerstede", "yes_days")
    assert "district" not in a and "interest_r1" not in a
    # "Weiß nicht" is an answer but no point: kept as such (reports count it apart), it leaves the item out of the
    # mean instead of counting as the middle.
    assert a["like_i3"] == a["like_a1"] == "unsure"
    assert a["interest_i"] == pytest.approx(2.0) and a["interest_a"] == 1.0
    assert a["interest_r"] == pytest.approx(mean([3, 3, 2]), abs=1e-4)
    assert a["experience_metal"] == pytest.approx(mean(int(v) for v in METAL.values()), abs=1e-4)


def test_a_whole_v4_run_asks_less_and_stores_the_same_ids_with_the_same_meaning(app, filler, make_link):
    pages = fill_in(filler, make_link("competence-check"), COMPETENCE)
    assert "Was können Sie?" not in pages
    assert [p for p in pages if p.startswith("Was machen Sie gern?")] == [
        "Was machen Sie gern? (1 von 2)", "Was machen Sie gern? (2 von 2)"]
    assert len(pages) == 14 + 3  # one page per chosen trade
    response, a = stored(app, "competence-check")
    assert (response.version, response.participant_code) == (4, "K7Q2-X9")
    assert "school_years" not in a and not [k for k in a if k.startswith("skills")]
    assert a["strengths"] == ["computer", "reliable", "strong", "team"]
    assert (a["school_level"], a["context_agriculture"], a["municipality"]) == ("middle", "family", "westerstede")
    # Scores keep their ids: the mean of the items this version asks ("Weiß nicht" still left out).
    assert a["interest_r"] == pytest.approx(mean([3, 2]), abs=1e-4)  # like_r2, like_r3
    assert a["interest_i"] == 2.0  # like_i1 dislike, like_i2 like
    assert a["like_a1"] == "unsure" and a["interest_a"] == 1.0  # "weiß nicht": no point; like_a2 dislike
    assert a["experience_metal"] == pytest.approx(mean(int(v) for v in METAL_V4.values()), abs=1e-4)
    assert "work_metal.measure" not in a and a["work_metal.weld"] == 3


def test_under_18_the_check_asks_no_shift_work_and_says_why(app, filler, make_link):
    fill_in(filler, make_link("competence-check"), {"age_band": "under_18", "consent": "y"})
    _response, a = stored(app, "competence-check")
    assert a["shift_work"] == "not shown" and a["age_band"] == "under_18"


def test_v1_of_the_competence_check_still_takes_answers_without_painting(app, filler, make_link):
    answers = {k: v for k, v in COMPETENCE_V2.items() if "painting" not in k and "agriculture" not in k}
    answers["trades"] = ["metal", "logistics"]
    answers.update({f"work_logistics__{row}": "2" for row in
                    ("unload", "forklift", "scan", "pick", "pack", "count", "deliver")})
    answers["years_logistics"] = "1"
    fill_in(filler, make_link("competence-check", version=1), answers)
    response, a = stored(app, "competence-check")
    assert response.version == 1
    assert a["work_logistics.forklift"] == 2 and a["experience_logistics"] == 2
    assert "painting" not in str(a)


@pytest.mark.parametrize("trades, metal_page", [(["metal", "care"], True), (["care"], False)])
def test_the_metal_work_page_appears_only_when_metal_was_chosen(app, filler, make_link, trades, metal_page):
    answers = {"trades": trades, "work_care__wash": "3", "context_care": ["family"], "consent": "y"}
    if metal_page:
        answers["work_metal__weld"] = "2"
    pages = fill_in(filler, make_link("competence-check"), answers)
    assert ("Arbeit mit Metall" in pages) is metal_page
    assert "Arbeit in der Pflege" in pages
    _response, a = stored(app, "competence-check")
    assert a["work_metal.weld"] == (2 if metal_page else "not shown")
    assert a["work_care.wash"] == 3


#: A trainer's answers to the company survey's newest version (v3): its Gemeinde, places per Ausbildungsberuf,
#: open jobs, EQ places apart from internships, and the requirements. ``district``: a v2 answer instead.
def trainer_answers(start: str, district: str | None = None) -> dict:
    return {
        "company_name": "Metallbau Muster GmbH", "respondent_role": "trainer", "sector": "metal", "size": "small",
        **({"district": district} if district else {"municipality": "wildeshausen"}),
        "job_trades": ["metal", "logistics"], "helper_jobs_metal": "1", "skilled_jobs_metal": "2",
        "helper_jobs_logistics": "3", "skilled_jobs_logistics": "0", "job_part_time": "yes",
        "apprenticeships": ["metallbauer", "maschinen_anlagenfuehrer", "anlagenmechaniker_shk"],
        "apprenticeship_places_metallbauer": "2", "apprenticeship_start_metallbauer": start,
        "apprenticeship_places_maschinen_anlagenfuehrer": "1", "apprenticeship_start_maschinen_anlagenfuehrer": start,
        "apprenticeship_places_anlagenmechaniker_shk": "1", "apprenticeship_start_anlagenmechaniker_shk": start,
        "start_flexible": "yes", "part_time_training": "yes",
        "entry_offers": ["hospitation", "eq"], "trial_places": "4", "eq_places": "2", "eq_trades": ["metal"],
        "school_required": "basic", "licence_required": "helpful", "building_sites": "sometimes",
        "transport_to_sites": "yes", "pending_approval": "with_help",
        "refugee_experience": "apprentices", "experience_rating": "4",
        "german_required__apprenticeship": "3", "german_required__helper": "1", "german_required__skilled": "4",
        "language_support": ["course_time", "simple_instructions"],
        "mentor_available": "with_support", "mentor_role": "master", "mentor_capacity": "2", "mentor_hours": "8",
        "attitude__open": "4", "attitude__time": "3", "attitude__management": "5", "attitude__gain": "4",
        "attitude__language_barrier": "4", "attitude__rules_known": "2",
        "attitude__prefer_locals": "2", "attitude__extra_effort": "1", "attitude__team_doubts": "2",
        "attitude__management_hesitant": "1",
        "concerns": ["communication", "legal"],
        "support_wanted": ["legal_admin", "bbs_contact"],
        "comments": "Wir suchen vor allem für August Auszubildende.",
    }


def test_the_company_readiness_survey_of_a_trainer(app, filler, make_link):
    start = (date.today() + timedelta(days=250)).isoformat()
    pages = fill_in(filler, make_link("company-readiness"), trainer_answers(start))
    assert pages == ["", "Offene Stellen", "Stellen: wie viele?", "Ausbildungsplätze", "Plätze und Beginn",
                     "Praktikum und Einstieg", "Voraussetzungen", "Erfahrung", "Deutsch am Arbeitsplatz",
                     "Begleitung", "Haltung im Team", "Unterstützung"]
    response, a = stored(app, "company-readiness")
    assert response.version == 4
    # The Gemeinde from the competence check's list; the place typed is asked only for one elsewhere.
    assert (a["municipality"], a["place"]) == ("wildeshausen", "not shown")
    assert (a["apprenticeship_places_metallbauer"], a["apprenticeship_places_anlagenmechaniker_shk"],
            a["apprenticeship_places_tischler"]) == (2, 1, "not shown")
    assert a["apprenticeship_start_metallbauer"] == date.fromisoformat(start)
    assert (a["helper_jobs_metal"], a["skilled_jobs_metal"], a["helper_jobs_care"]) == (1, 2, "not shown")
    assert (a["eq_places"], a["eq_trades"], a["trial_places"]) == (2, "metal", 4)
    assert (a["school_required"], a["licence_required"], a["pending_approval"]) == ("basic", "helpful", "with_help")
    assert (a["german_required.apprenticeship"], a["german_required.helper"]) == (3, 1)
    assert "german_required.customers" not in a  # no customer contact: the row was left empty
    assert a["places_total"] == 4 and a["jobs_total"] == 6
    # The four reverse-worded statements count from the other end: 2 -> 4, 1 -> 5.
    assert a["openness"] == pytest.approx(mean([4, 3, 5, 4, 4, 5, 4, 5]))


def test_agreeing_with_every_attitude_statement_no_longer_gives_the_best_openness(app, filler, make_link):
    agree = {f"attitude__{row}": "5" for row in ("open", "time", "management", "gain", "prefer_locals",
                                                 "extra_effort", "team_doubts", "management_hesitant")}
    fill_in(filler, make_link("company-readiness"), {"respondent_role": "staff", **agree})
    _response, a = stored(app, "company-readiness")
    assert a["openness"] == 3.0  # four times 5 and four times (6 - 5) = 1


def test_answers_to_versions_1_to_3_stay_readable_beside_version_4(app, filler, make_link):
    from proconnect import forms_registry
    from proconnect.cohorts.models import Cohort
    from proconnect.reports.aggregation import Filters
    from proconnect.reports.builder import build_cohort_report
    from test_matching_cli import V1_COMPANY
    start = (date.today() + timedelta(days=250)).isoformat()
    fill_in(filler, make_link("company-readiness", version=1), V1_COMPANY)
    fill_in(filler, make_link("company-readiness", version=2), trainer_answers(start, district="lk_oldenburg"))
    fill_in(filler, make_link("company-readiness", version=3), trainer_answers(start))
    fill_in(filler, make_link("company-readiness"), trainer_answers(start) | {"municipality": "apen"})
    with app.app_context():
        cohort = db.session.scalars(select(Cohort)).one()
        report = build_cohort_report(forms_registry(app), cohort, Filters(cohort.id))
    [section] = [s for s in report.sections if s.form_id == "company-readiness"]
    questions = {q.id: q for q in section.questions}
    # v1's places per broad trade are still reported (only in v1), beside the Ausbildungsberufe of v2 to v4.
    assert questions["apprenticeship_trades"].only_in == [1]
    assert questions["apprenticeships"].only_in == [2, 3, 4]
    # The district (v1, v2) and the Gemeinde (v3, v4) are two questions, each with its own answers; v3's buttons
    # and v4's dropdown are one question.
    assert questions["district"].only_in == [1, 2] and questions["municipality"].only_in == [3, 4]
    assert questions["municipality"].answered == 2
    # Unchanged questions merge over every version by their id.
    assert questions["refugee_experience"].answered == 4 and not questions["refugee_experience"].only_in
    trainer = mean([4, 3, 5, 4, 4, 5, 4, 5])
    assert {s.id: s.numeric.mean for s in section.scores if s.numeric}["openness"] == pytest.approx(
        mean([5, trainer, trainer, trainer]))


def test_staff_skip_the_management_pages_of_the_company_readiness_survey(app, filler, make_link):
    pages = fill_in(filler, make_link("company-readiness"), {
        "respondent_role": "staff", "sector": "construction", "refugee_experience": "none",
        "attitude__open": "5", "attitude__gain": "4", "concerns": ["none"], "support_wanted": ["information"]})
    assert pages == ["", "Erfahrung", "Haltung im Team", "Unterstützung"]
    _response, a = stored(app, "company-readiness")
    assert a["mentor_role"] == "not shown" and a["openness"] == 4.5 and "places_total" not in a


def test_training_feedback_from_a_phone(app, filler, make_link):
    token = make_link("training-feedback", event="Schulung Interkulturelle Kommunikation, 3. März, Trainerin A")
    fill_in(filler, token, {
        "overall": "4", "usefulness": "5", "participant_role": "trainer",
        "topics__intercultural": "5", "topics__legal": "3", "topics__language_sensitive": "4",
        "confidence_before": "2", "confidence_after": "4", "recommend": "9",
        "missing": "Mehr Beispiele aus dem Handwerk.",
    })
    _response, a = stored(app, "training-feedback")
    assert (a["overall"], a["topics.legal"], a["recommend"]) == (4, 3, 9)
    assert "topics.mentoring" not in a  # the module was not part of this session
    assert a["missing"] == "Mehr Beispiele aus dem Handwerk."


def test_a_mentor_log_entry(app, filler, make_link):
    met = date.today() - timedelta(days=2)
    fill_in(filler, make_link("mentor-log"), {
        "participant_code": "K7Q2-X9", "meeting_date": met.isoformat(), "duration": "45", "format": "school",
        "topics": ["language", "exams", "school_absence"], "support": ["asa_flex"], "status": "attention",
        "next_steps": "Nachhilfe in Fachrechnen bis zur Zwischenprüfung organisieren.", "bbs_involved": "yes",
    })
    response, a = stored(app, "mentor-log")
    assert response.participant_code == "K7Q2-X9" and response.version == 2
    assert (a["meeting_date"], a["duration"], a["status"], a["bbs_involved"]) == (met, 45, "attention", "yes")
    assert a["topics"] == ["exams", "language", "school_absence"] and a["support"] == "asa_flex"


def test_the_mentor_log_ties_no_health_data_to_a_code_and_defines_its_traffic_light(app):
    latest = app.extensions["proconnect.forms"].instruments["mentor-log"].latest
    topics = {c.value: c.label for c in latest.field("topics").choices}
    # GDPR art. 9: health is special-category data; a "personal strain" names that something weighs, not what.
    assert "health" not in topics and "Gesundheit" not in " ".join(topics.values())
    assert {"personal_strain", "school_absence", "probation", "mobility"} <= set(topics)
    assert {c.value for c in latest.field("support").choices} == {"asa_flex", "job_language_course", "none"}
    light = latest.field("status")
    assert all(c.label in light.help for c in light.choices)


def test_an_apprenticeship_is_recorded_with_its_evidence(app, filler, make_link):
    fill_in(filler, make_link("outcome"), {
        "participant_code": "K7Q2-X9", "status_date": (date.today() - timedelta(days=20)).isoformat(),
        "status": "apprenticeship",
        "trade": "metal", "company_record": "other", "company_record__other": "Metallbau Muster GmbH",
        "contract_seen": "yes",
    })
    response, a = stored(app, "outcome")
    assert response.participant_code == "K7Q2-X9"
    assert (a["status"], a["trade"], a["contract_seen"]) == ("apprenticeship", "metal", "yes")


def test_someone_still_searching_is_recorded_without_company_details(app, filler, make_link):
    pages = fill_in(filler, make_link("outcome"), {
        "participant_code": "B3M8-Q2", "status_date": date.today().isoformat(), "status": "searching"})
    assert pages == ["", "Datum"]
    _response, a = stored(app, "outcome")
    assert (a["status"], a["trade"], a["contract_seen"]) == ("searching", "not shown", "not shown")


def test_the_outcome_status_values_stay_the_ones_the_75_percent_target_counts(app):
    placed = {"apprenticeship", "svb_job"}
    others = {"eq", "internship", "language_course", "school", "searching", "moved_away", "left_project"}
    # Version 2 adds a signed contract (counted toward the target) and an early end; no value changes or goes.
    added = {1: set(), 2: {"contract_signed", "ended_early"}, 3: {"contract_signed", "ended_early"}}
    for number, definition in app.extensions["proconnect.forms"].instruments["outcome"].versions.items():
        values = {c.value for c in definition.field("status").choices}
        assert placed <= values and values == placed | others | added[number]
    assert set(PLACED) == placed | {"contract_signed"}


def test_matching_reads_v2_v3_and_v4_checks_alike_where_their_meaning_is_the_same(app, filler, make_link):
    from proconnect.cohorts.models import Cohort
    from proconnect.matching.sources import participant_profiles

    fill_in(filler, make_link("competence-check", version=2), {**COMPETENCE_V2, "participant_code": "B3M8-Q2"})
    fill_in(filler, make_link("competence-check", version=3), COMPETENCE_V3)
    fill_in(filler, make_link("competence-check"), {**COMPETENCE, "participant_code": "W4T6-H8"})
    with app.app_context():
        cohort = db.session.scalar(select(Cohort))
        v2, v3, v4 = participant_profiles(cohort.id)
    assert (v2.code, v3.code, v4.code) == ("B3M8-Q2", "K7Q2-X9", "W4T6-H8")
    # v2 names the district; v3 the Gemeinde, which gives the district and its own travel times.
    assert (v2.district, v2.municipality) == ("ammerland", None)
    assert (v3.district, v3.municipality) == ("ammerland", "westerstede")
    assert v2.experience == v3.experience == {"metal": 4.0, "painting": 0.5, "agriculture": 10.0}
    # Only v3 says where the experience comes from: the farm was the family's.
    assert (v2.family_only, v3.family_only) == (frozenset(), frozenset({"agriculture"}))
    assert set(v2.interests) == set(v3.interests) == set(v4.interests) == set("riasec")
    assert v2.german == v3.german == "a2"
    # v4 asks less of the same: the same person gets the same profile, only the interest means rest on fewer items.
    assert replace(v4, code=v3.code, interests=v3.interests) == v3
