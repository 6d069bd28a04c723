"""Company records: project-wide partner companies, chosen in forms from the records (or "other"), typed names
matched to them, and links that know the company or person a form is about (signed or held on the server)."""
from __future__ import annotations

import importlib.util
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from proconnect.accounts.models import MentorAssignment
from proconnect.audit.models import AuditEvent
from proconnect.companies import places
from proconnect.companies.models import Company, name_key
from proconnect.extensions import db
from proconnect.links.models import Link
from proconnect.links.prefill import sign
from proconnect.matching.models import Hospitation
from proconnect.matching.pipeline import pipeline
from proconnect.responses.models import Response
from shipped_forms import forms_dir  # noqa: F401
from staff_helpers import people, staff  # noqa: F401
from test_instruments import COMPETENCE, fill_in
from test_matching_cli import company as readiness
from test_privacy_seam import occurrences


@pytest.mark.parametrize("typed, key", [
    ("Bäckerei Müller GmbH & Co. KG", "backerei muller"),
    ("  baeckerei  MÜLLER ", "baeckerei muller"),
    ("Autohaus Weiß e.K.", "autohaus weiss"),
    ("Tischlerei Janßen (Inh. R. Janßen)", "tischlerei janssen r janssen"),
])
def test_a_name_key_drops_case_accents_punctuation_and_legal_forms(typed, key):
    assert name_key(typed) == key


def test_a_company_record_keeps_what_the_company_gave(app):
    with app.app_context():
        db.session.add(Company(name="Autohaus Weiß", name_key=name_key("Autohaus Weiß"), place="Westerstede",
                               trades=["metal", "vehicles"], contact_role="Ausbildungsleitung"))
        db.session.commit()
        company = db.session.scalars(db.select(Company)).one()
        assert (company.place, company.trades, company.contact_email, company.retired_at) == \
            ("Westerstede", ["metal", "vehicles"], "", None)


# -- with the project's real instruments -------------------------------------------------------------------------

COMPANIES = "/staff/companies"
CODE = "K7Q2-H"


def _add(app, name, municipality="westerstede", **kw) -> int:
    with app.app_context():
        company = Company(name=name, name_key=name_key(name), municipality=municipality, trades=["metal"], **kw)
        db.session.add(company)
        db.session.commit()
        return company.id


def _link(app, cohort_id, form_id, **kw) -> Link:
    with app.app_context():
        link = Link(form_id=form_id, cohort_id=cohort_id, **kw)
        db.session.add(link)
        db.session.commit()
        db.session.refresh(link)
        db.session.expunge(link)
        return link


def _outcome(status="apprenticeship", **company) -> dict:
    return {"participant_code": CODE, "status_date": date.today().isoformat(), "status": status, "trade": "metal",
            "contract_seen": "yes", **company}


def _answers(app, form_id) -> list[dict]:
    with app.app_context():
        return [r.payload["answers"] for r in db.session.scalars(select(Response).filter_by(form_id=form_id))]


def test_a_coordinator_keeps_company_records_and_each_change_is_logged(app, people, staff):  # noqa: F811
    coordinator = staff("coord1")
    page = coordinator.get(f"{COMPANIES}/new").get_data(as_text=True)
    assert "Metal" in page or "metal" in page  # the readiness survey's trades to tick
    assert coordinator.post(f"{COMPANIES}/new", {"name": "", "municipality": "rastede"}).status_code == 200
    response = coordinator.post(f"{COMPANIES}/new", {"name": "Tischlerei Janßen GmbH", "municipality": "rastede",
                                                     "trades": ["wood"], "contact_role": "Inhaber",
                                                     "contact_email": "not an address"})
    assert "This does not look like an e-mail address." in response.get_data(as_text=True)
    assert coordinator.post(f"{COMPANIES}/new", {"name": "Tischlerei Janßen GmbH", "municipality": "rastede",
                                                 "trades": ["wood"], "contact_role": "Inhaber",
                                                 "contact_email": "ausbildung@example.org"}).status_code == 302
    with app.app_context():
        company = db.session.scalars(select(Company)).one()
        assert (company.name_key, company.trades, company.contact_email) == \
            ("tischlerei janssen", ["wood"], "ausbildung@example.org")
        company_id = company.id
    assert coordinator.post(f"{COMPANIES}/{company_id}", {"name": "Tischlerei Janßen", "municipality": "rastede",
                                                         "retired": "y"}).status_code == 302
    listing = coordinator.get(COMPANIES).get_data(as_text=True)
    assert "Tischlerei Janßen" in listing and "left the project" in listing
    with app.app_context():
        assert [e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("company%"))
                                                     .order_by(AuditEvent.id))] == ["company_created",
                                                                                     "company_changed"]
    assert staff("trainer1").get(COMPANIES).status_code == 403


