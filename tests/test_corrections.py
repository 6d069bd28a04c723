"""Keeping data right: a coordinator corrects a wrong answer, voids a duplicate, moves a response to the right
participant code and marks how far she reviewed it; every change is kept with who, when, old → new and why."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from proconnect.audit.models import AuditEvent
from proconnect.cohorts.models import Cohort
from proconnect.corrections.models import ResponseChange
from proconnect.extensions import db
from proconnect.links.models import Link, Participant
from proconnect.responses.models import WITH_VOIDED, Answer, Response
from staff_helpers import add_link, people, seed, staff  # noqa: F401
from test_reports_pdf import pdf_file_text

COHORT = "/staff/cohorts/ol-2027"


def _only(app, **filters) -> int:
    with app.app_context():
        return db.session.scalar(select(Response.id).filter_by(**filters).order_by(Response.id.desc()),
                                 execution_options=WITH_VOIDED)


def _stored(app, response_id: int) -> tuple[dict, dict]:
    """The response's payload and its answer rows (answer name -> value, a list for several rows)."""
    with app.app_context():
        response = db.session.get(Response, response_id, execution_options=WITH_VOIDED)
        rows = {}
        for a in db.session.scalars(select(Answer).filter_by(response_id=response_id)):
            value = a.value_text if a.value_text is not None else a.value_num if a.value_num is not None \
                else a.value_date.isoformat() if a.value_date else a.value_long
            rows.setdefault(a.field_id, []).append(value if a.shown else "(not shown)")
        return response.payload, {k: v[0] if len(v) == 1 else sorted(v) for k, v in rows.items()}


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def correct(coordinator, response_id: int, field: str, reason: str = "Tippfehler bei der Eingabe", **inputs):
    return coordinator.post(f"{COHORT}/responses/{response_id}/correct",
                            {"field": field, "correction_reason": reason, **inputs})


@pytest.fixture
def sami(app, people, seed):  # noqa: F811
    """One response of the "everything" form in ol-2027 (trade metal, K7Q2-H) and one of K9M3-X."""
    seed(people["ol-2027"])
    seed(people["ol-2027"], code="K9M3-X", trade="wood")
    return _only(app, participant_code="K7Q2-H")


def test_a_corrected_answer_is_stored_and_its_old_value_kept_in_the_history(app, staff, sami):
    coordinator = staff("coord1")
    page = coordinator.get(f"{COHORT}/responses/{sami}/correct?field=start")
    assert page.status_code == 200
    assert 'value="2027-08-01"' in page.get_data(as_text=True)  # the current answer, to change

    done = correct(coordinator, sami, "start", start="2027-09-01", reason="Beginn laut Vertrag am 1.9.")
    assert done.status_code == 302

    payload, rows = _stored(app, sami)
    assert payload["answers"]["start"] == "2027-09-01" and rows["start"] == "2027-09-01"
    page = _text(coordinator.get(f"{COHORT}/responses/{sami}"))
    history = page.split('id="history"')[1]
    assert "coord1" in history and "corrected" in history and "Ab wann können Sie anfangen?" in history
    assert "Aug 1, 2027" in history and "Sep 1, 2027" in history and "Beginn laut Vertrag am 1.9." in history


