"""Data protection: a participant's data exported (JSON, PDF) and erased with the cohort's counts intact;
responses deleted after the cohort's retention period."""
from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from proconnect.extensions import db
from proconnect.privacy.models import Erasure
from proconnect.privacy.retention import months_before
from proconnect.responses.models import Answer, Response
from staff_helpers import PAGE_ONE, people, seed, staff  # noqa: F401
from test_reports_pdf import pdf_text

URL = "/staff/cohorts/ol-2027/participants"


def answer_counts(app) -> Counter:
    """What reports count, straight from the Answer table: (form, field, value) -> rows, free text left out."""
    with app.app_context():
        rows = db.session.execute(select(Answer.form_id, Answer.field_id, Answer.shown, Answer.value_text,
                                         Answer.value_num, Answer.value_date, func.count())
                                  .where(Answer.value_long.is_(None))
                                  .group_by(Answer.form_id, Answer.field_id, Answer.shown, Answer.value_text,
                                            Answer.value_num, Answer.value_date)).all()
        return Counter({tuple(row[:-1]): row[-1] for row in rows})


def test_the_export_holds_every_answer_of_the_participant_across_forms(app, people, staff, seed):
    seed(people["ol-2027"], code="K7Q2-H", story="Ich war Schweißer in Aleppo.")
    seed(people["ol-2027"], code="K7Q2-H", trade="wood", name="Sami")
    seed(people["ol-2027"], code="B8M3-Q", name="Someone else")
    page = staff("coord1").get(f"{URL}/k7q2-h/export.json")
    assert page.status_code == 200 and page.mimetype == "application/json"
    assert page.headers["Content-Disposition"] == 'attachment; filename="participant-K7Q2-H.json"'
    data = json.loads(page.get_data(as_text=True))
    assert data["participant_code"] == "K7Q2-H" and data["cohort"]["slug"] == "ol-2027"
    assert len(data["responses"]) == 2
    first = {a["name"]: a for a in data["responses"][0]["answers"]}
    assert first["story"]["answer"] == "Ich war Schweißer in Aleppo."
    assert first["trade"] == {"name": "trade", "question": "Beruf", "answer": "Metall", "value": "metal"}
    assert first["skills"]["answer"] == "Messen, Schweißen"
    assert "Someone else" not in page.get_data(as_text=True)


def test_the_pdf_export_is_readable_text(app, people, staff, seed, tmp_path):
    seed(people["ol-2027"], code="K7Q2-H", story="Ich war Schweißer in Aleppo.")
    seed(people["ol-2027"], code="K7Q2-H", story="عملت في الحدادة")
    page = staff("coord1").get(f"{URL}/K7Q2-H/export.pdf")
    assert page.status_code == 200 and page.data.startswith(b"%PDF")
    # Arabic comes back as presentation forms with direction marks: pdf_text folds them to compare.
    text = pdf_text(page.data, tmp_path, layout=False)
    assert "K7Q2-H" in text and "Ich war Schweißer in Aleppo." in text and "Erzählen Sie" in text
    assert "عملت في الحدادة" in text  # shaped and in its own direction, read back in logical order


