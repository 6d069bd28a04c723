"""Draw the app's icons (home screen, favicon) into proconnect/static/icons/.

Run once when the brand changes: ``.venv/bin/python tools/make_icons.py``. The files are committed; nothing
draws them at run time. One maskable design serves every size: the letters stay inside the safe zone (the
inner 80 %), so a launcher may cut any shape out of the blue square.
"""
from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "proconnect" / "static" / "icons"
FONT = ROOT / "proconnect" / "static" / "report-fonts" / "NotoSans-Bold.ttf"
ACCENT, INK = "#0b5cad", "#ffffff"  # style.css: --accent, --accent-ink


def draw(size: int, rounded: bool) -> Image.Image:
    """The square icon: "p:c" in white on the accent colour; ``rounded`` for the favicon and Apple's icon."""
    scale = 4  # drawn large, then reduced: smooth edges without a vector renderer
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if rounded:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=ACCENT)
    else:
        pen.rectangle((0, 0, big, big), fill=ACCENT)
    font = ImageFont.truetype(str(FONT), int(big * 0.36))
    pen.text((big / 2, big / 2), "p:c", font=font, fill=INK, anchor="mm")
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size, rounded=False).save(OUT / f"icon-{size}.png", optimize=True)
    draw(180, rounded=False).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
    # Three sizes keep it at 2.5 KB: the first kiosk screen fetches it and must stay within tens of kilobytes.
    draw(48, rounded=True).save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    print(f"icons written to {OUT}")


if __name__ == "__main__":
    main()
