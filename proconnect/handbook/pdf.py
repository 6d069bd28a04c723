"""The handbook as one printable PDF: every help page in order, screenshots included."""
from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale

from ..models_util import utcnow
from ..pdf import render_pdf
from .pages import PAGES


def handbook_pdf(lang: str) -> bytes:
    """Render the handbook in ``lang`` (``de`` or ``en``)."""
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]), force_locale(lang):
        html = render_template("handbook/pdf.html", pages=PAGES, lang=lang, hb_lang=lang, pdf=True,
                               made=utcnow().strftime("%Y-%m-%d"))
    return render_pdf(html, images="handbook")
