"""Instrument roles: the forms the code relies on, checked by `proconnect forms check` and at start-up."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from proconnect import create_app
from proconnect.definitions import DefinitionError
from proconnect.definitions.errors import ErrorCode
from proconnect.definitions.roles import ROLES

FORMS = Path(__file__).resolve().parent.parent / "forms"


@pytest.fixture
def forms_copy(tmp_path) -> Path:
    """The shipped instruments, copied to change one of them."""
    shutil.copytree(FORMS, tmp_path / "forms")
    return tmp_path / "forms"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def rename_outcome_status(forms: Path) -> Path:
    """The outcome form with its field ``status`` renamed to ``state`` (a valid form, but not for its role)."""
    outcome = forms / "outcome" / "v1.toml"
    edit(outcome, 'id = "status"\n', 'id = "state"\n')
    edit(outcome, 'show_if = "status in', 'show_if = "state in')
    return outcome


def field_line(path: Path, field_id: str) -> int:
    """The line of the ``[[fields]]`` table of a field, where the loader places it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    at = lines.index(f'id = "{field_id}"')
    return next(n for n in range(at, 0, -1) if lines[n - 1] == "[[fields]]")


def check(runner, app, directory: Path, **roles):
    app.config["INSTRUMENT_ROLES"] = roles
    return runner.invoke(args=["forms", "check", str(directory)])


def test_the_shipped_forms_serve_every_role(app, runner):
    result = check(runner, app, FORMS)
    assert result.exit_code == 0, result.output
    assert "role" not in result.output


def test_renaming_the_outcome_status_is_an_error_of_the_outcome_role_at_its_line(app, runner, forms_copy):
    outcome = rename_outcome_status(forms_copy)
    result = check(runner, app, forms_copy)
    assert result.exit_code == 1
    message = ErrorCode.ROLE_002.format(role="outcome", uses=ROLES["outcome"].uses, expected="single field",
                                        field="status", why="", hint=", did you mean 'state'?")
    line = field_line(outcome, "state")
    assert f"forms/outcome/v1.toml:{line}: status: {message}" in result.output
    assert "OK outcome v1" not in result.output and "OK competence-check v2" in result.output


def test_a_changed_type_and_a_missing_placed_value_are_errors_at_the_field(app, runner, forms_copy):
    outcome = forms_copy / "outcome" / "v1.toml"
    edit(outcome, '  { value = "svb_job", label', '  { value = "job", label')
    edit(outcome, 'id = "company"\ntype = "text"', 'id = "company"\ntype = "longtext"')
    result = check(runner, app, forms_copy)
    assert result.exit_code == 1
    uses = ROLES["outcome"].uses
    status_line = field_line(outcome, "status")
    assert (f"forms/outcome/v1.toml:{status_line}: status: " + ErrorCode.ROLE_004.format(
        role="outcome", uses=uses, what="choice", value="svb_job", field="status")) in result.output
    company_line = field_line(outcome, "company")
    assert (f"forms/outcome/v1.toml:{company_line}: company: "
            + ErrorCode.ROLE_003.format(role="outcome", uses=uses, field="company", expected="text",
                                        got="longtext")) in result.output


def test_a_new_trade_needs_its_years_question_in_the_competence_check(app, runner, forms_copy):
    check_v2 = forms_copy / "competence-check" / "v2.toml"
    edit(check_v2, '  { value = "none", label = "Ich habe noch nicht gearbeitet"',
         '  { value = "roofing", label = "Dach" },\n  { value = "none", label = "Ich habe noch nicht gearbeitet"')
    result = check(runner, app, forms_copy)
    assert result.exit_code == 1
    message = ErrorCode.ROLE_002.format(role="competence_check", uses=ROLES["competence_check"].uses,
                                        expected="number field", field="years_roofing",
                                        why=" (one for each choice of 'trades')", hint="")
    assert f"forms/competence-check/v2.toml:{field_line(check_v2, 'trades')}: years_roofing: {message}" in result.output


def test_a_role_pointed_at_a_missing_form_is_an_error(app, runner, forms_dir):
    result = check(runner, app, forms_dir, outcome="my-outcome", mentor_log=None)
    assert result.exit_code == 1
    assert ("forms/my-outcome:0: -: " + ErrorCode.ROLE_001.format(role="outcome", form="my-outcome", hint="")
            ) in result.output
    assert result.output.endswith("\n1 problem(s) found.\n")


def test_a_missing_default_form_only_leaves_its_features_off(app, runner, forms_dir):
    # The fixture forms have none of the roles' forms: no matching, no funnel, and no problem either.
    result = check(runner, app, forms_dir)
    assert result.exit_code == 0 and "role" not in result.output


def test_an_unknown_role_in_the_config_is_an_error(app, runner, forms_dir):
    result = check(runner, app, forms_dir, outcomes="outcome")
    assert result.exit_code == 1
    assert "INSTRUMENT_ROLES:0: outcomes: " in result.output and "did you mean 'outcome'?" in result.output


def test_a_form_that_fails_its_role_stops_start_up(tmp_path, forms_copy):
    rename_outcome_status(forms_copy)
    with pytest.raises(DefinitionError) as failed:
        create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "FORMS_DIR": str(forms_copy),
                    "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "t"})
    assert [(p.code, p.field) for p in failed.value.problems] == [(ErrorCode.ROLE_002, "status")]
