"""The coordinators' dashboard: cohorts and key figures, participants, responses, links; accounts for admins;
trainers' sessions and mentors' apprentices, each limited to what is theirs."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from proconnect.accounts.models import CohortMember, MentorAssignment, User
from proconnect.links.models import Link
from proconnect.extensions import db
from proconnect.responses.models import Response
from staff_helpers import add_outcome, people, seed, staff, text  # noqa: F401


def column(response, index: int) -> list[str]:
    """The text of one column of the page's table body."""
    body = response.get_data(as_text=True).split("<tbody>")[1].split("</tbody>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [re.sub(r"<[^>]+>|\s+", " ", re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)[index]).strip() for r in rows]


def test_the_overview_shows_each_cohorts_key_figures_and_the_placement_rate(app, people, staff, seed):
    for code in ("K7Q2-H", "B8M3-Q", "2A3B-X", "4C5D-K"):
        seed(people["ol-2027"], code=code)
    add_outcome(app, people["ol-2027"], "K7Q2-H", "apprenticeship")
    add_outcome(app, people["ol-2027"], "B8M3-Q", "searching", days_ago=30)
    add_outcome(app, people["ol-2027"], "B8M3-Q", "svb_job")
    # Placed once, then left: the newest outcome counts.
    add_outcome(app, people["ol-2027"], "2A3B-X", "apprenticeship", days_ago=60)
    add_outcome(app, people["ol-2027"], "2A3B-X", "left_project")
    page = staff("coord1").get("/staff/cohorts/ol-2027")
    assert page.status_code == 200
    figures = text(page)
    assert "4 participants (by code)" in figures and "9 responses" in figures
    assert "2 placed (apprenticeship or SVB job, or its contract signed)" in figures and "50 % placement rate, target 75 %" in figures
    assert column(page, 1)[:2] == ["4", "5"]  # responses per instrument: everything, outcome
    overview = text(staff("coord1").get("/staff/"))
    assert "Oldenburg 2027" in overview and "50 % placed" in overview


def test_a_coordinator_sees_only_their_cohorts_and_nothing_betrays_the_others(app, people, staff, seed):
    seed(people["dh-2027"], code="K7Q2-H")
    coordinator = staff("coord1")
    assert "Delmenhorst" not in text(coordinator.get("/staff/")) + text(coordinator.get("/staff/cohorts"))
    other, missing = coordinator.get("/staff/cohorts/dh-2027"), coordinator.get("/staff/cohorts/no-such-cohort")
    assert other.status_code == missing.status_code == 404
    assert text(other) == text(missing)
    for path in ("/participants", "/participants/K7Q2-H", "/responses", "/responses/1", "/edit"):
        assert coordinator.get(f"/staff/cohorts/dh-2027{path}").status_code == 404, path
    assert coordinator.post("/staff/cohorts/dh-2027/links/new", {"form_id": "everything"}).status_code == 404
    assert "Delmenhorst 2027" in text(staff("admin1").get("/staff/cohorts"))


def test_a_coordinator_creates_a_cohort_and_becomes_its_member(app, people, staff):
    coordinator = staff("coord1")
    made = coordinator.post("/staff/cohorts/new", {"slug": "ol-2028", "title": "Oldenburg 2028"})
    assert made.headers["Location"] == "/staff/cohorts/ol-2028"
    assert "Oldenburg 2028" in text(coordinator.get("/staff/cohorts/ol-2028"))
    assert staff("coord2").get("/staff/cohorts/ol-2028").status_code == 404


def test_a_bad_cohort_gets_clear_messages(app, people, staff):
    coordinator = staff("coord1")
    taken = coordinator.post("/staff/cohorts/new", {"slug": "dh-2027", "title": "Taken"})
    assert taken.status_code == 400 and "This short name is taken." in text(taken)
    bad = coordinator.post("/staff/cohorts/new", {"slug": "Oldenburg 2028!", "title": "", "retention_months": "0"})
    assert bad.status_code == 400
    for message in ("Use lower-case letters, digits and hyphens", "This field is required.",
                    "Number must be between 1 and 240."):
        assert message in text(bad)
    assert coordinator.post("/staff/cohorts/new", {"slug": "new", "title": "New"}).status_code == 400


def test_a_coordinator_creates_a_link_and_sees_it_with_its_responses(app, people, staff, seed):
    coordinator = staff("coord1")
    made = coordinator.post("/staff/cohorts/ol-2027/links/new", {"form_id": "everything", "version": "everything:1",
                                                             "language": "ar", "event": "Info event 3 March"})
    assert made.headers["Location"] == "/staff/cohorts/ol-2027#links"
    with app.app_context():
        link = db.session.scalar(select(Link))
        assert (link.form_id, link.version, link.language, link.event, link.max_responses) == \
               ("everything", 1, "ar", "Info event 3 March", None)
    page = coordinator.get("/staff/cohorts/ol-2027")
    assert f"http://127.0.0.1:5000/f/{link.token}" in page.get_data(as_text=True)
    assert "Info event 3 March" in text(page)


def test_a_personal_company_link_takes_one_answer_then_is_closed(app, people, staff, filler):
    from staff_helpers import PAGE_ONE, PAGE_TWO
    staff("coord1").post("/staff/cohorts/ol-2027/links/new", {"form_id": "everything", "language": "de",
                                                          "event": "Tischlerei Meyer", "single": "y"})
    with app.app_context():
        token = db.session.scalar(select(Link.token))
    f = filler(token)
    f.open()
    f.post(PAGE_ONE)
    assert f.post(PAGE_TWO, nav="submit").status_code == 303
    again = filler(token).open()
    assert again.status_code == 410


def test_participants_sort_and_filter_on_the_server(app, people, staff, seed):
    for code in ("K7Q2-H", "B8M3-Q", "2A3B-X"):
        seed(people["ol-2027"], code=code)
    seed(people["ol-2027"], code="B8M3-Q")
    seed(people["ol-2027"], code="B8M3-Q")
    add_outcome(app, people["ol-2027"], "2A3B-X", "apprenticeship")
    coordinator = staff("coord1")
    url = "/staff/cohorts/ol-2027/participants"
    # Column 0 holds the tick boxes of the selection.
    assert column(coordinator.get(url), 1) == ["2A3B-X", "B8M3-Q", "K7Q2-H"]
    assert column(coordinator.get(url, query_string={"sort": "code", "dir": "desc"}), 1) == \
           ["K7Q2-H", "B8M3-Q", "2A3B-X"]
    by_count = coordinator.get(url, query_string={"sort": "responses", "dir": "desc"})
    assert column(by_count, 1)[0] == "B8M3-Q" and column(by_count, 2)[0] == "3"
    assert column(coordinator.get(url, query_string={"q": "m3"}), 1) == ["B8M3-Q"]
    assert column(coordinator.get(url, query_string={"form": "outcome"}), 1) == ["2A3B-X"]
    # Unknown sort keys and pages fall back instead of failing.
    assert coordinator.get(url, query_string={"sort": "password", "dir": "sideways", "page": "x"}).status_code == 200


def test_a_participant_page_shows_every_answer_with_its_question(app, people, staff, seed):
    seed(people["ol-2027"], code="K7Q2-H", story="Ich habe in Aleppo gearbeitet.")
    page = staff("coord1").get("/staff/cohorts/ol-2027/participants/k7q2-h")
    assert page.status_code == 200
    body = text(page)
    assert "Participant K7Q2-H" in body and "Erzählen Sie Ich habe in Aleppo gearbeitet." in body
    assert "Beruf Metall" in body and "Fähigkeiten Messen, Schweißen" in body


@pytest.mark.parametrize("version", ["²", "99999999999", "x"])
def test_a_hand_edited_version_filter_lists_nothing_rather_than_failing(people, staff, seed, version):  # noqa: F811
    seed(people["ol-2027"])
    listed = staff("coord1").get("/staff/cohorts/ol-2027/responses",
                                 query_string={"form": "everything", "version": version})
    assert listed.status_code == 200


def test_responses_per_instrument_filter_by_language_and_open_one(app, people, staff, seed):
    seed(people["ol-2027"], code="K7Q2-H")
    seed(people["ol-2027"], code="B8M3-Q")
    with app.app_context():
        first = db.session.scalar(select(Response).order_by(Response.id))
        first.language = "ar"
        db.session.commit()
        first_id = first.id
    coordinator = staff("coord1")
    counts = coordinator.get("/staff/cohorts/ol-2027/responses")
    assert column(counts, 2) == ["2"]
    listed = coordinator.get("/staff/cohorts/ol-2027/responses", query_string={"form": "everything", "language": "ar"})
    assert column(listed, 0) == [str(first_id)]
    one = coordinator.get(f"/staff/cohorts/ol-2027/responses/{first_id}")
    assert one.status_code == 200 and "Sami" in text(one)
    assert coordinator.get("/staff/cohorts/ol-2027/responses/999999").status_code == 404


def test_an_admin_invites_an_account_with_cohorts_and_changes_its_role(app, people, staff):
    admin = staff("admin1")
    page = admin.post("/staff/accounts/new", {"username": "anna", "role": "coordinator",
                                              "cohorts": [str(people["dh-2027"])]})
    assert page.status_code == 200 and "/account/set-password/" in page.get_data(as_text=True)
    with app.app_context():
        anna = db.session.scalar(select(User).filter_by(username="anna"))
        assert [c.slug for c in anna.cohorts] == ["dh-2027"] and anna.role == "coordinator"
        anna_id = anna.id
    changed = admin.post(f"/staff/accounts/{anna_id}", {"role": "mentor", "email": "anna@example.org",
                                                        "active": "y"})
    assert changed.status_code == 302
    with app.app_context():
        anna = db.session.get(User, anna_id)
        assert (anna.role, anna.email, anna.cohorts) == ("mentor", "anna@example.org", [])
    assert column(admin.get("/staff/accounts", query_string={"role": "mentor"}), 0)[0].startswith("anna")


def test_an_admin_cannot_lock_themselves_out_and_names_are_unique(app, people, staff):
    admin = staff("admin1")
    page = admin.post(f"/staff/accounts/{people['admin1']}", {"role": "mentor", "active": "y"})
    assert page.status_code == 400 and "You cannot change your own role" in text(page)
    taken = admin.post("/staff/accounts/new", {"username": "Coord1", "role": "mentor"})
    assert taken.status_code == 400 and "This account name is taken." in text(taken)
    assert admin.get("/staff/accounts/999999").status_code == 404


def test_a_trainer_creates_a_session_shows_its_qr_code_and_reads_the_feedback(app, people, staff, filler):
    from staff_helpers import PAGE_ONE, PAGE_TWO
    app.config["INSTRUMENT_ROLES"] = {"training_feedback": "everything"}
    trainer = staff("trainer1")
    made = trainer.post("/staff/sessions/new", {"topic": "Interkulturelle Kommunikation", "held_on": "2027-03-03",
                                                "cohort": str(people["ol-2027"])})
    session_url = made.headers["Location"]
    with app.app_context():
        token = db.session.scalar(select(Link.token).filter_by(form_id="everything"))
    for trade, skills in (("metal", ["measure", "weld"]), ("wood", ["weld"]), ("wood", ["weld"])):
        f = filler(token)
        f.open()
        f.post({**PAGE_ONE, "trade": trade, "skills": skills, "participant_code": ""})
        f.post(PAGE_TWO, nav="submit")
    page = trainer.get(session_url)
    body = text(page)
    assert "3 responses" in body and 'src="data:image/svg+xml;base64,' in page.get_data(as_text=True)
    assert f"http://127.0.0.1:5000/f/{token}" in body
    assert "Beruf Metall 1 Holz 2" in body
    # Each chosen value counted once per person, wherever it stood among the chosen; dates as dates.
    assert "Fähigkeiten Messen 1 Schweißen 3" in body and "Ab wann können Sie anfangen? Aug 1, 2027 3" in body
    # Another trainer's session does not exist for this one.
    with app.app_context():
        other = User(username="trainer2", role="trainer", password_hash=db.session.get(User, people["trainer1"])
                     .password_hash, must_change_password=False)
        db.session.add(other)
        db.session.commit()
    assert staff("trainer2").get(session_url).status_code == 404


def test_a_trainer_without_a_cohort_is_told_what_to_do(app, people, staff):
    app.config["INSTRUMENT_ROLES"] = {"training_feedback": "everything"}
    with app.app_context():
        db.session.execute(CohortMember.__table__.delete())
        db.session.commit()
    page = staff("trainer1").get("/staff/sessions/new")
    assert "You are not assigned to a cohort yet" in text(page)


def test_a_mentor_reads_the_logs_of_their_own_apprentice_and_not_another_mentors(app, people, staff, seed):
    app.config["INSTRUMENT_ROLES"] = {"mentor_log": "everything"}
    seed(people["ol-2027"], code="K7Q2-H", story="Termin mit der BBS vereinbart.")
    seed(people["ol-2027"], code="B8M3-Q")
    coordinator = staff("coord1")
    for code, mentor in (("K7Q2-H", "mentor1"), ("B8M3-Q", "mentor2")):
        coordinator.post(f"/staff/cohorts/ol-2027/participants/{code}/mentor", {"mentor": str(people[mentor])})
    with app.app_context():
        assert db.session.scalar(select(MentorAssignment.mentor_id).filter_by(participant_code="K7Q2-H")) == \
               people["mentor1"]
    mentor = staff("mentor1")
    assert column(mentor.get("/staff/apprentices"), 0) == ["K7Q2-H"]
    own = mentor.get("/staff/apprentices/ol-2027/K7Q2-H")
    assert own.status_code == 200 and "Termin mit der BBS vereinbart." in text(own)
    others, missing = mentor.get("/staff/apprentices/ol-2027/B8M3-Q"), mentor.get("/staff/apprentices/ol-2027/NVR9-J")
    assert others.status_code == missing.status_code == 404 and text(others) == text(missing)


def test_trainers_and_mentors_start_on_their_own_page(app, people, staff):
    assert staff("trainer1").get("/staff/").headers["Location"] == "/staff/sessions"
    assert staff("mentor1").get("/staff/").headers["Location"] == "/staff/apprentices"


def test_the_navigation_shows_each_role_only_its_pages(app, people, staff):
    def nav(name):
        html = staff(name).get("/help/").get_data(as_text=True)
        return re.findall(r'<li><a href="([^"]+)"', html.split('class="staff-nav"')[1].split("</nav>")[0])
    assert nav("admin1") == ["/staff/", "/staff/cohorts", "/staff/sessions", "/staff/apprentices", "/staff/companies",
                             "/staff/accounts", "/staff/audit", "/staff/forms", "/staff/outbox", "/reports/", "/help/"]
    assert nav("coord1") == ["/staff/", "/staff/cohorts", "/staff/companies", "/staff/forms", "/staff/outbox",
                             "/reports/", "/help/"]
    assert nav("trainer1") == ["/staff/sessions", "/help/"]
    assert nav("mentor1") == ["/staff/apprentices", "/help/"]


def test_cohort_pages_have_room_for_other_features_sections(app, people, staff):
    from jinja2 import ChoiceLoader, DictLoader

    from proconnect.cohorts.sections import COHORT_SECTIONS, cohort_section
    app.jinja_env.loader = ChoiceLoader([DictLoader({
        "test/links.html": "<p>links of {{ cohort.slug }}: {{ section.n }}</p>",
        "test/kiosks.html": "<p>kiosks first</p>"}), app.jinja_env.loader])
    saved = dict(COHORT_SECTIONS)
    try:
        cohort_section("links", "test/links.html", order=20, context=lambda cohort: {"n": 7})
        cohort_section("kiosks", "test/kiosks.html", order=5)
        page = staff("coord1").get("/staff/cohorts/ol-2027").get_data(as_text=True)
        assert "New link" not in page and "links of ol-2027: 7" in page
        assert page.index("kiosks first") < page.index("links of ol-2027")
    finally:
        COHORT_SECTIONS.clear()
        COHORT_SECTIONS.update(saved)


def test_nonsense_in_addresses_is_not_found_never_a_server_error(app, people, staff, seed):
    seed(people["ol-2027"], code="K7Q2-H")
    coordinator, admin = staff("coord1"), staff("admin1")
    for url in ("/staff/cohorts/" + "x" * 500, "/staff/cohorts/ol-2027/participants/" + "Z" * 200,
                "/staff/cohorts/ol-2027/participants/%3Cscript%3E", "/staff/cohorts/ol-2027/responses/99999999999",
                "/staff/cohorts/ol-2027/responses/0", "/staff/cohorts/ol-2027/participants/K7Q2-H/export.xml"):
        assert coordinator.get(url).status_code == 404, url
    for url in ("/staff/accounts/99999999999", "/staff/sessions/99999999999", "/staff/apprentices/x/" + "y" * 300):
        assert admin.get(url).status_code == 404, url
    assert admin.post("/staff/accounts/99999999999/reset").status_code == 404
