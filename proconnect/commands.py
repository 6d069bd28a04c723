"""The app's own commands (``init``, ``forms``, ``cohorts``) and the registration of every feature's commands."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import ScriptInfo, with_appcontext
from flask_migrate import upgrade
from sqlalchemy import func, inspect, select

from .accounts.commands import accounts_group
from .accounts.models import User, one_time_password
from .backup import backup_command, restore_command
from .catalogs.cli import translations_group
from .clisupport import requires_db
from .cohorts import slugs
from .cohorts.models import Cohort
from .definitions import DefinitionError, ErrorCode, Problem, forms_registry
from .definitions.registry import scan_forms
from .definitions.roles import check_roles
from .distribution.commands import links_group, participants_group
from .extensions import db
from .handbook.commands import handbook_command
from .i18n import missing_catalogs, outdated_catalogs
from .jobs.commands import jobs_group
from .outbox.commands import mail_group
from .matching.commands import match_command, speed_dating_command
from .privacy.commands import participants_erase, retention_group
from .reports.commands import COMMANDS as REPORT_COMMANDS
from .responses.models import FormVersion, Response
from .xlsform.cli import export_xlsform_command, import_xlsform_command


@click.command("init")
@with_appcontext
def init_command():
    """Create or upgrade the database, check the forms, and create the admin account once."""
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
    _warn_about_missing_catalogs()


def _warn_about_missing_catalogs() -> None:
    """Name the languages whose catalogs are missing or older than their translations, and the fix."""
    directories = current_app.config["BABEL_TRANSLATION_DIRECTORIES"]
    missing = missing_catalogs(directories)
    if missing:
        click.echo(f"No compiled catalogs for {', '.join(missing)} in {directories}: pages in "
                   f"{'that language' if len(missing) == 1 else 'those languages'} show German or English texts "
                   "instead. Fix: 'make translations' in the source tree (or 'pybabel compile -d translations'); "
                   "a wheel built with 'pip wheel .' brings them compiled.", err=True)
    outdated = outdated_catalogs(directories)
    if outdated:
        # Report and handbook wording lives in the catalogs too: a stale one mixes languages in a PDF.
        click.echo(f"Compiled catalogs older than their translations for {', '.join(outdated)}: pages and reports "
                   "show the texts of before the last update. Fix: 'make translations' in the source tree "
                   "(or 'pybabel compile -d translations').", err=True)


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
        # The check must report broken definitions, not fall over them: start the app without any.
        app = ctx.ensure_object(ScriptInfo).create_app(skip_forms=True)
    # Without a directory: the shipped definitions and the instance's own (added in the staff area) together.
    roles = app.config["INSTRUMENT_ROLES"]
    registry, problems = scan_forms(directory, roles=roles) if directory else \
        scan_forms(app.config["FORMS_DIR"], app.config["INSTANCE_FORMS_DIR"], roles=roles)
    directory = directory or Path(app.config["FORMS_DIR"])
    problems += check_roles(registry, roles, directory)
    with app.app_context():
        problems += _changed_published_versions(registry)
    bad_files = {p.path for p in problems}
    for instrument in registry:
        for number, definition in sorted(instrument.versions.items()):
            if definition.source not in bad_files:
                click.echo(f"OK {instrument.id} v{number}")
    for form_id, draft in sorted(registry.drafts.items()):
        if draft.source not in bad_files:
            click.echo(f"OK {form_id} v{draft.version} (draft)")
    for warning in registry.warnings:
        click.echo(f"warning: {warning}")
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        sys.exit(1)


def _changed_published_versions(registry) -> list[Problem]:
    """Published versions whose file no longer matches the pinned hash (only once the database exists)."""
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
        problems.append(Problem(definition.source, 1, "", code, code.format(
            responses=count, next_version=registry.next_version(pinned.form_id))))
    return problems


forms_group.add_command(import_xlsform_command)
forms_group.add_command(export_xlsform_command)


@forms_group.command("list")
@with_appcontext
@requires_db
def forms_list():
    """Each form, its versions and its draft, and their response counts."""
    counts = dict(((f, v), n) for f, v, n in db.session.execute(
        select(Response.form_id, Response.version, func.count(Response.id)).group_by(Response.form_id,
                                                                                       Response.version)))
    registry = forms_registry(current_app)
    for form_id in registry.form_ids():
        instrument, draft = registry.instruments.get(form_id), registry.drafts.get(form_id)
        click.echo(f"{form_id}: {(instrument.latest if instrument else draft).title}")
        versions = sorted(instrument.versions.items()) if instrument else []
        for number, definition in versions + ([(draft.version, draft)] if draft else []):
            state = "draft" if definition.draft else "published"
            click.echo(f"  v{number}  {state:<9}  {counts.get((form_id, number), 0)} responses  "
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
    if (problem := slugs.problem(slug)) is not None:
        raise click.BadParameter(problem, param_hint="SLUG")
    if db.session.scalar(select(Cohort).filter_by(slug=slug)):
        raise click.BadParameter(f"a cohort '{slug}' exists already", param_hint="SLUG")
    db.session.add(Cohort(slug=slug, title=title))
    db.session.commit()
    click.echo(f"Created cohort {slug}: {title}")


def register_commands(app) -> None:
    """Attach every command to ``app.cli`` (``forms check`` also lives on the top group, see ``cli.main``)."""
    for command in (init_command, forms_group, cohorts_group, links_group, participants_group, accounts_group,
                    retention_group, handbook_command, jobs_group, mail_group, translations_group, match_command, speed_dating_command,
                    backup_command, restore_command, *REPORT_COMMANDS):
        app.cli.add_command(command)
    # Erasure sits above distribution, whose group holds the other participant commands.
    participants_group.add_command(participants_erase)
