"""Who may use which route. Every view declares its rule; a route without one is refused.

Rules are kept on the view function (``view.access``) so the URL-map test can check
every endpoint against ``ACCESS_MATRIX`` in tests/test_access.py. Object-level checks
(a coordinator's own cohorts, a mentor's own apprentices) happen in the views and
answer 404, so a changed URL never tells what exists.

Staff sessions: Flask-Login, bound to the client they were signed in from, with an idle
timeout and an absolute lifetime, a forced password change after a one-time password, and a forced
enrolment in two-factor sign-in where the role requires it (``accounts.two_factor``).
"""
from __future__ import annotations

import hashlib
import time

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, logout_user
from werkzeug.routing import IntegerConverter

from .audit import record
from .extensions import db

#: Anyone, without signing in (refugees reach forms through links; companies through their link).
PUBLIC = "public"
ROLES = ("admin", "coordinator", "trainer", "mentor")
STAFF = ROLES
ROLE_LABELS = {"admin": _l("Admin"), "coordinator": _l("Coordinator"), "trainer": _l("Trainer"),
               "mentor": _l("Mentor")}


def role_label(role: str) -> str:
    """The translated name of a role (the code itself for an unknown one)."""
    return str(ROLE_LABELS.get(role, role))

#: WSGI environ key set when the access rule (not a view's own check) refused a request.
REFUSED = "proconnect.access_refused"

login_manager = LoginManager()
# Flask-Login's "strong" mode rewrites every anonymous session that holds a CSRF token (a cookie on
# each form page); the same binding is checked below for signed-in sessions only.
login_manager.session_protection = None

#: Endpoints a person with a one-time password may use before choosing their own.
_BEFORE_NEW_PASSWORD = {"accounts.password", "accounts.logout", "static"}
#: Endpoints an account whose role requires two-factor sign-in may use before setting it up.
_BEFORE_TWO_FACTOR = {"admin.two_factor", "accounts.logout", "static"}


def allow(*roles: str):
    """Declare who may use a view: ``@allow("coordinator")``; admins may use every staff route.

    :param roles: role names from ``ROLES``, or ``PUBLIC``
    """
    unknown = set(roles) - set(ROLES) - {PUBLIC}
    if unknown or not roles:
        raise ValueError(f"unknown roles {sorted(unknown)}; use {ROLES} or PUBLIC")

    def decorate(view):
        view.access = frozenset(roles) | ({"admin"} if PUBLIC not in roles else set())
        return view
    return decorate


public = allow(PUBLIC)
staff = allow(*STAFF)


def rule_for(endpoint: str) -> frozenset | None:
    """The roles allowed on an endpoint (``None`` when the view declared no rule)."""
    if endpoint == "static":
        return frozenset({PUBLIC})
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access", None)


def _fingerprint() -> str:
    """The client a session was signed in from (address and browser), hashed."""
    client = f"{request.remote_addr}|{request.headers.get('User-Agent', '')}"
    return hashlib.sha256(client.encode()).hexdigest()[:32]


def start_session() -> None:
    """Mark the start of a signed-in session (call right after ``login_user``)."""
    session["login_at"] = session["seen"] = int(time.time())
    session["client"] = _fingerprint()


def _session_expired() -> bool:
    """End the session when it was idle too long, is older than its absolute lifetime, or moved to
    another client (a stolen cookie)."""
    now = int(time.time())
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    lifetime = current_app.config["SESSION_MAX_HOURS"] * 3600
    seen, started = session.get("seen", 0), session.get("login_at", 0)
    if now - seen > idle or now - started > lifetime or session.get("client") != _fingerprint():
        record("session_expired", f"account {current_user.username}", actor=current_user)
        db.session.commit()
        logout_user()
        session.clear()
        flash(_l("Your session has ended. Please sign in again."), "info")
        return True
    # Written at most once a minute: the cookie need not change on every click.
    if now - seen >= 60:
        session["seen"] = now
    return False


def _refuse():
    # Marked for the URL-map test: a refusal by the rule, not by a view's own check of an object.
    request.environ[REFUSED] = True
    abort(403)


def _to_login():
    request.environ[REFUSED] = True
    if "accounts.login" in current_app.view_functions:
        target = request.full_path if request.method == "GET" else None
        return redirect(url_for("accounts.login", next=target))
    abort(401)


class IdConverter(IntegerConverter):
    """``<id:name>`` in a URL: a database id, a positive integer that fits a 32-bit column.

    ``<int:>`` takes any size, and a larger number overflows PostgreSQL's integer: a server error
    instead of "not found".
    """

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=2**31 - 1)


def init_app(app) -> None:
    app.url_map.converters["id"] = IdConverter
    # The accounts package gives login_manager its user loader: access sits below the accounts.
    login_manager.init_app(app)

    @app.before_request
    def _enforce():
        if request.endpoint is None:
            return None  # no such route: the 404 handler answers
        rule = rule_for(request.endpoint)
        if rule is None:
            current_app.logger.error("route %s declares no access rule; refused", request.endpoint)
            _refuse()
        if current_user.is_authenticated and request.endpoint != "static" and _session_expired():
            return None if PUBLIC in rule else _to_login()
        if PUBLIC in rule:
            return None
        if not current_user.is_authenticated:
            return _to_login()
        if current_user.role not in rule:
            _refuse()
        if current_user.must_change_password and request.endpoint not in _BEFORE_NEW_PASSWORD:
            return redirect(url_for("accounts.password"))
        if current_user.must_enrol_two_factor and request.endpoint not in _BEFORE_TWO_FACTOR:
            return redirect(url_for("admin.two_factor"))
        return None