def _token(app, people) -> dict:  # noqa: F811
    from proconnect.accounts.models import User
    from proconnect.reports.api.models import ApiToken
    with app.app_context():
        row, token = ApiToken.issue(db.session.get(User, people["coord1"]), "test")
        db.session.add(row)
        db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def _audit(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return db.session.scalars(select(AuditEvent).filter_by(action=action).order_by(AuditEvent.id)).all()


def test_a_correction_reaches_report_export_api_history_and_audit_log(app, client, people, staff, sami):
    coordinator = staff("coord1")
    api = _token(app, people)
    assert "Corrections" not in _text(coordinator.get("/reports/ol-2027?report_lang=en"))  # no note while nothing was corrected

    # The trade was ticked wrong: wood, not metal. The metal question no longer applies.
    assert correct(coordinator, sami, "trade", trade="wood", reason="Verwechselt, laut Lebenslauf Holz").status_code == 302

    payload, rows = _stored(app, sami)
    assert payload["answers"]["trade"] == "wood" and rows["trade"] == "wood"
    assert "metal_detail" not in payload["answers"] and rows["metal_detail"] == "(not shown)"
    history = _text(coordinator.get(f"{COHORT}/responses/{sami}")).split('id="history"')[1]
    assert re.search(r"corrected</td><td>Beruf</td><td>Metall</td><td>Holz</td><td>Verwechselt", history)
    assert re.search(r"follows from the correction</td><td>Was haben Sie mit Metall gemacht\?</td>"
                     r"<td>Geländer geschweißt</td><td>–</td>", history)

    csv = coordinator.get("/reports/ol-2027/responses.csv?form=everything").get_data(as_text=True).splitlines()
    header = csv[0].lstrip("\ufeff").split(",")
    row = dict(zip(header, next(line for line in csv if "K7Q2-H" in line).split(",")))
    assert row["trade"] == "wood" and row["metal_detail"] == ""
    items = client.get("/api/v1/responses?cohort=ol-2027", headers=api).json["items"]
    assert next(r for r in items if r["id"] == sami)["answers"]["trade"] == "wood"
    aggregates = client.get("/api/v1/aggregates?cohort=ol-2027", headers=api).json
    assert aggregates["corrections"] == {"corrected": 1, "voided": 0}

    report = _text(coordinator.get("/reports/ol-2027?report_lang=en"))
    assert "Corrections: 1 answer was corrected by staff after it was sent" in report
    trade = report.split(">Beruf<")[1].split("</table>")[0]
    assert "Holz" in trade

    [entry] = _audit(app, "response_corrected")
    assert entry.actor == "coord1" and entry.target.startswith("participant ") and "K7Q2-H" not in entry.target
    assert entry.details == {"response": sami, "form": "everything", "fields": ["trade", "metal_detail"]}
    assert "K7Q2-H" not in json.dumps(entry.details) and "Lebenslauf" not in json.dumps(entry.details)


def test_a_score_is_computed_again_from_the_corrected_answer(app, staff, sami):
    coordinator = staff("coord1")
    before, _rows = _stored(app, sami)
    assert before["scores"] == {"practical": 3.6667, "practical_sum": 7.0}
    # likes_building 3 -> 1: mean of 1, 4 and (reversed) 4 is 3, the sum of 1 and 4 is 5.
    assert correct(coordinator, sami, "likes_building", likes_building="1").status_code == 302
    payload, rows = _stored(app, sami)
    assert payload["scores"] == {"practical": 3.0, "practical_sum": 5.0}
    assert (rows["practical"], rows["practical_sum"]) == (3.0, 5.0)
    history = _text(coordinator.get(f"{COHORT}/responses/{sami}")).split('id="history"')[1]
    assert "Praktisch (Summe)</td><td>7</td><td>5</td>" in history


def test_a_matrix_row_and_a_multiple_choice_are_corrected_as_their_types_read_them(app, staff, sami):
    coordinator = staff("coord1")
    assert correct(coordinator, sami, "often", often__saw="2", often__drill="1").status_code == 302
    assert correct(coordinator, sami, "skills", skills=["drive"]).status_code == 302
    payload, rows = _stored(app, sami)
    assert payload["answers"]["often.saw"] == 2 and payload["answers"]["skills"] == ["drive"]
    assert rows["often.saw"] == 2.0 and rows["skills"] == "drive"
    with app.app_context():
        assert db.session.scalars(select(ResponseChange.field_id).filter_by(response_id=sami, kind="correct")
                                  .order_by(ResponseChange.id)).all() == ["often.saw", "skills"]


@pytest.mark.parametrize("field, inputs, message", [
    ("trade", {"trade": "plumbing"}, "This is not one of the offered answers."),
    ("skills", {"skills": ["measure", "teleport"]}, "This is not one of the offered answers."),
    ("skills", {"skills": ["measure", "weld", "drive"]}, "Please choose at most 2 answers."),
    ("years", {"years": "99"}, "Please enter a number from 0 to 40."),
    ("years", {"years": "2,25"}, "Please enter a number in steps of 0.5."),
    ("start", {"start": "2040-01-01"}, "Please enter a date from"),
    ("often", {"often__saw": "9", "often__drill": "1"}, "This is not one of the offered answers."),
    ("name", {"name": ""}, "Please answer this question."),
    ("start", {"start": "2027-09-01", "correction_reason": "  "}, "Please say why. Nothing was changed."),
    ("start", {"start": "2027-08-01"}, "This is the answer already stored. Nothing was changed."),
])
def test_a_value_the_responses_version_does_not_allow_is_refused_and_nothing_changes(app, staff, sami, field,
                                                                                        inputs, message):
    coordinator = staff("coord1")
    before = _stored(app, sami)
    refused = correct(coordinator, sami, field, **{"correction_reason": "Korrektur", **inputs})
    assert refused.status_code == 400
    assert message in refused.get_data(as_text=True)
    assert _stored(app, sami) == before
    with app.app_context():
        assert db.session.scalar(select(func.count(ResponseChange.id))) == 0
    assert _audit(app, "response_corrected") == []


def test_questions_that_are_not_corrected_here(app, staff, sami):
    coordinator = staff("coord1")
    # The code moves by reassigning; a consent is the person's own; a note holds no answer; nor does a
    # question that does not exist.
    for field in ("participant_code", "consent", "info", "nothing"):
        assert coordinator.get(f"{COHORT}/responses/{sami}/correct?field={field}").status_code == 404
        assert correct(coordinator, sami, field, consent="", participant_code="K9M3-X").status_code == 404
    wood = _only(app, participant_code="K9M3-X")
    # Hidden by its condition (the trade is wood): nothing to correct until the trade says metal.
    assert coordinator.get(f"{COHORT}/responses/{wood}/correct?field=metal_detail").status_code == 404
    assert correct(coordinator, wood, "trade", trade="metal").status_code == 302
    page = coordinator.get(f"{COHORT}/responses/{wood}/correct?field=metal_detail")
    assert page.status_code == 200  # now shown, and unanswered: it can be filled in
    assert correct(coordinator, wood, "metal_detail", metal_detail="Zäune").status_code == 302
    assert _stored(app, wood)[0]["answers"]["metal_detail"] == "Zäune"


def figures(coordinator, client, api) -> dict:
    """What the project reads about the cohort: report, exports, API, lists, participant figures and matching."""
    def page(url):
        # The method note on corrections is checked on its own (test_the_pages_with_figures_say_that_…); the time
        # the report was made, in either language's format, moves on between two readings.
        html = re.sub(r'name="csrf_token"[^>]*value="[^"]+"|<p class="hint corrections-note">.*?</p>|'
                      r'\d{1,2}:\d\d \(UTC\)', "", coordinator.get(url).get_data(as_text=True),
                      flags=re.S)
        return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html))
    pages = {url: page(url) for url in (
        "/reports/ol-2027?report_lang=en", "/reports/ol-2027/participants", "/reports/ol-2027/responses.csv?form=everything",
        f"{COHORT}/participants", f"{COHORT}/responses?form=everything", f"{COHORT}/matching/pipeline")}
    pages["cohort"] = page(COHORT).split('<h2 id="links">')[0]
    assert "75 %" in pages["cohort"]
    for path in ("/api/v1/responses?cohort=ol-2027", "/api/v1/aggregates?cohort=ol-2027"):
        pages[path] = {k: v for k, v in client.get(path, headers=api).json.items() if k != "generated_at"}
    return pages


