"""A question choosing among the project's records (``type = "record"``) offers the records as they are now: a company
recorded a minute ago is on the page the next person opens, though form pages are drawn once and kept
(``responses.pageframe``)."""
from __future__ import annotations

from proconnect.companies.models import Company
from proconnect.extensions import db
from shipped_forms import forms_dir  # noqa: F401


def _record(app, name: str) -> None:
    with app.app_context():
        db.session.add(Company(name=name))
        db.session.commit()


def test_a_company_recorded_after_the_first_page_was_drawn_is_offered_on_it(app, make_link, filler):
    token = make_link(form_id="hospitation-voice")
    _record(app, "Elektro Nord")
    first = filler(token)
    first.open()
    assert "Elektro Nord" in first.text() and "Metallbau Süd" not in first.text()
    _record(app, "Metallbau Süd")
    second = filler(token)
    second.open()
    assert "Elektro Nord" in second.text() and "Metallbau Süd" in second.text()


def test_a_company_recorded_after_a_page_was_reached_by_next_is_offered_on_it(app, make_link, filler):
    token = make_link(form_id="outcome")
    _record(app, "Elektro Nord")
    page_one = {"participant_code": "K7Q2-XM4P", "status": "apprenticeship"}
    first = filler(token)
    first.open()
    assert "Elektro Nord" in first.post(page_one).get_data(as_text=True)
    _record(app, "Metallbau Süd")
    second = filler(token)
    second.open()
    details = second.post(page_one).get_data(as_text=True)
    assert "Einzelheiten" in details and "Elektro Nord" in details and "Metallbau Süd" in details
