"""One privacy seam: every feature declares what it stores about a participant, and erasure, export and
retention go through those declarations. An erased person leaves nothing behind in any table, page or link."""
from __future__ import annotations

import ast
import json
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import JSON, Column, Integer, String, Table, select

from proconnect.accounts.models import MentorAssignment
from proconnect.audit.models import AuditEvent
from proconnect.cohorts.models import Cohort
from proconnect.extensions import db
from proconnect.links.codes import check_character
from proconnect.links.models import Link, Participant, Selection
from proconnect.matching.models import Hospitation, MatchDecision
from proconnect.matching.permission import WorkPermission
from proconnect.models_util import utcnow
from proconnect.personal_data import Declaration, code_digest, declarations, register, undeclared
from proconnect.responses.models import ResponseDraft
from shipped_forms import forms_dir  # noqa: F401
from staff_helpers import add_link, people, staff  # noqa: F401
from test_instruments import COMPETENCE, fill_in
from test_matching_cli import company
from test_reports_pdf import pdf_text

CODE = f"K7Q2-{check_character('K7Q2')}"
#: Free texts that name the person, one per feature that takes free text.
REASON = "Herr Haddad wirkte im Gespräch unsicher"
MENTOR_NOTE = "Sami Haddad braucht Nachhilfe in Fachrechnen"
COMPANY_NOTE = "Herr Haddad aus Aleppo braucht einen Sprachkurs"
TEXTS = (REASON, MENTOR_NOTE, COMPANY_NOTE, "Haddad")
PARTICIPANTS = "/staff/cohorts/ol-2027/participants"
MATCHING = "/staff/cohorts/ol-2027/matching"


def occurrences(app, needles) -> dict[str, list[str]]:
    """Where any of ``needles`` (any case) is stored: every String, Text and JSON column of every table."""
    found: dict[str, list[str]] = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, (String, JSON))]
            for row in db.session.execute(select(*columns)) if columns else ():
                for column, value in zip(columns, row):
                    text = json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value
                    if isinstance(text, str) and any(n.lower() in text.lower() for n in needles):
                        found.setdefault(table.name, []).append(f"{column.name}: {text[:120]}")
    return found


@pytest.fixture
def everything(app, people, staff, filler):  # noqa: F811
    """One participant in every feature: card, competence check, outcome, mentor log, a rejected match with a
    reason, a hospitation whose company saved its feedback half-way, a mentor, the selection, an old-style link
    label naming the code, exports (audited). :return: the coordinator's browser and the company's feedback link token"""
    cohort = people["ol-2027"]
    with app.app_context():
        db.session.add(Participant(code=CODE, cohort_id=cohort))
        db.session.commit()
    fill_in(filler, add_link(app, cohort, "competence-check"), {**COMPETENCE, "participant_code": CODE.lower()})
    company_token = add_link(app, cohort, "company-readiness")
    fill_in(filler, company_token, company("Metallbau Nord", "westerstede", ["metal"]))
    fill_in(filler, add_link(app, cohort, "outcome"), {
        "participant_code": CODE, "status_date": (date.today() - timedelta(days=20)).isoformat(),
        "status": "apprenticeship", "trade": "metal", "company_record": "other",
        "company_record__other": "Metallbau Nord", "contract_seen": "yes"})
    fill_in(filler, add_link(app, cohort, "mentor-log"), {
        "participant_code": CODE, "meeting_date": date.today().isoformat(), "duration": "45", "format": "school",
        "topics": ["language"], "status": "attention", "next_steps": MENTOR_NOTE, "bbs_involved": "no"})
    with app.app_context():
        company_id = db.session.scalar(select(Link.id).filter_by(token=company_token))
        # A label made before labels stopped naming the person.
        db.session.add(Link(form_id="hospitation-feedback", cohort_id=cohort,
                            event=f"Metallbau Nord: {CODE}, 04.01.–08.01.2027"))
        db.session.add(Selection(cohort_id=cohort, participant_code=CODE, selected_on=date(2026, 11, 10)))
        db.session.commit()
    coordinator = staff("coord1")
    assert coordinator.post(f"{MATCHING}/decide", {"participant": CODE, "company": company_id,
                                                   "decision": "rejected", "reason": REASON}).status_code == 302
    assert coordinator.post(f"{MATCHING}/hospitations", {
        "participant": CODE, "company": company_id, "kind": "hospitation", "trade": "metal",
        "starts_on": "2027-05-03", "ends_on": "2027-05-07", "mentor": people["mentor1"]}).status_code == 302
    assert coordinator.post(f"{PARTICIPANTS}/{CODE}/mentor", {"mentor": people["mentor2"]}).status_code == 302
    assert coordinator.post(f"{PARTICIPANTS}/{CODE}/work-permission", {"status": "needs_approval",
                                                                      "as_of": "2026-11-20"}).status_code == 302
    with app.app_context():
        [hospitation] = db.session.scalars(select(Hospitation)).all()
        feedback = db.session.get(Link, hospitation.feedback_link_id)
        token = feedback.token
        assert feedback.event == f"Metallbau Nord, 03.05.–07.05.2027 (#{hospitation.id})"
    company_browser = filler(token)
    company_browser.open()
    company_browser.post({"participant_code": CODE, "took_place": "yes"})
    saved = company_browser.post({"rating__punctual": "4", "support_needed": COMPANY_NOTE}, nav="save")
    assert saved.status_code == 200
    for url in (f"{PARTICIPANTS}/{CODE}/export.json", f"{PARTICIPANTS}/{CODE}/export.pdf",
                f"/reports/ol-2027/participants/{CODE}/profile.pdf"):
        assert coordinator.get(url).status_code == 200
    return coordinator, token


