"""Ending an account's sessions on every device at once.

Every session keeps ``User.get_id()``, which holds the account's session token (Flask-Login's
"alternative token"); the user loader refuses a session whose token is no longer the account's.
Sign-out, a new password, a reset, a new role and switching the account off all end its sessions.
"""
from __future__ import annotations

from flask_login import current_user, login_user

from .models import User


def end_sessions(user: User) -> None:
    """Sign ``user`` out everywhere (the caller commits); when they are the one asking, this device
    stays signed in under the new token, as after changing one's own password."""
    user.new_session_token()
    # Outside a request (the command line) current_user is None.
    if getattr(current_user, "id", None) == user.id:
        login_user(user)