def test_a_voided_duplicate_leaves_every_figure_is_listed_apart_and_can_be_restored(app, client, people, staff,
                                                                                   seed, sami, tmp_path):
    coordinator = staff("coord1")
    api = _token(app, people)
    before = figures(coordinator, client, api)
    seed(people["ol-2027"], code="K7Q2-H", name="Sami (doppelt)")  # sent twice from two tablets
    duplicate = _only(app, participant_code="K7Q2-H")
    with_duplicate = figures(coordinator, client, api)
    assert with_duplicate["/api/v1/responses?cohort=ol-2027"]["total"] == 3

    missing_reason = coordinator.post(f"{COHORT}/responses/{duplicate}/void", {"reason": ""})
    assert missing_reason.status_code == 400 and "Please say why. Nothing was changed." in _text(missing_reason)
    done = coordinator.post(f"{COHORT}/responses/{duplicate}/void", {"reason": "Doppelt gesendet"},
                            follow_redirects=True)
    assert "The response was voided" in _text(done) and "This response is voided" in _text(done)
    after = figures(coordinator, client, api)
    after["/api/v1/aggregates?cohort=ol-2027"].pop("corrections")
    before["/api/v1/aggregates?cohort=ol-2027"].pop("corrections")
    # The report says so in its method notes, and is otherwise the same.
    note = re.compile(r"<li>1 response was voided by staff \(a duplicate, a test or the wrong person\) and is not "
                      r"counted.</li>")
    report = after.pop("/reports/ol-2027?report_lang=en")
    assert note.search(report)
    assert re.sub(r"\s+", " ", note.sub("", report)) == re.sub(r"\s+", " ", before.pop("/reports/ol-2027?report_lang=en"))
    assert after == before

    # Listed apart: on the responses overview, under the "voided" filter, and on the participant's page.
    assert f"/responses/{duplicate}\"" in _text(coordinator.get(f"{COHORT}/responses")).split('id="voided"')[1]
    voided_list = _text(coordinator.get(f"{COHORT}/responses?form=everything&review=voided"))
    assert f">{duplicate}</a>" in voided_list and f">{sami}</a>" not in voided_list and "1 row" in voided_list
    assert "voided" in _text(coordinator.get(f"{COHORT}/participants/K7Q2-H")).split("Sami (doppelt)")[0]
    # The participant's own copy of their data says so too.
    pdf = tmp_path / "export.pdf"
    pdf.write_bytes(coordinator.get(f"{COHORT}/participants/K7Q2-H/export.pdf").get_data())
    assert "voided by staff: not counted in any figure" in pdf_file_text(pdf)
    # Voiding twice changes nothing more.
    again = coordinator.post(f"{COHORT}/responses/{duplicate}/void", {"reason": "nochmal"})
    assert again.status_code == 400 and "This response is voided already." in _text(again)

    restored = coordinator.post(f"{COHORT}/responses/{duplicate}/restore", {"reason": "Doch kein Duplikat"},
                                follow_redirects=True)
    assert "The response was restored" in _text(restored)
    back = figures(coordinator, client, api)
    assert back["/api/v1/responses?cohort=ol-2027"] == with_duplicate["/api/v1/responses?cohort=ol-2027"]
    assert back[f"{COHORT}/participants"] == with_duplicate[f"{COHORT}/participants"]
    history = _text(coordinator.get(f"{COHORT}/responses/{duplicate}")).split('id="history"')[1]
    assert history.index("Doppelt gesendet") < history.index("Doch kein Duplikat")
    assert [e.details["response"] for e in _audit(app, "response_voided") + _audit(app, "response_restored")] \
        == [duplicate, duplicate]


