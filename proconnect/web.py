"""What every page shares: the client's address behind trusted proxies, the templates' globals and filters
(all of them, here), language and direction, the landing page, request hygiene, headers."""
from __future__ import annotations

from itertools import chain
from urllib.parse import unquote_to_bytes

from flask import abort, current_app, g, jsonify, render_template, request, send_from_directory
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from .access import public, role_label
from .admin import staff_nav, url_with
from .control_chars import CONTROL, FIELD_CONTROL, first_with_control
from .distribution.kiosk import QUEUE_HEADER, THEME_COLOR, kiosk_audio, kiosk_conditions
from .errors import refuse
from .i18n import COOKIE, LANGUAGES, current_language, supported, text_direction
from .links.urls import CodeConverter
from .pdf import clean, direction
from .responses import markup


def init_templates(app) -> None:
    """Every global and filter the templates use."""
    # Less whitespace on the wire: a hall's Wi-Fi is shared by many tablets.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals.update(text_direction=text_direction, role_label=role_label, staff_nav=staff_nav,
                                 url_with=url_with, kiosk_conditions=kiosk_conditions,
                                 kiosk_audio=kiosk_audio, kiosk_theme_color=THEME_COLOR,
                                 # A question of a form page and how its answers show (responses.markup).
                                 question=markup.question, selected=markup.selected, checked=markup.checked,
                                 picked=markup.picked, ticked=markup.ticked, date_value=markup.date_value)
    app.add_template_filter(clean, "pdf_clean")
    app.add_template_filter(direction, "pdf_direction")


#: Responses never stored by a browser or proxy: personal data leaves with the person who downloaded it.
DOWNLOAD_TYPES = ("application/pdf", "text/csv", "application/zip",
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _refuse_request(message):
    # The kiosk's queue reads JSON: a 400 tells the tablet the item is refused for good (it keeps it
    # for staff and sends the next one); a browser gets the error page.
    if request.headers.get(QUEUE_HEADER) == "1":
        response = jsonify(status="invalid", message=str(message))
        response.status_code = 400
        abort(response)
    refuse(400, message)


def _utf8_form(body: bytes) -> bool:
    """Whether every name and value of an urlencoded body is UTF-8 once unquoted (the body itself is ASCII)."""
    if not body.isascii():
        return False
    if b"%" not in body:
        return True
    # Unquoted in one piece, not per name and value: the separators ``&`` and ``=`` are ASCII, so a sequence
    # cut off at the end of one value stays broken, and the whole is UTF-8 exactly when every part is.
    try:
        unquote_to_bytes(body).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def upload_limit() -> None:
    """Let a view wrapped by ``file_uploads.receives_files`` receive twice its largest file (it says what was too
    large itself; beyond, the 413 page). It must run before anything reads the form (the request hygiene below)."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    key = getattr(view, "upload_limit", None)
    if key:
        request.max_content_length = 2 * current_app.config[key]


def _form_has_control(form) -> bool:
    """Whether a form field's name or value holds a control character (tab and newlines allowed in values)."""
    # Two searches over the joined names and values, not two per input: a form page sends about a hundred.
    return bool(CONTROL.search("".join(form.keys()))
                or FIELD_CONTROL.search("".join(chain.from_iterable(form.listvalues()))))


def check_request_text() -> None:
    """Refuse (400) invalid UTF-8 and control characters in the address, a query argument or a form field."""
    # Werkzeug would quietly turn broken bytes into U+FFFD; a person's answer must arrive as typed.
    if request.method == "POST" and request.mimetype == "application/x-www-form-urlencoded":
        if not _utf8_form(request.get_data(cache=True)):
            _refuse_request(_l("Please go back, check your answers and send them again."))
    # The JSON API keeps to its OpenAPI document: it names a bad parameter in its own JSON 400.
    if request.blueprint == "api":
        return
    if CONTROL.search(request.path) or first_with_control(request.args.items(multi=True)) is not None:
        _refuse_request(_l("Please check the address or scan the QR code again."))
    if request.method == "POST" and _form_has_control(request.form):
        _refuse_request(_l("Please go back, check your answers and send them again."))


def trust_proxies(app) -> None:
    """Take the client's address and scheme from the ``TRUSTED_PROXIES`` reverse proxies in front, if any.

    Each proxy appends the address it was reached from to X-Forwarded-For; ProxyFix takes the one the
    outermost trusted proxy wrote. Without the setting the header is ignored: any client can send it.
    """
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def init_app(app):
    """The proxies in front, templates' globals, page context, request hygiene, headers, the landing page and
    ``<code:…>`` in addresses."""
    trust_proxies(app)
    init_templates(app)
    # Before the blueprints' rules are bound: staff pages and reports address participants by code.
    app.url_map.converters["code"] = CodeConverter

    @app.context_processor
    def _page_context():
        lang = current_language()
        return {"lang": lang, "dir": text_direction(lang), "languages": LANGUAGES}

    app.before_request(upload_limit)
    app.before_request(check_request_text)

    @app.after_request
    def _headers(response):
        chosen = supported(request.args.get("lang"))
        if chosen:
            response.set_cookie(COOKIE, chosen, max_age=180 * 24 * 3600, samesite="Lax", httponly=True)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        # Link tokens are in URLs: never hand them to another site.
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        # What a signed-in staff member sees, and every download, is personal data: never kept in a cache
        # (static files are not). Public form pages keep their own caching (the kiosk's worker uses the
        # Cache API, which this header does not govern).
        if ((current_user.is_authenticated and request.endpoint != "static")
                or response.mimetype in DOWNLOAD_TYPES
                or "attachment" in response.headers.get("Content-Disposition", "")):
            response.headers["Cache-Control"] = "no-store"
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
        return response

    @app.route("/")
    @public
    def index():
        return render_template("index.html")

    @app.route("/favicon.ico")
    @public
    def favicon():
        # Browsers ask for it at the root whatever a page says; without it every page logs a 404 in the console.
        return send_from_directory(app.static_folder, "icons/favicon.ico", mimetype="image/vnd.microsoft.icon",
                                   max_age=7 * 24 * 3600)

    @app.before_request
    def _reset_link_language():
        g.link_language = None
