"""``proconnect accounts``: list accounts and issue a password link when nobody can sign in any more."""
from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app, url_for
from flask.cli import with_appcontext
from sqlalchemy import func, select

from ..audit import record
from ..clisupport import requires_db
from ..extensions import db
from .models import AccountToken, User
from .sessions import end_sessions
from . import two_factor


@click.group("accounts")
def accounts_group():
    """Staff accounts."""


@accounts_group.command("list")
@with_appcontext
@requires_db
def accounts_list():
    """Each account with its role and state."""
    for user in db.session.scalars(select(User).order_by(func.lower(User.username))):
        state = "active" if user.active else "switched off"
        click.echo(f"{user.username:<24} {user.role:<12} {state}")


def _active_account(username: str) -> User:
    user = db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    if user is None or not user.active:
        raise click.BadParameter(f"no active account '{username}' (see 'proconnect accounts list')",
                                 param_hint="USERNAME")
    return user


@accounts_group.command("reset")
@click.argument("username")
@with_appcontext
@requires_db
def accounts_reset(username):
    """Print a one-use link with which USERNAME chooses a new password (e.g. the last admin forgot theirs);
    the account's sessions end."""
    user = _active_account(username)
    end_sessions(user)
    row, token = AccountToken.issue(user, "reset", timedelta(hours=current_app.config["RESET_HOURS"]))
    record("reset_issued", f"account {user.username}", valid_until=row.expires_at.isoformat(timespec="minutes"))
    db.session.commit()
    with current_app.test_request_context():
        path = url_for("accounts.set_password", token=token)
    click.echo(f"{current_app.config['PUBLIC_URL'].rstrip('/')}{path}")
    click.echo(f"The link works once, until {row.expires_at:%Y-%m-%d %H:%M} UTC.", err=True)


@accounts_group.command("reset-two-factor")
@click.argument("username")
@with_appcontext
@requires_db
def accounts_reset_two_factor(username):
    """Switch USERNAME's two-factor sign-in off (e.g. the last admin lost the phone and the recovery codes);
    the account's sessions end, and where the role requires it, it is set up again at the next sign-in."""
    user = _active_account(username)
    was_on = user.two_factor_on
    two_factor.remove(user)
    end_sessions(user)
    record("two_factor_reset", f"account {user.username}", was_on=was_on)
    db.session.commit()
    click.echo(f"Two-factor sign-in of {user.username} is reset; the account's sessions have ended.")
