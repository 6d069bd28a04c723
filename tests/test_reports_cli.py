"""The command line on the real instruments: a demo cohort, its report, a profile sheet."""
from __future__ import annotations

import re
import subprocess
import unicodedata

import pytest
from sqlalchemy import func, select

from proconnect.extensions import db
from proconnect.responses.models import Answer, Response
from shipped_forms import forms_dir  # noqa: F401
from test_reports_pdf import pdf_file_text

INSTRUMENTS = ("Kompetenz-Check", "Betriebs-Check", "Rückmeldung zur Schulung", "Begleit-Protokoll", "Verbleib")


@pytest.fixture
def demo(runner):
    result = runner.invoke(args=["demo", "--cohort", "demo", "--participants", "12", "--seed", "1"])
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_fills_every_instrument_in_several_languages_and_scripts(app, demo):
    assert "Demo cohort 'demo' is ready" in demo
    with app.app_context():
        forms = dict(db.session.execute(select(Response.form_id, func.count()).group_by(Response.form_id)).all())
        languages = set(db.session.scalars(select(Response.language).where(Response.form_id == "competence-check")))
        texts = db.session.scalars(select(Answer.value_long).where(Answer.value_long.is_not(None))).all()
        codes = db.session.scalar(select(func.count(Response.participant_code.distinct())))
    assert forms["competence-check"] == 12 and forms["outcome"] >= 9
    with app.app_context():
        check = select(Response.id).where(Response.form_id == "competence-check")
        versions = set(db.session.scalars(select(Response.version).where(Response.form_id == "competence-check")))
        asked = set(db.session.scalars(select(Answer.field_id).where(Answer.response_id.in_(check),
                                                                     Answer.shown.is_(True))))
    # The demo answers the newest version of the check (v4), with what v3 began to ask and without what v4 left out.
    assert versions == {4}
    assert {"age_band", "municipality", "math_price", "like_r2", "interest_r"} <= asked
    assert any(name.startswith("context_") for name in asked) and "district" not in asked
    assert not {"school_years", "like_r1", "skills.computer"} & asked
    assert set(forms) == {"competence-check", "outcome", "mentor-log", "company-readiness", "training-feedback",
                          "hospitation-feedback", "hospitation-voice"}
    # A hospitation's two sides: the company's feedback (newest version) and the participant's own, in their language.
    assert forms["hospitation-feedback"] == forms["hospitation-voice"] >= 2
    with app.app_context():
        feedback_versions = set(db.session.scalars(select(Response.version).where(
            Response.form_id == "hospitation-feedback")))
        voices = db.session.execute(select(Response.participant_code, Response.language).where(
            Response.form_id == "hospitation-voice")).all()
        checks = dict(db.session.execute(select(Response.participant_code, Response.language).where(
            Response.form_id == "competence-check")).all())
    assert feedback_versions == {3} and all(checks[code] == language for code, language in voices)
    assert len(languages) >= 5 and codes == 12
    scripts = {unicodedata.name(c).split()[0] for t in texts for c in t if c.isalpha()}
    assert {"LATIN", "ARABIC"} <= scripts and scripts & {"CYRILLIC", "ETHIOPIC"}


def test_the_demo_companies_answer_the_newest_company_survey_and_matching_proposes_their_places(app, demo, runner):
    import json
    with app.app_context():
        versions = set(db.session.scalars(select(Response.version).where(Response.form_id == "company-readiness")))
        links = db.session.scalar(select(func.count(Response.link_id.distinct()))
                                  .where(Response.form_id == "company-readiness"))
    assert versions == {4} and links == 4  # one link per company
    from proconnect.reports.demo import DEMO_COMPANIES
    with app.app_context():
        # Each company names its own Gemeinde, from the participants' list.
        gemeinden = set(db.session.scalars(select(Answer.value_text).where(
            Answer.form_id == "company-readiness", Answer.field_id == "municipality")))
    assert gemeinden == {c.municipality for c in DEMO_COMPANIES[:4]}
    result = runner.invoke(args=["match", "--cohort", "demo", "--limit", "3", "--format", "json"])
    assert result.exit_code == 0, result.output
    proposals = [p for person in json.loads(result.output).values() for p in person]
    kinds = {p["kind"] for p in proposals}
    assert "job" in kinds and "apprenticeship" in kinds, kinds
    assert all(p["reasons"] and p["offer"] for p in proposals)


def test_the_demo_companies_offer_what_they_do_where_they_are(app, demo, runner):
    import json
    from proconnect.companies.models import Company
    from proconnect.matching.rules import load_rules
    from proconnect.reports.demo import DEMO_COMPANIES
    occupations = load_rules().occupations
    for company in DEMO_COMPANIES:
        # The Berufe belong to the company's trade: no car dealer trains gardeners.
        assert {occupations[o] for o in company.apprenticeships} <= {company.trade}, company.name
    trade_of = {c.name: c.trade for c in DEMO_COMPANIES}
    with app.app_context():
        records = {c.name: c.municipality for c in db.session.scalars(select(Company))}
    assert records == {c.name: c.municipality for c in DEMO_COMPANIES[:4]}  # 12 participants: four companies
    result = runner.invoke(args=["match", "--cohort", "demo", "--limit", "10", "--format", "json"])
    proposals = [p for person in json.loads(result.output).values() for p in person]
    assert proposals and {p["company"] for p in proposals} == set(records)
    assert [(p["company"], p["trade"]) for p in proposals if p["trade"] != trade_of[p["company"]]] == []
    # The way is counted from the participant's Gemeinde to the company's, known unless one lives "Woanders".
    unknown = [p for p in proposals if any(r.startswith(("Fahrzeit unbekannt", "travel time not known"))
                                           for r in p["reasons"])]
    assert len(unknown) < len(proposals) / 4


