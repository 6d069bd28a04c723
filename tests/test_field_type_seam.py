"""A field type is one class: a new type, defined here and nothing else, works from the definition file to the
GDPR export — forms check, the form page, storage, the staff correction page, counting, CSV/XLSX with codebook, the
PDF report, demo data."""
from __future__ import annotations

import csv
import io
import random
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice
from form_folders import one_form

from proconnect import fieldtypes
from proconnect.cohorts.models import Cohort
from proconnect.definitions import forms_registry
from proconnect.definitions.errors import ErrorCode
from proconnect.extensions import db
from proconnect.fieldtypes import FieldType, Summary
from proconnect.fieldtypes.formfields import ChoiceField
from proconnect.fieldtypes.keys import INT
from proconnect.privacy.export import participant_data, participant_pdf
from proconnect.reports.aggregation import Filters
from proconnect.reports.builder import build_cohort_report
from proconnect.reports.demo import random_answers
from proconnect.reports.exports import csv_chunks, write_xlsx
from proconnect.reports.render import cohort_pdf
from proconnect.responses.models import Answer, Response
from staff_helpers import people, staff  # noqa: F401
from test_reports_pdf import pdf_text


class StarsType(FieldType):
    """A rating from 1 to ``stars`` (3 to 10) stars: stored and counted as a number, written as "4/5"."""

    name = "stars"
    keys = {"stars": INT}
    needs = ("label", "stars")
    aggregation = "number"
    scored = True
    widget = "options"

    def check(self, values):
        n = values.get("stars")
        return [("stars", "a whole number from 3 to 10", n)] if n is not None and not 3 <= n <= 10 else []

    def options(self, f):
        return list(range(1, f.extra["stars"] + 1))

    def make(self, f, label, t, validators):
        return ChoiceField(label, validators, coerce=int, choices=[SelectChoice(n, str(n)) for n in self.options(f)])

    def columns(self, value):
        return {"value_num": float(value)}

    def text(self, f, value, tr=str):
        return f"{int(value)}/{f.extra['stars']}"

    def codebook_values(self, f, choices):
        return f"1-{f.extra['stars']} stars"

    def summary(self, f, tr, choices, rows):
        return Summary("number", points=tuple((n, self.text(f, n)) for n in self.options(f)),
                       scale=(1, f.extra["stars"]))

    def demo_value(self, f, demo):
        return demo.rng.randint(1, f.extra["stars"])


DEFINITION = '''[form]
id = "course-feedback"
version = 1
title = "Kursrückmeldung"

[[fields]]
id = "participant_code"
type = "text"
label = "Ihr Code"

[[fields]]
id = "course"
type = "stars"
label = "Wie gut war der Kurs?"
stars = 5
required = true
'''
QUESTION = "Wie gut war der Kurs?"


@pytest.fixture
def stars_type():
    handler = fieldtypes.register(StarsType())
    try:
        yield handler
    finally:
        fieldtypes.unregister("stars")


@pytest.fixture
def forms_dir(stars_type, tmp_path) -> Path:
    """The forms the app starts with: one instrument using the new type (registered before the app loads it)."""
    return one_form(tmp_path, "course-feedback", DEFINITION)


@pytest.fixture
def answered(app, make_link, filler):
    """Two people rated the course through the form page: 4 and 2 stars."""
    token = make_link(form_id="course-feedback")
    for code, stars in (("K7Q2-XM4P", "4"), ("B8M3-QR2T", "2")):
        f = filler(token)
        f.open()
        assert f.post({"participant_code": code, "course": stars}, nav="submit").status_code == 303
    with app.app_context():
        return db.session.scalar(select(Cohort.id))


