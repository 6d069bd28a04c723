"""The gettext catalogs as translators and the install step meet them: valid, compilable, complete, with fonts."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Message
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from proconnect.catalogs.extract import extract_forms
from proconnect.catalogs.status import STAFF_UI, UI, section, translations_status
from proconnect.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "translations"
FONTS = ROOT / "proconnect" / "static" / "fonts"
PYBABEL = Path(sys.executable).with_name("pybabel")
DRAFTS = {"ti", "kmr", "ps", "ckb"}
FINAL = set(LANGUAGES) - DRAFTS
CATALOGS = {lang: TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po" for lang in LANGUAGES}


def catalog(lang):
    with CATALOGS[lang].open("rb") as f:
        return read_po(f)


def template():
    with (TRANSLATIONS / "messages.pot").open("rb") as f:
        return read_po(f)


@pytest.fixture(scope="module")
def msgfmt():
    path = shutil.which("msgfmt")
    if path is None:
        pytest.fail("msgfmt is missing: run 'make test', which installs Debian's gettext")
    return path


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_catalog_passes_msgfmt_check_format(lang, msgfmt):
    result = subprocess.run([msgfmt, "-c", "--check-format", "-o", "/dev/null", str(CATALOGS[lang])],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_catalog_compiles_with_pybabel(lang, tmp_path):
    mo = tmp_path / "messages.mo"
    result = subprocess.run([str(PYBABEL), "compile", "-i", str(CATALOGS[lang]), "-o", str(mo), "-l", lang],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    # A catalog whose header is marked fuzzy is skipped silently, leaving the language untranslated.
    assert mo.stat().st_size > 1000, result.stderr


def test_a_broken_placeholder_is_caught_by_msgfmt(tmp_path, msgfmt):
    text = CATALOGS["ar"].read_text(encoding="utf-8")
    broken = tmp_path / "messages.po"
    broken.write_text(text.replace('"الصفحة %(position)s من %(total)s"', '"الصفحة %(position)s من %(totl)s"'),
                      encoding="utf-8")
    assert broken.read_text(encoding="utf-8") != text
    result = subprocess.run([msgfmt, "-c", "--check-format", "-o", "/dev/null", str(broken)],
                            capture_output=True, text=True)
    assert result.returncode != 0 and "argument 'total' doesn't exist" in result.stderr


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_forms_follow_babel_for_the_language(lang):
    cat = catalog(lang)
    assert cat.plural_forms == get_plural(lang).plural_forms
    for message in cat:
        if message.pluralizable and any(message.string):
            assert len(message.string) == cat.num_plurals, message.id


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_header_states_the_review_state(lang):
    expected = "draft, needs review by a native speaker" if lang in DRAFTS else "final"
    assert f"# Review-State: {expected}\n" in CATALOGS[lang].read_text(encoding="utf-8")


def untranslated(cat, messages) -> list:
    return [m.id for m in messages if (found := cat.get(m.id, context=m.context)) is None or found.fuzzy
            or not all(found.string if isinstance(found.string, tuple) else [found.string])]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_string_participants_read_is_translated(lang):
    assert untranslated(catalog(lang), [m for m in template() if m.id and section(m) == UI]) == []


def test_field_types_messages_count_as_participants_interface_and_their_staff_words_as_staff():
    def where(path):
        return section(Message("x", locations=[(path, 1)]))
    assert where("proconnect/fieldtypes/formfields.py") == UI and where("proconnect/fieldtypes/builtin.py") == UI
    assert where("proconnect/fieldtypes/staff_words.py") == STAFF_UI


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_staff_pages_are_translated_into_german_and_english(lang):
    assert untranslated(catalog(lang), [m for m in template() if m.id and section(m) == STAFF_UI]) == []


#: Where the wording of reports and of the handbook lives (templates and modules), English msgids all.
REPORT_SOURCES = ("proconnect/reports/", "proconnect/handbook/")


@pytest.fixture(scope="module")
def report_and_handbook_wording(tmp_path_factory) -> set[str]:
    """Every message of the report and handbook sources, extracted afresh as `make extract` does."""
    folder = tmp_path_factory.mktemp("extract")
    (folder / "babel.cfg").write_text("[python: proconnect/reports/**.py]\n[python: proconnect/handbook/**.py]\n"
                                      "[jinja2: proconnect/reports/**.html]\n[jinja2: proconnect/handbook/**.html]\n"
                                      "trimmed = true\n")
    result = subprocess.run([str(PYBABEL), "extract", "-F", str(folder / "babel.cfg"), "-k", "lazy_gettext", "-k", "_l",
                             "-k", "lazy_ngettext:1,2", "-o", str(folder / "out.pot"), "."], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with (folder / "out.pot").open("rb") as f:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_word_of_the_reports_and_the_handbook_is_in_german_and_english(lang, report_and_handbook_wording):
    # The PDFs in REPORT_LANGUAGES must come out complete: a new word without its German (or a catalog not
    # updated after it was added) fails here, not in a funder's hands.
    assert len(report_and_handbook_wording) > 100
    cat = catalog(lang)
    missing = [msgid for msgid in sorted(report_and_handbook_wording)
               if (m := cat.get(msgid)) is None or m.fuzzy or not all(m.string if isinstance(m.string, tuple)
                                                                       else [m.string])]
    assert missing == []


def test_the_wording_of_reports_and_handbook_counts_as_staff_interface():
    ours = [m for m in template() if m.id and any(p.startswith(REPORT_SOURCES) for p, _line in m.locations)]
    assert ours and {section(m) for m in ours if not m.context} <= {STAFF_UI, UI}
    # Only words that participants also read (yes, no, language) are part of their interface.
    shared = {m.id for m in ours if section(m) == UI}
    assert shared <= {"Yes", "No", "Language"}, shared


@pytest.mark.parametrize("lang", sorted(FINAL - {"de"}))
def test_final_languages_translate_the_whole_competence_check(lang):
    texts = [m for m in template() if m.context == "competence-check"]
    assert texts and untranslated(catalog(lang), texts) == []


def competence_check_translation(cat, msgid: str) -> str:
    message = cat.get(msgid, context="competence-check")
    assert message is not None, msgid
    return message.string


# "Wie oft?" is answered "Nie / Manchmal / Oft / Jeden Tag": a frequency, not a count ("how many times").
# Every language names the phrasing that asks for a frequency; a new language must add its own here.
HOW_OFTEN = {"en": "How often", "ar": "ما مدى تكرار", "fa": "هر چند وقت یک‌بار", "ps": "څومره ژر ژر",
             "ckb": "هەر چەند کات جارێک", "kmr": "çiqas pir", "ru": "Как часто", "uk": "Як часто",
             "tr": "ne sıklıkla", "ti": "ብኽንደይ ድግግም"}
# Phrasings that ask "how many times", found in the catalogs before: they must not come back.
HOW_MANY_TIMES = {"ar": "كم مرة", "fa": "چند بار", "ps": "څو ځله", "ckb": "چەند جار", "kmr": "çend caran",
                  "ti": "ክንደይ ግዜ", "en": "How many times", "ru": "Сколько раз", "uk": "Скільки разів",
                  "tr": "Kaç kez"}
FREQUENCY_QUESTION = "Wie oft haben Sie das gemacht?"


def frequency_problem(lang: str, translation: str) -> str | None:
    """What is wrong with a translation of the frequency question, or None."""
    if lang not in HOW_OFTEN:
        return f"no approved phrasing for 'how often' in {lang}: add one to HOW_OFTEN"
    if HOW_MANY_TIMES.get(lang) and HOW_MANY_TIMES[lang] in translation:
        return f"asks 'how many times' ({HOW_MANY_TIMES[lang]})"
    if HOW_OFTEN[lang] not in translation:
        return f"does not use the approved phrasing {HOW_OFTEN[lang]!r}"
    return None


@pytest.mark.parametrize("lang", sorted(set(LANGUAGES) - {"de"}))
def test_the_frequency_question_asks_how_often_not_how_many_times(lang):
    question = competence_check_translation(catalog(lang), FREQUENCY_QUESTION)
    assert frequency_problem(lang, question) is None


def test_the_frequency_check_names_the_tigrinya_count_question_it_was_written_for():
    # ti until December 2026: "ክንደይ ግዜ" is "how many times".
    assert frequency_problem("ti", "እዚ ክንደይ ግዜ ገይርኩምዎ?") == "asks 'how many times' (ክንደይ ግዜ)"
    assert frequency_problem("xx", "How often?").startswith("no approved phrasing")


@pytest.mark.parametrize("lang", sorted(set(LANGUAGES) - {"de", "en"}))
def test_the_school_levels_name_a_local_equivalent_of_the_abitur_not_the_german_word(lang):
    texts = [m.string for m in catalog(lang) if m.context == "competence-check" and "Abitur" in m.id]
    assert texts and not [t for t in texts if "Abitur" in t]


def test_where_ukrainian_gives_a_strength_in_both_genders_arabic_does_too():
    uk, ar = catalog("uk"), catalog("ar")
    strengths = [m.id for m in template() if m.context == "competence-check"
                 and any("strengths (multiple): choice" in c for c in m.auto_comments)]
    gendered = [s for s in strengths if " / " in competence_check_translation(uk, s)]
    assert gendered
    assert [s for s in gendered if "/" not in competence_check_translation(ar, s)] == []


# Sorani addresses the participant in the polite plural, as every other language does: no "you (singular)"
# verb forms such as "choose!", "you can", "you want", "write!", "you do".
SORANI_SINGULAR_YOU = ["هەڵبژێرە", "دەتوانیت", "دەتەوێت", "بنووسە", "دەکەیت", "بوویت", "بپشکنە", "بکەرەوە", "بیت "]


def test_sorani_addresses_the_participant_politely_in_the_competence_check_and_the_participants_pages():
    read_by_participants = [m for m in catalog("ckb") if section(m) in ("competence-check", UI)]
    singular = [m.id for m in read_by_participants
                if any(form in s for s in ([m.string] if isinstance(m.string, str) else m.string)
                       for form in SORANI_SINGULAR_YOU)]
    assert len(read_by_participants) > 400 and singular == []

# Mistakes a reviewer found, each with its correct meaning: they must not come back.
KNOWN_MISTRANSLATIONS = [
    ("ar", "Löcher und Risse spachteln", "معجنة", "a kneading trough, not filler"),
    ("ar", "Keinen", "لا شيء", "'nothing' instead of 'no driving licence'"),
    ("ar", "Wie gut können Sie Deutsch sprechen und verstehen?", "كيف تتكلم", "'how', not 'how well'"),
    ("tr", "In 3 Monaten", "içinde", "'within', not 'in three months'"),
    ("tr", "In 6 Monaten", "içinde", "'within', not 'in six months'"),
    ("tr", "In einem Jahr oder später", "içinde", "'within a year or later' contradicts itself"),
    ("ps", "In 3 Monaten", "په 3 میاشتو کې", "'within', not 'in three months'"),
    ("ps", "In einem Jahr oder später", "په یو کال کې", "'within a year or later' contradicts itself"),
    ("uk", "Mittlere Schule (bis etwa Klasse 9 oder 10)", "Середня школа", "complete secondary school"),
    ("ru", "Mittlere Schule (bis etwa Klasse 9 oder 10)", "Средняя школа", "complete secondary school"),
    ("uk", "Auch ohne Ausbildung. Auch kurz. Auch in der Familie. Wählen Sie alles, was passt.",
     "без освіти", "'without education', not 'without vocational training'"),
    ("tr", "Auch ohne Ausbildung. Auch kurz. Auch in der Familie. Wählen Sie alles, was passt.",
     "Eğitim olmadan", "'without education', not 'without vocational training'"),
    ("ps", "Auch ohne Ausbildung. Auch kurz. Auch in der Familie. Wählen Sie alles, was passt.",
     "پرته له زده کړې", "'without education', not 'without vocational training'"),
    ("kmr", "Auch ohne Ausbildung. Auch kurz. Auch in der Familie. Wählen Sie alles, was passt.",
     "Bê perwerde jî", "'without education', not 'without vocational training'"),
]


@pytest.mark.parametrize("lang, msgid, wrong, why", KNOWN_MISTRANSLATIONS,
                         ids=[f"{lang}: {why}" for lang, _, _, why in KNOWN_MISTRANSLATIONS])
def test_a_mistranslation_found_in_review_does_not_come_back(lang, msgid, wrong, why):
    translation = competence_check_translation(catalog(lang), msgid)
    assert translation and wrong not in translation, why


def test_the_placeholders_of_a_translation_are_those_of_its_source():
    pattern = re.compile(r"%\(\w+\)[sd]")
    for lang in LANGUAGES:
        for m in catalog(lang):
            if not m.id or not m.string:
                continue
            ids = m.id if isinstance(m.id, tuple) else (m.id,)
            strings = m.string if isinstance(m.string, tuple) else (m.string,)
            wanted = set(pattern.findall(ids[-1]))
            for s in strings:
                # A singular form may name the count in words ("one answer"), never an unknown placeholder.
                assert set(pattern.findall(s)) <= wanted, (lang, m.id, s)


EVERY_TYPE = b'''[form]
id = "probe"
version = 3
title = "Probe"
description = "Kurz"

[[fields]]
id = "name"
type = "text"
label = "Name"
help = "Nur der Vorname"

[[fields]]
id = "story"
type = "longtext"
label = "Erz\xc3\xa4hlen Sie"

[[fields]]
id = "years"
type = "number"
label = "Jahre"
unit = "Jahre"

[[fields]]
id = "trade"
type = "single"
label = "Beruf"
choices = [
  { value = "metal", label = "Metall" },
  { value = "wood", label = "Holz" },
]

[[fields]]
id = "skills"
type = "multiple"
label = "F\xc3\xa4higkeiten"
choices = [ { value = "weld", label = "Schwei\xc3\x9fen" }, { value = "saw", label = "S\xc3\xa4gen" } ]

[[fields]]
type = "page"
id = "p2"
label = "Interessen"

[[fields]]
id = "likes"
type = "scale"
label = "Ich baue gern."
points = 5
low = "gar nicht"
high = "sehr"

[[fields]]
id = "nps"
type = "scale"
label = "Empfehlen?"
points = 3
start = 0
labels = ["nein", "vielleicht", "ja"]

[[fields]]
id = "licence"
type = "yesno"
label = "F\xc3\xbchrerschein?"

[[fields]]
id = "start"
type = "date"
label = "Ab wann?"

[[fields]]
id = "often"
type = "matrix"
label = "Wie oft?"
points = 2
low = "nie"
high = "oft"
rows = [
  { id = "saw", label = "S\xc3\xa4gen" },
]

[[fields]]
id = "info"
type = "note"
text = "Fast fertig."

[[fields]]
id = "consent"
type = "consent"
label = "Einwilligung"
text = """Wir speichern.

