"""``proconnect handbook --out handbook.pdf``: the help pages as one printable PDF."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from .pages import LANGUAGES
from .pdf import handbook_pdf


@click.command("handbook")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="PDF file to write.")
@click.option("--lang", default="de", show_default=True, type=click.Choice(LANGUAGES), help="Language of the handbook.")
@with_appcontext
def handbook_command(out, lang):
    """Write the handbook (every help page, with screenshots) as one PDF."""
    data = handbook_pdf(lang)
    out.write_bytes(data)
    click.echo(f"Wrote {out} ({len(data) // 1024} KB).")
