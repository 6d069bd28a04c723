"""XLSForm import and export: real XLSForms from pyxform's test suite, every shipped instrument round trip,
translations into the catalogs, and a problem per row instead of a traceback."""
from __future__ import annotations

import dataclasses
import shutil
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from openpyxl import Workbook, load_workbook
from pyxform.xls2xform import convert

from proconnect.definitions import load_definition, load_registry
from proconnect.definitions.registry import scan_forms
from proconnect.definitions.roles import ROLES
from proconnect.definitions.shared import SHARED_KEY
from proconnect.i18n import LANGUAGES
from proconnect.xlsform import catalog_texts, read_xlsform, save_definition, write_xlsform
from proconnect.xlsform.codes import XlsCode
from shipped_forms import FORMS as SHIPPED

ROOT = Path(__file__).resolve().parents[1]
PYXFORM_FORMS = Path(__file__).parent / "fixtures" / "xlsforms"

#: The example forms of pyxform's test suite that import (and pass forms check) as they are.
IMPORTED = {"extra_columns.xlsx", "field-list.xlsx", "specify_other.xlsx", "survey_no_name.xlsx",
            "text_and_integer.xlsx", "yes_or_no_question.xlsx"}
#: The others, each refused with every row that does not map (all of them for the short ones).
REFUSED = {
    "calculate.xls": [
        "survey row 2: type 'calculate' is not supported: only a sum or a mean of answers becomes a score, not "
        "'2' (a score adds answers: ${a} + ${b})",
        "survey row 3: the note \"2+2 = ${calculate_test}\" shows an answer (${calculate_test}); proconnect's "
        "texts cannot include answers",
        "survey row 4: type 'calculate' is not supported: only a sum or a mean of answers becomes a score, not "
        "'if(${calculate_test_output} = ${calculate_test_output}, 'success', 'error')' (a score adds answers: "
        "${a} + ${b})",
        "survey row 5: the note \"${calculate_test_2}\" shows an answer (${calculate_test_2}); proconnect's "
        "texts cannot include answers",
    ],
    "case_insensitivity.xlsx": [
        "choices row 2: choice name 'n1-c' of list 'c1' is not a valid value: use lower-case letters, digits and "
        "single underscores, starting with a letter, e.g. 'n1_c'",
        "choices row 3: choice name 'n2-c' of list 'c1' is not a valid value: use lower-case letters, digits and "
        "single underscores, starting with a letter, e.g. 'n2_c'",
        "survey row 3: type 'select_one_external c1' is not supported",
        "survey row 4: type 'osm c1' is not supported",
        "survey: no question maps onto proconnect's field types",
    ],
    "choice_filter_test.xlsx": [
        f"survey row {row}: choice_filter \"{expression}\" is not supported: proconnect's choices do not depend on "
        "earlier answers (a filter on the choices' own columns, such as pastel = 'yes', is applied once, at import)"
        for row, expression in ((3, "${state}=cf"), (4, "${county}=cf"))
    ],
    "group.xlsx": ["survey row 4: type 'phone number' is not supported"],
    "hidden.xls": ["survey row 2: type 'hidden' is not supported",
                   "survey: no question maps onto proconnect's field types"],
    "or_other.xlsx": [
        "survey row 3: choice_filter \"pastel=yes\" is not supported: 'yes' is a column, not a value (a value is "
        "quoted: pastel = 'yes')",
    ],
    "tutorial.xls": [
        "survey row 2: type 'begin repeat' is not supported: proconnect asks each question once; the 10 "
        "question(s) inside it are left out",
        "survey: no question maps onto proconnect's field types",
    ],
    # Dozens of rows each; a few of them are named below.
    "attribute_columns_test.xlsx": None,
    "flat_xlsform_test.xlsx": None,
}


