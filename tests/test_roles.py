"""Instrument roles: the forms the code relies on, checked by `proconnect forms check` and at start-up."""
from __future__ import annotations

import random
import uuid
from datetime import date, datetime
from pathlib import Path

import pytest

from proconnect import create_app, forms_registry
from proconnect.cohorts.models import Cohort
from proconnect.definitions import DefinitionError, load_definition
from proconnect.definitions.errors import ErrorCode
from proconnect.definitions.roles import ROLES
from proconnect.links.models import Link
from proconnect.extensions import db
from proconnect.matching.engine import rank_places
from proconnect.matching.pipeline import pipeline
from proconnect.matching.rules import load_rules
from proconnect.matching.sources import company_offers, participant_profiles
from proconnect.reports.aggregation import Filters
from proconnect.reports.builder import build_cohort_report
from proconnect.reports.demo import random_answers
from proconnect.responses.storage import store_response
from form_folders import copy_of
from shipped_forms import FORMS


@pytest.fixture
def forms_copy(tmp_path) -> Path:
    """The shipped instruments, copied to change one of them."""
    return copy_of(FORMS, tmp_path)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def rename_outcome_status(forms: Path) -> Path:
    """The outcome form's newest version with its field ``status`` renamed to ``state`` (a valid form, but not
    for its role)."""
    outcome = forms / "outcome" / "v3.toml"
    edit(outcome, 'id = "status"\n', 'id = "state"\n')
    edit(outcome, 'show_if = "status in', 'show_if = "state in')
    edit(outcome, 'show_if = "status ==', 'show_if = "state ==')
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
    # Naming every role's form makes a missing one an error too.
    result = check(runner, app, FORMS, **{name: role.default for name, role in ROLES.items()})
    assert result.exit_code == 0, result.output
    assert "role" not in result.output


def test_no_module_but_the_roles_writes_a_role_form_id():
    package = Path(__file__).resolve().parent.parent / "proconnect"
    ids = {f'"{role.default}"' for role in ROLES.values()}
    written = [f"{path.relative_to(package)}: {form_id}" for path in package.rglob("*.py")
               if path.name != "roles.py" for form_id in ids if form_id in path.read_text(encoding="utf-8")]
    # The handbook has a page about training feedback whose slug happens to be the same word.
    assert written == ['handbook/pages.py: "training-feedback"']


def test_renaming_the_outcome_status_is_an_error_of_the_outcome_role_at_its_line(app, runner, forms_copy):
    outcome = rename_outcome_status(forms_copy)
    result = check(runner, app, forms_copy)
    assert result.exit_code == 1
    message = ErrorCode.ROLE_002.format(role="outcome", uses=ROLES["outcome"].uses, expected="single field",
                                        field="status", why="", hint=", did you mean 'state'?")
    line = field_line(outcome, "state")
    assert f"forms/outcome/v3.toml:{line}: status: {message}" in result.output
    assert "OK outcome v3" not in result.output and "OK competence-check v2" in result.output


def test_a_changed_type_and_a_missing_placed_value_are_errors_at_the_field(app, runner, forms_copy):
    outcome = forms_copy / "outcome" / "v3.toml"
    edit(outcome, '  { value = "svb_job", label = "Sozial', '  { value = "job", label = "Sozial')
    edit(outcome, 'id = "company_record"\ntype = "record"\nchoices_from = "companies"',
         'id = "company_record"\ntype = "text"')
    result = check(runner, app, forms_copy)
    assert result.exit_code == 1
    uses = ROLES["outcome"].uses
    status_line = field_line(outcome, "status")
    assert (f"forms/outcome/v3.toml:{status_line}: status: " + ErrorCode.ROLE_004.format(
        role="outcome", uses=uses, what="choice", value="svb_job", field="status")) in result.output
    company_line = field_line(outcome, "company_record")
    assert (f"forms/outcome/v3.toml:{company_line}: company_record: "
            + ErrorCode.ROLE_003.format(role="outcome", uses=uses, field="company_record", expected="record",
                                        got="text")) in result.output