def test_erasure_keeps_every_count_and_removes_the_person(app, people, staff, seed):
    seed(people["ol-2027"], code="K7Q2-H", story="Mein Name ist Sami Haddad.")
    seed(people["ol-2027"], code="K7Q2-H", trade="wood")
    seed(people["ol-2027"], code="B8M3-Q", trade="care")
    before = answer_counts(app)
    with app.app_context():
        responses_before = db.session.scalar(select(func.count(Response.id)))
    coordinator = staff("coord1")
    confirm = coordinator.get(f"{URL}/K7Q2-H/erase")
    assert confirm.status_code == 200 and "2 responses are stored under this code" in confirm.get_data(as_text=True)
    done = coordinator.post(f"{URL}/K7Q2-H/erase", {"confirm": "K7Q2-H"})
    assert done.status_code == 302
    page = coordinator.get(done.headers["Location"]).get_data(as_text=True)
    assert "The participant's data was erased. Responses anonymised: 2. Free-text answers deleted: 7." in page
    assert answer_counts(app) == before
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id))) == responses_before
        assert db.session.scalar(select(func.count(Response.id)).filter_by(participant_code="K7Q2-H")) == 0
        kept = db.session.scalars(select(Response).filter_by(participant_code=None)).all()
        assert len(kept) == 2
        for response in kept:
            assert "story" not in response.payload["answers"] and "participant_code" not in response.payload["answers"]
            assert "K7Q2" not in json.dumps(response.payload) and "Haddad" not in json.dumps(response.payload)
        texts = db.session.scalars(select(Answer.value_long).where(Answer.value_long.is_not(None))).all()
        assert "Mein Name ist Sami Haddad." not in texts and "K7Q2-H" not in texts
        assert "B8M3-Q" in texts  # the other participant is untouched
        erasure = db.session.scalar(select(Erasure))
        assert (erasure.anonymised, erasure.answers_removed) == (2, 7)  # 4 texts, then 3 (no metal detail)
        assert "K7Q2" not in erasure.code_digest


def test_an_erased_code_is_gone_for_good(app, people, staff, seed):
    from proconnect.matching.models import MatchDecision
    seed(people["ol-2027"], code="K7Q2-H")
    with app.app_context():
        db.session.add_all([MatchDecision(cohort_id=people["ol-2027"], participant_code=code, company_id=1,
                                          company_name="Tischlerei Meyer", decision="rejected",
                                          reason="mentioned his family")
                            for code in ("K7Q2-H", "B8M3-Q")])
        db.session.commit()
    coordinator = staff("coord1")
    coordinator.post(f"{URL}/K7Q2-H/erase", {"confirm": "K7Q2-H"})
    with app.app_context():
        assert db.session.scalars(select(MatchDecision.participant_code)).all() == ["B8M3-Q"]
    for suffix in ("", "/export.json", "/export.pdf", "/erase"):
        page = coordinator.get(f"{URL}/K7Q2-H{suffix}")
        assert page.status_code == 410 and "was erased" in page.get_data(as_text=True)
    assert coordinator.get(f"{URL}/NVR9-J").status_code == 404
    # Still known as erased after the secret key was changed with the old one kept as a fallback.
    app.config.update(SECRET_KEY="a new key", SECRET_KEY_FALLBACKS=["test-secret"])
    assert staff("coord1").get(f"{URL}/K7Q2-H").status_code == 410


def test_an_erased_participants_card_no_longer_opens_a_form(app, people, staff, seed, filler):
    from proconnect.links.models import Participant
    with app.app_context():
        db.session.add_all([Participant(code="K7Q2-H", cohort_id=people["ol-2027"]),
                            Participant(code="B8M3-Q", cohort_id=people["ol-2027"])])
        db.session.commit()
    first = seed(people["ol-2027"], code="K7Q2-H")
    staff("coord1").post(f"{URL}/K7Q2-H/erase", {"confirm": "K7Q2-H"})
    with app.app_context():
        assert db.session.scalars(select(Participant.code)).all() == ["B8M3-Q"]
    again = filler(first.token)
    again.open(lang="en")
    page = again.post({**PAGE_ONE, "participant_code": "K7Q2-H"})
    assert "This code does not belong to this group." in page.get_data(as_text=True)


def test_erasure_needs_the_code_typed_again(app, people, staff, seed):
    seed(people["ol-2027"], code="K7Q2-H")
    page = staff("coord1").post(f"{URL}/K7Q2-H/erase", {"confirm": "K7Q2"})
    assert page.status_code == 400 and "does not match. Nothing was erased." in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id)).filter_by(participant_code="K7Q2-H")) == 1


def test_another_cohorts_coordinator_cannot_see_export_or_erase(app, people, staff, seed):
    seed(people["ol-2027"], code="K7Q2-H")
    other = staff("coord2")
    for suffix in ("", "/export.json", "/erase"):
        assert other.get(f"{URL}/K7Q2-H{suffix}").status_code == 404
    assert other.post(f"{URL}/K7Q2-H/erase", {"confirm": "K7Q2-H"}).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id)).filter_by(participant_code="K7Q2-H")) == 1