def test_the_export_holds_what_every_feature_stores(app, everything, tmp_path):
    coordinator, _token = everything
    data = coordinator.get(f"{PARTICIPANTS}/{CODE}/export.json").get_json()
    assert {r["form"] for r in data["responses"]} == {"competence-check", "outcome", "mentor-log"}
    # The saved inputs as sent (the feedback link filled in the code, and the company, which has no record, by name).
    assert [[a for a in d["answers"] if a[1]][:4] for d in data["drafts"]] == \
        [[["participant_code", CODE], ["company", "other"], ["company__other", "Metallbau Nord"],
          ["took_place", "yes"]]]
    assert [(d["company"], d["decision"], d["reason"]) for d in data["match_decisions"]] == [
        ("Metallbau Nord", "rejected", REASON)]
    assert [(h["company"], h["trade"], h["starts_on"], h["mentor"], h["company_feedback"])
            for h in data["hospitations"]] == [("Metallbau Nord", "metal", "2027-05-03", "mentor1", "saved")]
    assert [m["mentor"] for m in data["mentor"]] == ["mentor2"]
    assert [c["code"] for c in data["cards"]] == [CODE]
    assert data["selection"] == [{"selected_on": "2026-11-10"}]
    assert [(w["status"], w["as_of"], w["recorded_by"]) for w in data["work_permission"]] == [
        ("needs_approval", "2026-11-20", "coord1")]
    assert [link["label"] for link in data["links"]] == [f"Metallbau Nord: {CODE}, 04.01.–08.01.2027"]
    text = " ".join(pdf_text(coordinator.get(f"{PARTICIPANTS}/{CODE}/export.pdf").data, tmp_path, layout=False).split())
    for words in ("Match-making decisions", REASON, "Hospitations and internships", "saved half-way",
                  "Answers saved half-way", COMPANY_NOTE, MENTOR_NOTE, "mentor2", "Participant card",
                  "Permission to work", "Needs the approval of the Ausländerbehörde"):
        assert words in text


def test_an_erased_person_leaves_nothing_in_any_table_page_or_link(app, people, everything, filler):  # noqa: F811
    coordinator, token = everything
    before = occurrences(app, (CODE, *TEXTS))
    assert {"response", "answer", "response_draft", "match_decision", "hospitation", "mentor_assignment",
            "participant", "selection", "link", "work_permission"} <= set(before), before
    assert "audit_event" not in before  # the log names the person by a keyed digest only
    pages = (f"{MATCHING}/hospitations", f"{MATCHING}/pipeline", "/reports/ol-2027/participants")
    for url in pages:
        assert CODE in coordinator.get(url).get_data(as_text=True)

    kept = Path(app.instance_path) / "pdfs" / f"cohort-{people['ol-2027']}"
    assert [pdf for pdf in kept.glob("*.pdf")]  # the profile sheet, kept for the next download

    assert coordinator.post(f"{PARTICIPANTS}/{CODE}/erase", {"confirm": CODE}).status_code == 302

    assert occurrences(app, (CODE, *TEXTS)) == {}
    assert not kept.exists()
    for url in pages:
        page = coordinator.get(url)
        assert page.status_code == 200 and CODE not in page.get_data(as_text=True)
    assert "None recorded yet." in coordinator.get(f"{MATCHING}/hospitations").get_data(as_text=True)
    company_again = filler(token).open()
    assert company_again.status_code == 410 and "Haddad" not in company_again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(ResponseDraft)).all() == []
    assert coordinator.get(f"{PARTICIPANTS}/{CODE}").status_code == 410


def test_every_table_is_declared_by_exactly_one_feature(app):
    assert undeclared(app, db.metadata) == []
    scratch = Table("scratch_notes", db.metadata, Column("id", Integer, primary_key=True),
                    Column("participant_code", String(32)))
    try:
        [problem] = undeclared(app, db.metadata)
        assert problem.startswith("table 'scratch_notes' is declared by no feature")
    finally:
        db.metadata.remove(scratch)
    with pytest.raises(ValueError, match="table 'hospitation' is declared by 'matching' and 'notes'"):
        register(app, Declaration("notes", nothing={"hospitation": "mine too"}))
    assert "notes" not in {d.feature for d in declarations(app)}


def test_a_table_that_can_hold_a_code_must_say_how_it_is_erased():
    with pytest.raises(ValueError, match="notes: a declaration with tables"):
        Declaration("notes", tables=("scratch_notes",))


