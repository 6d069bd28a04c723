"""A single choice shown as a dropdown (``style = "dropdown"``): a long list of Gemeinden as the phone's own picker.

Only the look changes: the answer is checked, stored, shown to conditions and counted as the same question drawn
as buttons. ``forms check`` refuses the style on a question that holds more than one answer, and XLSForm carries
it as ODK's ``appearance minimal``.
"""
from __future__ import annotations

import re
from io import BytesIO

import pytest
from form_folders import one_form
from openpyxl import load_workbook
from sqlalchemy import select

from proconnect.definitions import load_definition
from proconnect.extensions import db
from proconnect.responses.models import Answer
from proconnect.xlsform import read_xlsform, save_definition, write_xlsform
from staff_helpers import people, staff  # noqa: F401

DEFINITION = """
[form]
id = "betrieb"
version = 1
title = "Ihr Betrieb"

[[fields]]
id = "company_name"
type = "text"
label = "Name des Betriebs"
required = true

[[fields]]
id = "municipality"
type = "single"
label = "In welcher Gemeinde ist Ihr Betrieb?"
style = "dropdown"
required = true
choices = [
  { value = "westerstede", label = "Westerstede" },
  { value = "bad_zwischenahn", label = "Bad Zwischenahn" },
  { value = "edewecht", label = "Edewecht" },
  { value = "elsewhere", label = "Woanders" },
]

[[fields]]
id = "place"
type = "text"
label = "In welchem Ort ist Ihr Betrieb?"
show_if = "municipality == 'elsewhere'"

[[fields]]
id = "next"
type = "page"
label = "Ausbildung"

[[fields]]
id = "places"
type = "number"
label = "Wie viele Ausbildungsplätze?"
min = 0
"""


@pytest.fixture
def forms_dir(tmp_path):
    return one_form(tmp_path, "betrieb", DEFINITION)


def _select(html: str, name: str) -> str:
    m = re.search(rf'<select id="{name}" name="{name}"[^>]*>.*?</select>', html, re.S)
    assert m, f"no dropdown {name!r} on the page"
    return m.group(0)


def _chosen(html: str, name: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)" selected>', _select(html, name))


def test_the_question_is_one_labelled_dropdown_that_starts_with_please_choose(make_link, filler):
    f = filler(make_link("betrieb"))
    html = f.open().get_data(as_text=True)
    dropdown = _select(html, "municipality")
    assert '<label for="municipality">' in html
    assert re.findall(r'<option value="([^"]*)"', dropdown) == ["", "westerstede", "bad_zwischenahn", "edewecht",
                                                              "elsewhere"]
    assert '<option value="">Bitte wählen</option>' in dropdown
    assert _chosen(html, "municipality") == []
    assert 'type="radio"' not in html  # no buttons besides


@pytest.mark.parametrize("language, words, direction", [("ar", "يرجى الاختيار", "rtl"), ("uk", "Будь ласка, оберіть", "ltr"),
                                                        ("en", "Please choose", "ltr")])
def test_please_choose_is_in_the_links_language_and_direction(make_link, client, language, words, direction):
    html = client.get(f"/f/{make_link('betrieb', language=language)}").get_data(as_text=True)
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert f'<option value="">{words}</option>' in _select(html, "municipality")


def test_a_gemeinde_chosen_is_stored_like_a_button_answer_and_kept_when_going_back(app, make_link, filler):
    f = filler(make_link("betrieb"))
    f.open()
    assert f.post({"company_name": "Metallbau Geduld", "municipality": "edewecht"}).status_code == 200
    assert "Wie viele Ausbildungsplätze?" in f.text()
    f.post(nav="back")
    assert _chosen(f.page.get_data(as_text=True), "municipality") == ["edewecht"]
    f.post()
    assert f.post({"places": "2"}, nav="submit").status_code == 303
    with app.app_context():
        rows = db.session.execute(select(Answer.field_id, Answer.value_text)).all()
    assert ("municipality", "edewecht") in rows


def test_the_chosen_gemeinde_stays_chosen_when_the_page_comes_back_with_an_error(make_link, filler):
    f = filler(make_link("betrieb"))
    f.open()
    f.post({"company_name": "", "municipality": "bad_zwischenahn"})
    html = f.page.get_data(as_text=True)
    assert re.search(r'id="company_name-error">Bitte beantworten Sie diese Frage.<', html)
    assert _chosen(html, "municipality") == ["bad_zwischenahn"]


def test_please_choose_is_no_answer_so_a_required_dropdown_asks_for_one(make_link, filler):
    f = filler(make_link("betrieb"))
    f.open()
    response = f.post({"company_name": "Metallbau Geduld"})  # the dropdown sends its first option, ""
    assert response.status_code == 200
    assert ("municipality", "") in f.last_post.items(multi=True)
    html = f.page.get_data(as_text=True)
    assert '<p class="field-error" id="municipality-error">Bitte beantworten Sie diese Frage.</p>' in html
    assert 'aria-invalid="true"' in _select(html, "municipality")
    assert "Das ist keine der angebotenen Antworten." not in f.text()


