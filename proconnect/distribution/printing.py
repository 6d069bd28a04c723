"""What a coordinator prints: the A4 poster of a link and sheets of participant cards."""
from __future__ import annotations

import functools

from flask import current_app, has_request_context, render_template
from flask_babel import force_locale, gettext as _, pgettext

from ..cohorts.models import Cohort
from ..definitions import forms_registry
from ..pdf import clean, direction, render_pdf
from . import qr
from ..links.urls import link_url
from ..links.models import Link

CARDS_PER_ROW, ROWS_PER_SHEET = 2, 5


def _in_request(function):
    """Run ``function`` in a request context (from the command line there is none; templates expect one)."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if has_request_context():
            return function(*args, **kwargs)
        with current_app.test_request_context():
            return function(*args, **kwargs)
    return wrapper


def _poster_block(link: Link, language: str, title: str) -> dict:
    with force_locale(language):
        translated = pgettext(link.form_id, title) if title else ""
        steps = _("Open the camera of your phone, point it at the code and tap the link that appears. "
                  "The form opens in your language.")
        # A rehearsal's poster must never pass for the real one at the event.
        test = _("Test link: answers given here are only for trying out the form. They are not counted.") \
            if link.test else ""
    return {"title": clean(translated), "steps": steps, "event": clean(link.event), "test": test,
            "dir": direction(translated + steps)}


@_in_request
def poster_pdf(link: Link) -> bytes:
    """A4 poster: title, event, the QR code 15 cm wide, instructions in the link's language and German."""
    definition = forms_registry(current_app).get(link.form_id, link.version)
    title = definition.title if definition else link.form_id
    languages = [link.language] + (["de"] if link.language != "de" else [])
    url = link_url(link)
    html = render_template("distribution/poster.pdf.html", url=url, qr=qr.png_data_uri(url, box_size=12),
                           blocks=[_poster_block(link, lang, title) for lang in languages])
    return render_pdf(html)


@_in_request
def cards_pdf(cohort: Cohort, codes: list[str]) -> bytes:
    """Sheets of participant cards (ten per A4 page), each with its code as text and as a QR code."""
    cards = [{"code": code, "qr": qr.png_data_uri(code, box_size=20)} for code in codes]
    rows = [cards[i:i + CARDS_PER_ROW] for i in range(0, len(cards), CARDS_PER_ROW)]
    sheets = [rows[i:i + ROWS_PER_SHEET] for i in range(0, len(rows), ROWS_PER_SHEET)]
    with force_locale("de"):
        hint = _("Your participant code. Please bring this card to every meeting. It has no name on it.")
    return render_pdf(render_template("distribution/cards.pdf.html", sheets=sheets, cohort=clean(cohort.title),
                                  hint=hint))
