"""``proconnect forms import-xlsform`` and ``forms export-xlsform``: the converter on the command line."""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..definitions.registry import forms_registry
from ..i18n import LANGUAGES
from .reader import read_xlsform
from .saving import save_definition
from .translations import add_translations, catalog_texts
from .writer import write_xlsform


def _translations_dir() -> Path:
    return Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")[0])


@click.command("import-xlsform")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--id", "form_id", required=True, help="Id of the form (its folder under the forms directory).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Forms directory to write into (default: the app's FORMS_DIR).")
@click.option("--lenient", is_flag=True, help="Import what maps and list what was left out, instead of refusing.")
@click.option("--language", type=click.Choice(list(LANGUAGES)),
              help="Language of columns without one (label, hint) when the settings sheet does not name it; "
                   "default: de.")
@click.option("--translations", "translations_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Add the label::<lang>/hint::<lang> texts to the catalogs under this directory "
                   "(the project's: translations). Without it, the command only says where they would go.")
@with_appcontext
def import_xlsform_command(file, form_id, out, lenient, language, translations_dir):
    """Convert an XLSForm (.xlsx, .xls) into the next version of FORM_ID, checked like 'forms check'.

    Every row that does not map is reported at once ("survey row 14: type 'geopoint' is not supported").
    """
    out = out or Path(current_app.config["FORMS_DIR"])
    conversion = read_xlsform(file, form_id, lenient=lenient, language=language)
    for warning in conversion.warnings:
        click.echo(f"note: {file.name}: pyxform: {' '.join(warning.split())}")
    for p in conversion.problems:
        if p.notice:
            click.echo(f"note: {file.name}: {p}")
    blocking = conversion.blocking
    if conversion.data is None:
        for p in blocking:
            click.echo(f"{file.name}: {p}", err=True)
        click.echo(f"{len(blocking)} problem(s) found; nothing was imported. Fix them, or import the rest with "
                   "--lenient.", err=True)
        sys.exit(1)
    path, problems = save_definition(conversion, out, file.name, current_app.config.get("INSTRUMENT_ROLES"))
    if path is None:
        for p in problems:
            click.echo(f"{file.name}: {p}", err=True)
        click.echo(f"{len(problems)} problem(s) found by the check; nothing was imported.", err=True)
        sys.exit(1)
    if blocking:
        click.echo(f"Left out ({len(blocking)}):")
        for p in blocking:
            click.echo(f"  {p}")
    fields = conversion.data["fields"]
    click.echo(f"Wrote {path} ({sum(1 for f in fields if f['type'] != 'page')} questions and notes, "
               f"{sum(1 for f in fields if f['type'] == 'page')} pages); it passes 'forms check'.")
    _report_translations(conversion, form_id, translations_dir)


def _report_translations(conversion, form_id: str, directory: Path | None) -> None:
    if not conversion.translations:
        return
    counts = Counter(t.language for t in conversion.translations)
    summary = ", ".join(f"{lang}: {n}" for lang, n in sorted(counts.items()))
    if directory is None:
        click.echo(f"Translations of its texts ({summary}) go into translations/<lang>/LC_MESSAGES/messages.po "
                   f"with msgctxt \"{form_id}\"; add them with --translations translations, then run "
                   "'make translations'.")
        return
    for language, (added, kept) in add_translations(conversion.translations, form_id, directory).items():
        if not added and kept and not (directory / language).is_dir():
            click.echo(f"{language}: no catalog under {directory}; {len(kept)} text(s) not added.", err=True)
            continue
        click.echo(f"{language}: {added} text(s) added to {directory / language / 'LC_MESSAGES' / 'messages.po'}"
                   + (f"; {len(kept)} kept their existing, different translation" if kept else ""))
    click.echo("Compile the catalogs ('make translations') to show them.")


@click.command("export-xlsform")
@click.argument("form_id")
@click.option("--version", type=int, help="Version to export (default: the newest).")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The .xlsx to write.")
@with_appcontext
def export_xlsform_command(form_id, version, out):
    """Write a version of FORM_ID as an XLSForm, with a label::<language> column per translated language."""
    definition = forms_registry(current_app).get(form_id, version)
    if definition is None:
        raise click.BadParameter(f"there is no form '{form_id}'" + (f" v{version}" if version else ""),
                                 param_hint="FORM_ID")
    languages = [code for code in LANGUAGES if code != definition.language]
    texts = catalog_texts(_translations_dir(), form_id, languages)
    content, problems = write_xlsform(definition, texts)
    out.write_bytes(content)
    for p in problems:
        click.echo(f"note: {p}")
    click.echo(f"Wrote {out}: {form_id} v{definition.version}, {len(definition.fields)} fields, "
               f"languages {', '.join([definition.language] + [lang for lang in languages if texts.get(lang)])}.")