def test_a_record_is_made_from_a_readiness_survey_response(app, people, staff, filler):  # noqa: F811
    fill_in(filler, _link(app, people["ol-2027"], "company-readiness").token,
            readiness("Metallbau Nord GmbH", "westerstede", ["metal"], jobs={"logistics": (2, 0)}))
    coordinator = staff("coord1")
    page = coordinator.get(f"{COMPANIES}/from-survey").get_data(as_text=True)
    assert "Metallbau Nord GmbH" in page
    with app.app_context():
        response_id = db.session.scalar(select(Response.id).filter_by(form_id="company-readiness"))
    # A coordinator of another cohort does not see it, and cannot make a record from it.
    assert "Metallbau Nord" not in staff("coord2").get(f"{COMPANIES}/from-survey").get_data(as_text=True)
    assert staff("coord2").post(f"{COMPANIES}/from-survey/{response_id}").status_code == 404
    assert coordinator.post(f"{COMPANIES}/from-survey/{response_id}").status_code == 302
    with app.app_context():
        company = db.session.scalars(select(Company)).one()
        assert (company.name, company.trades, company.source_response_id) == \
            ("Metallbau Nord GmbH", ["logistics"], response_id)
        # The survey asked the Gemeinde, from the same list as the participants' homes.
        assert (company.municipality, company.place) == ("westerstede", "") and company.contact_role
    assert "Every survey response has its record." in coordinator.get(f"{COMPANIES}/from-survey").get_data(
        as_text=True)
    # Only once: the response already has its record.
    assert coordinator.post(f"{COMPANIES}/from-survey/{response_id}").status_code == 404


@pytest.mark.parametrize("version, place, record", [
    # Version 3 asks the Gemeinde from the competence check's list; "Woanders" comes with the place typed.
    (3, {"municipality": "hude"}, ("hude", "")),
    (3, {"municipality": "other", "place": "Bremen-Vegesack"}, (None, "Bremen-Vegesack")),
    (3, {"municipality": "other"}, ("other", "")),
    # Version 2 asked the district: a city is a Gemeinde of the list, a Landkreis names none, so a coordinator
    # chooses it (the record shows it "not on the list").
    (2, {"district": "oldenburg_city"}, ("oldenburg_city", "")),
    (2, {"district": "lk_oldenburg"}, (None, "Landkreis Oldenburg")),
])
def test_the_record_made_from_a_response_has_the_gemeinde_the_company_gave(app, people, staff, filler,  # noqa: F811
                                                                          version, place, record):
    answers = {k: v for k, v in readiness("Tischlerei Hude", None, ["metal"]).items() if k != "municipality"}
    fill_in(filler, _link(app, people["ol-2027"], "company-readiness", version=version).token, answers | place)
    coordinator = staff("coord1")
    with app.app_context():
        response_id = db.session.scalar(select(Response.id).filter_by(form_id="company-readiness"))
    assert coordinator.post(f"{COMPANIES}/from-survey/{response_id}").status_code == 302
    with app.app_context():
        company = db.session.scalars(select(Company)).one()
        assert (company.municipality, company.place) == record
    listed = coordinator.get(COMPANIES).get_data(as_text=True)
    assert (f'{record[1]} <span class="badge test">not on the list' in listed) == (record[0] is None)