def xlsform(survey: list[list], choices: list[list] | None = None, settings: list[list] | None = None) -> bytes:
    """An .xlsx with the given sheets (each a header row, then rows)."""
    book = Workbook()
    for index, (name, rows) in enumerate((("survey", survey), ("choices", choices), ("settings", settings))):
        if rows is None:
            continue
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = name
        for row in rows:
            sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def messages(conversion) -> list[str]:
    return [str(p) for p in conversion.blocking]


def test_every_xlsform_of_pyxforms_suite_is_either_imported_or_refused_here():
    files = {p.name for p in PYXFORM_FORMS.iterdir() if p.suffix in (".xls", ".xlsx")}
    assert files == IMPORTED | set(REFUSED)
    assert (PYXFORM_FORMS / "LICENSE-pyxform.txt").is_file()


@pytest.mark.parametrize("name", sorted(IMPORTED))
def test_an_xlsform_that_maps_imports_and_passes_forms_check(name, tmp_path):
    form_id = Path(name).stem.lower().replace("_", "-")
    conversion = read_xlsform(PYXFORM_FORMS / name, form_id)
    assert conversion.blocking == []
    path, problems = save_definition(conversion, tmp_path / "forms", name)
    assert problems == []
    assert path == tmp_path / "forms" / form_id / "v1.toml"
    registry = load_registry(tmp_path / "forms")
    assert registry.get(form_id).answer_fields


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_an_xlsform_that_does_not_map_is_refused_with_its_rows(name):
    conversion = read_xlsform(PYXFORM_FORMS / name, "imported")
    assert conversion.data is None
    assert conversion.blocking
    assert all(p.row > 0 for p in conversion.blocking if p.code != XlsCode.XLS_012)
    if REFUSED[name] is not None:
        assert messages(conversion) == REFUSED[name]


def test_the_long_test_forms_name_each_kind_of_problem_with_its_row():
    found = messages(read_xlsform(PYXFORM_FORMS / "flat_xlsform_test.xlsx", "imported"))
    for expected in (
        "survey row 3: relevant \"regex(${address}, '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,4}')\" is not "
        "supported: the function regex() has no equivalent in show_if",
        "survey row 4: column 'label::chinese': language 'chinese' is not one of proconnect's languages "
        "(de, en, ar, fa, uk, ru, tr, ti, kmr, ps, ckb)",
        "survey row 14: constraint \". <= ${a_integer}\" is not supported: '. <= ${a_integer}' (a limit must be a "
        "number or a date)",
        "survey row 21: name 'label-test' is not a valid id: use lower-case letters, digits and single "
        "underscores, starting with a letter, e.g. 'label_test'",
        "survey row 34: type 'geopoint' is not supported",
        "survey row 35: type 'barcode' is not supported",
        "survey row 36: type 'image' is not supported",
        "survey row 37: type 'audio' is not supported",
    ):
        assert expected in found
    repeat = messages(read_xlsform(PYXFORM_FORMS / "attribute_columns_test.xlsx", "imported"))
    assert ("survey row 15: type 'begin repeat' is not supported: proconnect asks each question once; the 7 "
            "question(s) inside it are left out") in repeat


def test_the_command_with_lenient_imports_the_rest_and_lists_what_was_left_out(tmp_path, runner, app):
    result = runner.invoke(args=["forms", "import-xlsform", str(PYXFORM_FORMS / "tutorial.xls"), "--id", "household",
                                 "--out", str(tmp_path), "--lenient"])
    assert result.exit_code == 1  # a repeat was all there was: nothing is left to import
    assert "tutorial.xls: survey row 2: type 'begin repeat' is not supported" in result.output
    assert "tutorial.xls: survey: no question maps onto proconnect's field types" in result.output
    assert not (tmp_path / "household").exists()
    result = runner.invoke(args=["forms", "import-xlsform", str(PYXFORM_FORMS / "group.xlsx"), "--id", "family",
                                 "--out", str(tmp_path), "--lenient"])
    assert result.exit_code == 0, result.output
    assert "Left out (1):\n  survey row 4: type 'phone number' is not supported\n" in result.output
    assert "note: group.xlsx: settings: 'form_title' is not carried over" in result.output
    assert (tmp_path / "family" / "v1.toml").is_file()


