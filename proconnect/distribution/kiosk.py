"""Kiosk mode: the language choice, the staff PIN screen, the service worker, and the offline queue.

Offline queue, exactly once: kiosk.js stores each finished form in IndexedDB with the idempotency
key made when the person started, then POSTs it here (all answers, ``_nav=submit``) until the
server answers. The key is unique in the database, so a resend after a lost reply is answered
``duplicate`` and nothing is stored twice. CSRF: the page's token is tied to a session and expires,
and a queued form may be sent hours later from a worker, so this endpoint instead requires the
``X-Proconnect-Queue`` header (a cross-site form cannot set it, and a cross-site fetch with it needs
a CORS preflight this app never grants) and refuses ``Sec-Fetch-Site: cross-site``.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from flask import abort, current_app, jsonify, make_response, render_template, request, url_for
from flask_babel import force_locale, lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..access import public
from ..definitions import forms_registry
from ..extensions import db
from ..i18n import COOKIE, LANGUAGES, RTL_LANGUAGES, supported
from ..models_util import utcnow
from ..recordings import audio_urls
from ..responses import flow
from ..responses.util import form_names, read_answers
from ..responses.views import KioskScreens
from ..links.models import Kiosk, Link
from . import pin_guard

QUEUE_HEADER = "X-Proconnect-Queue"
#: The browser's bars on an installed kiosk: the header's colour (style.css --accent).
THEME_COLOR = "#0b5cad"
#: What kiosk.js sends besides the answers and the form's own controls: language, device, queue length.
SYNC_CONTROLS = ("_lang", "_kiosk", "_pending")
#: The id kiosk.js makes for its tablet: 24 random bytes, URL-safe Base64 without padding.
DEVICE = re.compile(r"[A-Za-z0-9_-]{32}\Z")
STATIC = Path(__file__).resolve().parent.parent / "static"


def kiosk_conditions(definition) -> dict[str, str]:
    """Field id -> its ``show_if`` tree as JSON, for every field: a kiosk decides all pages in the browser."""
    return {f.id: json.dumps(f.condition, separators=(",", ":")) for f in definition.fields if f.condition}


def kiosk_audio(definition, lang: str) -> dict[str, str]:
    """Read-aloud files: ``<key>`` -> URL (``recordings.texts`` names the keys); recordings made in the browser
    for the texts as they stand, over the files the instrument ships in ``audio/<lang>/``."""
    return audio_urls(definition, lang)


def _form_assets(definition) -> list[str]:
    images = {f.image for f in definition.fields if getattr(f, "image", None)}
    for f in definition.fields:
        images |= {c.image for c in (getattr(f, "choices", None) or []) if getattr(c, "image", None)}
        images |= {r.image for r in (getattr(f, "rows", None) or []) if getattr(r, "image", None)}
    return [url_for("responses.asset", form_id=definition.id, name=name) for name in sorted(images)]


def start(link: Link, definition):
    """The first kiosk screen: the language choice, by native name, as plain links (no JavaScript needed)."""
    urls = [url_for("responses.fill", token=link.token)] + \
        [url_for("responses.fill", token=link.token, lang=code) for code in LANGUAGES]
    static = [url_for("static", filename=name) for name in
              ("style.css", "fonts/fonts.css", "kiosk.css", "form.js", "kiosk.js", "faces/1.svg", "faces/2.svg",
               "faces/3.svg")]
    # An installed kiosk may be opened from the home screen while offline: its manifest and icons too.
    installed = [url_for("distribution.manifest", token=link.token)] + \
        [url_for("static", filename=f"icons/{name}") for name in ("icon-192.png", "icon-512.png", "favicon.ico")]
    precache = urls + static + installed + _form_assets(definition)
    # In the link's language, whatever the previous person chose.
    with force_locale(link.language):
        response = make_response(render_template("distribution/kiosk_start.html", link=link, definition=definition,
                                                 precache=precache, rtl=RTL_LANGUAGES))
    # The previous person's language must not greet the next one.
    response.delete_cookie(COOKIE)
    return response


@public
def service_worker():
    """The kiosk's service worker, served from the root so its scope covers every page."""
    response = current_app.response_class((STATIC / "sw.js").read_bytes(), mimetype="text/javascript")
    # The browser checks for a new worker on each visit only when this is not cached.
    response.headers["Cache-Control"] = "no-cache"
    return response