def test_a_personal_link_takes_a_new_answer_once_its_answer_is_voided(app, people, staff, filler):
    from staff_helpers import PAGE_ONE, PAGE_TWO
    token = add_link(app, people["ol-2027"], max_responses=1, event="Betrieb Nord")

    def send(name):
        f = filler(token)
        f.open()
        f.post({**PAGE_ONE, "name": name})
        return f.post(PAGE_TWO, nav="submit")
    assert send("Falsche Person").status_code == 303
    assert send("Richtige Person").status_code != 303  # full
    wrong = _only(app, participant_code="K7Q2-H")
    staff("coord1").post(f"{COHORT}/responses/{wrong}/void", {"reason": "Falsche Person hat ausgefüllt"})
    assert send("Richtige Person").status_code == 303
    with app.app_context():
        assert db.session.scalars(select(Response.payload)).all()[0]["answers"]["name"] == "Richtige Person"


def test_a_response_moves_to_the_right_code_and_both_codes_show_it(app, staff, people, sami):
    coordinator = staff("coord1")
    moved = coordinator.post(f"{COHORT}/responses/{sami}/reassign",
                             {"code": "k9m3 x", "move_reason": "Code auf dem Tablet vertippt"}, follow_redirects=True)
    assert "The response now belongs to K9M3-X." in _text(moved)
    payload, rows = _stored(app, sami)
    assert payload["answers"]["participant_code"] == "K9M3-X" and rows["participant_code"] == "K9M3-X"
    with app.app_context():
        assert db.session.get(Response, sami).participant_code == "K9M3-X"
    new_page = _text(coordinator.get(f"{COHORT}/participants/K9M3-X"))
    assert "moved here from K7Q2-H" in new_page and "Code auf dem Tablet vertippt" in new_page
    old_page = coordinator.get(f"{COHORT}/participants/K7Q2-H")
    assert old_page.status_code == 200 and "moved from here to K9M3-X" in _text(old_page)
    history = _text(coordinator.get(f"{COHORT}/responses/{sami}")).split('id="history"')[1]
    assert "moved to another code</td><td></td><td>K7Q2-H</td><td>K9M3-X</td>" in history
    [entry] = _audit(app, "response_reassigned")
    assert "K7Q2-H" not in entry.target + json.dumps(entry.details) and "K9M3-X" not in json.dumps(entry.details)


