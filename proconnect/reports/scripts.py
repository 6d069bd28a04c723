"""Participants' own words drawn as an image where the PDF engine cannot shape them.

xhtml2pdf shapes Arabic script through Unicode presentation forms. Letters without such forms (Pashto ټ ځ
ښ ګ ..., Sorani ڕ ڵ ێ ە) come out unjoined, so text containing them is drawn by Pillow's layout engine
(libraqm: HarfBuzz + FriBiDi) into a PNG; the text itself stays searchable in the exports.
"""
from __future__ import annotations

import base64
import functools
import io
import unicodedata

from PIL import Image, ImageDraw, ImageFont

from ..pdf import FONT_DIR, clean

_ARABIC_BLOCKS = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF))


@functools.cache
def _shaped_letters() -> frozenset[str]:
    """Arabic-script letters that have presentation forms, i.e. that the PDF engine can join."""
    letters = set()
    for cp in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFF00)):
        parts = unicodedata.decomposition(chr(cp)).split()
        if len(parts) == 2 and parts[0].startswith("<"):
            letters.add(chr(int(parts[1], 16)))
    return frozenset(letters)


def needs_image(text: str) -> bool:
    """True when the text has an Arabic-script letter the PDF engine cannot join."""
    shaped = _shaped_letters()
    return any(any(lo <= ord(c) <= hi for lo, hi in _ARABIC_BLOCKS) and unicodedata.category(c) == "Lo"
               and c not in shaped for c in text)


#: Pixels per point of the PNG: 3 gives 216 dpi, sharp in print.
_SCALE = 3
_SIZE_PT = 9.5
_LINE_PT = 15


@functools.cache
def _font(latin: bool = False):
    name = "NotoSans-Regular.ttf" if latin else "NotoSansArabic-Regular.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), int(_SIZE_PT * _SCALE), layout_engine=ImageFont.Layout.RAQM)


def _runs(line: str) -> list[tuple[str, bool]]:
    """Split a line into runs of (text, is_latin): Noto Sans Arabic has no Latin letters, so a company
    name or "B1" in a Pashto answer is drawn with Noto Sans. Neutral characters join the run before them."""
    runs: list[list] = []
    for c in line:
        kind = unicodedata.bidirectional(c)
        latin = kind == "L" if kind in ("L", "R", "AL") else (runs[-1][1] if runs else False)
        if runs and runs[-1][1] == latin:
            runs[-1][0] += c
        else:
            runs.append([c, latin])
    return [(text, latin) for text, latin in runs]


def _width(line: str) -> float:
    return sum(_font(latin).getlength(text, direction="ltr" if latin else "rtl") for text, latin in _runs(line))


def _wrap(text: str, width: float) -> list[str]:
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}".strip()
            if line and _width(candidate) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def text_png(text: str, width_pt: float = 440) -> tuple[str, float, float]:
    """Draw a right-to-left answer into a PNG, wrapped to at most ``width_pt`` points.

    Runs are placed from the right in logical order, Latin runs left-to-right inside them: the
    bidi layout of a right-to-left paragraph with embedded words in Latin script.

    :return: ``(data URI, width in pt, height in pt)``
    """
    lines = _wrap(clean(text), width_pt * _SCALE)
    width = int(max(_width(line) for line in lines)) + 2 * _SCALE
    line_height = int(_LINE_PT * _SCALE)
    image = Image.new("L", (width, line_height * len(lines) + 2 * _SCALE), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        x = width - _SCALE
        baseline = i * line_height + int(0.8 * line_height)
        for run, latin in _runs(line):
            direction = "ltr" if latin else "rtl"
            font = _font(latin)
            x -= font.getlength(run, direction=direction)
            draw.text((x, baseline), run, font=font, fill=0, anchor="ls", direction=direction)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    uri = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    return uri, image.width / _SCALE, image.height / _SCALE