def test_a_new_trade_needs_its_years_question_in_the_competence_check(app, runner, forms_copy):
    check_v4 = forms_copy / "competence-check" / "v4.toml"
    edit(check_v4, '  { value = "none", label = "Ich habe noch nicht gearbeitet"',
         '  { value = "roofing", label = "Dach" },\n  { value = "none", label = "Ich habe noch nicht gearbeitet"')
    result = check(runner, app, forms_copy)
    assert result.exit_code == 1
    message = ErrorCode.ROLE_002.format(role="competence_check", uses=ROLES["competence_check"].uses,
                                        expected="number field", field="years_roofing",
                                        why=" (one for each choice of 'trades')", hint="")
    assert f"forms/competence-check/v4.toml:{field_line(check_v4, 'trades')}: years_roofing: {message}" in result.output


#: How company survey v3 and v4 ask its Gemeinde: the competence check's own list, named through the check's role.
SHARED_GEMEINDEN = 'choices_of = "competence_check.municipality"'


def own_gemeinden(forms: Path) -> Path:
    """Company survey v4 (the newest) with a list of Gemeinden of its own, as someone might copy it by hand."""
    listed = [(c.value, c.label) for c in load_definition(forms / "competence-check" / "v4.toml")
              .field("municipality").choices]
    survey = forms / "company-readiness" / "v4.toml"
    edit(survey, SHARED_GEMEINDEN, "choices = [\n" + "".join(
        f'  {{ value = "{value}", label = "{label}" }},\n' for value, label in listed) + "]")
    return survey


def test_the_company_survey_offers_the_gemeinden_of_the_competence_check_itself(database_url, tmp_path,
                                                                                forms_copy):
    # A Gemeinde the check adds (a municipal reform) is offered to companies too, with no copy to update.
    edit(forms_copy / "competence-check" / "v4.toml", '  { value = "other", label = "Woanders" },',
         '  { value = "huntlosen", label = "Huntlosen" },\n  { value = "other", label = "Woanders" },')
    app = make_app(database_url, tmp_path, forms_copy)
    with app.app_context():
        registry = forms_registry(app)
        check = registry.get("competence-check").field("municipality").choices
        survey = registry.get("company-readiness").field("municipality")
        assert survey.choices == check and "huntlosen" in {c.value for c in survey.choices}
        # The file names the list; the version's hash is that of the file, so a published v4 stays what it was.
        assert "Huntlosen" not in Path(registry.get("company-readiness").path).read_text(encoding="utf-8")


def test_a_hand_copy_of_the_gemeinden_passes_only_while_it_is_the_same_list(app, runner, forms_copy):
    survey = own_gemeinden(forms_copy)
    assert check(runner, app, forms_copy).exit_code == 0
    edit(survey, '  { value = "hatten", label = "Hatten" },\n', '  { value = "bremen", label = "Bremen" },\n')
    result = check(runner, app, forms_copy)
    assert result.exit_code == 1
    message = ErrorCode.ROLE_006.format(
        role="company_readiness", uses=ROLES["company_readiness"].uses, field="municipality",
        other="'competence-check' v4's 'municipality'", diff="'hatten' missing, 'bremen' not in it",
        shared="competence_check.municipality")
    assert f"forms/company-readiness/v4.toml:{field_line(survey, 'municipality')}: municipality: {message}" \
        in result.output


def test_a_gemeinde_list_that_does_not_resolve_is_an_error_at_the_field_that_names_it(app, runner, forms_copy):
    survey = forms_copy / "company-readiness" / "v4.toml"
    # The newest check lost its Gemeinde question (the role lets a check do without: older ones asked the district).
    edit(forms_copy / "competence-check" / "v4.toml", 'id = "municipality"', 'id = "home"')
    result = check(runner, app, forms_copy)
    assert result.exit_code == 1
    why = "'competence-check' v4 (the competence_check role's form) has no field 'municipality'"
    assert (f"forms/company-readiness/v4.toml:{field_line(survey, 'municipality')}: municipality: "
            + ErrorCode.CHOICE_006.format(shared="competence_check.municipality", why=why)) in result.output
    # An instance without the competence check has no list to give.
    edit(forms_copy / "competence-check" / "v4.toml", 'id = "home"', 'id = "municipality"')
    result = check(runner, app, forms_copy, competence_check=None)
    assert result.exit_code == 1 and ErrorCode.CHOICE_006.format(
        shared="competence_check.municipality",
        why="the competence_check role is not used here (INSTRUMENT_ROLES)") in result.output