def test_a_gemeinde_that_is_not_on_the_list_is_refused_in_the_links_language(app, make_link, filler):
    f = filler(make_link("betrieb"))
    f.open()
    response = f.post({"company_name": "Metallbau Geduld", "municipality": "berlin"})
    assert response.status_code == 400
    assert "Das ist keine der angebotenen Antworten." in f.text()
    assert "Wie viele Ausbildungsplätze?" not in f.text()
    f = filler(make_link("betrieb", language="ar"))
    f.open()
    f.post({"company_name": "Metallbau Geduld", "municipality": "<script>"})
    assert "هذه ليست من الإجابات المعروضة." in f.text()
    with app.app_context():
        assert db.session.scalars(select(Answer)).all() == []


def test_show_if_reads_the_dropdowns_answer(app, make_link, filler):
    f = filler(make_link("betrieb"))
    html = f.open().get_data(as_text=True)
    assert re.search(r'id="q-place" data-show-if="[^"]*elsewhere', html)
    for name, gemeinde in (("Hof Meyer", "elsewhere"), ("Tischlerei Rabe", "edewecht")):
        f = filler(make_link("betrieb"))
        f.open()
        f.post({"company_name": name, "municipality": gemeinde, "place": "Bremen"})
        assert f.post({"places": "0"}, nav="submit").status_code == 303
    with app.app_context():
        places = db.session.execute(select(Answer.value_long).where(Answer.field_id == "place")).all()
        gemeinden = db.session.scalars(select(Answer.value_text).where(Answer.field_id == "municipality")).all()
    # Hidden after Edewecht: neither required nor stored, as after a button.
    assert [p for p, in places] in (["Bremen"], ["Bremen", None], [None, "Bremen"])
    assert sorted(gemeinden) == ["edewecht", "elsewhere"]


def test_the_authoring_preview_draws_the_dropdown_in_the_chosen_language(app, people, staff):  # noqa: F811
    browser = staff("coord1")
    frame = browser.get("/staff/forms/betrieb/v1/preview/frame?language=fa&page=1").get_data(as_text=True)
    assert '<html lang="fa" dir="rtl">' in frame
    assert '<option value="">لطفاً انتخاب کنید</option>' in _select(frame, "municipality")


def _one_question(tmp_path, ftype: str, extra: str) -> str:
    return one_form(tmp_path / "check", "survey", f"""
[form]
id = "survey"
version = 1
title = "Umfrage"

[[fields]]
id = "answer"
type = "{ftype}"
label = "Frage"
style = "dropdown"
{extra}
""")


@pytest.mark.parametrize("ftype, extra, others", [
    ("multiple", 'choices = [{ value = "a", label = "A" }, { value = "b", label = "B" }]', "'list', 'cards', 'faces'"),
    ("scale", "points = 5", "'list', 'cards', 'faces'"),
    ("matrix", 'points = 5\nrows = [{ id = "a", label = "A" }]', "'list', 'cards', 'faces'"),
])
def test_forms_check_refuses_a_dropdown_on_a_question_with_more_than_one_answer_or_points(runner, tmp_path, ftype,
                                                                                         extra, others):
    folder = _one_question(tmp_path, ftype, extra)
    result = runner.invoke(args=["forms", "check", str(folder)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"forms/survey/v1.toml:11: answer: style 'dropdown' is only for a single question; "
        f"a {ftype} question takes one of: {others}")


def test_forms_check_takes_a_dropdown_on_a_single_choice(runner, tmp_path):
    folder = _one_question(tmp_path, "single", 'choices = [{ value = "a", label = "A" }, { value = "b", label = "B" }]')
    result = runner.invoke(args=["forms", "check", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["OK survey v1"]


def test_forms_check_refuses_a_dropdown_whose_choices_have_pictures(runner, tmp_path):
    folder = _one_question(tmp_path, "single", 'choices = [{ value = "metal", label = "Metall", image = "metal.svg" }, '
                                               '{ value = "wood", label = "Holz" }]')
    (folder / "survey" / "metal.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    result = runner.invoke(args=["forms", "check", str(folder)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "forms/survey/v1.toml:11: answer: 'style' must be 'list' or 'cards' for choices with pictures (metal): "
        "a dropdown shows none, got 'dropdown'")


def test_an_xlsform_round_trip_keeps_the_dropdown_as_appearance_minimal(forms_dir):
    original = load_definition(forms_dir / "betrieb" / "v1.toml")
    content, left_out = write_xlsform(original)
    assert left_out == []
    survey = load_workbook(BytesIO(content))["survey"]
    header = [c.value for c in survey[1]]
    rows = [dict(zip(header, (c.value for c in row))) for row in survey.iter_rows(min_row=2)]
    assert next(r for r in rows if r["name"] == "municipality")["appearance"] == "minimal"

    conversion = read_xlsform(content, "betrieb")
    assert conversion.problems == []
    path, problems = save_definition(conversion, forms_dir, roles=None)
    assert problems == []
    imported = load_definition(path)
    assert imported.field("municipality").style == "dropdown"
    assert imported.field("municipality").choices == original.field("municipality").choices