def test_the_outcome_chooses_the_company_from_the_records_or_other_with_its_name(app, people, filler,  # noqa: F811
                                                                                 client):
    client.set_cookie("lang", "en")
    nord = _add(app, "Metallbau Nord")
    gone = _add(app, "Alte Schlosserei", retired_at=date(2026, 1, 1))
    token = _link(app, people["ol-2027"], "outcome").token
    f = filler(token)
    f.open()
    page = f.post({k: v for k, v in _outcome().items() if k in ("participant_code", "status")})
    html = page.get_data(as_text=True)
    assert "Metallbau Nord (Westerstede)" in html and "Alte Schlosserei" not in html
    assert "Other (not in the list)" in html
    # A record that is not offered (one that left the project, a made-up id) is refused, nothing stored.
    for forged in (str(gone), "99999"):
        refused = f.post({"trade": "metal", "company_record": forged, "contract_seen": "yes"})
        assert refused.status_code == 400 and "not one of the offered answers" in refused.get_data(as_text=True)
    # "Other" without a name asks for it.
    asked = f.post({"trade": "metal", "company_record": "other", "contract_seen": "yes"})
    assert "Please write the name." in asked.get_data(as_text=True)
    assert _answers(app, "outcome") == []
    fill_in(filler, token, _outcome(company_record=str(nord)))
    fill_in(filler, token, _outcome(company_record="other", company_record__other="Gärtnerei Ost"))
    stored = _answers(app, "outcome")
    assert [(a["company_record"], a.get("company_record.other")) for a in stored] == \
        [(str(nord), None), ("other", "Gärtnerei Ost")]


def test_placements_by_company_count_records_and_typed_names_a_coordinator_matched(app, people, staff,  # noqa: F811
                                                                                    filler):
    cohort = people["ol-2027"]
    nord = _add(app, "Metallbau Nord")
    token = _link(app, cohort, "outcome").token
    fill_in(filler, token, _outcome(company_record=str(nord)))
    # An older version's free text for the same company, typed differently.
    _link_v2 = _link(app, cohort, "outcome", version=2).token
    fill_in(filler, _link_v2, {**_outcome(), "participant_code": "B3M8-Q2", "company": "metallbau nord gmbh"})
    fill_in(filler, token, {**_outcome(company_record="other", company_record__other="Gärtnerei Ost"),
                            "participant_code": "C4N9-R3"})
    with app.test_request_context():
        assert pipeline(cohort).placed_by_company == {"Metallbau Nord": 1, "metallbau nord gmbh": 1, "Gärtnerei Ost": 1}
    coordinator = staff("coord1")
    ost = _add(app, "Gaertnerei Ost", municipality="apen")
    page = coordinator.get(f"{COMPANIES}/names").get_data(as_text=True)
    # Each typed name with the record it most likely means, preselected: the same normalised name, or a close one.
    assert "metallbau nord gmbh" in page and "Gärtnerei Ost" in page
    assert page.count(f'<option value="{nord}" selected>') == 1 and page.count(f'<option value="{ost}" selected>') == 1
    for name, record in (("metallbau nord gmbh", nord), ("Gärtnerei Ost", ost)):
        assert coordinator.post(f"{COMPANIES}/names", {"name": name, "company": record}).status_code == 302
    assert "Every typed name is matched to a record." in coordinator.get(f"{COMPANIES}/names").get_data(as_text=True)
    with app.test_request_context():
        assert pipeline(cohort).placed_by_company == {"Metallbau Nord": 2, "Gaertnerei Ost": 1}
    # The answers stay as they were given.
    assert "Gärtnerei Ost" in {a.get("company_record.other") for a in _answers(app, "outcome")}
    assert coordinator.post(f"{COMPANIES}/names", {"name": "Gärtnerei Ost", "company": ""}).status_code == 302


