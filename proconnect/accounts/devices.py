"""Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies").

After a successful sign-in the browser gets a cookie, signed with the app's secret, that names the
account and a random nonce. A sign-in to that account from a browser with a valid cookie for it is
throttled by the cookie's own count (see ``throttle``), not by the counts of the account and the
address that a guesser fills: the account's holder still gets in from a browser that signed in
before while a guesser without one is throttled, and a cookie that fails too often is locked out
itself. Nothing is stored on the server but the limiter's counts.
"""
from __future__ import annotations

import secrets

from flask import current_app, g, request, url_for
from itsdangerous import BadData, URLSafeTimedSerializer

COOKIE = "proconnect_device"
_SALT = "proconnect.device-cookie"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT)


def _max_age() -> int:
    return current_app.config["LOGIN_DEVICE_DAYS"] * 24 * 3600


def account_key(name: str) -> str:
    """The form of an account name that counts and cookies use (sign-in names are not case-sensitive)."""
    return name.strip().lower()[:80]


def known_device() -> str:
    """The nonce of this browser's device cookie when it is valid for the account being signed in to, else ""."""
    if "known_device" not in g:
        g.known_device = ""
        raw, name = request.cookies.get(COOKIE, ""), account_key(request.form.get("username") or "")
        if raw and name and len(raw) < 500:
            try:
                data = _serializer().loads(raw, max_age=_max_age())
            except BadData:
                data = None
            if isinstance(data, dict) and data.get("account") == name and isinstance(data.get("nonce"), str):
                g.known_device = data["nonce"]
    return g.known_device


def remember_device(response, username: str):
    """Give this browser a new device cookie for ``username`` (after a successful sign-in); :return: ``response``."""
    value = _serializer().dumps({"account": account_key(username), "nonce": secrets.token_urlsafe(16)})
    response.set_cookie(COOKIE, value, max_age=_max_age(), path=url_for("accounts.login"), httponly=True,
                        secure=current_app.config["SESSION_COOKIE_SECURE"], samesite="Strict")
    return response
