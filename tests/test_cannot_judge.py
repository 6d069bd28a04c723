""""Nicht beurteilbar" on a matrix, as a scale's "Weiß nicht": an answer a rater can give, stored without a number,
left out of scores and means, counted apart in reports and exports, and carried through XLSForm."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from form_folders import one_form

from proconnect.cohorts.models import Cohort
from proconnect.definitions import forms_registry, load_definition
from proconnect.extensions import db
from proconnect.privacy.export import participant_data
from proconnect.reports.aggregation import Filters
from proconnect.reports.builder import build_cohort_report
from proconnect.reports.exports import csv_chunks, write_xlsx
from proconnect.reports.render import cohort_pdf
from proconnect.responses.models import Answer, Response
from proconnect.xlsform import read_xlsform, save_definition, write_xlsform
from test_reports_pdf import pdf_text

DEFINITION = """
[form]
id = "placement-rating"
version = 1
title = "Beurteilung"

[[fields]]
id = "participant_code"
type = "text"
label = "Teilnahme-Code"
max_length = 12

[[fields]]
id = "rating"
type = "matrix"
label = "Wie beurteilen Sie die Person?"
points = 4
labels = ["schwach", "eher schwach", "eher gut", "gut"]
unsure = "nicht beurteilbar"
rows = [
  { id = "punctual", label = "Pünktlich" },
  { id = "skills", label = "Fachliche Fähigkeiten" },
]

[[fields]]
id = "overall"
type = "scale"
label = "Insgesamt"
points = 4
unsure = "nicht beurteilbar"

[[fields]]
id = "plain"
type = "matrix"
label = "Ohne Ausweg"
points = 3
rows = [{ id = "one", label = "Eins" }]

