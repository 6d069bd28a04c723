"""Test links: a coordinator rehearses with real tablets the day before an info event, and not one test answer
counts anywhere (reports, exports, the API, matching, the pipeline, figures, participants' records)."""
from __future__ import annotations

import re
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from proconnect import forms_registry
from proconnect.audit.models import AuditEvent
from proconnect.cohorts.models import Cohort
from proconnect.extensions import db
from proconnect.links.models import Link
from proconnect.links import codes
from proconnect.links.participants import issue_codes
from proconnect.reports.api.models import ApiToken
from proconnect.accounts.models import User
from proconnect.reports.demo import fill_demo
from proconnect.responses.models import WITH_TESTS, FormVersion, Response
from shipped_forms import forms_dir  # noqa: F401
from staff_helpers import add_link, people, staff  # noqa: F401
from test_instruments import COMPETENCE, fill_in
from test_matching_cli import company
from test_reports_pdf import pdf_file_text

QUEUE = {"X-Proconnect-Queue": "1"}
TABLET = "tAbLeT-0001_" + "a" * 20
BANNER = "Test link: answers given here are only for trying out the form. They are not counted."
COHORT = "/staff/cohorts/ol-2027"


@pytest.fixture
def world(app, people, filler):  # noqa: F811
    """Cohort ol-2027 with demo answers, a participant's competence check and a company: matching has pairs."""
    with app.app_context():
        cohort = db.session.get(Cohort, people["ol-2027"])
        fill_demo(forms_registry(app), cohort, participants=5, seed=3, today=date(2027, 5, 1))
        row, token = ApiToken.issue(db.session.get(User, people["coord1"]), "test")
        db.session.add(row)
        db.session.commit()
    fill_in(filler, add_link(app, people["ol-2027"], "competence-check"), COMPETENCE)
    fill_in(filler, add_link(app, people["ol-2027"], "company-readiness"),
            company("Metallbau Nord", "westerstede", ["metal"]))
    return {"token": token, "cohort_id": people["ol-2027"]}


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    page = re.sub(r'name="csrf_token"[^>]*value="[^"]+"', "", response.get_data(as_text=True))
    return re.sub(r"\d{1,2}:\d\d \(UTC\)", "(made at)", page)  # the report's own time, in any language's format


def _xlsx(response) -> list:
    data = response.get_data()
    response.close()
    book = load_workbook(BytesIO(data))
    return [[sheet.title, [[c.value for c in row] for row in sheet.iter_rows()]] for sheet in book.worksheets]


def everything_counted(coordinator, client, token) -> dict:
    """What the project reads about the cohort: every figure, export, API answer and match list."""
    api = {"Authorization": f"Bearer {token}"}
    pages = {url: _html(coordinator.get(url)) for url in (
        "/staff/", f"{COHORT}/participants", f"{COHORT}/participants/K7Q2-X9", f"{COHORT}/responses",
        f"{COHORT}/responses?form=competence-check", "/reports/ol-2027", "/reports/ol-2027/participants",
        f"{COHORT}/matching", f"{COHORT}/matching/pipeline", f"{COHORT}/matching/speed-dating")}
    # The cohort page's figures (the 75 % target, the funnel), above its links, which list the test links.
    pages["cohort"] = _html(coordinator.get(COHORT)).split('<h2 id="links">')[0]
    assert "75 %" in pages["cohort"] and "placed" in pages["cohort"]
    pages["csv"] = coordinator.get("/reports/ol-2027/responses.csv").get_data(as_text=True)
    pages["xlsx"] = _xlsx(coordinator.get("/reports/ol-2027/responses.xlsx"))
    for path in ("/api/v1/cohorts", "/api/v1/responses?cohort=ol-2027&per_page=100",
                 "/api/v1/aggregates?cohort=ol-2027"):
        answer = client.get(path, headers=api)
        assert answer.status_code == 200, answer.json
        pages[path] = {k: v for k, v in answer.json.items() if k != "generated_at"}
    return pages


def create_test_link(coordinator, form_id: str, **fields) -> str:
    """Create a test link on the cohort page as a coordinator does; :return: its token."""
    done = coordinator.post(f"{COHORT}/links/new", {"form_id": form_id, "version": "", "language": "de",
                                                    "event": "Probe am Vortag", "test": "y", **fields})
    assert done.status_code == 302, done.get_data(as_text=True)
    return db.session.scalars(select(Link.token).filter_by(form_id=form_id, test=True)
                              .order_by(Link.id.desc())).first()


