"""``proconnect translations ...``: the state of the catalogs, for translators and coordinators."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

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
