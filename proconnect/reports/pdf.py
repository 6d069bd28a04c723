"""HTML to PDF with xhtml2pdf, allowed to read nothing but the report fonts.

Two locks, because one is easy to get wrong: the resource policy confines every read to the static
folder with no network, and ``link_callback`` maps the few files a report may use and sends everything
else to a path that does not exist (returning ``None`` would make xhtml2pdf fetch the original URI).
"""
from __future__ import annotations

import functools
import io
import logging
from pathlib import Path

from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
FONT_DIR = STATIC_DIR / "report-fonts"
_REFUSED = FONT_DIR / "refused-resource"
#: The only inline resources a report may carry: PNGs the app drew itself (see scripts.text_png).
_OWN_IMAGE = "data:image/png;base64,"

log = logging.getLogger(__name__)


class PdfError(Exception):
    """The PDF engine reported errors while rendering."""


def link_callback(uri: str, _rel: str | None = None) -> str:
    """The file a report may read for ``uri``, or a path that does not exist.

    Allowed: ``report-fonts/<file>`` (our fonts) and PNG data URIs; nothing else, whatever the scheme.
    """
    uri = str(uri or "")
    if uri.startswith(_OWN_IMAGE):
        return uri
    if uri.startswith("report-fonts/") and "/" not in uri[len("report-fonts/"):]:
        path = (FONT_DIR / uri[len("report-fonts/"):]).resolve()
        if path.parent == FONT_DIR.resolve() and path.is_file():
            return str(path)
    log.warning("report resource refused: %.120s", uri)
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
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    for name, file in _ARABIC_FACES.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            font = TTFont(name, str(FONT_DIR / file))
            font.face.ascent, font.face.descent = _ARABIC_METRICS
            pdfmetrics.registerFont(font)


def render_pdf(html: str) -> bytes:
    """Render report HTML (made by our templates, user text escaped) to PDF bytes.

    :raise PdfError: when the engine reports an error
    """
    _register_arabic_faces()
    out = io.BytesIO()
    policy = ResourceAccessPolicy.server(FONT_DIR, allow_remote=False, max_render_seconds=600,
                                        max_document_bytes=64 * 1024 * 1024)
    # capacity: xhtml2pdf buffers the document in memory up to this size and in a temporary file beyond it,
    # a file it leaves open; a report is well below 64 MB.
    result = pisa.CreatePDF(html, dest=out, link_callback=link_callback, encoding="utf-8",
                            resource_policy=policy, capacity=64 * 1024 * 1024)
    if result.err:
        raise PdfError(f"xhtml2pdf reported {result.err} error(s)")
    return out.getvalue()
