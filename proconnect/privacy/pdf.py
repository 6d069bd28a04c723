"""HTML to PDF with xhtml2pdf, fetching nothing but files from the app's static folder.

For documents with pictures from ``static/`` (the handbook's screenshots, posters); reports, which
need nothing but fonts, use the stricter ``reports.pdf``. The fonts (Noto Sans, Arabic, Ethiopic;
OFL) live in ``static/report-fonts``; templates declare them through ``distribution/_pdf_base.html``.
"""
from __future__ import annotations

import io
from pathlib import Path

from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

from ..reports.scripts import clean, direction  # noqa: F401  (the same cleaning for every PDF)

STATIC = Path(__file__).resolve().parent.parent / "static"
_REFUSED = str(STATIC / "refused-resource")


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


def render_pdf(html: str) -> bytes:
    """Render ``html`` (a template whose user text Jinja has escaped) to PDF bytes. :raise PdfError:"""
    out = io.BytesIO()
    # capacity: beyond it xhtml2pdf buffers in a temporary file that it leaves open (a handbook with
    # screenshots passes 100 kB, the default); these documents stay far below 64 MB.
    result = pisa.CreatePDF(html, dest=out, link_callback=_only_static, encoding="utf-8",
                            resource_policy=ResourceAccessPolicy.server(STATIC, allow_remote=False),
                            capacity=64 * 1024 * 1024)
    if result.err:
        raise PdfError(f"xhtml2pdf reported {result.err} error(s)")
    return out.getvalue()