@public
def manifest(token: str):
    """The web app manifest of a kiosk link: a tablet adds the link to its home screen and opens it full screen,
    without the browser's address bar, at the language choice.

    :raise 404: unknown token or not a kiosk
    """
    link = flow.find_link(token)
    if not link.kiosk:
        abort(404)
    start_url = url_for("responses.fill", token=link.token)
    body = {"name": "pro:connect", "short_name": "pro:connect", "id": start_url, "start_url": start_url,
            # Pages of this link only (its screens, thank-you and PIN screen): anything else opens in the browser.
            "scope": start_url, "display": "fullscreen", "display_override": ["fullscreen", "standalone"],
            "lang": link.language, "dir": "rtl" if link.language in RTL_LANGUAGES else "ltr",
            "background_color": "#ffffff", "theme_color": THEME_COLOR,
            "icons": [{"src": url_for("static", filename=f"icons/icon-{size}.png"), "sizes": f"{size}x{size}",
                       "type": "image/png", "purpose": "any maskable"} for size in (192, 512)]}
    response = current_app.response_class(json.dumps(body, ensure_ascii=False),
                                           mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response


def _queue_link(token: str) -> Link:
    """The kiosk link a tablet's script posts to; 403 without the queue header or from another site (no other
    site can send the header without CORS), 404 for an unknown token or a link that is no kiosk."""
    if request.headers.get(QUEUE_HEADER) != "1" or request.headers.get("Sec-Fetch-Site") == "cross-site":
        abort(403)
    link = flow.find_link(token)
    if not link.kiosk:
        abort(404)
    return link


def _json(status: str, code: int = 200, **extra):
    return jsonify(status=status, **extra), code


def _refused(exc) -> tuple:
    """A refused item: ``closed`` (the link takes no answers), ``version`` (the version it was answered under is
    gone) or ``invalid``; ``final`` as the flow says."""
    status = "closed" if isinstance(exc, flow.Closed) else "version" if isinstance(exc, flow.VersionGone) \
        else "invalid"
    return _json(status, exc.status, message=str(exc.message), final=exc.final)


def _pending() -> int:
    """How many answers the tablet says are waiting, within what one tablet can hold."""
    try:
        pending = int(request.form.get("_pending", "0"))
    except ValueError:
        pending = 0
    return max(0, min(pending, current_app.config["KIOSK_MAX_PENDING"]))


def _registered(link: Link, device: str) -> Kiosk | None:
    """The tablet ``device`` of ``link``, registered now while the link has room for another (else None)."""
    kiosk = db.session.scalar(select(Kiosk).filter_by(link_id=link.id, device=device))
    if kiosk is not None:
        return kiosk
    tablets = db.session.scalar(select(func.count(Kiosk.id)).filter_by(link_id=link.id))
    if tablets >= current_app.config["KIOSK_TABLETS_PER_LINK"]:
        return None
    db.session.add(Kiosk(link_id=link.id, device=device))
    try:
        db.session.commit()
    except IntegrityError:
        # The tablet's first two requests crossed; the other one created the row.
        db.session.rollback()
    return db.session.scalar(select(Kiosk).filter_by(link_id=link.id, device=device))


def _seen(kiosk: Kiosk | None) -> None:
    """Note the tablet's contact and how many answers it says are waiting."""
    if kiosk is not None:
        kiosk.last_seen_at, kiosk.pending = utcnow(), _pending()


@public
def sync(token: str):
    """Take one queued submission (all answers, one POST) or a heartbeat from a kiosk; answer in JSON.

    A switched-off link, or one outside its dates, takes neither; a link registers at most
    ``KIOSK_TABLETS_PER_LINK`` tablets (answers from another one are still taken, its heartbeat is refused).

    :return: ``stored`` / ``duplicate`` (200), ``heartbeat`` (200), ``invalid`` (400; 409: the key belongs to
             another link; 422: with the page and errors), ``closed`` (403/410, with the reason), ``refused``
             (403: no room for another tablet), ``version`` (409: answered under a version that is gone or
             changed; an item names its version as the page did, one without is taken under the version served
             now). A refused item says ``final``: false only when it may be taken
             later (a link not open yet); a final one is kept on the tablet for staff and the queue moves on.
    :raise 403: without the queue header, or from another site; 404: unknown token or not a kiosk
    """
    link = _queue_link(token)
    device, key = request.form.get("_kiosk", ""), request.form.get("_key", "")
    # A heartbeat is only about its tablet; a submission may come without one (the page-by-page path has none).
    if ((device or not key) and not DEVICE.match(device)) or (key and not flow.KEY.match(key)):
        return _json("invalid", 400, message=str(_l("Something in the sent form was not right")), final=True)
    language = supported(request.form.get("_lang")) or link.language
    with force_locale(language):
        try:
            # A resend after a lost reply learns that its answers arrived, even once the link has closed.
            if key and flow.stored(key, link):
                return _json("duplicate")
            flow.check_open(link)
        except flow.Refused as exc:
            return _refused(exc)
        kiosk = _registered(link, device) if device else None
        if kiosk is None and not key:
            return _json("refused", 403, message=str(_l("This link takes no more tablets. Please tell the "
                                                         "project team.")))
    if not key:
        _seen(kiosk)
        db.session.commit()
        return _json("heartbeat")
    with force_locale(language):
        try:
            definition = flow.open_link(link, key, flow.shown_version(request.form))
            form = flow.form_class(definition)(meta={"csrf": False})
            values, shown = read_answers(definition, form)
            if flow.unknown_inputs(definition, request.form, allowed=SYNC_CONTROLS):
                visible = flow.visible_pages(definition, shown)
                invalid = visible[0] if visible else None
            else:
                invalid = flow.first_invalid_page(definition, form, shown)
            if invalid is not None:
                _seen(kiosk)
                db.session.commit()
                return _json("invalid", 422, page=invalid, errors=_page_errors(definition, form, invalid), final=True)
            _response, created = flow.store(definition, link, language=language, key=key, values=values,
                                            shown=shown)
        except flow.Refused as exc:
            _seen(kiosk)
            db.session.commit()
            return _refused(exc)
    # The tablet's row is written only after the answer's transaction: storing locks the link first, and a
    # second lock taken before it (the tablet's row) let parallel syncs of one tablet deadlock on PostgreSQL.
    if kiosk is not None:
        _seen(kiosk)
        kiosk.last_sync_at = utcnow()
        kiosk.received += 1 if created else 0
    db.session.commit()
    return _json("stored" if created else "duplicate")


def _page_errors(definition, form, index: int) -> dict[str, list[str]]:
    """Input name -> the messages of a validated page's answers, as the page-by-page form would show them."""
    names = form_names(definition, definition.pages[index].fields)
    return {name: [str(e) for e in form[name].errors] for name in names if form[name].errors}


@public
def check(token: str):
    """Check one kiosk screen's answers as the server will check them when they are sent; store nothing.

    kiosk.js asks before it moves to the next screen, so a number typed as words is named on its own screen,
    not after the last one. Offline the tablet moves on without asking: the answers are checked again when
    they are sent.

    :return: ``ok`` (200), or ``invalid`` (422) with ``errors`` (input name -> messages in the person's
             language); a link that takes no answers answers as the sync does (the send will say it again)
    :raise 403: without the queue header, or from another site; 404: unknown token or not a kiosk
    """
    link = _queue_link(token)
    with force_locale(supported(request.form.get("_lang")) or link.language):
        try:
            definition = flow.open_link(link, "", flow.shown_version(request.form))
        except flow.Refused as exc:
            return _refused(exc)
        page = request.form.get("_page", "")
        if not page.isdigit() or int(page) >= len(definition.pages) \
                or flow.unknown_inputs(definition, request.form, allowed=SYNC_CONTROLS):
            return _json("invalid", 400, message=str(_l("Something in the sent form was not right")))
        form = flow.form_class(definition)(meta={"csrf": False})
        _values, shown = read_answers(definition, form)
        if flow.validate_page(definition, form, int(page), shown):
            return _json("ok")
        return _json("invalid", 422, page=int(page), errors=_page_errors(definition, form, int(page)))


def _pin_tablet(link: Link) -> str:
    """The tablet a PIN is typed on: a registered tablet of the link, else the one count everybody else shares."""
    device = request.form.get("_kiosk", "")
    if DEVICE.match(device) and db.session.scalar(select(Kiosk.id).filter_by(link_id=link.id, device=device)):
        return device
    return pin_guard.SHARED


@public
def staff(token: str):
    """The way out of kiosk mode: a PIN screen; the right PIN shows the tablets' sync state and the exit.

    Wrong PINs make the tablet they were typed on wait a little longer each time (``pin_guard``).
    """
    link = flow.find_link(token)
    if not link.kiosk:
        abort(404)
    message, status, unlocked, headers = None, 200, False, {}
    if request.method == "POST":
        tablet = _pin_tablet(link)
        wait = pin_guard.guard.attempt(link.token, tablet)
        if wait:
            message, status = _l("Too many wrong PINs. Please try again in %(seconds)s s.", seconds=wait), 429
            headers["Retry-After"] = str(wait)
        elif link.check_pin(request.form.get("pin", "").strip()):
            unlocked = True
            pin_guard.guard.right(link.token, tablet)
        else:
            message, status = _l("This PIN is not right."), 403
    kiosks = db.session.scalars(select(Kiosk).filter_by(link_id=link.id).order_by(Kiosk.last_seen_at.desc())).all() \
        if unlocked else []
    return render_template("distribution/kiosk_staff.html", link=link, message=message, unlocked=unlocked,
                           kiosks=kiosks), status, headers


#: The web form shows kiosk links with these (registered by the blueprint). A kiosk page carries every page
#: of the form, so its script can go on without the network.
SCREENS = KioskScreens(start=start, page_template="distribution/kiosk_page.html")
