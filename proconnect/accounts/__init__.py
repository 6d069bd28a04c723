"""Accounts of the people who run the project (admins, coordinators, trainers, mentors); refugees never need one."""
from __future__ import annotations

from ..access import login_manager
from ..extensions import db
from . import throttle
from .blueprint import bp
from .models import User


def load_user(user_id: str) -> User | None:
    """The account of a signed-in session (Flask-Login's user loader); a switched-off one loses its sessions."""
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


def init_app(app) -> None:
    """Sign-in throttling, the user loader and the accounts blueprint."""
    login_manager.user_loader(load_user)
    throttle.init_app(app)
    app.register_blueprint(bp)