@pytest.mark.parametrize("moment, months, expected", [
    (datetime(2027, 3, 31, 12), 1, datetime(2027, 2, 28, 12)),
    (datetime(2027, 1, 15), 13, datetime(2025, 12, 15)),
    (datetime(2028, 5, 31), 3, datetime(2028, 2, 29)),
])
def test_retention_counts_calendar_months(moment, months, expected):
    assert months_before(moment, months) == expected


def _age_responses(app, days: int):
    with app.app_context():
        for response in db.session.scalars(select(Response)):
            response.submitted_at -= timedelta(days=days)
        db.session.commit()


def test_retention_apply_shows_first_and_deletes_only_what_is_past_the_period(app, people, staff, seed, runner):
    seed(people["ol-2027"], code="2A3B-X", story="Ich habe in Homs im Lager gearbeitet.")
    seed(people["dh-2027"], code="4C5D-K")
    _age_responses(app, 400)
    seed(people["ol-2027"], code="6E7F-7")
    from proconnect.matching.models import MatchDecision
    with app.app_context():
        db.session.add_all([MatchDecision(cohort_id=people["ol-2027"], participant_code=code, company_id=1,
                                          company_name="Tischlerei Meyer", decision="contacted",
                                          decided_at=datetime.now() - timedelta(days=days))
                            for code, days in (("2A3B-X", 400), ("6E7F-7", 1))])
        db.session.commit()
    staff("coord1").post("/staff/cohorts/ol-2027/edit", {"title": "Oldenburg 2027", "retention_months": "12"})
    dry = runner.invoke(args=["retention", "apply", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "ol-2027: keep 12 months -> from before " in dry.output
    assert "UTC: responses: 1, decisions: 1\n" in dry.output
    assert "Dry run: 2 record(s) would be deleted. Nothing was changed." in dry.output
    assert "dh-2027" not in dry.output  # no retention period: kept
    refused = runner.invoke(args=["retention", "apply"], input="n\n")
    assert "Nothing was deleted." in refused.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id))) == 3
    done = runner.invoke(args=["retention", "apply", "--yes"])
    assert "Deleted 2 record(s): responses: 1, decisions: 1." in done.output
    with app.app_context():
        assert sorted(db.session.scalars(select(Response.participant_code))) == ["4C5D-K", "6E7F-7"]
        assert db.session.scalar(select(func.count(Answer.id)).where(~Answer.response_id.in_(
            select(Response.id)))) == 0
        assert db.session.scalars(select(MatchDecision.participant_code)).all() == ["6E7F-7"]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        assert not _sqlite_files_hold(app, "in Homs im Lager")
    audit = staff("admin1").get("/staff/audit", query_string={"action": "retention"}).get_data(as_text=True)
    assert "cohort ol-2027" in audit and "responses: 1" in audit


def _sqlite_files_hold(app, text: str) -> bool:
    """Whether the SQLite database's files on disk (the file, its write-ahead log) still hold ``text``."""
    path = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    return any(text.encode() in p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def test_an_erased_answer_is_gone_from_the_database_files_too(app, people, staff, seed):
    # Deleted rows stay readable in the database's free pages and its log until overwritten: a copy of the
    # file (a backup, a stolen disk) would still hold what was erased.
    seed(people["ol-2027"], code="K7Q2-H", story="Mein Name ist Sami Haddad.")
    seed(people["ol-2027"], code="B8M3-Q", story="Ich heiße Amal Nasser.")
    sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    if sqlite:
        assert _sqlite_files_hold(app, "Sami Haddad")  # the probe finds what is stored
    done = staff("coord1").post(f"{URL}/K7Q2-H/erase", {"confirm": "K7Q2-H"})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Answer.id)).where(Answer.value_long.contains("Haddad"))) == 0
    if sqlite:
        assert not _sqlite_files_hold(app, "Sami Haddad")
        assert _sqlite_files_hold(app, "Amal Nasser")
