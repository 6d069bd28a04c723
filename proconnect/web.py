"""What every page shares: the templates' globals and filters (all of them, here), language and direction,
the landing page, request hygiene, headers."""
from __future__ import annotations

from urllib.parse import parse_qsl

from flask import abort, g, render_template, request

from .access import public, role_label
from .admin import staff_nav, url_with
from .distribution.kiosk import kiosk_audio, kiosk_conditions
from .i18n import COOKIE, LANGUAGES, current_language, supported, text_direction
from .pdf import clean, direction


def init_templates(app) -> None:
    """Every global and filter the templates use."""
    # Less whitespace on the wire: a hall's Wi-Fi is shared by many tablets.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals.update(text_direction=text_direction, role_label=role_label, staff_nav=staff_nav,
                                 url_with=url_with, kiosk_conditions=kiosk_conditions,
                                 kiosk_audio=kiosk_audio)
    app.add_template_filter(clean, "pdf_clean")
    app.add_template_filter(direction, "pdf_direction")


def init_app(app):
    """Templates' globals, page context, request hygiene, headers and the landing page."""
    init_templates(app)

    @app.context_processor
    def _page_context():
        lang = current_language()
        return {"lang": lang, "dir": text_direction(lang), "languages": LANGUAGES}

    @app.before_request
    def _reject_invalid_utf8():
        # Werkzeug would quietly turn broken bytes into U+FFFD; a person's answer must arrive as typed.
        if request.method == "POST" and request.mimetype == "application/x-www-form-urlencoded":
            try:
                parse_qsl(request.get_data(cache=True).decode("ascii"), keep_blank_values=True,
                          encoding="utf-8", errors="strict")
            except UnicodeDecodeError:
                abort(400)

    @app.after_request
    def _headers(response):
        chosen = supported(request.args.get("lang"))
        if chosen:
            response.set_cookie(COOKIE, chosen, max_age=180 * 24 * 3600, samesite="Lax", httponly=True)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        # Link tokens are in URLs: never hand them to another site.
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
        return response

    @app.route("/")
    @public
    def index():
        return render_template("index.html")

    @app.before_request
    def _reset_link_language():
        g.link_language = None