def test_lenient_keeps_what_maps_and_lists_what_was_left_out(tmp_path):
    conversion = read_xlsform(PYXFORM_FORMS / "group.xlsx", "family", lenient=True)
    assert messages(conversion) == ["survey row 4: type 'phone number' is not supported"]
    assert [(f["id"], f["type"]) for f in conversion.data["fields"]] == [
        ("family_name", "text"), ("father", "page"), ("age", "number")]
    path, problems = save_definition(conversion, tmp_path, "group.xlsx")
    assert problems == [] and load_definition(path).field("age").step == 1


SURVEY = [
    ["type", "name", "label", "label::Arabic (ar)", "hint", "hint::ar", "relevant", "constraint", "required",
     "appearance"],
    ["begin group", "about", "Über Sie", "عنك", "Zuerst ein paar Fragen zu Ihnen.", None, None, None, None, None],
    ["text", "name", "Ihr Name", "اسمك", "Nur der Vorname", "الاسم الأول فقط", None,
     "string-length(.) <= 40", "yes", None],
    ["integer", "age", "Wie alt sind Sie?", "كم عمرك؟", None, None, None, ". >= 16 and . <= 99", None, None],
    ["select_multiple langs", "langs", "Welche Sprachen sprechen Sie?", None, None, None, None,
     "count-selected(.) <= 2", None, None],
    ["select_one yn", "german", "Sprechen Sie Deutsch?", None, None, None, "selected(${langs}, 'de')", None, None,
     None],
    ["text", "story", "Erzählen Sie", None, None, None, "${german} = 'yes' and ${age} >= 18", None, None,
     "multiline"],
    ["end group", None, None, None, None, None, None, None, None, None],
    ["date", "arrival", "Wann sind Sie angekommen?", None, None, None, None, ". <= today()", None, None],
    ["acknowledge", "consent", "Ich bin einverstanden", None, "Wir speichern Ihre Antworten.", None, None, None,
     "yes", None],
]
CHOICES = [["list_name", "name", "label", "label::Arabic (ar)"],
           ["langs", "de", "Deutsch", "الألمانية"], ["langs", "ar", "Arabisch", "العربية"],
           ["langs", "fa", "Persisch", None],
           ["yn", "yes", "Ja", None], ["yn", "no", "Nein", None]]
SETTINGS = [["form_title", "default_language"], ["Erstgespräch", "German (de)"]]


def test_the_supported_types_conditions_and_limits_become_a_definition(tmp_path):
    conversion = read_xlsform(xlsform(SURVEY, CHOICES, SETTINGS), "intake")
    assert conversion.problems == []
    path, problems = save_definition(conversion, tmp_path, "intake.xlsx")
    assert problems == []
    d = load_definition(path)
    assert (d.title, d.language) == ("Erstgespräch", "de")
    assert (d.pages[0].title, d.field("about").help) == ("Über Sie", "Zuerst ein paar Fragen zu Ihnen.")
    assert [(f.id, f.type) for f in d.fields] == [
        ("about", "page"), ("name", "text"), ("age", "number"), ("langs", "multiple"), ("german", "yesno"),
        ("story", "longtext"), ("page_9", "page"), ("arrival", "date"), ("consent", "consent")]
    assert (d.field("name").max_length, d.field("name").required, d.field("name").help) == (40, True,
                                                                                             "Nur der Vorname")
    assert (d.field("age").min, d.field("age").max, d.field("age").step) == (16, 99, 1)
    assert d.field("langs").max_selected == 2
    assert d.field("german").show_if == "'de' in langs"
    assert d.field("story").show_if == "german == 'yes' and age >= 18"
    assert d.field("arrival").max == "today"
    assert (d.field("consent").label, d.field("consent").text) == ("Ich bin einverstanden",
                                                                   "Wir speichern Ihre Antworten.")


