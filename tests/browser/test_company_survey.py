"""An HR person answers the company survey (v3) in a real Chromium, and a coordinator sees the jobs it offers
among the matching suggestions, with the way from the participant's Gemeinde to the company's. Screenshots of every page go to ``$PROCONNECT_SHOTS`` when it is set."""
from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import expect

from shipped_forms import forms_dir  # noqa: F401
from staff_helpers import people  # noqa: F401
from .test_coordinator import DESKTOP, sign_in
from test_instruments import COMPETENCE, fill_in

SHOTS = os.environ.get("PROCONNECT_SHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def next_page(page, title: str) -> None:
    page.get_by_role("button", name="Weiter").click()
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()


def test_an_hr_person_offers_jobs_places_and_an_eq_and_a_coordinator_sees_the_job_proposed(
        app, new_context, make_link, people, filler, live_server):  # noqa: F811
    from proconnect.links.models import Link
    from proconnect.extensions import db
    with app.app_context():
        check = Link(form_id="competence-check", cohort_id=people["ol-2027"])
        survey = Link(form_id="company-readiness", cohort_id=people["ol-2027"], event="Spedition Ahlers")
        db.session.add_all([check, survey])
        db.session.commit()
        check_token, survey_token = check.token, survey.token
    fill_in(filler, check_token, COMPETENCE)  # K7Q2-X9: four years in metal, wishes an apprenticeship

    page = new_context(viewport={"width": 1024, "height": 768}).new_page()
    page.goto(f"{live_server}/f/{survey_token}")
    page.get_by_label("Name des Betriebs").fill("Spedition Ahlers")
    page.locator("label.option", has_text="Personalabteilung").click()
    page.locator("label.option", has_text="Lager und Logistik").first.click()
    # The Gemeinden of the competence check's "Wo wohnen Sie?", in the same order, in a dropdown (v4) after
    # "Bitte wählen"; the place typed only elsewhere.
    gemeinde = page.get_by_role("combobox", name="In welcher Gemeinde ist Ihr Betrieb?")
    expect(gemeinde.locator("option")).to_have_count(18)
    expect(gemeinde.locator("option").first).to_have_text("Bitte wählen")
    expect(gemeinde.locator("option").last).to_have_text("Woanders")
    expect(page.get_by_label("In welchem Ort ist Ihr Betrieb?")).to_be_hidden()
    gemeinde.select_option(label="Woanders")
    expect(page.get_by_label("In welchem Ort ist Ihr Betrieb?")).to_be_visible()
    gemeinde.select_option(label="Ganderkesee")
    expect(page.get_by_label("In welchem Ort ist Ihr Betrieb?")).to_be_hidden()
    shot(page, "survey-1-betrieb")
    next_page(page, "Offene Stellen")
    page.locator("label.option", has_text="Metall").click()
    shot(page, "survey-2-stellen")
    next_page(page, "Stellen: wie viele?")
    page.get_by_label("Metall: Helfer-Stellen").fill("2")
    page.get_by_label("Metall: Fachkraft-Stellen").fill("0")
    shot(page, "survey-3-wie-viele")
    next_page(page, "Ausbildungsplätze")
    page.locator("label.option", has_text="Fachlagerist/in (2 Jahre)").click()
    shot(page, "survey-4-ausbildungsberufe")
    next_page(page, "Plätze und Beginn")
    page.get_by_label("Fachlagerist/in: Plätze").fill("1")
    shot(page, "survey-5-plaetze")
    next_page(page, "Praktikum und Einstieg")
    page.locator("label.option", has_text="Einstiegsqualifizierung").click()
    page.get_by_label("Wie viele EQ-Plätze").fill("1")
    page.get_by_role("group", name="In welchen Bereichen bieten Sie eine EQ an?").locator(
        "label.option", has_text="Lager und Logistik").click()
    shot(page, "survey-6-einstieg")
    next_page(page, "Voraussetzungen")
    page.locator("label.option", has_text="Keinen bestimmten Abschluss").click()
    page.locator("label.option", has_text="Er hilft, ist aber nicht nötig").click()
    page.locator("label.option", has_text="Nein, nur im Betrieb").click()
    page.locator("label.option", has_text="Ja, wenn uns jemand beim Antrag hilft").click()
    shot(page, "survey-7-voraussetzungen")
    for title in ("Erfahrung", "Deutsch am Arbeitsplatz", "Begleitung"):
        next_page(page, title)
    next_page(page, "Haltung im Team")
    expect(page.get_by_text("Bei gleicher Eignung stellen wir lieber Bewerberinnen und Bewerber von hier ein.")) \
        .to_be_visible()
    shot(page, "survey-8-haltung")
    next_page(page, "Unterstützung")
    page.get_by_role("button", name="Antworten senden").click()
    expect(page.get_by_role("heading", name="Danke!")).to_be_visible()

    staff = new_context(viewport=DESKTOP).new_page()
    sign_in(staff, live_server, "coord1")
    staff.goto(f"{live_server}/staff/cohorts/ol-2027/matching?lang=en&top=5")
    proposal = staff.locator("ol.suggestions > li", has_text="job as a helper in Metal")
    expect(proposal).to_be_visible()
    expect(proposal).to_contain_text("Spedition Ahlers")
    expect(proposal).to_contain_text("experience in Metal: 4 years")
    # From Westerstede to Ganderkesee, the Gemeinde the company gave.
    expect(proposal).to_contain_text("about 100 min away by bus and train, more than the 45 min they can travel")
    expect(proposal).to_contain_text("the company also takes candidates who still wait for the immigration "
                                     "office's approval")
    shot(staff, "matching-list")
