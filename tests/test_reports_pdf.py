"""The cohort report as a real PDF: read back with pdftotext, rendered page by page with pdftoppm."""
from __future__ import annotations

import re
import socket
import subprocess
import threading
import unicodedata
import uuid
from datetime import datetime
from pathlib import Path

import pytest

from proconnect import forms_registry
from proconnect.cohorts.models import Cohort
from proconnect.extensions import db
from proconnect.reports.aggregation import Filters
from proconnect.reports.builder import build_cohort_report
from proconnect.pdf import FONT_DIR, link_callback, render_pdf
from proconnect.reports.render import cohort_pdf
from proconnect.responses.storage import store_response

ARABIC = "أريد أن أتعلم مهنة اللحام"
TIGRINYA = "ኣብ ኤርትራ ከም ኤሌክትሪሻን ሰሪሐ እየ"
PASHTO = "زه غواړم چې نجار شم"
UKRAINIAN = "Я працювала кухарем у Харкові"


def pdf_text(pdf: bytes, tmp_path, layout=True) -> str:
    """pdftotext's reading of the PDF, with Arabic presentation forms folded back and bidi marks dropped."""
    path = tmp_path / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(pdf)
    return pdf_file_text(path, layout)


def pdf_file_text(path: Path, layout=True) -> str:
    """``pdf_text`` of a PDF file."""
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(path), "-"]
    text = subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")
    return re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", unicodedata.normalize("NFKC", text))


def pages_render(pdf: bytes, tmp_path) -> int:
    """Render every page with pdftoppm (failing on any error) and return the number of pages."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    result = subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "page")],
                            capture_output=True, text=True)
    assert result.returncode == 0 and "Error" not in result.stderr, result.stderr
    assert len(list(tmp_path.glob("page-*.png"))) == pages
    return pages


def store(app, cohort_id, values: dict, language="de", when=datetime(2027, 3, 2, 10)):
    with app.app_context():
        definition = forms_registry(app).get("everything", 1)
        full = {"name": "X", "trade": "wood", "consent": "yes"} | values
        shown = {f.id: True for f in definition.fields} | {"metal_detail": full.get("trade") == "metal"}
        response, _ = store_response(definition, cohort_id=cohort_id, link_id=None, language=language,
                                     key=uuid.uuid4().hex, values=full, shown=shown)
        response.submitted_at = when
        db.session.commit()


def report_pdf(app, cohort_id, **kw) -> bytes:
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        return cohort_pdf(build_cohort_report(forms_registry(app), cohort, Filters(cohort_id), **kw))


@pytest.fixture
def cohort_id(app, make_cohort):
    cohort_id = make_cohort(slug="ol-2027", title="Oldenburg Frühjahr 2027")
    for i, (trade, story, language) in enumerate([("metal", ARABIC, "ar"), ("metal", TIGRINYA, "ti"),
                                                  ("metal", PASHTO, "ps"), ("wood", UKRAINIAN, "uk"),
                                                  ("care", "Ich arbeite gern mit Menschen.", "de")]):
        store(app, cohort_id, {"trade": trade, "story": story, "metal_detail": "Tore" if trade == "metal" else None,
                               "licence": "yes" if i % 2 else "no"}, language, datetime(2027, 3, 2 + i, 10))
    return cohort_id


def test_the_cohort_pdf_has_its_headings_counts_and_page_numbers(app, cohort_id, tmp_path):
    pdf = report_pdf(app, cohort_id)
    text = pdf_text(pdf, tmp_path)
    pages = pages_render(pdf, tmp_path)
    for heading in ("Kohortenbericht", "Oldenburg Frühjahr 2027", "Inhalt", "Kennzahlen", "Alle Feldtypen",
                    "Beruf", "Methodische Hinweise", "Versionen der Instrumente"):
        assert heading in text
    # Each answer with its count and share right after its bar.
    assert re.search(r"Metall\s+3 · 60 %", text) and re.search(r"Holz\s+1 · 20 %", text)
    assert re.search(r"Ja\s+2 · 40 %", text) and re.search(r"Nein\s+3 · 60 %", text)
    assert "5 beantwortet · 0 keine Antwort · 0 nicht gezeigt" in text
    # The cover page carries no footer; every other page says where it is (no "of n": that took a second pass).
    footers = re.findall(r"^\s*Seite (\d+)\s*$", text, re.M)
    assert footers == [str(n) for n in range(2, pages + 1)]
    # The contents name every instrument and its pages, and the method notes say what the figures are.
    contents = text.split("Inhalt", 1)[1].split("Kennzahlen", 2)
    assert "Alle Feldtypen" in contents[1] and "Seite zwei" in contents[1] and "Methodische Hinweise" in contents[1]
    assert "Neben jedem Balken: die Zahl der Antworten · ihr Anteil." in text
    assert "02.03.2027 – 06.03.2027" in text


def test_a_matrix_row_is_its_label_a_stacked_bar_its_count_mean_and_shares_in_words(app, make_cohort, tmp_path):
    cohort_id = make_cohort()
    for saw, drill in [(1, 4), (3, 4), (3, None), (4, 2)]:
        store(app, cohort_id, {"often.saw": saw, "often.drill": drill})
    text = pdf_text(report_pdf(app, cohort_id), tmp_path, layout=False)
    assert "1 = nie" in text and "4 = täglich" in text  # the legend names the points
    # Sägen: 1, 3, 3, 4; Bohren: 4, 4, 2 and one gap.
    for words in ("Sägen", "n 4 · Ø 2,8", "1: 25 % · 2: 0 % · 3: 50 % · 4: 25 %",
                  "Bohren", "n 3 · Ø 3,3", "1: 0 % · 2: 33 % · 3: 0 % · 4: 67 %"):
        assert words in text, words
    assert "keine Antwort: Bohren 1." in text


def test_no_pdf_template_makes_the_engine_lay_out_the_document_twice():
    """``<pdf:pagecount/>`` ("page n of m") and ``<pdf:toc/>`` each make xhtml2pdf lay out the whole document
    a second time: the cohort report and the profile sheet went from two passes to one."""
    from pathlib import Path

    import proconnect
    templates = [t for t in Path(proconnect.__file__).parent.rglob("*.html")
                 if re.search(r"<pdf:(pagecount|toc)\b", re.sub(r"{#.*?#}", "", t.read_text(), flags=re.S))]
    assert templates == []


def test_free_texts_come_out_in_their_own_script_and_logical_order(app, cohort_id, tmp_path):
    text = pdf_text(report_pdf(app, cohort_id), tmp_path, layout=False)
    assert ARABIC in text
    assert TIGRINYA in text
    assert UKRAINIAN in text
    assert "Originalsprache: Arabisch" in text and "Originalsprache: Paschtu" in text


def test_pashto_is_drawn_as_an_image_because_the_engine_cannot_join_its_letters(app, cohort_id, tmp_path):
    from proconnect.reports.scripts import needs_image
    assert needs_image(PASHTO) and not needs_image(ARABIC) and not needs_image("من می‌خواهم")
    pdf = report_pdf(app, cohort_id)
    assert PASHTO not in pdf_text(pdf, tmp_path, layout=False)
    (tmp_path / "p.pdf").write_bytes(pdf)
    images = subprocess.run(["pdfimages", "-list", str(tmp_path / "p.pdf")], capture_output=True, text=True).stdout
    assert re.search(r"\bimage\s+\d{3,}\s+\d{2,}\s+gray", images), images


def test_the_english_report_and_the_funder_report(app, cohort_id, tmp_path):
    text = pdf_text(report_pdf(app, cohort_id, language="en", funder=True), tmp_path)
    assert "Cohort report for funders" in text and "Key figures" in text and "Method notes" in text
    assert "< 5" in text and ARABIC not in text and "free-text answers (not printed" in text
    assert re.search(r"^\s*Page 2\s*$", text, re.M)


class Listener:
    """A TCP server on 127.0.0.1 that counts every connection made to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self.running = False
        self.thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def test_markup_in_an_answer_neither_fetches_nor_renders(app, make_cohort, listener, tmp_path):
    cohort_id = make_cohort()
    evil = (f'<img src="http://127.0.0.1:{listener.port}/x"> <link rel="stylesheet" '
            f'href="http://127.0.0.1:{listener.port}/y.css"> <pdf:nextpage/> <b>fett</b>')
    store(app, cohort_id, {"story": evil})
    pdf = report_pdf(app, cohort_id)
    assert listener.connections == 0
    text = pdf_text(pdf, tmp_path, layout=False)
    assert f'<img src="http://127.0.0.1:{listener.port}/x">' in text
    assert '<link rel="stylesheet"' in text and "<pdf:nextpage/>" in text and "<b>fett</b>" in text