def test_retention_removes_old_hospitations_decisions_and_drafts_through_the_seam(app, people, runner):  # noqa: F811
    cohort = people["ol-2027"]
    old, recent = utcnow() - timedelta(days=400), utcnow() - timedelta(days=2)
    with app.app_context():
        links = [Link(form_id="hospitation-feedback", cohort_id=cohort, max_responses=1) for _ in range(2)]
        db.session.add_all(links)
        db.session.flush()
        db.session.add_all([
            Hospitation(cohort_id=cohort, participant_code="2A3B-X", company_id=1, company_name="Metallbau Nord",
                        kind="hospitation", starts_on=old.date(), ends_on=(old + timedelta(days=4)).date(),
                        feedback_link_id=links[0].id),
            Hospitation(cohort_id=cohort, participant_code="6E7F-7", company_id=1, company_name="Metallbau Nord",
                        kind="internship", starts_on=recent.date(), ends_on=(recent + timedelta(days=20)).date(),
                        feedback_link_id=links[1].id),
            ResponseDraft(link_id=links[0].id, answers=[["support_needed", COMPANY_NOTE]], updated_at=recent),
            ResponseDraft(link_id=links[1].id, answers=[["support_needed", "kommt gut zurecht"]], updated_at=old),
            MatchDecision(cohort_id=cohort, participant_code="2A3B-X", company_id=1, company_name="Metallbau Nord",
                          decision="rejected", reason=REASON, decided_at=old),
            MatchDecision(cohort_id=cohort, participant_code="6E7F-7", company_id=1, company_name="Metallbau Nord",
                          decision="contacted", decided_at=recent),
            MentorAssignment(mentor_id=people["mentor1"], cohort_id=cohort, participant_code="2A3B-X",
                             created_at=old),
            Selection(cohort_id=cohort, participant_code="2A3B-X", selected_on=old.date()),
            WorkPermission(cohort_id=cohort, participant_code="2A3B-X", status="needs_approval",
                           as_of=old.date(), set_at=old),
            WorkPermission(cohort_id=cohort, participant_code="6E7F-7", status="allowed", as_of=recent.date(),
                           set_at=recent)])
        db.session.get(Cohort, cohort).retention_months = 12
        db.session.commit()
        ids = [link.id for link in links]
    # A profile sheet kept since before the cutoff (the PDF jobs keep finished files per cohort).
    kept = Path(app.instance_path) / "pdfs" / f"cohort-{cohort}"
    kept.mkdir(parents=True)
    (kept / "old-sheet.pdf").write_bytes(b"%PDF-1.4 2A3B-X")
    os.utime(kept / "old-sheet.pdf", (old.timestamp(), old.timestamp()))
    dry = runner.invoke(args=["retention", "apply", "--dry-run"])
    assert "drafts: 1, selections: 1, decisions: 1, hospitations: 1, work permissions: 1, kept pdfs: 1\n" in \
        dry.output, dry.output
    done = runner.invoke(args=["retention", "apply", "--yes"])
    assert ("Deleted 6 record(s): drafts: 1, selections: 1, decisions: 1, hospitations: 1, work permissions: 1, "
            "kept pdfs: 1." in done.output), done.output
    assert not kept.exists()
    with app.app_context():
        assert db.session.scalars(select(Hospitation.participant_code)).all() == ["6E7F-7"]
        assert db.session.scalars(select(MatchDecision.participant_code)).all() == ["6E7F-7"]
        # The old hospitation's draft goes with it (the company's link is closed); the recent one's stale draft too.
        assert db.session.scalars(select(ResponseDraft)).all() == []
        assert [db.session.get(Link, i).revoked_at is not None for i in ids] == [True, False]
        assert db.session.scalars(select(MentorAssignment.participant_code)).all() == ["2A3B-X"]
        assert db.session.scalars(select(Selection)).all() == []
        assert db.session.scalars(select(WorkPermission.participant_code)).all() == ["6E7F-7"]
    assert occurrences(app, (REASON, COMPANY_NOTE)) == {}


def test_the_audit_log_names_a_participant_by_a_keyed_digest(app, people, everything):  # noqa: F811
    with app.app_context():
        digest = code_digest(people["ol-2027"], CODE)
        targets = db.session.scalars(select(AuditEvent.target).where(AuditEvent.action.in_(
            ["match_decision", "hospitation_created", "mentor_assigned", "export"]))).all()
    assert targets == [f"participant {digest[:16]} of cohort ol-2027"] * 6


def test_privacy_knows_no_features_tables():
    """Export, erasure and retention go through the declarations: no privacy module imports a feature's models
    (the cohort, which retention periods belong to, is the one exception)."""
    folder = Path(__file__).resolve().parent.parent / "proconnect" / "privacy"
    imported = {(path.name, node.module) for path in folder.glob("*.py")
                for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.ImportFrom) and node.module}
    assert sorted((name, module) for name, module in imported
                  if module.endswith("models") and module not in ("models", "cohorts.models")) == []
