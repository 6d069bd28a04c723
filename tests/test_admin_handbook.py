"""The handbook: one help page per workflow in German and English, and the same pages as one PDF."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from proconnect.handbook.pages import PAGES
from staff_helpers import people, staff, text  # noqa: F401
from test_reports_pdf import pdf_file_text

ROOT = Path(__file__).resolve().parents[1] / "proconnect"
TEMPLATES = ROOT / "handbook" / "templates" / "handbook"


@pytest.mark.parametrize("name", ["admin1", "coord1", "trainer1", "mentor1"])
def test_every_role_reads_the_handbook(app, people, staff, name):
    browser = staff(name)
    index = browser.get("/help/")
    assert index.status_code == 200
    assert [p.title("en") for p in PAGES] == re.findall(r'<li><a href="/help/[a-z-]+">([^<]+)</a>',
                                                        index.get_data(as_text=True))
    for p in PAGES:
        assert browser.get(f"/help/{p.slug}").status_code == 200


def test_a_help_page_follows_the_interface_language(app, people, staff):
    browser = staff("coord1")
    german = text(browser.get("/help/info-event", query_string={"lang": "de"}))
    assert "Eine Infoveranstaltung vorbereiten" in german and "1. Kohorte anlegen" in german
    english = text(browser.get("/help/info-event", query_string={"lang": "en"}))
    assert "Prepare an info event" in english and "1. Create a cohort" in english
    # Languages without a handbook of their own read the English one.
    assert "1. Create a cohort" in text(browser.get("/help/info-event", query_string={"lang": "tr"}))
    assert browser.get("/help/no-such-page").status_code == 404


def test_every_page_exists_in_both_languages_and_its_screenshots_exist():
    for lang in ("de", "en"):
        assert sorted(p.name for p in (TEMPLATES / lang).glob("*.html")) == sorted(f"{p.slug}.html" for p in PAGES)
        for path in (TEMPLATES / lang).glob("*.html"):
            for name in re.findall(r'shot\("([a-z-]+)"', path.read_text()):
                assert (ROOT / "static" / "handbook" / f"{name}.png").is_file(), (path.name, name)


@pytest.mark.parametrize("lang, heading", [("de", "Eine Infoveranstaltung vorbereiten"),
                                           ("en", "Prepare an info event")])
def test_the_handbook_prints_as_one_pdf_with_every_page_and_its_screenshots(app, runner, tmp_path, lang, heading):
    out = tmp_path / "handbook.pdf"
    result = runner.invoke(args=["handbook", "--out", str(out), "--lang", lang])
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output
    pdf_text = pdf_file_text(out)
    with app.app_context():  # titles are gettext messages, translated in the app's catalogs
        titles = [p.title(lang) for p in PAGES]
    for number, title in enumerate(titles, start=1):
        assert f"{number}. {title}" in pdf_text
    assert heading in pdf_text
    images = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True, check=True).stdout
    shots = sum(len(re.findall(r'shot\("([a-z-]+)"', path.read_text())) for path in (TEMPLATES / lang).glob("*"))
    assert len(images.splitlines()) - 2 == shots > 0  # two header lines, then one line per image
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True,
                                                            check=True).stdout).group(1))
    assert pages >= len(PAGES) + 1