def test_placements_by_company_count_spellings_of_one_typed_name_as_one_company(app, people, filler):  # noqa: F811
    cohort = people["ol-2027"]
    token = _link(app, cohort, "outcome").token
    for code, typed in (("K7Q2-H", "Gärtnerei Ost"), ("B3M8-Q2", "gärtnerei ost GmbH"), ("C4N9-R3", "Gärtnerei Ost")):
        fill_in(filler, token, {**_outcome(company_record="other", company_record__other=typed),
                                "participant_code": code})
    with app.test_request_context():
        # As the company-names page and the cohort report's question group them: by name_key, the usual spelling.
        assert pipeline(cohort).placed_by_company == {"Gärtnerei Ost": 3}


def test_the_mentors_new_log_entry_knows_the_apprentice_and_a_forged_code_stores_nothing(app, people, staff,  # noqa: F811
                                                                                          client):
    client.set_cookie("lang", "en")
    cohort = people["ol-2027"]
    link = _link(app, cohort, "mentor-log")
    with app.app_context():
        db.session.add(MentorAssignment(cohort_id=cohort, participant_code=CODE, mentor_id=people["mentor1"]))
        db.session.commit()
    page = staff("mentor1").get(f"/staff/apprentices/ol-2027/{CODE}").get_data(as_text=True)
    url = re.search(r'href="http://127.0.0.1:5000(/f/[^"]+)"', page).group(1).replace("&amp;", "&")
    assert "?p=" in url
    form = client.get(url).get_data(as_text=True)
    assert CODE in form and "Filled in by your link. It cannot be changed here." in form
    assert not re.search(r'<input type="text"[^>]*name="participant_code"', form)
    # The signature covers the values and the link: another code, or the same values on another link, fail.
    with app.test_request_context():
        other = sign(link, {"participant_code": "B3M8-Q2"})
        elsewhere = sign(_link(app, cohort, "mentor-log"), {"participant_code": CODE})
    signed = url.split("?p=")[1]
    altered = other.rsplit(".", 1)[0] + "." + signed.rsplit(".", 1)[1]  # another code under this signature
    for forged in (signed[:-2] + ("AA" if not signed.endswith("AA") else "BB"), altered, elsewhere, "garbage"):
        refused = client.get(f"/f/{link.token}?p={forged}")
        assert refused.status_code == 400 and "This link was changed" in refused.get_data(as_text=True)
    # A page that sends another code than the signed one is refused, and nothing is stored.
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    changed = client.post(f"/f/{link.token}", data={**hidden, "csrf_token": csrf, "participant_code": "B3M8-Q2",
                                                    "_nav": "next"})
    assert changed.status_code == 400 and "This link was changed" in changed.get_data(as_text=True)
    assert _answers(app, "mentor-log") == []


def test_a_hospitation_feedback_link_knows_the_participant_and_the_company(app, people, staff, filler,  # noqa: F811
                                                                           client):
    client.set_cookie("lang", "en")
    cohort = people["ol-2027"]
    nord = _add(app, "Metallbau Nord")
    readiness_link = _link(app, cohort, "company-readiness", company_id=nord, max_responses=1)
    # The company's own survey link knows the company: its name is set and shown, not typed.
    survey = filler(readiness_link.token).open().get_data(as_text=True)
    assert "Metallbau Nord" in survey and "Filled in by your link." in survey
    answers = readiness("Typed Otherwise", "westerstede", ["metal"])
    del answers["company_name"]
    fill_in(filler, readiness_link.token, answers)
    assert _answers(app, "company-readiness")[0]["company_name"] == "Metallbau Nord"
    fill_in(filler, _link(app, cohort, "competence-check").token,
            {**COMPETENCE, "participant_code": CODE})
    assert staff("coord1").post("/staff/cohorts/ol-2027/matching/hospitations", {
        "participant": CODE, "company": readiness_link.id, "kind": "hospitation", "trade": "metal",
        "starts_on": "2027-05-03", "ends_on": "2027-05-07", "mentor": "0"}).status_code == 302
    with app.app_context():
        feedback = db.session.get(Link, db.session.scalar(select(Hospitation.feedback_link_id)))
        assert feedback.company_id == nord and CODE not in feedback.event
        token = feedback.token
    f = filler(token)
    page = f.open().get_data(as_text=True)
    assert CODE in page and "Metallbau Nord" in page
    # Changing the company the link is about is refused; the fixed values are stored as given by the link.
    assert f.post({"took_place": "yes", "company": str(_add(app, "Andere GmbH"))}).status_code == 400
    f.open()
    assert f.post({"took_place": "no"}).status_code == 200
    assert f.post({"not_held_reason": "moved"}, nav="submit").status_code == 303
    [answers] = _answers(app, "hospitation-feedback")
    assert (answers["participant_code"], answers["company"]) == (CODE, str(nord))