[[scores]]
id = "rating_mean"
label = "Beurteilung im Mittel"
items = ["rating.punctual", "rating.skills"]
method = "mean"
"""

#: Three raters: the second could not judge the skills, the third neither skills nor the whole.
RATERS = (("K7Q2-XM4P", "4", "3", "3"), ("B8M3-QR2T", "2", "unsure", "2"), ("C9N4-ST3V", "3", "unsure", "unsure"))


@pytest.fixture
def forms_dir(tmp_path) -> Path:
    return one_form(tmp_path, "placement-rating", DEFINITION)


@pytest.fixture
def rated(app, make_link, filler):
    token = make_link(form_id="placement-rating")
    for code, punctual, skills, overall in RATERS:
        f = filler(token)
        f.open()
        answers = {"participant_code": code, "rating__punctual": punctual, "rating__skills": skills,
                   "overall": overall}
        assert f.post(answers, nav="submit").status_code == 303
    with app.app_context():
        return db.session.scalar(select(Cohort.id))


def test_each_row_offers_cannot_judge_after_its_points_named_by_the_row(app, make_link, filler):
    page = filler(make_link(form_id="placement-rating")).open().get_data(as_text=True)
    skills = page[page.index('id="q-rating-skills"'):page.index('id="q-overall"')]
    # The row's fieldset names the group (its legend); each radio is named by its own label.
    assert re.search(r"<legend>\s*<span class=\"row-label\">Fachliche Fähigkeiten</span></legend>", skills)
    values = re.findall(r'name="rating__skills" value="([^"]+)"', skills)
    assert values == ["1", "2", "3", "4", "unsure"]
    assert re.search(r'<label class="option option-unsure" for="rating__skills-5">\s*<input type="radio" '
                     r'id="rating__skills-5" name="rating__skills" value="unsure">\s*'
                     r'<span class="option-label">nicht beurteilbar</span>', skills)
    # A matrix that does not offer it shows no such button.
    plain = page[page.index('id="q-plain"'):]
    assert re.findall(r'name="plain__one" value="([^"]+)"', plain) == ["1", "2", "3"]


def test_cannot_judge_is_stored_as_no_point_and_left_out_of_the_score(app, rated):
    with app.app_context():
        rows = db.session.execute(
            select(Response.participant_code, Answer.field_id, Answer.value_text, Answer.value_num)
            .join(Answer, Answer.response_id == Response.id)
            .where(Response.participant_code == "B8M3-QR2T")).all()
        response = db.session.scalar(select(Response).filter_by(participant_code="C9N4-ST3V"))
        payload = response.payload
    stored = {name: (text, number) for _code, name, text, number in rows}
    assert stored["rating.skills"] == ("unsure", None)
    assert stored["rating.punctual"] == (None, 2.0)
    # The mean of the rows is the one point given, not pulled to the middle by "nicht beurteilbar".
    assert stored["rating_mean"] == (None, 2.0)
    assert payload["answers"]["rating.skills"] == payload["answers"]["overall"] == "unsure"
    assert payload["scores"] == {"rating_mean": 3.0}


def test_cannot_judge_sent_to_a_matrix_that_does_not_offer_it_is_refused(app, make_link, filler):
    f = filler(make_link(form_id="placement-rating"))
    f.open()
    response = f.post({"participant_code": "K7Q2-XM4P", "plain__one": "unsure"}, nav="submit")
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalars(select(Answer)).all() == []


def test_the_report_counts_cannot_judge_apart_from_n_and_the_mean(app, rated, tmp_path):
    with app.app_context():
        report = build_cohort_report(forms_registry(app), db.session.get(Cohort, rated), Filters(rated))
        pdf = cohort_pdf(report)
    questions = {q.id: q for s in report.sections for q in s.questions}
    rating, overall = questions["rating"], questions["overall"]
    assert rating.unsure_label == overall.unsure_label == "nicht beurteilbar"
    skills = next(row for row in rating.matrix if row.key == "skills")
    assert (skills.numeric.n, skills.numeric.mean, skills.numeric.unsure, skills.no_answer) == (1, 3.0, 2, 0)
    assert [b.percent for b in skills.numeric.bars] == [0, 0, 100, 0]
    punctual = next(row for row in rating.matrix if row.key == "punctual")
    assert (punctual.numeric.n, punctual.numeric.mean, punctual.numeric.unsure) == (3, 3.0, 0)
    assert (overall.answered, overall.no_answer, overall.numeric.n, overall.numeric.unsure) == (2, 0, 2, 1)
    assert overall.numeric.mean == 2.5
    flat = " ".join(pdf_text(pdf, tmp_path, layout=False).split())
    assert "nicht beurteilbar: Fachliche Fähigkeiten 2." in flat
    assert "Insgesamt 2 beantwortet · 1 nicht beurteilbar · 0 keine Antwort" in flat
    assert "n = 2 · Mittelwert 2,50 (Skala 1–4)" in flat
    assert "werden getrennt gezählt" in flat


def test_exports_name_cannot_judge_in_words_and_in_the_codebook(app, rated, tmp_path):
    with app.test_request_context():
        text = "".join(csv_chunks(forms_registry(app), Filters(rated), "placement-rating"))
        write_xlsx(forms_registry(app), Filters(rated), ["placement-rating"], tmp_path / "all.xlsx")
        data = participant_data(db.session.get(Cohort, rated), "C9N4-ST3V")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [(r["rating.skills"], r["overall"]) for r in rows] == [("3", "3"), ("unsure", "2"), ("unsure", "unsure")]
    codebook = {row[1]: row for row in load_workbook(tmp_path / "all.xlsx")["codebook"].values}
    assert codebook["rating.skills"][4] == "1=schwach; 2=eher schwach; 3=eher gut; 4=gut; unsure=nicht beurteilbar (no point)"
    answers = {a["name"]: a for a in data["responses"][0]["answers"]}
    assert answers["rating.skills"]["answer"] == answers["overall"]["answer"] == "nicht beurteilbar"


def test_an_xlsform_round_trip_keeps_cannot_judge_on_the_matrix(forms_dir, tmp_path):
    original = load_definition(forms_dir / "placement-rating" / "v1.toml")
    content, left_out = write_xlsform(original)
    assert left_out == []
    conversion = read_xlsform(content, "placement-rating")
    assert conversion.problems == []
    path, problems = save_definition(conversion, forms_dir, roles=None)
    assert problems == []
    imported = load_definition(path)
    assert imported.field("rating").extra["unsure"] == imported.field("overall").extra["unsure"] == "nicht beurteilbar"
    assert imported.field("rating").rows == original.field("rating").rows
    assert "unsure" not in imported.field("plain").extra
