"""Who may use which route. Every view declares its rule; a route without one is refused.

Rules are kept on the view function (``view.access``) so the URL-map test can check
every endpoint against ``ACCESS_MATRIX`` in tests/test_access.py.
"""
from __future__ import annotations

from flask import abort, current_app, redirect, request, url_for
from flask_login import LoginManager, current_user

#: Anyone, without signing in (refugees reach forms through links; companies through their link).
PUBLIC = "public"
ROLES = ("admin", "coordinator", "trainer", "mentor")

login_manager = LoginManager()


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


def rule_for(endpoint: str) -> frozenset | None:
    """The roles allowed on an endpoint (``None`` when the view declared no rule)."""
    if endpoint == "static":
        return frozenset({PUBLIC})
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access", None)


def init_app(app) -> None:
    login_manager.init_app(app)

    @login_manager.user_loader
    def _load(user_id: str):
        from .accounts.models import User
        from .extensions import db
        return db.session.get(User, int(user_id)) if user_id.isdigit() else None

    @app.before_request
    def _enforce():
        if request.endpoint is None:
            return None  # no such route: the 404 handler answers
        rule = rule_for(request.endpoint)
        if rule is None:
            current_app.logger.error("route %s declares no access rule; refused", request.endpoint)
            abort(403)
        if PUBLIC in rule:
            return None
        if not current_user.is_authenticated:
            if "accounts.login" in current_app.view_functions:
                return redirect(url_for("accounts.login", next=request.full_path))
            abort(401)
        if current_user.role not in rule:
            abort(403)
        return None