Sie k\xc3\xb6nnen widerrufen."""

[[scores]]
id = "practical"
label = "Praktisch"
help = "Mittelwert"
method = "mean"
items = ["likes"]
'''


def test_the_extractor_yields_every_readable_text_with_the_form_as_context():
    messages = list(extract_forms(BytesIO(EVERY_TYPE), ["pgettext"], ["TRANSLATORS:"], {}))
    assert messages == [
        (4, "pgettext", ("probe", "Probe"), ["v3 form title"]),
        (5, "pgettext", ("probe", "Kurz"), ["v3 form description"]),
        (10, "pgettext", ("probe", "Name"), ["v3 name (text): label"]),
        (11, "pgettext", ("probe", "Nur der Vorname"), ["v3 name (text): help"]),
        (16, "pgettext", ("probe", "Erzählen Sie"), ["v3 story (longtext): label"]),
        (21, "pgettext", ("probe", "Jahre"), ["v3 years (number): label"]),
        (22, "pgettext", ("probe", "Jahre"), ["v3 years (number): unit"]),
        (22, "npgettext", ("unit", "Jahre", "Jahre"),
         ["v3 years (number): unit counted (the German is the plural; give each plural form)"]),
        (27, "pgettext", ("probe", "Beruf"), ["v3 trade (single): label"]),
        (29, "pgettext", ("probe", "Metall"), ["v3 trade (single): choice metal"]),
        (30, "pgettext", ("probe", "Holz"), ["v3 trade (single): choice wood"]),
        (36, "pgettext", ("probe", "Fähigkeiten"), ["v3 skills (multiple): label"]),
        (37, "pgettext", ("probe", "Schweißen"), ["v3 skills (multiple): choice weld"]),
        (37, "pgettext", ("probe", "Sägen"), ["v3 skills (multiple): choice saw"]),
        (42, "pgettext", ("probe", "Interessen"), ["v3 p2 (page): page title"]),
        (47, "pgettext", ("probe", "Ich baue gern."), ["v3 likes (scale): label"]),
        (49, "pgettext", ("probe", "gar nicht"), ["v3 likes (scale): lowest point"]),
        (50, "pgettext", ("probe", "sehr"), ["v3 likes (scale): highest point"]),
        (55, "pgettext", ("probe", "Empfehlen?"), ["v3 nps (scale): label"]),
        (58, "pgettext", ("probe", "nein"), ["v3 nps (scale): point 0"]),
        (58, "pgettext", ("probe", "vielleicht"), ["v3 nps (scale): point 1"]),
        (58, "pgettext", ("probe", "ja"), ["v3 nps (scale): point 2"]),
        (63, "pgettext", ("probe", "Führerschein?"), ["v3 licence (yesno): label"]),
        (68, "pgettext", ("probe", "Ab wann?"), ["v3 start (date): label"]),
        (73, "pgettext", ("probe", "Wie oft?"), ["v3 often (matrix): label"]),
        (75, "pgettext", ("probe", "nie"), ["v3 often (matrix): lowest point"]),
        (76, "pgettext", ("probe", "oft"), ["v3 often (matrix): highest point"]),
        (78, "pgettext", ("probe", "Sägen"), ["v3 often (matrix): row saw"]),
        (84, "pgettext", ("probe", "Fast fertig."), ["v3 info (note): text"]),
        (89, "pgettext", ("probe", "Einwilligung"), ["v3 consent (consent): label"]),
        (90, "pgettext", ("probe", "Wir speichern.\n\nSie können widerrufen."), ["v3 consent (consent): text"]),
        (96, "pgettext", ("probe", "Praktisch"), ["v3 score practical: label"]),
        (97, "pgettext", ("probe", "Mittelwert"), ["v3 score practical: help"]),
    ]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_unit_of_the_shipped_forms_is_counted_in_german_and_english(lang):
    units = {m.id[0] for m in template() if m.context == "unit"}
    shipped = {m.id for m in template() if m.context and m.context != "unit"
               and any("unit" in c and "counted" not in c for c in m.auto_comments)}
    assert shipped and units == shipped
    cat = catalog(lang)
    entries = {unit: cat.get(unit, context="unit") for unit in units}
    assert [unit for unit, m in entries.items() if m is None or not all(m.string)] == []
    assert entries["Jahre"].string == {"de": ("Jahr", "Jahre"), "en": ("year", "years")}[lang]


def test_a_broken_definition_stops_the_extraction_with_its_name():
    source = BytesIO(b'[form]\nid = "x"\ntitle = "unclosed\n')
    source.name = "forms/x/v1.toml"
    with pytest.raises(ValueError, match=r"^forms/x/v1.toml: "):
        list(extract_forms(source, ["pgettext"], [], {}))


def test_pybabel_extract_gives_msgctxt_and_translator_comments(tmp_path):
    forms = tmp_path / "forms" / "probe"
    forms.mkdir(parents=True)
    (forms / "v3.toml").write_bytes(EVERY_TYPE)
    (tmp_path / "babel.cfg").write_text((ROOT / "babel.cfg").read_text())
    result = subprocess.run([str(PYBABEL), "extract", "-F", "babel.cfg", "-o", "out.pot", "."], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    pot = (tmp_path / "out.pot").read_text(encoding="utf-8")
    assert ('#. v3 trade (single): choice metal\n#: forms/probe/v3.toml:29\nmsgctxt "probe"\nmsgid "Metall"\n'
            in pot)
    # One text used twice in a version is one message with both comments.
    assert '#. v3 skills (multiple): choice saw\n#. v3 often (matrix): row saw\n' in pot


def test_status_counts_translated_fuzzy_and_missing_per_language_and_form(tmp_path):
    (tmp_path / "messages.pot").write_text(
        'msgid ""\nmsgstr ""\n\nmsgid "Next"\nmsgstr ""\n\nmsgid "Back"\nmsgstr ""\n\n'
        'msgctxt "probe"\nmsgid "Beruf"\nmsgstr ""\n\nmsgctxt "probe"\nmsgid "Holz"\nmsgstr ""\n', encoding="utf-8")
    for lang, body in {
        "ti": '# Review-State: draft, needs review by a native speaker\nmsgid ""\nmsgstr ""\n'
              '"Language: ti\\n"\n\nmsgid "Next"\nmsgstr "ዝቕጽል"\n\n'
              '#, fuzzy\nmsgctxt "probe"\nmsgid "Beruf"\nmsgstr "ሞያ"\n',
        "de": '# Review-State: final\nmsgid ""\nmsgstr ""\n"Language: de\\n"\n\n'
              'msgid "Next"\nmsgstr "Weiter"\n\nmsgid "Back"\nmsgstr "Zurück"\n\n'
              'msgctxt "probe"\nmsgid "Beruf"\nmsgstr ""\n\nmsgctxt "probe"\nmsgid "Holz"\nmsgstr ""\n',
    }.items():
        folder = tmp_path / lang / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "messages.po").write_text(body, encoding="utf-8")
    de, ti = translations_status(tmp_path)
    assert (ti.language, ti.review) == ("ti", "draft, needs review by a native speaker")
    assert vars(ti.sections[UI]) == {"translated": 1, "fuzzy": 0, "missing": 1}
    # "Holz" is not in the Tigrinya catalog at all (not updated since the extraction): missing all the same.
    assert vars(ti.sections["probe"]) == {"translated": 0, "fuzzy": 1, "missing": 1}
    # German form texts are the source: nothing to translate.
    assert (de.review, vars(de.sections["probe"])) == ("final", {"translated": 2, "fuzzy": 0, "missing": 0})


def test_the_status_command_prints_every_language_with_its_review_state(runner):
    result = runner.invoke(args=["translations", "status"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for lang in LANGUAGES:
        state = "draft, needs review by a native speaker" if lang in DRAFTS else "final"
        assert f"{lang:<5} review: {state}" in lines
    assert re.search(r"^ +user interface +\d+ +0 +0$", result.output, re.MULTILINE)
    assert re.search(r"^ +competence-check +\d+ +\d+ +\d+$", result.output, re.MULTILINE)


def test_fonts_for_arabic_ethiopic_and_cyrillic_are_served_locally_with_their_licence():
    css = (FONTS / "fonts.css").read_text()
    files = re.findall(r'url\("([^"]+)"\)', css)
    assert {"NotoSansArabic-Regular.woff2", "NotoSansEthiopic-Regular.woff2",
            "NotoSans-Cyrillic-Regular.woff2"} <= set(files)
    assert all((FONTS / f).is_file() for f in files)
    assert "http" not in css
    assert "SIL Open Font License" in (FONTS / "OFL.txt").read_text()
    total = sum(p.stat().st_size for p in FONTS.glob("*.woff2"))
    assert total < 1_000_000, f"{total} bytes of fonts"