def test_a_companys_own_link_names_its_record_that_left_the_list_as_other_with_its_name(app, people, filler,  # noqa: F811
                                                                                       client):
    client.set_cookie("lang", "en")
    gone = _add(app, "Alte Schlosserei", retired_at=date(2026, 1, 1))
    token = _link(app, people["ol-2027"], "hospitation-feedback", company_id=gone).token
    f = filler(token)
    page = f.open().get_data(as_text=True)
    # Shown fixed under its name, not as a record the list no longer offers (which nobody could send).
    question = re.search(r'<div class="question question-fixed" id="q-company".*?</div>', page, re.S).group(0)
    assert "<strong>Alte Schlosserei</strong>" in question and 'type="radio"' not in question
    f.post({"participant_code": CODE, "took_place": "no"})
    assert f.post({"not_held_reason": "moved"}, nav="submit").status_code == 303
    [answers] = _answers(app, "hospitation-feedback")
    assert (answers["company"], answers["company.other"]) == ("other", "Alte Schlosserei")


def test_company_records_hold_nothing_about_a_participant_and_survive_an_erasure(app, people, staff,  # noqa: F811
                                                                                  filler):
    cohort = people["ol-2027"]
    nord = _add(app, "Metallbau Nord")
    fill_in(filler, _link(app, cohort, "outcome").token, _outcome(company_record=str(nord)))
    coordinator = staff("coord1")
    assert coordinator.post(f"/staff/cohorts/ol-2027/participants/{CODE}/erase", {"confirm": CODE}).status_code == 302
    # The response is kept without the code (the cohort's counts do not change): it still names the company.
    assert [a["company_record"] for a in _answers(app, "outcome")] == [str(nord)]
    with app.app_context():
        assert [c.name for c in db.session.scalars(select(Company))] == ["Metallbau Nord"]
    assert occurrences(app, (CODE,)) == {}


def test_a_survey_through_a_companys_personal_link_needs_no_record_made_from_it(app, people, staff, filler):  # noqa: F811
    company_id = _add(app, "Metallbau Nord GmbH")
    answers = readiness("Metallbau Nord GmbH", "westerstede", ["metal"])
    del answers["company_name"]  # the personal link names the company
    fill_in(filler, _link(app, people["ol-2027"], "company-readiness", company_id=company_id).token, answers)
    page = staff("coord1").get(f"{COMPANIES}/from-survey").get_data(as_text=True)
    assert "Every survey response has its record." in page


def test_a_company_is_placed_in_a_gemeinde_of_the_participants_list(app, people, staff):  # noqa: F811
    coordinator = staff("coord1")
    form = coordinator.get(f"{COMPANIES}/new").get_data(as_text=True)
    # The same Gemeinden as the competence check's "Wo wohnen Sie?", with "Woanders".
    assert 'value="bad_zwischenahn"' in form and 'value="wildeshausen"' in form and 'value="other"' in form
    assert coordinator.post(f"{COMPANIES}/new", {"name": "Gärtnerei Ost", "municipality": "Oldenburg-Ofenerdiek"}
                            ).status_code == 200  # not a value of the list: nothing saved
    with app.app_context():
        assert db.session.scalars(select(Company)).all() == []
    assert coordinator.post(f"{COMPANIES}/new", {"name": "Gärtnerei Ost", "municipality": "apen"}).status_code == 302
    assert "Apen" in coordinator.get(COMPANIES).get_data(as_text=True)


