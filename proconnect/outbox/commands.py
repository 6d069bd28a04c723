"""``proconnect mail``: the outbox from the command line (an instance without a worker runs ``send-due`` from cron)."""
from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from ..clisupport import requires_db
from ..extensions import db
from .models import STATES, OutboxMail
from .sending import enabled, send_due


@click.group("mail")
def mail_group():
    """The mail outbox: what waits, what went, what failed."""


@mail_group.command("send-due")
@with_appcontext
@requires_db
def send_due_command():
    """Send the waiting mails whose time has come (the worker does this every minute)."""
    if not enabled():
        click.echo("No mail server is configured (MAIL_SERVER): nothing is sent.", err=True)
    tried = send_due()
    click.echo(f"{tried} tried.")
    _counts()


@mail_group.command("status")
@with_appcontext
@requires_db
def status_command():
    """How many mails are in each state."""
    _counts()


def _counts() -> None:
    counts = dict(db.session.execute(select(OutboxMail.status, func.count()).group_by(OutboxMail.status)).all())
    click.echo(", ".join(f"{state}: {counts.get(state, 0)}" for state in STATES))
