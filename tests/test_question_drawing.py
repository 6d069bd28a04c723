"""Every page that draws a question draws it as its field type says (``FieldType.draws``), through one macro
(``responses/_fields.html``): the web form, the kiosk and its offline pages, the authoring preview, and the staff
correction page. Company readiness v4 asks the Gemeinde as a dropdown, v3 as buttons; staff correcting a response
see it as the version it was given in drew it, with the stored answer chosen.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from proconnect.audit.models import AuditEvent
from proconnect.extensions import db
from proconnect.responses.models import Answer, Response
from shipped_forms import forms_dir  # noqa: F401
from staff_helpers import add_link, people, staff  # noqa: F401
from test_instruments import fill_in
from test_matching_cli import company as readiness

ROOT = Path(__file__).resolve().parents[1] / "proconnect"
COHORT = "/staff/cohorts/ol-2027"
GEMEINDEN = ["oldenburg_city", "delmenhorst", "apen", "bad_zwischenahn", "edewecht", "rastede", "westerstede",
             "wiefelstede"]


@pytest.fixture
def survey(app, people, filler):  # noqa: F811
    """Factory: one company's readiness survey answered in ``version`` (the Gemeinde Westerstede); its response id."""
    def answer(version: int) -> int:
        token = add_link(app, people["ol-2027"], "company-readiness", version=version)
        fill_in(filler, token, readiness("Metallbau Nord GmbH", "westerstede", ["metal"]))
        with app.app_context():
            return db.session.scalar(select(Response.id).filter_by(form_id="company-readiness", version=version))
    return answer


def _question(html: str) -> str:
    """The drawn question on a correction page (between the form's hidden field and the reason)."""
    return html[html.index('name="field" value="municipality"'):html.index('name="correction_reason"')]


def _select(html: str) -> str:
    m = re.search(r'<select id="municipality" name="municipality"[^>]*>.*?</select>', _question(html), re.S)
    assert m, "no dropdown for the Gemeinde on the page"
    return m.group(0)


def _stored(app, response_id: int) -> tuple[str | None, list[str]]:
    with app.app_context():
        response = db.session.get(Response, response_id)
        rows = db.session.scalars(select(Answer.value_text).filter_by(response_id=response_id,
                                                                     field_id="municipality")).all()
        return response.payload["answers"].get("municipality"), rows


def _corrections(app) -> list[AuditEvent]:
    with app.app_context():
        return db.session.scalars(select(AuditEvent).filter_by(action="response_corrected")).all()


def correct(coordinator, response_id: int, gemeinde: str, reason: str = "Laut Anruf sitzt der Betrieb in Hude"):
    return coordinator.post(f"{COHORT}/responses/{response_id}/correct",
                            {"field": "municipality", "municipality": gemeinde, "correction_reason": reason})


def test_the_gemeinde_of_a_v4_response_is_a_labelled_dropdown_with_the_stored_one_chosen(app, staff, survey):
    response_id = survey(4)
    page = staff("coord1").get(f"{COHORT}/responses/{response_id}/correct?field=municipality")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert re.search(r'<label for="municipality">.*In welcher Gemeinde ist Ihr Betrieb\?', _question(html), re.S)
    dropdown = _select(html)
    values = re.findall(r'<option value="([^"]*)"', dropdown)
    assert values[0] == "" and values[1:len(GEMEINDEN) + 1] == GEMEINDEN and values[-1] == "other"
    assert '<option value="">Please choose</option>' in dropdown  # no answer, as on the participant's form
    assert re.findall(r'<option value="([^"]*)" selected>', dropdown) == ["westerstede"]
    assert 'type="radio"' not in _question(html)


