"""Every lookup by participant code stays in one cohort: the same code in another cohort is another person.

Issue 13, finding 2: coordinator A submitted a competence check with cohort B's code through A's own link,
and A's profile sheet then listed B's outcomes with their company names.
"""
from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta

from sqlalchemy import update

from proconnect.extensions import db
from proconnect.matching.sources import participant_profiles, profiles_of_code
from proconnect.responses.models import Response
from shipped_forms import forms_dir  # noqa: F401
from staff_helpers import add_link, people, staff  # noqa: F401
from test_instruments import COMPETENCE, fill_in
from test_pipeline import record
from test_reports_pdf import pdf_file_text


def outcome(company: str) -> dict:
    return {"participant_code": "K7Q2-X9", "status_date": (date.today() - timedelta(days=20)).isoformat(), "status": "apprenticeship",
            "trade": "metal", "company_record": "other", "company_record__other": company, "contract_seen": "yes"}


def test_a_profile_sheet_names_no_company_of_the_persons_outcomes_in_any_cohort(app, people, staff,  # noqa: F811
                                                                                 filler, tmp_path):
    # The sheet goes to companies: another company's name in a person's history is none of their business.
    fill_in(filler, add_link(app, people["dh-2027"], "outcome"), outcome("Geheimbetrieb Delmenhorst GmbH"))
    fill_in(filler, add_link(app, people["ol-2027"], "outcome"), outcome("Metallbau Nord GmbH"))
    # Coordinator A's own link, cohort B's code.
    fill_in(filler, add_link(app, people["ol-2027"], "competence-check"), COMPETENCE)
    sheet = staff("coord1").get("/reports/ol-2027/participants/K7Q2-X9/profile.pdf")
    assert sheet.status_code == 200
    (tmp_path / "sheet.pdf").write_bytes(sheet.data)
    text = pdf_file_text(tmp_path / "sheet.pdf")
    assert "K7Q2-X9" in text and "Selbstauskunft" in text
    assert "Metallbau Nord GmbH" not in text and "Geheimbetrieb" not in text


def test_the_profile_command_looks_only_in_the_cohort_it_is_given(app, runner, people, filler,  # noqa: F811
                                                                  tmp_path):
    fill_in(filler, add_link(app, people["dh-2027"], "competence-check"), COMPETENCE)
    out = tmp_path / "sheet.pdf"
    refused = runner.invoke(args=["profile", "--cohort", "ol-2027", "--participant", "k7q2-x9", "--out", str(out)])
    assert refused.exit_code == 1, refused.output
    assert "No competence check with participant code K7Q2-X9 in cohort ol-2027" in refused.output
    assert not out.exists()
    found = runner.invoke(args=["profile", "--cohort", "dh-2027", "--participant", "k7q2 x9", "--out", str(out)])
    assert found.exit_code == 0, found.output
    assert "Delmenhorst 2027" in pdf_file_text(out)


def test_match_making_reads_a_codes_check_in_its_own_cohort_even_at_the_same_moment(app, people):  # noqa: F811
    moment = datetime(2027, 3, 1, 10)
    record(app, people["ol-2027"], "competence-check", "K7Q2-X9", moment, trades="metal")
    record(app, people["dh-2027"], "competence-check", "K7Q2-X9", moment, trades="care")
    with app.app_context():
        for profiles in (participant_profiles(people["ol-2027"]), profiles_of_code(people["ol-2027"], "k7q2 x9")):
            [person] = profiles
            assert (person.code, set(person.experience)) == ("K7Q2-X9", {"metal"})


def test_a_code_stored_before_codes_were_checked_still_gets_its_profile_sheet(app, people, staff, filler,  # noqa: F811
                                                                               tmp_path):
    fill_in(filler, add_link(app, people["ol-2027"], "competence-check"), COMPETENCE)
    with app.app_context():
        db.session.execute(update(Response).values(participant_code="AB 12/X"))
        db.session.commit()
    coordinator = staff("coord1")
    listed = coordinator.get("/reports/ol-2027/participants").get_data(as_text=True)
    [href] = [html.unescape(h) for h in re.findall(r'href="([^"]+/profile\.pdf)"', listed)]
    sheet = coordinator.get(href)
    assert sheet.status_code == 200 and "/" not in sheet.headers["Content-Disposition"].split("filename=")[1]
    (tmp_path / "sheet.pdf").write_bytes(sheet.data)
    assert "AB 12/X" in pdf_file_text(tmp_path / "sheet.pdf")
