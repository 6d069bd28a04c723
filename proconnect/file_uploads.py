"""Views that receive a file larger than a form may be (a read-aloud take, an instrument's XLSForm).

The app refuses any request over ``MAX_CONTENT_LENGTH`` (512 KB) before a view runs. A view wrapped by
``receives_files`` names the config key of its largest file; ``web.upload_limit`` lets its request carry twice
that, so that the view itself can say in words what was too large (beyond, the general 413 page). CSRFProtect
would read the form before the limit is raised, so the wrapped view checks the token itself, first.
"""
from __future__ import annotations

from functools import wraps

from flask import request
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

from .extensions import csrf


def receives_files(view, config_key: str):
    """``view`` with its CSRF check moved into it and its request limit following ``config[config_key]``."""
    @wraps(view)
    def checked(*args, **kwargs):
        try:
            validate_csrf(request.headers.get("X-CSRFToken") or request.form.get("csrf_token"))
        except ValidationError as exc:
            raise CSRFError(str(exc)) from None
        return view(*args, **kwargs)

    checked.upload_limit = config_key
    csrf.exempt(checked)
    return checked

