"""Sign-in throttling with Flask-Limiter: failed attempts are counted per account and per client address,
or, from a browser that signed in to the account before, per device cookie only (``devices``).

The client's address is the one the trusted reverse proxies report (``TRUSTED_PROXIES``, see
``web.trust_proxies``); without them every client behind a proxy would share one count.

Only the views decorated with ``login_limits`` and ``code_limits`` are limited (``init_app``).

The default storage is in memory (``RATELIMIT_STORAGE_URI = "memory://"``): right for one
server process. With several gunicorn workers each keeps its own counts, so an attacker gets
the limit once per worker; set ``RATELIMIT_STORAGE_URI`` to a shared store (e.g. ``redis://``)
when that matters.
"""
from __future__ import annotations

from flask import current_app, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from .devices import account_key, known_device

limiter = Limiter(key_func=get_remote_address, default_limits=[], storage_uri="memory://")


def _account_key() -> str:
    return "account:" + account_key(request.form.get("username") or "")


def _device_key() -> str:
    return "device:" + known_device()


def _known_device() -> bool:
    return bool(known_device())


def _unknown_device() -> bool:
    return not known_device()


def _failed(_response) -> bool:
    # Only failed attempts count: a coordinator signing in and out all day is never locked out.
    return bool(g.get("login_failed"))


def login_limits(view):
    """Throttle a sign-in view: failed POSTs per account name and per client address, or per device cookie
    from a browser that signed in to that account before (a guesser's failures never lock it out)."""
    per_device = limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_DEVICE"], key_func=_device_key,
                               methods=["POST"], deduct_when=_failed, exempt_when=_unknown_device,
                               scope="login-device")
    per_account = limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=_account_key,
                                methods=["POST"], deduct_when=_failed, exempt_when=_known_device,
                                scope="login-account")
    per_ip = limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"],
                           deduct_when=_failed, exempt_when=_known_device, scope="login-ip")
    return per_ip(per_account(per_device(view)))


def code_limits(account_key):
    """Throttle a view that checks a two-factor code: wrong codes per account (``account_key()`` names it), one
    count shared by every view so decorated, wherever they come from; a wrong code sets ``g.login_failed``."""
    return limiter.shared_limit(lambda: current_app.config["TWO_FACTOR_LIMIT"], "two-factor-account",
                                key_func=account_key, methods=["POST"], deduct_when=_failed)


def init_app(app) -> None:
    limiter.init_app(app)
    # Only the views decorated above are limited, and their decorators check their limits themselves. The
    # limiter's own check before every request is for default and application-wide limits, which proconnect
    # does not set (an instance that sets RATELIMIT_DEFAULT gets none of them): it cost a form page an eighth of
    # its time.
    app.before_request_funcs[None].remove(limiter._check_request_limit)