@pytest.mark.parametrize("code, message", [
    ("D4C8-M", "The code D4C8-M belongs to another cohort. Nothing was changed."),
    ("AB 12/X", "This is not a participant code"),
    ("=1+1", "This is not a participant code"),
    ("K7Q2-H", "The response is stored under this code already. Nothing was changed."),
])
def test_a_code_of_another_cohort_or_one_no_card_can_carry_is_refused(app, staff, people, seed, sami, code,
                                                                      message):
    seed(people["dh-2027"], code="D4C8-M")
    coordinator = staff("coord1")
    before = _stored(app, sami)
    refused = coordinator.post(f"{COHORT}/responses/{sami}/reassign", {"code": code, "move_reason": "vertippt"})
    assert refused.status_code == 400 and message in _text(refused)
    assert _stored(app, sami) == before
    assert _audit(app, "response_reassigned") == []
    with app.app_context():
        assert db.session.scalar(select(func.count(ResponseChange.id))) == 0


def test_in_a_cohort_with_cards_a_response_moves_only_to_a_code_issued_for_it(app, staff, people, sami):
    from proconnect.links.participants import issue_codes
    with app.app_context():
        [issued] = issue_codes(db.session.get(Cohort, people["ol-2027"]), 1)
        [elsewhere] = issue_codes(db.session.get(Cohort, people["dh-2027"]), 1)
    coordinator = staff("coord1")
    for code, message in (("K9M3-X", "was not issued for this cohort"), (elsewhere, "belongs to another cohort")):
        refused = coordinator.post(f"{COHORT}/responses/{sami}/reassign", {"code": code, "move_reason": "vertippt"})
        assert refused.status_code == 400 and message in _text(refused)
    assert coordinator.post(f"{COHORT}/responses/{sami}/reassign",
                            {"code": issued.lower(), "move_reason": "vertippt"}).status_code == 302
    assert _stored(app, sami)[0]["answers"]["participant_code"] == issued


def test_coordinators_filter_the_responses_by_review_state(app, staff, sami):
    coordinator = staff("coord1")
    other = _only(app, participant_code="K9M3-X")
    assert coordinator.post(f"{COHORT}/responses/{sami}/review", {"state": "attention"}).status_code == 302
    assert coordinator.post(f"{COHORT}/responses/{other}/review", {"state": "checked"}).status_code == 302
    listed = {state: _text(coordinator.get(f"{COHORT}/responses?form=everything&review={state}"))
              for state in ("new", "checked", "attention", "")}
    assert f">{sami}</a>" in listed["attention"] and f">{other}</a>" not in listed["attention"]
    assert f">{other}</a>" in listed["checked"] and f">{sami}</a>" not in listed["checked"]
    assert "Nothing found." in listed["new"]
    assert "needs attention" in listed[""] and "checked" in listed[""]
    assert coordinator.post(f"{COHORT}/responses/{sami}/review", {"state": "bogus"}).status_code == 400
    assert [e.details["review"] for e in _audit(app, "response_reviewed")] == ["attention", "checked"]


def test_the_export_holds_the_history_and_erasure_removes_it(app, staff, people, seed, sami):
    coordinator = staff("coord1")
    correct(coordinator, sami, "name", name="Samir", reason="Spitzname falsch geschrieben")
    # Another response moved from K7Q2-H's mistyped code to B8M3-Q: its move names K7Q2-H.
    seed(people["ol-2027"], code="K7Q2-H", name="Bilal")
    bilal = _only(app, participant_code="K7Q2-H")
    coordinator.post(f"{COHORT}/responses/{bilal}/reassign", {"code": "B8M3-Q", "move_reason": "nicht K7Q2-H, vertippt"})

    data = json.loads(coordinator.get(f"{COHORT}/participants/K7Q2-H/export.json").get_data(as_text=True))
    kinds = [(c["kind"], c["field"], c["old"], c["new"]) for c in data["changes"]]
    assert ("correct", "name", "Sami", "Samir") in kinds and data["changes"][0]["reason"] == "Spitzname falsch geschrieben"
    assert [(r["id"], r["voided"]) for r in data["responses"]] == [(sami, False)]
    move = next(c for c in data["changes"] if c["kind"] == "reassign")
    assert (move["old_code"], move["new_code"]) == ("K7Q2-H", "…")  # never the other person's code
    pdf = coordinator.get(f"{COHORT}/participants/K7Q2-H/export.pdf")
    assert pdf.status_code == 200

    erased = coordinator.post(f"{COHORT}/participants/K7Q2-H/erase", {"confirm": "K7Q2-H"})
    assert erased.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(ResponseChange.id)).filter_by(response_id=sami)) == 0
        [kept] = db.session.scalars(select(ResponseChange)).all()
        assert (kept.response_id, kept.old_code, kept.new_code) == (bilal, None, "B8M3-Q")
        assert "K7Q2-H" not in kept.reason
    assert _stored(app, sami)[0]["answers"]["trade"] == "metal"  # the figures keep the answers