def test_forms_check_accepts_the_new_type_and_names_a_bad_key(runner, forms_dir, tmp_path):
    assert runner.invoke(args=["forms", "check", str(forms_dir)]).output.splitlines()[0] == "OK course-feedback v1"
    bad = tmp_path / "bad" / "course-feedback"
    bad.mkdir(parents=True)
    (bad / "v1.toml").write_text(DEFINITION.replace("stars = 5", "stars = 20\ncolour = \"gold\""), encoding="utf-8")
    result = runner.invoke(args=["forms", "check", str(bad.parent)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"bad/course-feedback/v1.toml:16: course: {ErrorCode.KEY_001.format(key='colour', hint='')}" in lines
    assert ("bad/course-feedback/v1.toml:15: course: "
            f"{ErrorCode.KEY_003.format(key='stars', expected='a whole number from 3 to 10', got=20)}") in lines


def test_the_form_page_shows_the_stars_and_a_submission_stores_a_number(app, make_link, filler):
    f = filler(make_link(form_id="course-feedback"))
    page = f.open().get_data(as_text=True)
    assert QUESTION in page
    assert [v for k, v in _radio_values(page) if k == "course"] == ["1", "2", "3", "4", "5"]
    # A show_if in the browser compares its answer as a number, as the server does.
    assert re.search(r'id="q-course"[^>]* data-value="number"', page)
    assert f.post({"participant_code": "K7Q2-XM4P", "course": "4"}, nav="submit").status_code == 303
    with app.app_context():
        assert db.session.scalars(select(Answer.value_num).where(Answer.field_id == "course")).all() == [4.0]


def test_a_value_the_page_did_not_offer_is_refused(app, make_link, filler):
    f = filler(make_link(form_id="course-feedback"))
    f.open()
    assert f.post({"participant_code": "K7Q2-XM4P", "course": "9"}, nav="submit").status_code == 400
    with app.app_context():
        assert db.session.scalars(select(Answer)).all() == []


def test_staff_correct_it_on_a_page_that_draws_the_stars_as_the_form_does(app, people, staff, answered):  # noqa: F811
    with app.app_context():
        response_id = db.session.scalar(select(Response.id).filter_by(participant_code="K7Q2-XM4P"))
    coordinator = staff("coord1")
    url = f"/staff/cohorts/ol-2027/responses/{response_id}/correct"
    page = coordinator.get(f"{url}?field=course").get_data(as_text=True)
    assert [v for k, v in _radio_values(page) if k == "course"] == ["1", "2", "3", "4", "5"]
    assert re.findall(r'name="course" value="(\d)"\s*checked', page) == ["4"]
    assert coordinator.post(url, {"field": "course", "course": "5", "correction_reason": "Vertippt"}).status_code == 302
    with app.app_context():
        stars = select(Answer.value_num).filter_by(response_id=response_id, field_id="course")
        assert db.session.scalars(stars).all() == [5.0]


def test_the_database_counts_it_and_the_pdf_report_summarises_it(app, answered, tmp_path):
    with app.app_context():
        report = build_cohort_report(forms_registry(app), db.session.get(Cohort, answered), Filters(answered))
        pdf = cohort_pdf(report)
    question = next(q for s in report.sections for q in s.questions if q.id == "course")
    assert question.kind == "number" and question.numeric.n == 2 and question.numeric.mean == 3
    assert [(b.label, b.count) for b in question.numeric.bars] == [("1/5", 0), ("2/5", 1), ("3/5", 0), ("4/5", 1),
                                                                   ("5/5", 0)]
    text = pdf_text(pdf, tmp_path, layout=False)
    assert QUESTION in text and "4/5" in text and "Mittelwert 3,00 (Skala 1–5)" in text


def test_csv_and_xlsx_export_it_with_its_codebook_entry(app, answered, tmp_path):
    with app.app_context():
        text = "".join(csv_chunks(forms_registry(app), Filters(answered), "course-feedback"))
        write_xlsx(forms_registry(app), Filters(answered), ["course-feedback"], tmp_path / "all.xlsx")
    assert [r["course"] for r in csv.DictReader(io.StringIO(text[1:]))] == ["4", "2"]
    book = load_workbook(tmp_path / "all.xlsx")
    assert [row[-1] for row in book["course-feedback"].values] == ["course", 4, 2]
    codebook = {row[1]: row for row in book["codebook"].values}
    assert codebook["course"] == ("course-feedback", "course", QUESTION, "stars", "1-5 stars", "v1")


def test_the_gdpr_export_shows_the_answer_as_text(app, answered, tmp_path):
    with app.test_request_context():
        cohort = db.session.get(Cohort, answered)
        data = participant_data(cohort, "K7Q2-XM4P")
        pdf = participant_pdf(cohort, "K7Q2-XM4P")
    answers = {a["name"]: a for a in data["responses"][0]["answers"]}
    assert answers["course"] == {"name": "course", "question": QUESTION, "answer": "4/5", "value": 4}
    text = pdf_text(pdf, tmp_path, layout=False)
    assert QUESTION in text and "4/5" in text


def test_demo_data_draws_stars_within_the_range(app):
    with app.app_context():
        definition = forms_registry(app).get("course-feedback")
    values = [random_answers(definition, random.Random(seed))[0]["course"] for seed in range(30)]
    assert set(values) <= {None, 1, 2, 3, 4, 5} and len(set(values) - {None}) > 2


def _radio_values(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<input type="radio" id="[^"]+" name="([^"]+)" value="([^"]+)"', page)