def test_the_same_seed_gives_the_same_demo(app, runner, demo):
    assert runner.invoke(args=["demo", "--cohort", "again", "--participants", "12", "--seed", "1"]).exit_code == 0
    with app.app_context():
        def payloads(slug):
            from proconnect.cohorts.models import Cohort
            cohort = db.session.scalar(select(Cohort).filter_by(slug=slug))
            return [(r.form_id, r.language, r.payload["answers"].get("status"), r.submitted_at) for r in
                    db.session.scalars(select(Response).filter_by(cohort_id=cohort.id).order_by(Response.id))]
        assert payloads("demo") == payloads("again")
    assert runner.invoke(args=["demo", "--cohort", "demo"]).exit_code != 0  # never fills a cohort twice


@pytest.mark.parametrize("slug, message", [("Demo Cohort", "use lower-case letters, digits and hyphens"),
                                           ("new", "'new' is reserved")])
def test_the_demo_cohort_follows_the_rule_for_short_names(runner, slug, message):
    """A cohort whose short name the staff area cannot open is not created."""
    result = runner.invoke(args=["demo", "--cohort", slug, "--participants", "1"])
    assert result.exit_code == 2 and "Invalid value for --cohort" in result.output and message in result.output


def test_report_and_profile_commands_write_real_pdfs(app, runner, demo, tmp_path):
    out = tmp_path / "report.pdf"
    result = runner.invoke(args=["report", "--cohort", "demo", "--texts", "5", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = pdf_file_text(out)
    for title in INSTRUMENTS + ("Kennzahlen", "Vermittelt (Ausbildung oder SVB-Job", "Aktueller Verbleib",
                                "Methodische Hinweise", "Interesse: praktisch-technisch"):
        assert title in text, title
    # The demo selects most participants: the funnel counts them, the others apart.
    selected = int(re.search(r"Ausgewählte Teilnehmende\s+(\d+)\s+100 %", text).group(1))
    assert 0 < selected < 12 and f"Nicht ausgewählt: {12 - selected} Teilnehmende" in text
    assert "Originalsprache:" in text

    with app.app_context():
        code = db.session.scalar(select(Response.participant_code).where(
            Response.form_id == "competence-check", Response.language != "de").order_by(Response.id))
    sheet = tmp_path / "sheet.pdf"
    result = runner.invoke(args=["profile", "--cohort", "demo", "--participant", code.lower(), "--out",
                                 str(sheet)])
    assert result.exit_code == 0, result.output
    text = pdf_file_text(sheet)
    assert "Profilbogen für Betriebe" in text and code in text and "INTERESSENPROFIL" in text
    assert "Was können Sie auf Deutsch?" in text and "Selbstauskunft" in text
    assert "Wo wohnen Sie?" in text and "über dem eigenen Schnitt der Person" in text
    # Where the experience comes from stands beside it: home cooking never reads like a restaurant kitchen.
    assert "Wo haben Sie das gemacht?" in text
    assert "Wobei brauchen Sie Hilfe" not in text  # support needs never go to companies
    # Nor what plans the support: reading, the two sums, whether an apprenticeship's pay is enough.
    assert "Ein Brett kostet" not in text and "diese Schrift" not in text and "Passt eine Ausbildung" not in text
    # Nor the first language or the language of the check (proxies for origin), nor the outcome history that
    # names other companies.
    assert "Was ist Ihre erste Sprache" not in text and "ausgefüllt auf" not in text
    assert "Originalsprache" not in text and "VERBLEIB" not in text
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(sheet)], capture_output=True,
                                                            text=True).stdout).group(1))
    assert pages <= 2
    # Laid out once: "Seite n" without "von m"; the last line says where the sheet ends.
    assert re.findall(r"Seite (\d+)", text) == [str(n) for n in range(1, pages + 1)]
    assert f"Ende des Profilbogens {code}" in text


def test_the_report_command_writes_the_web_page_too(runner, demo, tmp_path):
    out = tmp_path / "report.html"
    result = runner.invoke(args=["report", "--cohort", "demo", "--lang", "en", "--funder", "--form", "outcome",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Cohort report for funders" in html and "Verbleib" in html and "<pdf:" not in html


def test_clear_errors_on_the_command_line(runner, demo, tmp_path):
    result = runner.invoke(args=["report", "--cohort", "nope", "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "no cohort 'nope'" in result.output
    result = runner.invoke(args=["profile", "--cohort", "demo", "--participant", "ZZZZ-ZZZZ", "--out",
                                 str(tmp_path / "x.pdf")])
    assert result.exit_code == 1 and "No competence check with participant code ZZZZ-ZZZZ in cohort demo" in \
        result.output
    result = runner.invoke(args=["report", "--cohort", "demo", "--form", "nope", "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "no instrument 'nope'" in result.output
    assert not (tmp_path / "x.pdf").exists()