def test_a_translated_label_ends_up_in_the_catalog_of_its_language(tmp_path, runner, app):
    source = tmp_path / "intake.xlsx"
    source.write_bytes(xlsform(SURVEY, CHOICES, SETTINGS))
    catalogs = tmp_path / "translations"
    shutil.copytree(ROOT / "translations" / "ar", catalogs / "ar")
    result = runner.invoke(args=["forms", "import-xlsform", str(source), "--id", "intake", "--out",
                                 str(tmp_path / "forms"), "--translations", str(catalogs)])
    assert result.exit_code == 0, result.output
    assert f"ar: 6 text(s) added to {catalogs / 'ar' / 'LC_MESSAGES' / 'messages.po'}" in result.output
    with (catalogs / "ar" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f)
    assert catalog.get("Wie alt sind Sie?", context="intake").string == "كم عمرك؟"
    assert catalog.get("Nur der Vorname", context="intake").string == "الاسم الأول فقط"
    assert catalog.get("Deutsch", context="intake").string == "الألمانية"
    # The form's other texts are still there, untouched.
    assert catalog.get("Kompetenz-Check", context="competence-check").string == "فحص المهارات"


def test_without_the_flag_the_import_says_where_the_translations_go(tmp_path, runner, app):
    source = tmp_path / "intake.xlsx"
    source.write_bytes(xlsform(SURVEY, CHOICES, SETTINGS))
    result = runner.invoke(args=["forms", "import-xlsform", str(source), "--id", "intake", "--out",
                                 str(tmp_path / "forms")])
    assert result.exit_code == 0, result.output
    assert f"Wrote {tmp_path / 'forms' / 'intake' / 'v1.toml'}" in result.output
    assert ("Translations of its texts (ar: 6) go into translations/<lang>/LC_MESSAGES/messages.po with msgctxt "
            "\"intake\"; add them with --translations translations") in result.output
    # The next import is the next version.
    again = runner.invoke(args=["forms", "import-xlsform", str(source), "--id", "intake", "--out",
                                str(tmp_path / "forms")])
    assert again.exit_code == 0, again.output
    assert (tmp_path / "forms" / "intake" / "v2.toml").is_file()


def test_a_bad_relevant_is_reported_with_its_row_and_nothing_is_written(tmp_path, runner, app):
    survey = [["type", "name", "label", "relevant"],
              ["integer", "age", "Alter", None],
              ["text", "school", "Schule", "${age} > 5 and string-length(${age}) > 1"],
              ["text", "job", "Beruf", "${later} = 'x'"],
              ["text", "later", "Später", None],
              ["geopoint", "where", "Wo?", None]]
    source = tmp_path / "bad.xlsx"
    source.write_bytes(xlsform(survey))
    result = runner.invoke(args=["forms", "import-xlsform", str(source), "--id", "bad", "--out",
                                 str(tmp_path / "forms")])
    assert result.exit_code == 1
    assert ("bad.xlsx: survey row 3: relevant \"${age} > 5 and string-length(${age}) > 1\" is not supported: "
            "the function string-length() has no equivalent in show_if") in result.output
    assert ("bad.xlsx: survey row 4: relevant \"${later} = 'x'\" is not supported: ${later}, which is not an "
            "earlier question of this form") in result.output
    assert "bad.xlsx: survey row 6: type 'geopoint' is not supported" in result.output
    assert "3 problem(s) found; nothing was imported" in result.output
    # An upload page can mark the cell: sheet, row and column.
    assert [(p.sheet, p.row, p.column) for p in read_xlsform(source, "bad").blocking] == [
        ("survey", 3, "relevant"), ("survey", 4, "relevant"), ("survey", 6, "type")]
    assert "Traceback" not in result.output
    assert not (tmp_path / "forms").exists()