def test_even_raw_markup_cannot_reach_the_network_or_the_disk(listener, tmp_path):
    html = (f'<html><head><link rel="stylesheet" href="http://127.0.0.1:{listener.port}/a.css">'
            f'<style>@import url("http://127.0.0.1:{listener.port}/b.css");'
            f'@font-face {{ font-family: X; src: url("http://127.0.0.1:{listener.port}/c.ttf"); }}</style></head>'
            f'<body><img src="http://127.0.0.1:{listener.port}/d.png"><img src="/etc/passwd">'
            f'<img src="file:///etc/hostname"><p style="background-image: url(http://127.0.0.1:{listener.port}/e)">'
            f'Text bleibt.</p></body></html>')
    pdf = render_pdf(html)
    assert listener.connections == 0
    assert "Text bleibt." in pdf_text(pdf, tmp_path)


@pytest.mark.parametrize("uri", ["http://127.0.0.1:9/x", "https://example.org/font.ttf", "file:///etc/passwd",
                                 "/etc/passwd", "report-fonts/../../config.py", "report-fonts/x/../../OFL.txt",
                                 "data:text/html,<b>x</b>", "ftp://127.0.0.1/x", "", "OFL.txt"])
def test_link_callback_refuses_everything_but_the_report_fonts(uri):
    refused = link_callback(uri)
    assert not (FONT_DIR.parent / refused).exists() and refused.startswith(str(FONT_DIR))


def test_link_callback_gives_the_report_fonts_and_own_images():
    assert link_callback("report-fonts/NotoSans-Regular.ttf") == str(FONT_DIR / "NotoSans-Regular.ttf")
    assert link_callback("data:image/png;base64,iVBORw0KGgo=") == "data:image/png;base64,iVBORw0KGgo="


def test_bidi_controls_in_an_answer_cannot_reorder_the_report(app, make_cohort, tmp_path):
    cohort_id = make_cohort()
    store(app, cohort_id, {"story": "Gut\u202egnirtsni\u202c gemacht"})
    text = pdf_text(report_pdf(app, cohort_id), tmp_path, layout=False)
    assert "Gutgnirtsni gemacht" in text
