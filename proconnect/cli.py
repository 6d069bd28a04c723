"""The ``proconnect`` command line: a Flask CLI group, also installed as a console script."""
from __future__ import annotations

import functools
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, ScriptInfo, with_appcontext
from sqlalchemy import func, inspect, select

from .definitions import DefinitionError, ErrorCode, Problem
from .definitions.registry import scan_forms
from .definitions.roles import check_roles
from .extensions import db


def requires_db(command):
    """Refuse, in one line, to run a command against a database that ``proconnect init`` has not set up."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        if not inspect(db.engine).has_table("alembic_version"):
            click.echo("The database is not initialised: run 'proconnect init' first.", err=True)
            sys.exit(1)
        return command(*args, **kwargs)
    return wrapper


@click.command("init")
@with_appcontext
def init_command():
    """Create or upgrade the database, check the forms, and create the admin account once."""
    from flask_migrate import upgrade

    from .accounts.models import User, one_time_password
    from . import forms_registry
    upgrade(directory=current_app.extensions["migrate"].directory)
    for instrument in forms_registry(current_app):
        versions = ", ".join(f"v{n}" for n in sorted(instrument.versions))
        click.echo(f"Form {instrument.id}: {versions}")
    if db.session.scalar(select(func.count(User.id))) == 0:
        password = one_time_password()
        admin = User(username="admin", role="admin", must_change_password=True)
        admin.set_password(password)
        db.session.add(admin)
        db.session.commit()
        click.echo("Created the admin account 'admin'. One-time password (shown only now, stored hashed):")
        click.echo(f"    {password}")
    click.echo(f"Database ready: {db.engine.url.render_as_string(hide_password=True)}")


@click.group("forms")
def forms_group():
    """Form definitions under forms/."""


@forms_group.command("check")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def forms_check(ctx, directory):
    """Validate every definition and the forms of the instrument roles; print all problems as
    <path>:<line>: <field>: <reason>."""
    try:
        app = ctx.ensure_object(ScriptInfo).load_app()
    except DefinitionError:
        # The check must report broken definitions, not fall over them.
        from . import create_app
        app = create_app(skip_forms=True)
    directory = directory or Path(app.config["FORMS_DIR"])
    registry, problems = scan_forms(directory)
    problems += check_roles(registry, app.config["INSTRUMENT_ROLES"], directory)
    with app.app_context():
        problems += _changed_published_versions(registry)
    bad_files = {p.path for p in problems}
    for instrument in registry:
        for number, definition in sorted(instrument.versions.items()):
            if definition.source not in bad_files:
                click.echo(f"OK {instrument.id} v{number}")
    for warning in registry.warnings:
        click.echo(f"warning: {warning}")
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        sys.exit(1)


def _changed_published_versions(registry) -> list[Problem]:
    """Published versions whose file no longer matches the pinned hash (only once the database exists)."""
    from .responses.models import FormVersion, Response
    if not inspect(db.engine).has_table("alembic_version"):
        return []
    problems = []
    for pinned in db.session.scalars(select(FormVersion)):
        definition = registry.get(pinned.form_id, pinned.version)
        if definition is None or definition.content_hash == pinned.content_hash:
            continue
        count = db.session.scalar(select(func.count(Response.id)).filter_by(
            form_id=pinned.form_id, version=pinned.version))
        code = ErrorCode.VER_003
        problems.append(Problem(definition.source, 1, "", code, code.format(responses=count, next_version=max(
                                    registry.instruments[pinned.form_id].versions) + 1)))
    return problems


@forms_group.command("list")
@with_appcontext
@requires_db
def forms_list():
    """Each form, its versions, whether they are published, and their response counts."""
    from . import forms_registry
    from .responses.models import FormVersion, Response
    counts = dict(((f, v), n) for f, v, n in db.session.execute(
        select(Response.form_id, Response.version, func.count(Response.id)).group_by(Response.form_id,
                                                                                       Response.version)))
    pinned = {(p.form_id, p.version) for p in db.session.scalars(select(FormVersion))}
    for instrument in forms_registry(current_app):
        click.echo(f"{instrument.id}: {instrument.latest.title}")
        for number, definition in sorted(instrument.versions.items()):
            state = "published" if (instrument.id, number) in pinned else "draft"
            click.echo(f"  v{number}  {state:<9}  {counts.get((instrument.id, number), 0)} responses  "
                       f"{len(definition.answer_fields)} questions")


@click.group("cohorts")
def cohorts_group():
    """Cohorts of participants."""


@cohorts_group.command("create")
@click.argument("slug")
@click.option("--title", required=True, help="Readable name, e.g. 'Oldenburg spring 2027'.")
@with_appcontext
@requires_db
def cohorts_create(slug, title):
    """Create a cohort with a short, URL-safe SLUG."""
    import re

    from .cohorts.models import Cohort
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", slug):
        raise click.BadParameter("use lower-case letters, digits and hyphens (at most 64)", param_hint="SLUG")
    if db.session.scalar(select(Cohort).filter_by(slug=slug)):
        raise click.BadParameter(f"a cohort '{slug}' exists already", param_hint="SLUG")
    db.session.add(Cohort(slug=slug, title=title))
    db.session.commit()
    click.echo(f"Created cohort {slug}: {title}")


def register_commands(app) -> None:
    """Attach the app's commands to ``app.cli`` (``forms check`` lives on the top group, see ``main``)."""
    from .handbook.commands import handbook_command
    from .privacy.commands import retention_group
    from .accounts.commands import accounts_group
    app.cli.add_command(retention_group)
    app.cli.add_command(accounts_group)
    app.cli.add_command(handbook_command)
    from .distribution.commands import links_group, participants_group
    for command in (init_command, forms_group, cohorts_group, links_group, participants_group):
        app.cli.add_command(command)
    from .reports.commands import COMMANDS as report_commands
    for command in report_commands:
        app.cli.add_command(command)
    from .catalogs.cli import translations_group
    app.cli.add_command(translations_group)
    from .matching.commands import match_command, speed_dating_command
    app.cli.add_command(match_command)
    app.cli.add_command(speed_dating_command)


def _create_app():
    from . import create_app
    return create_app()


cli = FlaskGroup(create_app=_create_app, add_default_commands=True, help="proconnect: forms, links and reports.")
# On the top group too, so 'forms check' runs (and reports) even when a broken definition stops the app.
cli.add_command(forms_group)


def main():
    """Console script: print definition problems as lines, never as a traceback."""
    try:
        cli.main(prog_name="proconnect")
    except DefinitionError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo("The form definitions have problems; fix them (see 'proconnect forms check').", err=True)
        sys.exit(1)