def test_retention_takes_the_history_with_the_responses(app, staff, runner, people, sami):
    from datetime import timedelta
    from proconnect.models_util import utcnow
    correct(staff("coord1"), sami, "name", name="Samir")
    with app.app_context():
        cohort = db.session.get(Cohort, people["ol-2027"])
        cohort.retention_months = 1
        for response in db.session.scalars(select(Response), execution_options=WITH_VOIDED):
            response.submitted_at = utcnow() - timedelta(days=90)
        db.session.commit()
    result = runner.invoke(args=["retention", "apply", "--yes"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(ResponseChange.id))) == 0
        assert db.session.scalar(select(func.count(Response.id)), execution_options=WITH_VOIDED) == 0


def test_a_coordinator_of_another_cohort_can_neither_see_nor_change_a_response(app, staff, people, sami):
    intruder = staff("coord2")
    before = _stored(app, sami)
    base = f"{COHORT}/responses/{sami}"
    assert intruder.get(base).status_code == 404
    assert intruder.get(f"{base}/correct?field=trade").status_code == 404
    # The same response through the intruder's own cohort's address: not theirs either.
    assert intruder.get(f"/staff/cohorts/dh-2027/responses/{sami}").status_code == 404
    for path, data in (("correct", {"field": "trade", "trade": "wood", "correction_reason": "x"}),
                       ("void", {"reason": "x"}), ("restore", {"reason": "x"}),
                       ("reassign", {"code": "K9M3-X", "move_reason": "x"}), ("review", {"state": "checked"})):
        assert intruder.post(f"{base}/{path}", data).status_code == 404
        assert intruder.post(f"/staff/cohorts/dh-2027/responses/{sami}/{path}", data).status_code == 404
    assert _stored(app, sami) == before
    with app.app_context():
        assert db.session.get(Response, sami).review == "new"
        assert db.session.scalar(select(func.count(ResponseChange.id))) == 0


#: The only modules that may see voided responses, each for a reason: storing (a key is taken either way), the
#: corrections themselves (a voided response's page restores it), the voided list, a participant's own record
#: (export and erasure reach it), retention.
SEES_VOIDED = {"responses/models.py", "responses/storage.py", "responses/personal.py", "corrections/service.py",
               "corrections/personal.py", "admin/views/participants.py", "admin/tables.py"}


def test_only_a_few_readers_ask_for_voided_responses():
    package = Path(__file__).resolve().parent.parent / "proconnect"
    sources = {str(p.relative_to(package)): p.read_text() for p in package.rglob("*.py") if "migrations" not in p.parts}
    assert {name for name, text in sources.items()
            if re.search(r"WITH_VOIDED|EVERY_RESPONSE|with_voided", text)} == SEES_VOIDED


def test_the_pages_with_figures_say_that_answers_were_corrected_or_responses_voided(app, client, people, staff,
                                                                                  sami):
    from io import BytesIO

    from openpyxl import load_workbook
    coordinator = staff("coord1")
    pages = (COHORT, f"{COHORT}/matching/pipeline")
    assert all("corrections-note" not in coordinator.get(url).get_data(as_text=True) for url in pages)
    correct(coordinator, sami, "trade", trade="wood")
    coordinator.post(f"{COHORT}/responses/{_only(app, participant_code='K9M3-X')}/void", {"reason": "Test"})
    for url in pages:
        note = _text(coordinator.get(url)).split('class="hint corrections-note">')[1].split("</p>")[0]
        assert "1 answer was corrected by staff after it was sent; the figures use the corrected value." in note
        assert "1 voided response is not counted." in note
    xlsx = coordinator.get("/reports/ol-2027/responses.xlsx")
    data = xlsx.get_data()
    xlsx.close()  # streamed from a temporary file
    book = load_workbook(BytesIO(data))
    notes = [row[1] for row in book["codebook"].iter_rows(values_only=True) if row and row[0] == "note"]
    assert notes == ["Corrections: 1 answer(s) corrected by staff after they were sent; the exported values are the "
                     "corrected ones (each response's history is on its staff page).",
                     "Voided: 1 response(s) voided by staff (duplicate, test or wrong person) are not exported."]
