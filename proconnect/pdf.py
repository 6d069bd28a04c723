"""Every PDF the app makes (reports, profile sheets, data exports, posters, cards, the handbook): HTML to PDF
with xhtml2pdf on one set of fonts, and user text cleaned for it.

The fonts (Noto Sans, Arabic, Ethiopic; OFL) live in ``static/report-fonts``; templates declare them once, by
extending ``pdf/base.html`` or including ``pdf/_fonts.html``. Two locks on what a document may read, because
one is easy to get wrong: the resource policy confines every read to the static folder with no network, and
``link_callback`` maps the few files a document may use and sends everything else to a path that does not
exist (returning ``None`` would make xhtml2pdf fetch the original URI).
"""
from __future__ import annotations

import functools
import io
import logging
import re
import unicodedata
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

STATIC = Path(__file__).resolve().parent / "static"
FONT_DIR = STATIC / "report-fonts"
_REFUSED = FONT_DIR / "refused-resource"
#: The only inline resources a document may carry: PNGs the app drew itself (QR codes, chart bars, text images).
_OWN_IMAGE = "data:image/png;base64,"
#: Bidi embedding/override/isolate controls: user text must not reorder the text around it.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")

log = logging.getLogger(__name__)


class PdfError(Exception):
    """The PDF engine reported errors while rendering."""


def clean(text: str) -> str:
    """User text without bidi controls and without control characters other than line breaks."""
    text = _BIDI_CONTROLS.sub("", text or "")
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")


def direction(text: str) -> str:
    """``rtl`` when the first strong character is right-to-left, else ``ltr``."""
    for c in text:
        kind = unicodedata.bidirectional(c)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def link_callback(uri: str, _rel: str | None = None, images: str | None = None) -> str:
    """The file a document may read for ``uri``, or a path that does not exist.

    Allowed: ``report-fonts/<file>`` (our fonts), PNG data URIs, and ``<images>/<file>`` from that one folder
    of ``static/`` when the document names it (the handbook's screenshots); nothing else, whatever the scheme.
    """
    uri = str(uri or "")
    if uri.startswith(_OWN_IMAGE):
        return uri
    for folder in ("report-fonts", images) if images else ("report-fonts",):
        prefix = f"{folder}/"
        if uri.startswith(prefix) and "/" not in uri[len(prefix):]:
            path = (STATIC / uri).resolve()
            if path.parent == (STATIC / folder).resolve() and path.is_file():
                return str(path)
    log.warning("PDF resource refused: %.120s", uri)
    return str(_REFUSED)


#: Noto Sans Arabic declares a line box of 2.1 em (room for stacked marks); xhtml2pdf sizes every line by its
#: font's box, so an answer in Arabic script stood in a line twice as tall as the text around it. We
#: register the faces ourselves, under the names xhtml2pdf gives an ``@font-face`` family ("<family>_<bold><italic>",
#: lower case), with Noto Sans' ascent and a moderate descent; xhtml2pdf then reuses them as "registered
#: outside". Should that naming change, the fonts load as before: taller lines, nothing else.
_ARABIC_FACES = {"notosansarabic_00": "NotoSansArabic-Regular.ttf", "notosansarabic_10": "NotoSansArabic-Bold.ttf"}
_ARABIC_METRICS = (1069, -450)


@functools.cache
def _register_arabic_faces() -> None:
    for name, file in _ARABIC_FACES.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            font = TTFont(name, str(FONT_DIR / file))
            font.face.ascent, font.face.descent = _ARABIC_METRICS
            pdfmetrics.registerFont(font)


def render_pdf(html: str, images: str | None = None) -> bytes:
    """Render HTML made by our templates (user text escaped) to PDF bytes.

    :param images: a folder of ``static/`` whose files the document may show (the handbook's screenshots)
    :raise PdfError: when the engine reports an error
    """
    _register_arabic_faces()
    out = io.BytesIO()
    policy = ResourceAccessPolicy.server(STATIC, allow_remote=False, max_render_seconds=600,
                                        max_document_bytes=64 * 1024 * 1024)
    # capacity: xhtml2pdf buffers the document in memory up to this size and in a temporary file beyond it,
    # a file it leaves open; our documents stay well below 64 MB.
    result = pisa.CreatePDF(html, dest=out, link_callback=functools.partial(link_callback, images=images),
                            encoding="utf-8", resource_policy=policy, capacity=64 * 1024 * 1024)
    if result.err:
        raise PdfError(f"xhtml2pdf reported {result.err} error(s)")
    return out.getvalue()
