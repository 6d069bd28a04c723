"""The 75 % are "of the selected refugees": a coordinator marks who the project selected, on the participant list,
and the target, the dashboard and the pipeline count against them, the others apart."""
from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from proconnect.audit.models import AuditEvent
from proconnect.extensions import db
from proconnect.links.models import Selection
from staff_helpers import add_outcome, people, seed, staff, text  # noqa: F401

URL = "/staff/cohorts/ol-2027/participants"
CODES = ("K7Q2-H", "B8M3-Q", "2A3B-X", "4C5D-K", "9F8G-T")


def five_with_outcomes(app, people, seed):
    """Five participants; K7Q2-H placed (selected later), 2A3B-X placed (never selected), B8M3-Q searching."""
    for code in CODES:
        seed(people["ol-2027"], code=code)
    add_outcome(app, people["ol-2027"], "K7Q2-H", "apprenticeship")
    add_outcome(app, people["ol-2027"], "B8M3-Q", "searching")
    add_outcome(app, people["ol-2027"], "2A3B-X", "svb_job")


def test_before_anybody_is_selected_everyone_counts_and_the_pages_say_so(app, people, staff, seed):
    five_with_outcomes(app, people, seed)
    coordinator = staff("coord1")
    listing = text(coordinator.get(URL))
    assert "Nobody is marked selected yet, so the 75 % target counts every participant." in listing
    cohort = text(coordinator.get("/staff/cohorts/ol-2027"))
    assert "5 participants (by code)" in cohort and "2 placed" in cohort and "40 %" in cohort
    assert "Nobody is marked selected yet, so the placement rate counts every participant." in cohort


def test_select_two_of_five_and_the_target_counts_one_of_two_selected(app, people, staff, seed):
    five_with_outcomes(app, people, seed)
    coordinator = staff("coord1")
    done = coordinator.post(f"{URL}/selection", {"codes": ["K7Q2-H", "B8M3-Q"],
                                                 "selected_on": "2026-11-10", "mark": "Mark as selected",
                                                 "list_sort": "code"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"{URL}?sort=code")
    listing = coordinator.get(URL)
    page = text(listing)
    assert "2 participants marked as selected." in page
    assert "Selected: 2 of 5 participants." in page
    assert page.count("selected on 2026-11-10 by coord1") == 2
    cohort = text(coordinator.get("/staff/cohorts/ol-2027"))
    # 1 of 2 selected placed = 50 %; the placed person who was never selected is shown apart.
    assert "2 selected participants" in cohort and "1 placed" in cohort and "50 %" in cohort
    assert "not selected: 3 (placed: 1)" in cohort
    assert "Nobody is marked selected" not in cohort
    overview = text(coordinator.get("/staff/"))
    assert "2 selected · not selected: 3" in overview
    assert "selected on 2026-11-10 by coord1" in text(coordinator.get(f"{URL}/K7Q2-H"))
    assert "Not marked selected" in text(coordinator.get(f"{URL}/2A3B-X"))
    only_selected = text(coordinator.get(f"{URL}?selected=yes"))
    assert "K7Q2-H" in only_selected and "B8M3-Q" in only_selected and "2A3B-X" not in only_selected


def test_undoing_a_selection_is_audit_logged_without_the_code(app, people, staff, seed):
    five_with_outcomes(app, people, seed)
    coordinator = staff("coord1")
    coordinator.post(f"{URL}/selection", {"codes": ["K7Q2-H", "B8M3-Q"], "selected_on": "2026-11-10", "mark": "1"})
    coordinator.post(f"{URL}/selection", {"codes": ["B8M3-Q"], "selected_on": "2026-11-10", "undo": "1"})
    assert "Selection undone for 1 participant." in text(coordinator.get(URL))
    with app.app_context():
        assert db.session.scalars(select(Selection.participant_code)).all() == ["K7Q2-H"]
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.in_(("selected", "selection_undone")))
                                    .order_by(AuditEvent.id)).all()
        assert [(e.action, e.actor, len(e.details["participants"])) for e in events] == [
            ("selected", "coord1", 2), ("selection_undone", "coord1", 1)]
        assert all(code not in repr((e.target, e.details)) for e in events for code in CODES)
    cohort = text(coordinator.get("/staff/cohorts/ol-2027"))
    assert "1 selected participants" in cohort and "100 %" in cohort


def test_a_selection_needs_ticked_codes_of_the_cohort_and_a_day_not_in_the_future(app, people, staff, seed):
    five_with_outcomes(app, people, seed)
    seed(people["dh-2027"], code="7H6J-W")
    coordinator = staff("coord1")
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    cases = [({"selected_on": "2026-11-10", "mark": "1"}, "Please tick the participants of this list first."),
             ({"codes": ["K7Q2-H"], "selected_on": tomorrow, "mark": "1"},
              "The day of the selection cannot be in the future."),
             ({"codes": ["K7Q2-H"], "selected_on": "10.03.", "mark": "1"}, "Please give the day of the selection."),
             ({"codes": ["K7Q2-H", "7H6J-W"], "selected_on": "2026-11-10", "mark": "1"},
              "Some of the ticked codes do not belong to this cohort. Nothing was changed."),
             ({"codes": ["K7Q2-H\x00"], "selected_on": "2026-11-10", "mark": "1"}, None)]
    for data, message in cases:
        answer = coordinator.post(f"{URL}/selection", data)
        assert answer.status_code in (302, 400), data
        if message:
            page = coordinator.get(URL).get_data(as_text=True)
            assert message in page, (data, re.findall(r'class="flash flash-[^>]*>([^<]*)', page))
    with app.app_context():
        assert db.session.scalars(select(Selection)).all() == []
    assert staff("coord1").client.post(f"{URL}/selection", data={"codes": ["K7Q2-H"], "selected_on": "2026-11-10",
                                                                 "mark": "1"}).status_code == 400


def test_another_cohorts_coordinator_cannot_select(app, people, staff, seed):
    five_with_outcomes(app, people, seed)
    answer = staff("coord2").post(f"{URL}/selection", {"codes": ["K7Q2-H"], "selected_on": "2026-11-10", "mark": "1"})
    assert answer.status_code == 404
    with app.app_context():
        assert db.session.scalars(select(Selection)).all() == []


def test_the_export_names_the_selection_and_erasure_removes_it(app, people, staff, seed):
    five_with_outcomes(app, people, seed)
    coordinator = staff("coord1")
    coordinator.post(f"{URL}/selection", {"codes": ["K7Q2-H"], "selected_on": "2026-11-10", "mark": "1"})
    assert coordinator.get(f"{URL}/K7Q2-H/export.json").json["selection"] == [{"selected_on": "2026-11-10"}]
    assert coordinator.get(f"{URL}/B8M3-Q/export.json").json["selection"] == []
    coordinator.post(f"{URL}/K7Q2-H/erase", {"confirm": "K7Q2-H"})
    with app.app_context():
        assert db.session.scalars(select(Selection)).all() == []
