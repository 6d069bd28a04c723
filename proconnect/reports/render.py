"""Report models to HTML (web page and PDF source) and to PDF bytes."""
from __future__ import annotations

import base64
import functools
import io

from flask import current_app
from flask_babel import force_locale
from markupsafe import Markup
from PIL import Image

from ..pdf import render_pdf
from .formatting import Formatter
from .model import CohortReport
from .scripts import needs_image, text_png
from .texts import language_name


#: Chart colours, grey-scale safe: fill and accent stay apart from each other and from the track in print.
BAR_COLOURS = {
    "fill": (74, 111, 148), "accent": (11, 61, 110), "target": (170, 192, 214), "track": (234, 238, 243),
    "shade0": (220, 230, 240), "shade1": (185, 205, 224), "shade2": (148, 176, 204), "shade3": (111, 146, 182),
    "shade4": (77, 115, 155), "shade5": (47, 85, 125), "shade6": (20, 58, 96),
}


def _png(image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@functools.lru_cache(maxsize=4096)
def bar_image(segments: tuple[tuple[str, int], ...], length: int) -> str:
    """One PNG, one pixel high, of a whole bar: ``segments`` (colour name, pixels) from the left, then the track.

    One image per bar, not one per segment: the PDF engine reads and places every image on its own, and a
    bar made of a fill and a track image cost twice. The PNG is as many pixels wide as the bar is long in
    CSS pixels, so a browser shows it unscaled and the PDF sharp; there are few distinct bars, hence the cache.
    """
    image = Image.new("RGB", (max(length, 1), 1), BAR_COLOURS["track"])
    x = 0
    for colour, pixels in segments:
        if pixels > 0:
            image.paste(BAR_COLOURS[colour], (x, 0, min(x + pixels, length), 1))
            x += pixels
    return _png(image)


def bar_src(percent, colour: str = "fill", length: int = 260) -> str:
    """The PNG of a bar ``percent`` (0–100, None = empty) long, of ``length`` CSS pixels, in ``colour``."""
    share = min(max(percent or 0, 0), 100)
    return bar_image(((colour, round(share * length / 100)),), length)


def stacked_src(percents, length: int) -> str:
    """The PNG of a stacked bar: one segment per share (0–100, None = 0), shaded light to dark."""
    segments, total, end = [], 0.0, 0
    for i, percent in enumerate(percents):
        # Rounded where each segment ends, not each length: the rounding errors do not add up.
        total = min(total + max(percent or 0, 0), 100)
        segments.append((f"shade{i * 6 // max(len(percents) - 1, 1)}", round(total * length / 100) - end))
        end += segments[-1][1]
    return bar_image(tuple(segments), length)


#: Legend swatches: a few one-colour pixels, stretched.
BAR_SOURCES = {name: _png(Image.new("RGB", (1, 1), rgb)) for name, rgb in BAR_COLOURS.items()}


def _text_image(text: str, width_pt: float = 440):
    """A PNG of text the PDF engine cannot shape (see scripts.py), else None."""
    return text_png(text, width_pt) if needs_image(text) else None


def template_context(language: str, min_cell: int = 5, pdf: bool = False) -> dict:
    """What every report template needs: formatting and a few helpers, in one language."""
    return {"f": Formatter(language, min_cell), "pdf": pdf,
            "language_name": lambda code: language_name(code, language),
            "vlist": lambda versions: ", ".join(f"v{v}" for v in versions),
            "text_image": _text_image, "swatch_src": BAR_SOURCES,
            "bar_src": bar_src, "stacked_src": stacked_src}


def render_standalone(template: str, language: str, min_cell: int = 5, pdf: bool = True, **context) -> str:
    """Render a report template in ``language``, also outside any request (CLI, PDF); autoescaping stays on."""
    ctx = template_context(language, min_cell, pdf) | context
    with force_locale(language):
        return current_app.jinja_env.get_template(template).render(**ctx)


def report_body(report: CohortReport) -> Markup:
    """The report as HTML for the web page, in the report's language whatever the page's language."""
    return Markup(render_standalone("reports/_body.html", report.language, report.min_cell, pdf=False,
                                    report=report))


def cohort_pdf(report: CohortReport) -> bytes:
    """The cohort report as a PDF."""
    html = render_standalone("reports/cohort_pdf.html", report.language, report.min_cell, report=report)
    return render_pdf(html)


def profile_pdf(sheet) -> bytes:
    """A participant's profile sheet as a PDF (always German)."""
    return render_pdf(render_standalone("reports/profile_pdf.html", "de", sheet=sheet))
