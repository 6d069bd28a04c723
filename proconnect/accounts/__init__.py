"""Accounts of the people who run the project (admins, coordinators, trainers, mentors); refugees never need one."""
from __future__ import annotations

from ..access import login_manager
from ..extensions import db
from . import throttle, two_factor
from .blueprint import bp
from .models import User


def load_user(session_id: str) -> User | None:
    """The account of a signed-in session (Flask-Login's user loader).

    ``session_id`` is ``User.get_id()``: a session whose token was replaced since (signed out, new
    password, reset, new role, switched off) or of a switched-off account belongs to nobody.
    """
    account_id, _, _token = session_id.partition(":")
    user = db.session.get(User, int(account_id)) if account_id.isdigit() and len(account_id) < 10 else None
    return user if user is not None and user.active and user.owns_session(session_id) else None


def init_app(app) -> None:
    """Sign-in throttling, the user loader and the accounts blueprint."""
    two_factor.check_roles(app)
    login_manager.user_loader(load_user)
    throttle.init_app(app)
    app.register_blueprint(bp)
