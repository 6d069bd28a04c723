"""Definitions in the instance folder: they continue the shipped numbering, a form's draft carries the next
number, ``forms check`` reads both folders, and a clash after an upgrade is an error with its place."""
from __future__ import annotations

from pathlib import Path

from proconnect import create_app
from proconnect.definitions import forms_registry
from proconnect.definitions.drafts import numbered, save_draft
from proconnect.definitions.errors import ErrorCode
from proconnect.extensions import db

SURVEY = Path(__file__).parent / "fixtures" / "forms" / "survey" / "v2.toml"


def _instance(app) -> Path:
    return Path(app.config["INSTANCE_FORMS_DIR"])


def _write(app, form_id: str, name: str, version: int, text: str | None = None) -> Path:
    path = _instance(app) / form_id / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(numbered(text or SURVEY.read_text(), version))
    return path


def test_forms_check_reads_the_instance_versions_and_the_draft_with_the_shipped_ones(app, runner):
    _write(app, "survey", "v3.toml", 3)
    _write(app, "survey", "draft.toml", 4)
    result = runner.invoke(args=["forms", "check"])
    assert result.exit_code == 0, result.output
    assert "OK survey v2" in result.output and "OK survey v3" in result.output
    assert "OK survey v4 (draft)" in result.output


def test_an_upgrade_that_ships_a_number_the_instance_published_is_a_clear_error(app, runner):
    # The instance published its v2 of "survey" while the shipped forms had only v1; now v2 ships too.
    path = _write(app, "survey", "v2.toml", 2)
    result = runner.invoke(args=["forms", "check"])
    assert result.exit_code == 1
    place = f"{path.parent.parent.parent.name}/forms/survey/v2.toml:1: -: "
    assert place + ErrorCode.VER_004.format(version=2, form="survey", other="forms/survey/v2.toml",
                                            next_version=3) in result.output


def test_a_draft_whose_number_a_newer_version_took_must_be_uploaded_again(app, runner):
    path = _write(app, "survey", "draft.toml", 2)
    result = runner.invoke(args=["forms", "check"])
    assert result.exit_code == 1
    assert (f"{path.parent.parent.parent.name}/forms/survey/draft.toml:1: -: this draft says version 2, but the next "
            "version of 'survey' is v3 (v2 is forms/survey/v2.toml). Upload it again: it becomes v3") in result.output


def test_forms_list_names_the_draft(app, runner):
    save_draft(_instance(app), "survey", numbered(SURVEY.read_text(), 3))
    lines = [line.split() for line in runner.invoke(args=["forms", "list"]).output.splitlines()]
    assert ["v3", "draft", "0", "responses", "2", "questions"] in lines


def test_an_instance_version_of_a_shipped_form_uses_the_shipped_pictures(app, runner):
    shipped = Path(app.config["FORMS_DIR"]) / "everything" / "v1.toml"
    _write(app, "everything", "v2.toml", 2, shipped.read_text())
    result = runner.invoke(args=["forms", "check"])
    assert result.exit_code == 0, result.output
    assert "OK everything v2" in result.output


def test_another_worker_sees_a_new_draft_and_a_hand_broken_file_does_not_take_the_forms_away(app, tmp_path):
    other = create_app({**app.config, "TESTING": True})
    with other.app_context():
        before = forms_registry(other)
        assert before.get("survey", 3) is None
    save_draft(_instance(app), "survey", numbered(SURVEY.read_text(), 3))
    with other.app_context():
        assert forms_registry(other).get("survey", 3).draft
        assert forms_registry(other).get("survey").version == 2
    (_instance(app) / "survey" / "v3.toml").write_text("[form\n")
    save_draft(_instance(app), "survey", numbered(SURVEY.read_text(), 3))
    with other.app_context():
        # The broken file is logged; the forms read before stay.
        assert forms_registry(other).get("survey", 3).draft
        db.engine.dispose()
