"""Error pages: every error a person can meet gets a clear, translated page with the right status."""
from __future__ import annotations

import logging

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, default_exceptions

log = logging.getLogger(__name__)

#: Status code -> (title, explanation) shown to the person.
MESSAGES = {
    401: (_l("Please sign in"), _l("This page is for the project team. Please sign in first.")),
    400: (_l("Something in the sent form was not right"),
          _l("Please go back, check your answers and send them again.")),
    403: (_l("This page is not open"), _l("This page is not open for you or not open yet.")),
    404: (_l("Page not found"), _l("Please check the address or scan the QR code again.")),
    405: (_l("This did not work"), _l("Please go back and try again.")),
    410: (_l("This form is closed"), _l("This form does not take answers any more. Thank you for your interest.")),
    429: (_l("Too many attempts"), _l("Please wait a few minutes, then try again.")),
    413: (_l("Too much data"), _l("The sent form was too large. Please shorten long answers and send again.")),
    500: (_l("Something went wrong on our side"),
          _l("Your answers were not lost if you saw a thank-you page. Please tell the team on site.")),
}


def error_page(status: int, title=None, message=None):
    """Render the error page for ``status`` (with an optional more specific title and message)."""
    default_title, default_message = MESSAGES.get(status, MESSAGES[400 if status < 500 else 500])
    return render_template("error.html", status=status, title=title or default_title,
                           message=message or default_message), status


def init_app(app):
    @app.errorhandler(CSRFError)
    def _csrf(exc):
        return error_page(400, message=_l("The page was open too long. Please go back, reload it and send again."))

    @app.errorhandler(HTTPException)
    def _http(exc):
        if exc.code is None or exc.code < 400:
            return exc
        return error_page(exc.code, message=getattr(exc, "page_message", None))

    @app.errorhandler(InternalServerError)
    def _internal(exc):
        log.error("internal error: %s", exc.original_exception or exc, exc_info=exc.original_exception)
        return error_page(500)


def refuse(status: int, message) -> None:
    """Abort with ``status`` and a specific, translated message for the error page."""
    exc = default_exceptions[status]()
    exc.page_message = message
    raise exc
