"""``proconnect translations ...``: the state of the catalogs, for translators and coordinators."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..definitions.roles import COMPETENCE_CHECK
from .review import catalog_path, import_review, review_sheet
from .status import STAFF_UI, UI, translations_status


def _directory() -> Path:
    return Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")[0])


@click.group("translations")
def translations_group():
    """Translation catalogs under translations/ (extract and update them with 'make update-catalogs')."""


@translations_group.command("status")
@with_appcontext
def translations_status_command():
    """Per language and per form: translated / fuzzy / missing texts, and the review state."""
    directory = _directory()
    statuses = translations_status(directory)
    if not statuses:
        click.echo(f"No catalogs under {directory}.", err=True)
        raise SystemExit(1)
    pot = directory / "messages.pot"
    newer = [p for p in Path(current_app.config["FORMS_DIR"]).glob("*/v*.toml")
             if pot.is_file() and p.stat().st_mtime > pot.stat().st_mtime]
    if newer:
        click.echo(f"note: {len(newer)} form file(s) changed after the last extraction; "
                   "run 'make update-catalogs' for exact counts.")
    width = max(len(s) for st in statuses for s in st.sections) if statuses else len(UI)
    click.echo(f"{'lang':<5} {'section':<{width}}  {'translated':>10} {'fuzzy':>6} {'missing':>8}")
    for status in statuses:
        click.echo(f"{status.language:<5} review: {status.review}")
        sections = sorted(status.sections, key=lambda s: (s != UI, s != STAFF_UI, s))
        for section in sections:
            c = status.sections[section]
            click.echo(f"{'':<5} {section:<{width}}  {c.translated:>10} {c.fuzzy:>6} {c.missing:>8}")


@translations_group.command("review-sheet")
@click.argument("language")
@click.option("--form", "form_id", help="Form id (msgctxt); default: the competence check's form.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="CSV file to write.")
@with_appcontext
def review_sheet_command(language, form_id, out):
    """Write a CSV sheet (German | translation | correction | note) for a native-speaker reviewer."""
    form_id = form_id or COMPETENCE_CHECK.form_id()
    if not catalog_path(_directory(), language).is_file():
        raise click.BadParameter(f"no catalog for '{language}' under {_directory()}", param_hint="LANGUAGE")
    sheet = review_sheet(_directory(), language, form_id)
    rows = sheet.count("\r\n") - 1
    if rows <= 0:
        raise click.BadParameter(f"the catalog has no texts of form '{form_id}'", param_hint="--form")
    out.write_text(sheet, encoding="utf-8-sig", newline="")
    click.echo(f"{out}: {rows} texts of {form_id} in '{language}'. Send it to the reviewer; "
               f"read it back with 'proconnect translations import-review {language} {out}'.")


@translations_group.command("import-review")
@click.argument("language")
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--form", "form_id", help="Form id (msgctxt); default: the competence check's form.")
@with_appcontext
def import_review_command(language, sheet, form_id):
    """Write a reviewer's corrections into the catalog of LANGUAGE and keep their notes as comments there."""
    form_id = form_id or COMPETENCE_CHECK.form_id()
    if not catalog_path(_directory(), language).is_file():
        raise click.BadParameter(f"no catalog for '{language}' under {_directory()}", param_hint="LANGUAGE")
    try:
        text = sheet.read_text(encoding="utf-8-sig")
        result = import_review(_directory(), language, form_id, text)
    except (UnicodeDecodeError, ValueError) as exc:
        raise click.ClickException(f"{sheet}: cannot read the sheet: {exc}. Save it as CSV (UTF-8).") from exc
    click.echo(f"{len(result.corrected)} correction(s) and {len(result.noted)} note(s) written "
               f"to the '{language}' catalog.")
    for german, reason in result.rejected:
        click.echo(f"not used: {german[:60]!r}: {reason}", err=True)
    if result.corrected:
        click.echo("Check them ('git diff'), then compile: 'make translations'.")