def test_a_place_typed_before_the_list_is_shown_not_on_the_list_until_a_coordinator_chooses(app, people, staff):  # noqa: F811
    company_id = _add(app, "Landhandel Sprenger", municipality=None, place="Ofenerdiek")
    coordinator = staff("coord1")
    listing = coordinator.get(COMPANIES).get_data(as_text=True)
    assert "Ofenerdiek" in listing and "not on the list" in listing
    assert "1 company has no Gemeinde from the list yet" in listing
    page = coordinator.get(f"{COMPANIES}/{company_id}").get_data(as_text=True)
    assert "Place typed before the list: “Ofenerdiek”, which is not on the list of Gemeinden." in page
    assert coordinator.post(f"{COMPANIES}/{company_id}", {"name": "Landhandel Sprenger",
                                                         "municipality": "oldenburg_city"}).status_code == 302
    with app.app_context():
        company = db.session.get(Company, company_id)
        assert (company.municipality, company.place) == ("oldenburg_city", "")
        [event] = db.session.scalars(select(AuditEvent).filter_by(action="company_changed")).all()
        assert (event.details["before"]["place"], event.details["after"]["municipality"]) == \
            ("Ofenerdiek", "oldenburg_city")
    assert "not on the list" not in coordinator.get(COMPANIES).get_data(as_text=True)


def test_a_record_without_a_gemeinde_takes_the_one_its_company_named_in_the_survey(app, people, staff,  # noqa: F811
                                                                                   filler):
    company_id = _add(app, "Landhandel Sprenger", municipality=None, place="Ofenerdiek")
    westerstede = _add(app, "Metallbau Nord GmbH")
    coordinator = staff("coord1")
    # The companies answer version 3 through their personal links.
    for record, gemeinde in ((company_id, "hude"), (westerstede, "apen")):
        answers = {k: v for k, v in readiness("-", gemeinde, ["metal"]).items() if k != "company_name"}
        fill_in(filler, _link(app, people["ol-2027"], "company-readiness", company_id=record).token, answers)
    page = coordinator.get(f"{COMPANIES}/{company_id}").get_data(as_text=True)
    assert "The company named this Gemeinde in its readiness survey: save to keep it." in page
    assert '<option selected value="hude">Hude</option>' in page
    # A record that has its Gemeinde keeps it: a coordinator changes it by hand.
    page = coordinator.get(f"{COMPANIES}/{westerstede}").get_data(as_text=True)
    assert "save to keep it" not in page and '<option selected value="westerstede">' in page
    assert coordinator.post(f"{COMPANIES}/{company_id}", {"name": "Landhandel Sprenger", "municipality": "hude",
                                                         "trades": ["metal"]}).status_code == 302
    with app.app_context():
        assert (db.session.get(Company, company_id).municipality, db.session.get(Company, company_id).place) == \
            ("hude", "")


@pytest.mark.parametrize("typed, value", [("Bad Zwischenahn", "bad_zwischenahn"), ("Stadt Oldenburg", "oldenburg_city"),
                                          ("Oldenburg (Oldb)", "oldenburg_city"), ("GROSSENKNETEN", "grossenkneten"),
                                          ("Gemeinde Dötlingen", "doetlingen"), ("Doetlingen", "doetlingen"),
                                          ("Ofenerdiek", None), ("Landkreis Ammerland", None), ("", None),
                                          ("Woanders", None)])
def test_a_typed_place_is_matched_to_the_list_only_where_it_clearly_names_a_gemeinde(app, typed, value):
    with app.test_request_context():
        assert places.match(typed) == value


def test_the_migration_matches_typed_places_as_the_application_does(app):
    path = Path(__file__).resolve().parent.parent / "proconnect/migrations/versions/0024_company_municipality.py"
    spec = importlib.util.spec_from_file_location("company_municipality", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with app.test_request_context():
        listed = dict(places.municipalities())
        # The migration keeps the list as it stood when it ran; the application still has each of them.
        assert {v: listed.get(v) for v in migration.GEMEINDEN} == migration.GEMEINDEN
        for typed in ("Bad Zwischenahn", "Stadt Oldenburg", "Oldenburg (Oldb)", "Hatten", "Ofenerdiek", "Ammerland"):
            assert migration._match(typed) == places.match(typed)