@pytest.mark.parametrize("content", [b"not a spreadsheet", b"PK\x03\x04 a broken .xlsx",
                                     b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 a broken .xls", b"type,name,label\n"])
def test_a_file_that_is_no_xlsform_is_one_clear_problem(content):
    conversion = read_xlsform(content, "x")
    assert conversion.data is None
    assert [p.code for p in conversion.problems] == [XlsCode.XLS_001]
    assert str(conversion.problems[0]).startswith("file: the file could not be read as an XLSForm")


def test_a_group_inside_a_page_puts_its_relevant_on_each_of_its_questions(tmp_path):
    survey = [["type", "name", "label", "relevant"],
              ["begin group", "work", "Arbeit", None],
              ["select_one yn", "worked", "Haben Sie gearbeitet?", None],
              ["begin group", "details", "Zu Ihrer Arbeit", "${worked} = 'yes'"],
              ["integer", "years", "Wie viele Jahre?", None],
              ["text", "trade", "In welchem Beruf?", "${years} > 1"],
              ["end group", None, None, None],
              ["end group", None, None, None]]
    conversion = read_xlsform(xlsform(survey, [["list_name", "name", "label"], ["yn", "yes", "Ja"],
                                               ["yn", "no", "Nein"]]), "work")
    assert conversion.blocking == []
    path, problems = save_definition(conversion, tmp_path)
    assert problems == []
    d = load_definition(path)
    assert [(f.id, f.type, f.show_if) for f in d.fields] == [
        ("work", "page", None), ("worked", "yesno", None), ("details", "note", "worked == 'yes'"),
        ("years", "number", "worked == 'yes'"), ("trade", "text", "(worked == 'yes') and (years > 1)")]


def test_a_choice_filter_on_the_choices_own_columns_keeps_the_choices_it_lets_through():
    survey = [["type", "name", "label", "choice_filter"],
              ["select_one colours", "pastel", "Welche Pastellfarbe?", "pastel = 'yes' and not(dark = 'yes')"]]
    choices = [["list_name", "name", "label", "pastel", "dark"],
               ["colours", "red", "Rot", "no", "no"], ["colours", "mauve", "Mauve", "yes", "no"],
               ["colours", "apricot", "Aprikose", "yes", "no"], ["colours", "plum", "Pflaume", "yes", "yes"],
               ["colours", "Not-An-Id", "Grau", "no", "no"]]
    conversion = read_xlsform(xlsform(survey, choices), "colours")
    assert conversion.blocking == []
    assert conversion.data["fields"][0]["choices"] == [{"value": "mauve", "label": "Mauve"},
                                                       {"value": "apricot", "label": "Aprikose"}]


def test_a_constraint_that_is_no_range_or_length_is_named():
    survey = [["type", "name", "label", "constraint"],
              ["decimal", "w", "Gewicht", ". > 3"],
              ["text", "t", "Text", "string-length(.) >= 3"]]
    assert messages(read_xlsform(xlsform(survey), "x")) == [
        "survey row 2: constraint \". > 3\" is not supported: '. > 3' (use >= with the limit itself)",
        "survey row 3: constraint \"string-length(.) >= 3\" is not supported: 'string-length(.) >= 3' (a text has "
        "a longest length only)",
    ]


def _same(a, b) -> list[str]:
    """The attributes in which two fields differ (the line and the wording of show_if do not count)."""
    a, b = dataclasses.replace(a, line=0, show_if=None), dataclasses.replace(b, line=0, show_if=None)
    return [f.name for f in dataclasses.fields(a) if getattr(a, f.name) != getattr(b, f.name)]


SHIPPED_VERSIONS = sorted((p.parent.name, p) for p in SHIPPED.glob("*/v*.toml"))


@pytest.mark.parametrize("form_id,path", SHIPPED_VERSIONS, ids=[f"{f}/{p.name}" for f, p in SHIPPED_VERSIONS])
def test_each_shipped_instrument_exported_as_xlsform_imports_to_the_same_definition(form_id, path, tmp_path):
    original = load_definition(path)
    texts = catalog_texts(ROOT / "translations", form_id, [c for c in LANGUAGES if c != original.language])
    content, left_out = write_xlsform(original, texts)
    assert left_out == []
    book = load_workbook(BytesIO(content))
    assert book.sheetnames == ["survey", "choices", "settings"]
    # Other XLSForm tools can read it: pyxform makes an XForm of it.
    assert "<h:html" in convert(xlsform=content, validate=False).xform
    conversion = read_xlsform(content, form_id)
    assert conversion.problems == []
    # Imported beside the versions there are, it is the next one, and passes their rules (types kept, roles).
    forms = tmp_path / "forms"
    shutil.copytree(path.parent, forms / form_id)
    # A form that offers another form's list (choices_of) is checked with that form beside it.
    sharing = {shared.split(".")[0] for shared in {f.extra.get(SHARED_KEY) for f in original.fields} - {None}}
    for role in sharing:
        shutil.copytree(SHIPPED / ROLES[role].default, forms / ROLES[role].default)
    # An older version brought back as the newest could no longer serve the form's instrument role (outcome v1
    # lacks the signed contract that v2 added for the 75 % target): only the newest is checked against roles. The
    # roles whose lists it offers stay (company survey v3 takes the check's Gemeinden).
    newest = max(int(p.stem[1:]) for p in path.parent.glob("v*.toml")) == int(path.stem[1:])
    imported_path, problems = save_definition(conversion, forms,
                                              roles=None if newest else dict.fromkeys(set(ROLES) - sharing))
    assert problems == []
    assert imported_path.name == f"v{len(list(path.parent.glob('v*.toml'))) + 1}.toml"
    imported = load_definition(imported_path)
    assert [f.id for f in imported.fields] == [f.id for f in original.fields]
    for before, after in zip(original.fields, imported.fields):
        assert _same(before, after) == [], before.id
    assert [dataclasses.replace(s, line=0) for s in imported.scores] == \
        [dataclasses.replace(s, line=0) for s in original.scores]
    assert (imported.title, imported.description, imported.language) == \
        (original.title, original.description, original.language)
    # Every translation of a text of this version comes back for the catalogs.
    used = _texts(original)
    back = {(t.language, t.msgid): t.msgstr for t in conversion.translations}
    for language, catalog in texts.items():
        for msgid, msgstr in catalog.items():
            if msgid in used and msgstr != msgid:
                assert back.get((language, msgid)) == msgstr, (language, msgid)


def _texts(d) -> set[str]:
    texts = {d.description}
    for f in d.fields:
        texts |= {f.label, f.help, f.text, f.unit, f.low, f.high, *f.labels}
        texts |= {c.label for c in f.choices + f.rows}
    for s in d.scores:
        texts |= {s.label, s.help}
    return texts - {""}


@pytest.mark.parametrize("forms_dir", [SHIPPED])
def test_the_export_command_writes_an_xlsform_with_a_column_per_language(tmp_path, runner, app):
    out = tmp_path / "check.xlsx"
    result = runner.invoke(args=["forms", "export-xlsform", "competence-check", "--version", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    survey = load_workbook(out)["survey"]
    header = [c.value for c in survey[1]]
    assert header[:4] == ["type", "name", "label", "label::English (en)"]
    assert "label::Arabic (ar)" in header
    assert runner.invoke(args=["forms", "export-xlsform", "no-such-form", "--out", str(out)]).exit_code == 2


def test_an_import_that_fails_forms_check_leaves_nothing_behind(tmp_path):
    survey = [["type", "name", "label", "image"], ["text", "name", "Name", "missing.png"]]
    conversion = read_xlsform(xlsform(survey), "pictures")
    path, problems = save_definition(conversion, tmp_path / "forms")
    assert path is None
    assert [str(p) for p in problems] == [
        "survey row 2: 'image' must be a file inside pictures/, got 'missing.png'"]
    assert scan_forms(tmp_path / "forms")[0].instruments == {}
