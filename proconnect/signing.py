"""The session cookie and the form pages' CSRF token, each signature checked once per worker process.

A tablet sends the same session cookie and, page after page, the CSRF token of the page before. Checking their
signatures again on every request (itsdangerous: a serializer, a derived key, base64, an HMAC, JSON) cost about a
quarter of the first page. A signature is a fact about a string and the secret keys: once a cookie or a token has
passed, this process remembers the string with the time it was signed and what it holds, and checks only what
changes with time (its age, the same limits as before) and what changes with the session (the token must be the
session's). A forged or altered string never passed, so it is checked in full every time and refused as before.

A form page's token is signed again when the one this process signed for the session is a minute old: the page
carries a token at most a minute older than before, out of its 12 hours (``WTF_CSRF_TIME_LIMIT``).
"""
from __future__ import annotations

import copy
import hashlib
import hmac
import os
import time

from flask import current_app, g, session
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadData, BadSignature, SignatureExpired, URLSafeTimedSerializer
from wtforms import ValidationError
from wtforms.csrf.core import CSRF

#: Strings kept per process and kind at most; beyond, they start over.
MOST = 4096
#: Seconds a form page's signed token is handed out again to the same session.
REUSE_SECONDS = 60

def _keep(kept: dict, key, value):
    if len(kept) >= MOST:
        kept.clear()
    kept[key] = value
    return value


def _fresh(signed_at: int, max_age: int) -> bool:
    """itsdangerous' own rule: not older than ``max_age`` seconds and not from the future."""
    return 0 <= int(time.time()) - signed_at <= max_age


class KeptSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, each cookie's signature checked once per process (see the module's text)."""

    def __init__(self):
        self._serializers: dict = {}
        self._opened: dict = {}

    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys not in self._serializers:
            self._serializers = {keys: super().get_signing_serializer(app)}
        return self._serializers[keys]

    def open_session(self, app, request):
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        kept = self._opened.get((serializer, value))
        if kept is None:
            try:
                data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
            except BadSignature:
                return self.session_class()
            kept = _keep(self._opened, (serializer, value), (int(signed_at.timestamp()), data))
        elif not _fresh(kept[0], max_age):
            return self.session_class()
        # Each request changes its own copy.
        return self.session_class(copy.deepcopy(kept[1]))


_SIGNED: dict = {}
_PASSED: dict = {}


def _csrf_settings() -> tuple[str, str, int]:
    """Flask-WTF's: the secret key, the session's (and ``g``'s) name of the token, its time limit."""
    config = current_app.config
    secret = config.get("WTF_CSRF_SECRET_KEY", current_app.secret_key)
    if secret is None:
        raise RuntimeError("A secret key is required to use CSRF.")
    return secret, config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), config.get("WTF_CSRF_TIME_LIMIT", 3600)


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="wtf-csrf-token")


def csrf_token() -> str:
    """The signed CSRF token of this request, as ``flask_wtf.csrf.generate_csrf`` makes it (the same salt and
    key, so every page and ``CSRFProtect`` take it), signed again at most once a minute per session."""
    secret, name, _limit = _csrf_settings()
    if name not in g:
        if name not in session:
            session[name] = hashlib.sha1(os.urandom(64)).hexdigest()
        raw = session[name]
        kept = _SIGNED.get((secret, raw))
        if kept is None or time.time() - kept[0] > REUSE_SECONDS:
            kept = _keep(_SIGNED, (secret, raw), (time.time(), _serializer(secret).dumps(raw)))
        setattr(g, name, kept[1])
    return g.get(name)


def check_csrf(token: str | None) -> None:
    """Refuse a CSRF token as ``flask_wtf.csrf.validate_csrf`` does: missing, not signed with the key, older than
    the time limit, or not this session's. :raise ValidationError: with Flask-WTF's reason"""
    secret, name, limit = _csrf_settings()
    if not token:
        raise ValidationError("The CSRF token is missing.")
    if name not in session:
        raise ValidationError("The CSRF session token is missing.")
    kept = _PASSED.get((secret, token))
    if kept is None:
        try:
            raw, signed_at = _serializer(secret).loads(token, max_age=limit, return_timestamp=True)
        except SignatureExpired as exc:
            raise ValidationError("The CSRF token has expired.") from exc
        except BadData as exc:
            raise ValidationError("The CSRF token is invalid.") from exc
        kept = _keep(_PASSED, (secret, token), (int(signed_at.timestamp()), raw))
    elif not _fresh(kept[0], limit):
        raise ValidationError("The CSRF token has expired.")
    if not hmac.compare_digest(session[name], kept[1]):
        raise ValidationError("The CSRF tokens do not match.")


def csrf_passes(token: str | None) -> bool:
    """Whether a sent form's CSRF token is taken (``check_csrf``, or ``CSRFProtect`` checked it already)."""
    if g.get("csrf_valid", False):
        return True
    try:
        check_csrf(token)
    except ValidationError:
        return False
    return True


class KeptCSRF(CSRF):
    """A WTForms form's CSRF field through ``csrf_token`` and ``check_csrf`` (``Meta.csrf_class``)."""

    def generate_csrf_token(self, csrf_token_field):
        return csrf_token()

    def validate_csrf_token(self, form, field):
        if g.get("csrf_valid", False):
            return  # already checked by CSRFProtect
        check_csrf(field.data)