def test_a_rehearsal_through_test_links_changes_no_figure_export_api_answer_or_match(app, client, staff, world,
                                                                                       filler):
    coordinator = staff("coord1")
    before = everything_counted(coordinator, client, world["token"])
    with app.app_context():
        web = create_test_link(coordinator, "competence-check")
        tablet = create_test_link(coordinator, "competence-check", kiosk="y", pin="4711")
        readiness = create_test_link(coordinator, "company-readiness")
        pinned_before = db.session.scalar(select(func.count(FormVersion.id)))
    assert coordinator.get(COHORT).status_code == 200  # reads the "link created" notes
    # The participant of the real check and a made-up code rehearse; a company rehearses its survey.
    forms = []
    fill_in(lambda token: forms.append(filler(token)) or forms[-1], web, COMPETENCE)
    fill_in(filler, web, {**COMPETENCE, "participant_code": "B8M3-Q"})
    fill_in(filler, readiness, company("Probebetrieb", "westerstede", ["metal"]))
    # A tablet's offline queue sends the same answers later.
    sent = dict(forms[-1].last_post) | {"_key": "t" * 24, "_nav": "submit", "_kiosk": TABLET, "_pending": "0",
                                        "_lang": "ar"}
    body = MultiDict([(k, v) for k, v in forms[-1].last_post.items(multi=True) if k not in sent]
                     + list(sent.items()))
    assert client.post(f"/f/{tablet}/sync", data=body, headers=QUEUE).json["status"] == "stored"

    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id)).where(Response.test),
                                 execution_options=WITH_TESTS) == 4
        # A rehearsal freezes no version either.
        assert db.session.scalar(select(func.count(FormVersion.id))) == pinned_before
    assert everything_counted(coordinator, client, world["token"]) == before


def test_every_screen_of_a_test_link_says_so_in_the_persons_language(app, client, people, filler):  # noqa: F811
    web = add_link(app, people["ol-2027"], "competence-check", test=True, language="ar")
    page = client.get(f"/f/{web}").get_data(as_text=True)
    assert 'class="test-banner"' in page and "رابط تجريبي" in page
    assert BANNER in client.get(f"/f/{web}?lang=en").get_data(as_text=True)
    kiosk = add_link(app, people["ol-2027"], "competence-check", test=True, kiosk=True)
    start = client.get(f"/f/{kiosk}").get_data(as_text=True)
    assert "kiosk-languages" in start and "Testlink: Antworten hier" in start
    # The kiosk's form page holds its thank-you screen and the other screens kiosk.js shows offline.
    form = client.get(f"/f/{kiosk}?lang=uk").get_data(as_text=True)
    assert "kiosk-thanks" in form and "Тестове посилання" in form
    real = add_link(app, people["ol-2027"], "competence-check")
    assert "test-banner" not in client.get(f"/f/{real}").get_data(as_text=True)
    client.set_cookie("lang", "en")
    f = filler(add_link(app, people["ol-2027"], "company-readiness", test=True, language="en"))
    fill_in(lambda token: f, f.token, company("Probebetrieb", "westerstede", ["metal"]))
    thanks = client.get(f"/f/{f.token}/thanks").get_data(as_text=True)
    assert "Thank you" in thanks and BANNER in thanks


def test_a_test_link_takes_any_well_formed_code_where_a_real_link_wants_a_card_of_the_cohort(
        app, people, filler):  # noqa: F811
    with app.app_context():
        issue_codes(db.session.get(Cohort, people["ol-2027"]), 1)
    code = codes.new_code()  # well formed, but no card of this cohort
    answers = {**COMPETENCE, "participant_code": code}
    with pytest.raises(AssertionError, match="Dieser Code gehört nicht zu dieser Gruppe"):
        fill_in(filler, add_link(app, people["ol-2027"], "competence-check"), answers)
    fill_in(filler, add_link(app, people["ol-2027"], "competence-check", test=True), answers)
    with app.app_context():
        stored = db.session.scalar(select(Response), execution_options=WITH_TESTS)
        assert stored.test and stored.participant_code == code
        assert db.session.scalar(select(func.count(Response.id))) == 0


