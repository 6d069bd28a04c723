"""HTML to PDF with xhtml2pdf, fetching nothing but files from the app's static folder.

The fonts (Noto Sans, Arabic, Ethiopic; OFL) live in ``static/report-fonts``; the templates
declare them with ``@font-face`` (see ``pdf_fonts.css``).
"""
from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

STATIC = Path(__file__).resolve().parent.parent / "static"
_REFUSED = str(STATIC / "refused-resource")
#: Bidi overrides and isolates: a person's answer must not reorder the text around it.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


class PdfError(Exception):
    """xhtml2pdf could not render the document."""


def _only_static(uri: str, _rel: str) -> str:
    # Returning "" or None would make xhtml2pdf fall back to the URI itself: answer with a missing file.
    if uri.startswith("data:image/png;base64,"):
        return uri  # part of the document (QR codes), nothing to fetch
    name = uri.removeprefix("static:").lstrip("/")
    path = (STATIC / name).resolve()
    if "://" in uri or STATIC not in path.parents or not path.is_file():
        return _REFUSED
    return str(path)


def clean(text: str) -> str:
    """User text fit for the PDF engine: bidi control characters removed."""
    return _BIDI_CONTROLS.sub("", text)


def direction(text: str) -> str:
    """``rtl`` when the first strong character is right-to-left (Arabic, Persian, Pashto, Sorani)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def render_pdf(html: str) -> bytes:
    """Render ``html`` (a template whose user text Jinja has escaped) to PDF bytes. :raise PdfError:"""
    out = io.BytesIO()
    result = pisa.CreatePDF(html, dest=out, link_callback=_only_static, encoding="utf-8",
                            resource_policy=ResourceAccessPolicy.server(STATIC, allow_remote=False))
    if result.err:
        raise PdfError(f"xhtml2pdf reported {result.err} error(s)")
    return out.getvalue()
