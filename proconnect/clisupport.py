"""What every command of the ``proconnect`` CLI may use, below the features that define commands."""
from __future__ import annotations

import functools
import sys

import click
from sqlalchemy import inspect

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