def test_a_misspelt_list_name_or_a_list_of_its_own_beside_it_is_refused(app, runner, forms_copy):
    survey = forms_copy / "company-readiness" / "v4.toml"
    edit(survey, SHARED_GEMEINDEN, SHARED_GEMEINDEN.replace("municipality", "municipalty"))
    result = check(runner, app, forms_copy)
    assert result.exit_code == 1
    assert "choices_of 'competence_check.municipalty' names no choice field of a role; expected '<role>.<field>', " \
           "one of: " in result.output and ", did you mean 'competence_check.municipality'?" in result.output
    edit(survey, SHARED_GEMEINDEN.replace("municipality", "municipalty"),
         SHARED_GEMEINDEN + '\nchoices = [{ value = "a", label = "A" }, { value = "b", label = "B" }]')
    result = check(runner, app, forms_copy)
    assert result.exit_code == 1 and ErrorCode.CHOICE_005.format() in result.output


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
    assert ("INSTRUMENT_ROLES:0: outcomes: " + ErrorCode.ROLE_005.format(
        role="outcomes", expected=", ".join(ROLES), hint=", did you mean 'outcome'?")) in result.output


def test_a_form_that_fails_its_role_stops_start_up(tmp_path, forms_copy):
    rename_outcome_status(forms_copy)
    with pytest.raises(DefinitionError) as failed:
        create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "FORMS_DIR": str(forms_copy),
                    "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "t"})
    assert [(p.code, p.field) for p in failed.value.problems] == [(ErrorCode.ROLE_002, "status")]


# -- the code reads through the roles ---------------------------------------------------------------------


def make_app(database_url, tmp_path, forms: Path, **config):
    return create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": database_url,
                       "SECRET_KEY": "test-secret", "FORMS_DIR": str(forms), **config})


def store(app, cohort_id, form_id, code=None, fixed=None, link_id=None, when=datetime(2027, 3, 1)):
    definition = forms_registry(app).get(form_id)
    values, shown = random_answers(definition, random.Random(code or form_id), code=code, fixed=fixed)
    response, _ = store_response(definition, cohort_id=cohort_id, link_id=link_id, language="de",
                                 key=uuid.uuid4().hex, values=values, shown=shown)
    response.submitted_at = when


def test_an_outcome_form_of_another_id_feeds_the_funnel_when_the_role_points_at_it(database_url, tmp_path,
                                                                                  forms_copy):
    (forms_copy / "outcome").rename(forms_copy / "verbleib")
    for version in ("v1.toml", "v2.toml", "v3.toml"):
        edit(forms_copy / "verbleib" / version, 'id = "outcome"', 'id = "verbleib"')
    app = make_app(database_url, tmp_path, forms_copy, INSTRUMENT_ROLES={"outcome": "verbleib"})
    with app.app_context():
        cohort = Cohort(slug="ol-2027", title="Oldenburg 2027")
        db.session.add(cohort)
        db.session.flush()
        for code, status in (("P-01", "apprenticeship"), ("P-02", "svb_job"), ("P-03", "searching")):
            store(app, cohort.id, "competence-check", code)
            store(app, cohort.id, "verbleib", code, {"status": status, "status_date": date(2027, 3, 1)})
        db.session.commit()
        report = build_cohort_report(forms_registry(app), cohort, Filters(cohort.id))
        assert report.funnel.available and (report.funnel.participants, report.funnel.placed) == (3, 2)
        assert {b.key: b.count for b in report.funnel.statuses} == {"apprenticeship": 1, "svb_job": 1,
                                                                     "searching": 1}
        assert pipeline(cohort.id).current == {"P-01": "placed", "P-02": "placed", "P-03": "other"}
        db.session.remove()
        db.engine.dispose()


