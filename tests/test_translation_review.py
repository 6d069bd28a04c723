"""A native-speaker reviewer gets a sheet (German | translation | correction | note), fills it in a
spreadsheet, and the coordinator imports it back into the catalog."""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from proconnect.catalogs.review import import_review, review_sheet

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def translations(tmp_path):
    directory = tmp_path / "translations"
    for lang in ("de", "ckb", "ti"):
        shutil.copytree(ROOT / "translations" / lang, directory / lang)
    return directory


def rows(sheet: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(sheet, newline="")))


def write_sheet(rows_: list[dict[str, str]], delimiter=",") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows_[0]), delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows_)
    return out.getvalue()


def translation(directory: Path, lang: str, msgid: str) -> str:
    with (directory / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f).get(msgid, context="competence-check")


def test_the_sheet_shows_each_question_of_the_newest_version_beside_its_translation(translations):
    sheet = rows(review_sheet(translations, "ckb", "competence-check"))
    by_german = {r["german"]: r for r in sheet}
    question = by_german["Was können Sie auf Deutsch?"]
    assert question["translation"] == "بە ئەڵمانی چی دەتوانن بکەن؟"
    assert question["where"] == "german_level (single): label"
    assert question["correction"] == question["note"] == ""
    # v2's wording is gone from the form (v3 asks with can-do sentences), and score labels are read by the
    # team, not by participants.
    assert "Wie gut können Sie Deutsch sprechen und verstehen?" not in by_german
    assert "Wie gut sprechen Sie Deutsch?" not in by_german
    assert not [r for r in sheet if "score" in r["where"]]
    assert len(sheet) == len(by_german) > 300


def test_a_correction_is_written_into_the_catalog_and_a_note_kept_as_a_comment(translations):
    sheet = rows(review_sheet(translations, "ti", "competence-check"))
    for row in sheet:
        if row["german"] == "Wie oft haben Sie das gemacht?":
            row["correction"] = "ብኸመይ ዝኣክል ተደጋጋሚ ገይርኩምዎ?"
            row["note"] = "'how many times' was the wrong question\nfor 'every day'"
        if row["german"] == "Sofort":
            row["note"] = "fine"
    result = import_review(translations, "ti", "competence-check", write_sheet(sheet))
    assert result.corrected == ["Wie oft haben Sie das gemacht?"] and not result.rejected
    message = translation(translations, "ti", "Wie oft haben Sie das gemacht?")
    assert message.string == "ብኸመይ ዝኣክል ተደጋጋሚ ገይርኩምዎ?"
    assert "review: 'how many times' was the wrong question for 'every day'" in message.user_comments
    assert "review: fine" in translation(translations, "ti", "Sofort").user_comments
    assert translation(translations, "ti", "Nie").string  # untouched rows stay


def test_a_sheet_saved_by_a_german_spreadsheet_with_semicolons_is_read(translations):
    sheet = rows(review_sheet(translations, "ckb", "competence-check"))
    for row in sheet:
        if row["german"] == "Sofort":
            row["correction"] = "یەکسەر"
    result = import_review(translations, "ckb", "competence-check", write_sheet(sheet, delimiter=";"))
    assert result.corrected == ["Sofort"]
    assert translation(translations, "ckb", "Sofort").string == "یەکسەر"


def test_a_row_whose_german_text_changed_is_reported_not_guessed(translations):
    before = (translations / "ckb" / "LC_MESSAGES" / "messages.po").read_bytes()
    sheet = write_sheet([{"where": "", "german": "Sofort!", "translation": "", "correction": "یەکسەر", "note": ""}])
    result = import_review(translations, "ckb", "competence-check", sheet)
    assert result.corrected == [] and result.rejected[0][0] == "Sofort!"
    assert (translations / "ckb" / "LC_MESSAGES" / "messages.po").read_bytes() == before


def test_a_sheet_without_the_review_columns_is_refused_with_its_reason(translations):
    with pytest.raises(ValueError, match="no column correction, note"):
        import_review(translations, "ckb", "competence-check", "german,translation\nSofort,x\n")


def test_the_commands_write_a_sheet_a_spreadsheet_opens_and_read_it_back(app, runner, translations, tmp_path):
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(translations)
    out = tmp_path / "ckb.csv"
    result = runner.invoke(args=["translations", "review-sheet", "ckb", "--out", str(out)])
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte order mark that makes spreadsheets read UTF-8
    sheet = rows(raw.decode("utf-8-sig"))
    for row in sheet:
        if row["german"] == "Sofort":
            row["correction"] = "یەکسەر"
    out.write_text(write_sheet(sheet), encoding="utf-8-sig")
    result = runner.invoke(args=["translations", "import-review", "ckb", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 correction(s) and 0 note(s)" in result.output
    assert translation(translations, "ckb", "Sofort").string == "یەکسەر"

    result = runner.invoke(args=["translations", "review-sheet", "xx", "--out", str(out)])
    assert result.exit_code != 0 and "no catalog for 'xx'" in result.output
