"""Sign-in throttling with Flask-Limiter: failed attempts are counted per account and per IP address.

The default storage is in memory (``RATELIMIT_STORAGE_URI = "memory://"``): right for one
server process. With several gunicorn workers each keeps its own counts, so an attacker gets
the limit once per worker; set ``RATELIMIT_STORAGE_URI`` to a shared store (e.g. ``redis://``)
when that matters.
"""
from __future__ import annotations

from flask import current_app, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, default_limits=[], storage_uri="memory://")


def _account_key() -> str:
    return "account:" + (request.form.get("username") or "").strip().lower()[:80]


def _failed(_response) -> bool:
    # Only failed attempts count: a coordinator signing in and out all day is never locked out.
    return bool(g.get("login_failed"))


def login_limits(view):
    """Throttle a sign-in view: failed POSTs per account name and per client address."""
    per_account = limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=_account_key,
                                methods=["POST"], deduct_when=_failed, scope="login-account")
    per_ip = limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"],
                           deduct_when=_failed, scope="login-ip")
    return per_ip(per_account(view))


def init_app(app) -> None:
    limiter.init_app(app)
