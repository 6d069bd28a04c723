"""The `proconnect` command line, as a coordinator uses it on the server."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from proconnect import create_app
from proconnect.accounts.models import User
from proconnect.cohorts.models import Cohort
from proconnect.extensions import db

from conftest import FIXTURE_FORMS
from form_folders import copy_of


def test_init_creates_the_admin_once_and_prints_its_one_time_password(app, runner):
    first = runner.invoke(args=["init"])
    assert first.exit_code == 0, first.output
    password = first.output.split("stored hashed):")[1].split()[0]
    with app.app_context():
        [admin] = db.session.scalars(select(User)).all()
        assert admin.username == "admin" and admin.role == "admin" and admin.must_change_password
        assert password not in admin.password_hash and admin.check_password(password)
    second = runner.invoke(args=["init"])
    assert second.exit_code == 0 and "One-time password" not in second.output
    assert "Form everything: v1" in second.output and "Form survey: v1, v2" in second.output


@pytest.mark.parametrize("args", [["forms", "list"], ["cohorts", "create", "x", "--title", "X"],
                                  ["links", "create", "--form", "survey", "--cohort", "x"]])
def test_commands_on_an_uninitialised_database_say_so_in_one_line(tmp_path, forms_dir, args):
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "FORMS_DIR": str(forms_dir),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.sqlite3'}", "SECRET_KEY": "t"})
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 1
    assert result.output == "The database is not initialised: run 'proconnect init' first.\n"


def test_forms_check_prints_ok_for_each_good_version(runner, forms_dir):
    result = runner.invoke(args=["forms", "check", str(forms_dir)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:3] == ["OK everything v1", "OK survey v1", "OK survey v2"]


def test_forms_check_lists_every_problem_and_exits_1(runner, tmp_path):
    bad = tmp_path / "forms" / "broken"
    bad.mkdir(parents=True)
    (bad / "v1.toml").write_text('[form]\nid = "broken"\nversion = 1\ntitle = "B"\n'
                                 '[[fields]]\nid = "a"\ntype = "txt"\nlabel = "A"\n'
                                 '[[fields]]\nid = "b"\ntype = "text"\nlabel = "B"\nshow_if = "zz == 1"\n')
    (bad / "v2.toml").write_text('[form\n')
    result = runner.invoke(args=["forms", "check", str(tmp_path / "forms")])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("forms/broken/v1.toml:7: a: unknown field type 'txt'")
    assert lines[1] == "forms/broken/v1.toml:13: b: show_if refers to unknown field 'zz'"
    assert lines[2].startswith("forms/broken/v2.toml:1: -: TOML syntax error:")
    assert lines[-1] == "3 problem(s) found."
    assert "Traceback" not in result.output


def test_forms_check_refuses_a_published_version_whose_file_changed(app, runner, tmp_path, filler, make_link):
    forms = copy_of(Path(app.config["FORMS_DIR"]), tmp_path)
    token = make_link("survey", version=1)
    f = filler(token)
    f.open()
    assert f.post({"rating": "4"}, nav="submit").status_code == 303
    path = forms / "survey" / "v1.toml"
    path.write_text(path.read_text().replace("Wie war es?", "Wie fanden Sie es?"))
    result = runner.invoke(args=["forms", "check", str(forms)])
    assert result.exit_code == 1
    assert ("forms/survey/v1.toml:1: -: this version is published: 1 response(s) were stored under its content "
            "hash, but the file has changed since. Restore the file and put the changes into v3.toml instead"
            ) in result.output
    assert "OK survey v2" in result.output and "OK survey v1" not in result.output


def test_forms_list_shows_versions_state_and_response_counts(runner, filler, make_link):
    f = filler(make_link("survey", version=1))
    f.open()
    f.post({"rating": "2"}, nav="submit")
    result = runner.invoke(args=["forms", "list"])
    assert result.exit_code == 0
    lines = [line.split() for line in result.output.splitlines()]
    assert ["v1", "published", "1", "responses", "2", "questions"] in lines
    assert ["v2", "published", "0", "responses", "2", "questions"] in lines


def test_a_cohort_and_a_link_are_created_and_the_link_opens_the_form(app, runner, client):
    created = runner.invoke(args=["cohorts", "create", "del-2027", "--title", "Delmenhorst 2027"])
    assert created.exit_code == 0 and created.output == "Created cohort del-2027: Delmenhorst 2027\n"
    link = runner.invoke(args=["links", "create", "--form", "survey", "--version", "1", "--cohort", "del-2027",
                               "--lang", "ar", "--event", "Infoabend"])
    assert link.exit_code == 0, link.output
    url = link.output.strip()
    assert url.startswith("http://127.0.0.1:5000/f/") and len(url.rsplit("/", 1)[1]) >= 22
    page = client.get(url.replace("http://127.0.0.1:5000", ""))
    assert page.status_code == 200 and 'lang="ar" dir="rtl"' in page.get_data(as_text=True)


@pytest.mark.parametrize("args, message", [
    (["cohorts", "create", "Bad Slug", "--title", "X"], "use lower-case letters, digits and hyphens"),
    (["links", "create", "--form", "nope", "--cohort", "ol-2027"], "no form 'nope'; known: everything, survey"),
    (["links", "create", "--form", "survey", "--version", "9", "--cohort", "ol-2027"],
     "survey has no version 9; known: 1, 2"),
    (["links", "create", "--form", "survey", "--cohort", "nowhere"], "no cohort 'nowhere'"),
    (["links", "create", "--form", "survey", "--cohort", "ol-2027", "--lang", "xx"], "unknown language 'xx'"),
])
def test_wrong_command_input_gets_a_clear_message(runner, make_cohort, args, message):
    make_cohort("ol-2027")
    result = runner.invoke(args=args)
    assert result.exit_code == 2 and message in result.output


def test_a_duplicate_cohort_is_refused(runner, make_cohort):
    make_cohort("ol-2027")
    result = runner.invoke(args=["cohorts", "create", "ol-2027", "--title", "Again"])
    assert result.exit_code == 2 and "a cohort 'ol-2027' exists already" in result.output


def test_the_short_name_new_is_refused_because_the_staff_area_could_not_open_that_cohort(app, runner):
    result = runner.invoke(args=["cohorts", "create", "new", "--title", "New arrivals"])
    assert result.exit_code == 2
    assert "'new' is reserved (the staff area's page for a new cohort is /staff/cohorts/new); choose another" \
        in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Cohort.id))) == 0


def _console(tmp_path, *args, forms=None):
    env = dict(os.environ, PROCONNECT_INSTANCE=str(tmp_path / "instance"),
               PROCONNECT_FORMS=str(forms or FIXTURE_FORMS))
    env.pop("DATABASE_URL", None)
    return subprocess.run([str(Path(sys.executable).parent / "proconnect"), *args], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=60)


def test_the_console_script_reports_broken_definitions_without_a_traceback(tmp_path):
    forms = tmp_path / "forms" / "bad"
    forms.mkdir(parents=True)
    (forms / "v1.toml").write_text('[form]\nid = "bad"\nversion = 1\ntitle = "B"\n[[fields]]\nid = "a"\ntype = "x"\n')
    check = _console(tmp_path, "forms", "check", forms=tmp_path / "forms")
    assert check.returncode == 1 and "forms/bad/v1.toml:7: a: unknown field type 'x'" in check.stderr
    init = _console(tmp_path, "init", forms=tmp_path / "forms")
    assert init.returncode == 1 and "Traceback" not in init.stderr
    assert "forms/bad/v1.toml:7: a:" in init.stderr


def test_the_console_script_sets_up_a_fresh_instance(tmp_path):
    init = _console(tmp_path, "init")
    assert init.returncode == 0, init.stderr
    assert (tmp_path / "instance" / "proconnect.sqlite3").exists() and (tmp_path / "instance" / "secret_key").exists()
    import sqlite3
    with sqlite3.connect(tmp_path / "instance" / "proconnect.sqlite3") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
