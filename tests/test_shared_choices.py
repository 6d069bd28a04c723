"""One list in two instruments: the company survey's Gemeinde is the competence check's own list (``choices_of``).
A draft uploaded in the staff area that would take the list away, or bring a copy of its own that differs, is
refused with the place and the reason, and nothing is saved."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from proconnect.definitions import forms_registry
from proconnect.extensions import db
from proconnect.responses.models import Answer
from shipped_forms import FORMS, forms_dir  # noqa: F401
from staff_helpers import people, staff  # noqa: F401
from test_authoring import upload
from test_instruments import fill_in
from test_matching_cli import company


def text(form_id: str, version: int) -> str:
    return (FORMS / form_id / f"v{version}.toml").read_text(encoding="utf-8")


def test_a_check_draft_without_the_gemeinde_question_is_refused_for_the_company_survey(app, people, staff):  # noqa: F811
    browser = staff("coord1")
    without = text("competence-check", 4).replace('id = "municipality"', 'id = "home"')
    page = upload(browser, "competence-check", "check.toml", without.encode())
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and "nothing was saved" in html
    assert ("forms/company-readiness/v4.toml" in html and "choices_of &#39;competence_check.municipality&#39;: "
            "&#39;competence-check&#39; v5 (the competence_check role&#39;s form) has no field "
            "&#39;municipality&#39;, so this field has no choices") in html
    assert not (Path(app.config["INSTANCE_FORMS_DIR"]) / "competence-check").exists()
    # With the question kept, the draft is taken, and publishing it would leave the survey's list as it is.
    assert upload(browser, "competence-check", "check.toml", text("competence-check", 4).encode()).status_code == 302


def test_a_company_survey_draft_with_a_gemeinde_list_of_its_own_must_be_the_checks(app, people, staff):  # noqa: F811
    browser = staff("coord1")
    with app.app_context():
        listed = forms_registry(app).get("company-readiness").field("municipality").choices
    own = "choices = [\n" + "".join(f'  {{ value = "{c.value}", label = "{c.label}" }},\n' for c in listed
                                    if c.value != "hude") + "]"
    copied = text("company-readiness", 4).replace('choices_of = "competence_check.municipality"', own)
    page = upload(browser, "company-readiness", "betrieb.toml", copied.encode())
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert ("needs the choices of &#39;municipality&#39; to be those of &#39;competence-check&#39; v4&#39;s "
            "&#39;municipality&#39;: &#39;hude&#39; missing") in html


def test_a_gemeinde_the_check_adds_while_the_app_runs_is_offered_to_companies_at_once(app, people, staff,  # noqa: F811
                                                                                    make_link, filler):
    survey = make_link("company-readiness")
    assert "Huntlosen" not in filler(survey).open().get_data(as_text=True)  # drawn and kept once
    browser = staff("coord1")
    with_huntlosen = text("competence-check", 4).replace(
        '  { value = "other", label = "Woanders" },',
        '  { value = "huntlosen", label = "Huntlosen" },\n  { value = "other", label = "Woanders" },')
    assert upload(browser, "competence-check", "check.toml", with_huntlosen.encode()).status_code == 302
    with app.app_context():
        draft = forms_registry(app).get("competence-check", 5)
    browser.post("/staff/forms/competence-check/v5/publish", {"hash": draft.content_hash})
    with app.app_context():
        assert forms_registry(app).get("competence-check").version == 5
    # The company survey's version stays v4 (its file did not change), and it offers the new Gemeinde.
    page = filler(survey).open().get_data(as_text=True)
    assert 'name="_version" value="4"' in page and "Huntlosen" in page
    fill_in(filler, survey, company("Gärtnerei Huntlosen", "huntlosen", ["metal"]))
    with app.app_context():
        assert db.session.scalar(select(Answer.value_text).filter_by(field_id="municipality")) == "huntlosen"
