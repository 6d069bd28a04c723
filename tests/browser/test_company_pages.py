"""Company records and prefilled forms in a real browser: the staff pages a coordinator uses, the company choice
with "other", and a form that shows what its link filled in. Screenshots go to /tmp/companies-*.png."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from proconnect.companies.models import Company, name_key
from proconnect.extensions import db
from proconnect.links.models import Link
from proconnect.matching.models import Hospitation
from shipped_forms import forms_dir  # noqa: F401
from staff_helpers import add_link, people  # noqa: F401
from test_instruments import COMPETENCE, fill_in
from test_matching_cli import company
from .conftest import TABLET
from .test_coordinator import DESKTOP, serious, sign_in

SHOTS = Path("/tmp")


def _records(app, cohort_id):
    with app.app_context():
        companies = [Company(name=name, name_key=name_key(name), place=place, trades=trades, contact_role=role)
                     for name, place, trades, role in (
                         ("Metallbau Nord GmbH", "Westerstede", ["metal"], "Ausbildungsleitung"),
                         ("Tischlerei Janßen", "Rastede", ["wood"], "Inhaber"),
                         ("Gärtnerei Ost", "Apen", ["agriculture"], ""))]
        db.session.add_all(companies)
        db.session.flush()
        feedback = Link(form_id="hospitation-feedback", cohort_id=cohort_id, max_responses=1,
                        company_id=companies[0].id, event="Metallbau Nord GmbH, 03.05.–07.05.2027 (#1)")
        outcome = Link(form_id="outcome", cohort_id=cohort_id)
        db.session.add_all([feedback, outcome])
        db.session.flush()
        db.session.add(Hospitation(cohort_id=cohort_id, participant_code="K7Q2-H", company_id=0,
                                   company_name="Metallbau Nord GmbH", kind="hospitation",
                                   starts_on=date(2027, 5, 3), ends_on=date(2027, 5, 7), feedback_link_id=feedback.id))
        db.session.commit()
        return feedback.token, outcome.token


def test_company_pages_and_forms_that_know_what_they_are_about(app, live_server, people, new_context,  # noqa: F811
                                                                axe):
    feedback, outcome = _records(app, people["ol-2027"])
    staff = new_context(viewport=DESKTOP).new_page()
    sign_in(staff, live_server, "coord1")
    staff.get_by_role("link", name="Companies").first.click()
    assert staff.get_by_role("cell", name="Tischlerei Janßen").is_visible()
    assert not serious(axe(staff))
    staff.screenshot(path=str(SHOTS / "companies-list.png"))
    staff.get_by_role("link", name="New company").click()
    staff.get_by_label("Name", exact=True).fill("Autohaus Weiß")
    staff.get_by_label("Place (Gemeinde)").select_option(label="Bad Zwischenahn")
    staff.get_by_label("Contact (a role, not a name)").fill("Serviceleitung")
    assert not serious(axe(staff))
    staff.screenshot(path=str(SHOTS / "companies-new.png"), full_page=True)
    staff.get_by_role("button", name="Create company").click()
    assert staff.get_by_text("Company record created.").is_visible()
    staff.goto(f"{live_server}/staff/companies/names")
    assert not serious(axe(staff))
    staff.screenshot(path=str(SHOTS / "companies-names.png"))

    # The company's feedback form: participant and company shown, not editable.
    form = new_context().new_page()
    form.goto(f"{live_server}/f/{feedback}?lang=en")
    assert form.get_by_text("K7Q2-H").is_visible() and form.get_by_text("Metallbau Nord GmbH", exact=True).is_visible()
    # A hospitation recorded before the Beruf was asked: the page names it without one.
    assert form.get_by_text("Hospitation at Metallbau Nord GmbH, May 3, 2027 to May 7, 2027").is_visible()
    assert form.locator('input[type="text"][name="participant_code"]').count() == 0
    assert not serious(axe(form))
    form.screenshot(path=str(SHOTS / "companies-feedback-prefilled.png"), full_page=True)

    # The outcome's company choice: the records, and "other" with its name.
    coordinator_form = new_context(viewport=DESKTOP).new_page()
    coordinator_form.goto(f"{live_server}/f/{outcome}?lang=en")
    coordinator_form.locator('input[name="participant_code"]').fill("K7Q2-H")
    coordinator_form.locator('input[name="status"][value="apprenticeship"]').check()
    coordinator_form.get_by_role("button", name="Next").click()
    assert coordinator_form.get_by_text("Tischlerei Janßen (Rastede)").is_visible()
    assert coordinator_form.get_by_text("Other (not in the list)").is_visible()
    assert not serious(axe(coordinator_form))
    coordinator_form.screenshot(path=str(SHOTS / "companies-outcome-choice.png"), full_page=True)


def test_the_hospitations_page_fits_a_tablet_while_a_feedback_link_waits(app, live_server, people, new_context,  # noqa: F811
                                                                          axe):
    # An unanswered feedback shows its whole link to hand over: it wraps instead of widening the page.
    _records(app, people["ol-2027"])
    staff = new_context(viewport=TABLET).new_page()
    sign_in(staff, live_server, "coord1")
    staff.goto(f"{live_server}/staff/cohorts/ol-2027/matching/hospitations?lang=de")
    row = staff.get_by_role("row", name="K7Q2-H")
    assert row.get_by_role("cell", name="Hospitation", exact=True).is_visible()  # the kind in words, not its value
    assert "/f/" in row.locator("code.url").inner_text()
    staff.screenshot(path=str(SHOTS / "hospitations-tablet.png"), full_page=True)
    assert staff.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert not serious(axe(staff))


def test_a_hospitation_in_a_beruf_from_recording_to_the_offer_among_the_suggestions(app, live_server, people,  # noqa: F811
                                                                                     new_context, filler, axe):
    cohort = people["ol-2027"]
    fill_in(filler, add_link(app, cohort, "competence-check"), COMPETENCE)  # K7Q2-X9: metal, Westerstede
    fill_in(filler, add_link(app, cohort, "company-readiness"), company("Metallbau Nord", "westerstede", ["metal"]))
    # No apprenticeship place open in its survey.
    fill_in(filler, add_link(app, cohort, "company-readiness"),
            company("Lager Ost", "westerstede", ["logistics"], apprenticeship_places_fachkraft_lagerlogistik="0"))
    staff = new_context(viewport=DESKTOP).new_page()
    sign_in(staff, live_server, "coord1")
    staff.goto(f"{live_server}/staff/cohorts/ol-2027/matching/hospitations")
    staff.get_by_label("Company").select_option(label="Lager Ost")
    staff.get_by_label("Trade (Beruf)").select_option(label="Warehouse and logistics")
    staff.get_by_label("From").fill("2027-05-03")
    staff.get_by_label("Until").fill("2027-05-07")
    staff.get_by_role("button", name="Record").click()
    row = staff.get_by_role("row", name="K7Q2-X9")
    assert row.get_by_role("cell", name="Warehouse and logistics", exact=True).is_visible()
    assert not serious(axe(staff))
    staff.screenshot(path=str(SHOTS / "hospitations-beruf.png"), full_page=True)
    with app.app_context():
        feedback = db.session.get(Link, db.session.scalar(select(Hospitation.feedback_link_id))).token
        voice = db.session.get(Link, db.session.scalar(select(Hospitation.voice_link_id))).token
    # The participant's own link, in Arabic: the Beruf as the competence check names it there.
    person = new_context().new_page()
    person.goto(f"{live_server}/f/{voice}?lang=ar")
    assert person.get_by_text("أيام تجربة في مجال المستودعات والخدمات اللوجستية لدى Lager Ost").is_visible()
    person.screenshot(path=str(SHOTS / "hospitation-voice-beruf-ar.png"), full_page=True)
    form = new_context().new_page()
    form.goto(f"{live_server}/f/{feedback}")
    assert form.get_by_text("Hospitation im Bereich Lager und Logistik bei Lager Ost").is_visible()
    assert not serious(axe(form))
    form.screenshot(path=str(SHOTS / "hospitation-feedback-beruf.png"), full_page=True)
    fill_in(filler, feedback, {"took_place": "yes", "next_step": "apprenticeship", "offer_start": "training_year"})
    staff.goto(f"{live_server}/staff/cohorts/ol-2027/matching?participant=K7Q2-X9")
    first = staff.locator("ol.suggestions > li").first
    assert first.locator("strong").inner_text() == "Lager Ost"
    assert "apprenticeship in Warehouse and logistics" in first.inner_text()
    assert "offered after the hospitation" in first.inner_text()
    assert not serious(axe(staff))
    staff.screenshot(path=str(SHOTS / "suggestions-offer-beruf.png"), full_page=True)
