"""QR codes for links and participant cards: PNG, SVG, and ``data:`` URIs for the PDFs."""
from __future__ import annotations

import base64
import io

import qrcode
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_M, ERROR_CORRECT_Q
from qrcode.image.svg import SvgPathImage


def error_correction(data: str) -> int:
    """Print-friendly error correction: high for short codes, quartile for links, medium for long text.

    A printed code gets folded, scuffed and photographed at an angle; more correction costs modules
    (smaller squares), so it is traded off against the payload's length.
    """
    if len(data) <= 24:
        return ERROR_CORRECT_H
    if len(data) <= 120:
        return ERROR_CORRECT_Q
    return ERROR_CORRECT_M


def _code(data: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=error_correction(data), box_size=10, border=4)
    code.add_data(data)
    code.make(fit=True)
    return code


def png(data: str, box_size: int = 10) -> bytes:
    """The QR code of ``data`` as a PNG (``box_size`` pixels per module; 2 or more decode reliably)."""
    code = _code(data)
    code.box_size = box_size
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    return buffer.getvalue()


def svg(data: str) -> bytes:
    """The QR code of ``data`` as one SVG path (no seams between modules, unlike one rectangle each)."""
    buffer = io.BytesIO()
    _code(data).make_image(image_factory=SvgPathImage).save(buffer)
    return buffer.getvalue()


def svg_data_uri(data: str) -> str:
    """The SVG as a ``data:`` URI, for a page to show without another request."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg(data)).decode("ascii")


def png_data_uri(data: str, box_size: int = 10) -> str:
    """The PNG as a ``data:`` URI, for the PDF templates (nothing is fetched while rendering)."""
    return "data:image/png;base64," + base64.b64encode(png(data, box_size)).decode("ascii")