def test_staff_reading_german_read_the_first_option_and_a_refusal_in_german(app, staff, survey):
    response_id = survey(4)
    coordinator = staff("coord1")
    coordinator.client.set_cookie("lang", "de")
    html = coordinator.get(f"{COHORT}/responses/{response_id}/correct?field=municipality").get_data(as_text=True)
    assert '<option value="">Bitte wählen</option>' in _select(html)
    refused = correct(coordinator, response_id, "berlin").get_data(as_text=True)
    assert '<p class="field-error" id="municipality-error">Das ist keine der angebotenen Antworten.</p>' in refused


def test_a_v3_response_keeps_the_buttons_its_version_drew(app, staff, survey):
    response_id = survey(3)
    html = staff("coord1").get(f"{COHORT}/responses/{response_id}/correct?field=municipality").get_data(as_text=True)
    question = _question(html)
    assert "<select" not in question
    assert re.findall(r'type="radio" id="municipality-\d+" name="municipality" value="([^"]*)"', question)[:2] == \
        GEMEINDEN[:2]
    assert re.findall(r'name="municipality" value="([^"]*)"\s*checked', question) == ["westerstede"]


def test_a_gemeinde_chosen_in_the_dropdown_is_stored_with_its_history_and_audit_entry(app, staff, survey):
    response_id = survey(4)
    coordinator = staff("coord1")
    assert correct(coordinator, response_id, "hude").status_code == 302
    assert _stored(app, response_id) == ("hude", ["hude"])
    page = coordinator.get(f"{COHORT}/responses/{response_id}").get_data(as_text=True)
    history = re.sub(r"\s+", " ", page.split('id="history"')[1])
    assert re.search(r"corrected</td><td>In welcher Gemeinde ist Ihr Betrieb\?</td><td>Westerstede</td>"
                     r"<td>Hude</td><td>Laut Anruf sitzt der Betrieb in Hude</td>", history)
    [entry] = _corrections(app)
    assert (entry.actor, entry.target) == ("coord1", f"response {response_id} of cohort ol-2027")
    assert entry.details == {"response": response_id, "form": "company-readiness", "fields": ["municipality"]}
    again = coordinator.get(f"{COHORT}/responses/{response_id}/correct?field=municipality").get_data(as_text=True)
    assert re.findall(r'<option value="([^"]*)" selected>', _select(again)) == ["hude"]


def test_please_choose_removes_the_answer_as_an_unanswered_dropdown_would(app, staff, survey):
    response_id = survey(4)
    assert correct(staff("coord1"), response_id, "", "Der Betrieb hat den Standort nicht genannt").status_code == 302
    assert _stored(app, response_id) == (None, [])


@pytest.mark.parametrize("gemeinde", ["berlin", "<script>", "westerstede "])
def test_a_gemeinde_no_dropdown_offers_is_refused_and_nothing_changes(app, staff, survey, gemeinde):
    response_id = survey(4)
    refused = correct(staff("coord1"), response_id, gemeinde)
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert '<p class="field-error" id="municipality-error">This is not one of the offered answers.</p>' in html
    assert 'aria-invalid="true"' in _select(html) and "<script>" not in _select(html)
    assert re.findall(r'<option value="([^"]*)" selected>', _select(html)) == []
    assert re.search(r'<textarea id="correction_reason"[^>]*>\s*Laut Anruf sitzt der Betrieb in Hude</textarea>',
                     html)  # the reason typed is not lost
    assert _stored(app, response_id) == ("westerstede", ["westerstede"])
    assert _corrections(app) == []


def test_only_the_one_macro_decides_how_a_question_looks():
    # A page that chose a question's inputs itself (by its widget, its style, or radio buttons of its own) would draw
    # a dropdown as buttons, or lose a look a new field type brings; pages call the macro instead.
    own_look = re.compile(r"\.widget\b|\.style\b|\.draws\(|type=\"radio\"|\binput\(\)")
    drawing = {str(p.relative_to(ROOT)) for p in ROOT.rglob("*.html") if own_look.search(p.read_text(encoding="utf-8"))}
    assert drawing == {"responses/templates/responses/_fields.html"}