def test_test_answers_are_listed_apart_and_deleted_in_one_audited_action(app, staff, world, filler):
    coordinator = staff("coord1")
    with app.app_context():
        web = create_test_link(coordinator, "company-readiness")
        real_before = db.session.scalar(select(func.count(Response.id)))
    fill_in(filler, web, company("Probebetrieb", "westerstede", ["metal"]))
    fill_in(filler, web, company("Zweiter Probebetrieb", "westerstede", ["metal"]))
    assert "Test answers: 2" in coordinator.get(COHORT).get_data(as_text=True)
    listing = coordinator.get(f"{COHORT}/test-answers").get_data(as_text=True)
    assert "Test answers: 2" in listing and listing.count("<code>company-readiness</code>") == 2
    assert "Probe am Vortag" in listing
    done = coordinator.post(f"{COHORT}/test-answers/delete")
    assert done.status_code == 302
    assert "2 test answers were deleted" in coordinator.get(COHORT).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id)), execution_options=WITH_TESTS) == real_before
        assert db.session.scalar(select(func.count(Response.id))) == real_before
        event = db.session.scalar(select(AuditEvent).filter_by(action="test_answers_deleted"))
        assert event is not None and "ol-2027" in event.target
    # Another cohort's coordinator reaches neither the list nor the button.
    assert staff("coord2").get(f"{COHORT}/test-answers").status_code == 404
    assert staff("coord2").post(f"{COHORT}/test-answers/delete").status_code == 404


def test_links_create_test_makes_a_test_link_whose_poster_says_test_in_both_languages(app, runner, make_cohort,
                                                                                      tmp_path):
    make_cohort("ol-2027")
    result = runner.invoke(args=["links", "create", "--form", "competence-check", "--cohort", "ol-2027", "--test",
                                 "--lang", "uk"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        token = db.session.scalar(select(Link.token).where(Link.test))
    assert " test " in runner.invoke(args=["links", "list"]).output
    pdf = tmp_path / "poster.pdf"
    assert runner.invoke(args=["links", "poster", token, "--out", str(pdf)]).exit_code == 0
    text = " ".join(pdf_file_text(pdf).split())
    assert "Тестове посилання" in text and "Testlink: Antworten hier" in text


def test_a_test_answer_under_a_real_code_is_no_part_of_the_persons_export_and_goes_with_their_erasure(
        app, staff, world, filler):
    coordinator = staff("coord1")
    with app.app_context():
        web = create_test_link(coordinator, "competence-check")
    fill_in(filler, web, COMPETENCE)  # the participant's own code, in a rehearsal
    export = coordinator.get(f"{COHORT}/participants/K7Q2-X9/export.json").json
    assert [r["form"] for r in export["responses"]] == ["competence-check"]
    done = coordinator.post(f"{COHORT}/participants/K7Q2-X9/erase", {"confirm": "K7Q2-X9"})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id)).where(Response.test),
                                 execution_options=WITH_TESTS) == 0


def test_retention_removes_old_test_answers_too(app, staff, world, filler, runner):
    coordinator = staff("coord1")
    with app.app_context():
        web = create_test_link(coordinator, "company-readiness")
    fill_in(filler, web, company("Probebetrieb", "westerstede", ["metal"]))
    with app.app_context():
        db.session.get(Cohort, world["cohort_id"]).retention_months = 1
        db.session.execute(Response.__table__.update().values(submitted_at=datetime(2020, 1, 1)))
        db.session.commit()
    assert runner.invoke(args=["retention", "apply", "--yes"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id)), execution_options=WITH_TESTS) == 0


#: The only modules that may see test answers, each for a reason: storing them (a key is taken either way, a test
#: link's own limit), the links' own counts, the test answers' page and its deletion, erasure and retention (of
#: the responses and of their history of corrections).
SEES_TESTS = {"responses/models.py", "responses/storage.py", "responses/personal.py", "admin/views/links.py",
              "distribution/commands.py", "corrections/personal.py"}


def test_no_reader_of_responses_goes_around_the_one_filter():
    """Every ORM query on Response leaves test answers out (responses.models); only SEES_TESTS asks for them,
    and nothing reads the response table past the ORM (raw SQL or the bare table)."""
    package = Path(__file__).resolve().parent.parent / "proconnect"
    sources = {str(p.relative_to(package)): p.read_text() for p in package.rglob("*.py") if "migrations" not in p.parts}
    assert {name for name, text in sources.items() if "WITH_TESTS" in text or "EVERY_RESPONSE" in text} == SEES_TESTS
    around = re.compile(r"Response\.__table__|\b(FROM|JOIN|UPDATE|INTO)\s+response\b", re.IGNORECASE)
    assert [name for name, text in sources.items() if around.search(text)] == []