def add_roofing(forms: Path) -> None:
    """A new trade, roofing, in copies of the competence check and the company survey."""
    check_v4 = forms / "competence-check" / "v4.toml"
    edit(check_v4, '  { value = "none", label = "Ich habe noch nicht gearbeitet"',
         '  { value = "roofing", label = "Dachdecker" },\n  { value = "none", label = "Ich habe noch nicht gearbeitet"')
    edit(check_v4, '[[fields]]\nid = "page_work_other"', '[[fields]]\nid = "page_work_roofing"\ntype = "page"\n'
         'label = "Arbeit auf dem Dach"\nshow_if = "\'roofing\' in trades"\n\n'
         '[[fields]]\nid = "context_roofing"\ntype = "multiple"\nlabel = "Wo haben Sie das gemacht?"\n'
         'choices = [{ value = "paid", label = "Bei einer Firma, mit Lohn" }, { value = "self_employed", '
         'label = "Mit eigener Firma oder eigenem Laden" }, { value = "family", label = "Zu Hause oder in der Familie" }]\n\n'
         '[[fields]]\nid = "years_roofing"\ntype = "number"\nlabel = "Wie viele Jahre?"\nmin = 0\nmax = 50\n'
         'unit = "Jahre"\n\n[[fields]]\nid = "page_work_other"')
    survey = forms / "company-readiness" / "v4.toml"
    edit(survey, '  { value = "none", label = "Zurzeit keine offenen Stellen"',
         '  { value = "roofing", label = "Dachdecker" },\n  { value = "none", label = "Zurzeit keine offenen Stellen"')
    edit(survey, "'painting' in job_trades or", "'painting' in job_trades or 'roofing' in job_trades or")
    edit(survey, '[[fields]]\nid = "helper_jobs_painting"', '[[fields]]\nid = "helper_jobs_roofing"\ntype = "number"\n'
         'label = "Dachdecker: Helfer-Stellen"\nmin = 0\nmax = 50\nshow_if = "\'roofing\' in job_trades"\n\n'
         '[[fields]]\nid = "skilled_jobs_roofing"\ntype = "number"\nlabel = "Dachdecker: Fachkraft-Stellen"\n'
         'min = 0\nmax = 50\nshow_if = "\'roofing\' in job_trades"\n\n[[fields]]\nid = "helper_jobs_painting"')


def test_a_trade_added_to_the_competence_check_is_offered_by_matching(database_url, tmp_path, forms_copy):
    add_roofing(forms_copy)
    app = make_app(database_url, tmp_path, forms_copy)
    with app.app_context():
        cohort = Cohort(slug="ol-2027", title="Oldenburg 2027")
        db.session.add(cohort)
        db.session.flush()
        link = Link(form_id="company-readiness", cohort_id=cohort.id, language="de")
        db.session.add(link)
        db.session.flush()
        store(app, cohort.id, "competence-check", "P-01", {"trades": ["roofing"], "years_roofing": 4})
        store(app, cohort.id, "company-readiness", fixed={
            "company_name": "Dachbau Oltmanns", "respondent_role": "owner", "apprenticeships": ["none"],
            "job_trades": ["roofing"], "helper_jobs_roofing": 2, "skilled_jobs_roofing": 0,
            "job_start": date(2027, 8, 1), "entry_offers": ["none"]}, link_id=link.id)
        db.session.commit()
        [person] = participant_profiles(cohort.id)
        assert person.experience == {"roofing": 4.0}
        [offer] = company_offers()
        assert [(p.trade, p.kind, p.level, p.count) for p in offer.places] == [("roofing", "job", "helper", 2)]
        [best] = rank_places(person, offer.places, load_rules())
        assert best.place.company == "Dachbau Oltmanns" and best.fits["experience"] == 1.0
        db.session.remove()
        db.engine.dispose()
