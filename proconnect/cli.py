"""The ``proconnect`` command line: a Flask CLI group, also installed as a console script."""
from __future__ import annotations

import sys

import click
from flask.cli import FlaskGroup

from . import create_app
from .commands import forms_group
from .definitions import DefinitionError

cli = FlaskGroup(create_app=create_app, add_default_commands=True, help="proconnect: forms, links and reports.")
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
