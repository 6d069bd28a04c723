"""The placement funnel against the 75 % target, on the real outcome instrument: newest status per person counts."""
from __future__ import annotations

import html
import math
import random
import re
import uuid
from datetime import date, datetime

import pytest

from proconnect import forms_registry
from proconnect.cohorts.models import Cohort
from proconnect.extensions import db
from proconnect.reports.aggregation import Filters
from proconnect.reports.builder import build_cohort_report
from proconnect.links.selection import select_participants
from proconnect.reports.demo import random_answers
from proconnect.reports.render import report_body
from proconnect.responses.storage import store_response
from shipped_forms import forms_dir  # noqa: F401

#: Each person's outcome records as (status, since, submitted): the newest "since" wins, not the newest entry.
HISTORY = {
    "P-01": [("internship", date(2027, 2, 1), 1), ("apprenticeship", date(2027, 8, 1), 2)],
    "P-02": [("svb_job", date(2027, 5, 1), 3)],
    "P-03": [("apprenticeship", date(2027, 9, 1), 4), ("eq", date(2027, 3, 1), 9)],  # EQ recorded late
    "P-04": [("searching", date(2027, 4, 1), 5)],
    "P-05": [("language_course", date(2027, 4, 2), 6), ("left_project", date(2027, 6, 1), 7)],
    "P-06": [("apprenticeship", date(2027, 8, 15), 8)],
}
#: People with a competence check but no outcome yet.
NO_OUTCOME = ["P-07", "P-08"]


def _store(app, cohort_id, form_id, code, when, fixed=None, language="de", version=None):
    definition = forms_registry(app).get(form_id, version)
    values, shown = random_answers(definition, random.Random(code), language=language, code=code, fixed=fixed)
    response, _ = store_response(definition, cohort_id=cohort_id, link_id=None, language=language,
                                 key=uuid.uuid4().hex, values=values, shown=shown)
    response.submitted_at = when


@pytest.fixture
def cohort_id(app):
    with app.app_context():
        cohort = Cohort(slug="ol-2027", title="Oldenburg 2027")
        db.session.add(cohort)
        db.session.commit()
        for code in list(HISTORY) + NO_OUTCOME:
            _store(app, cohort.id, "competence-check", code, datetime(2027, 1, 10), language="ar")
        for code, records in HISTORY.items():
            for status, since, order in records:
                _store(app, cohort.id, "outcome", code, datetime(2027, 10, order),
                       {"status": status, "status_date": since})
        db.session.commit()
        return cohort.id


def funnel(app, cohort_id, **kw):
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        return build_cohort_report(forms_registry(app), cohort, Filters(cohort_id), **kw).funnel


def test_the_newest_status_of_each_person_counts_toward_the_target(app, cohort_id):
    f = funnel(app, cohort_id)
    latest = {code: max(records, key=lambda r: (r[1], r[2]))[0] for code, records in HISTORY.items()}
    placed = sum(status in ("apprenticeship", "svb_job") for status in latest.values())
    participants = len(HISTORY) + len(NO_OUTCOME)
    assert (f.participants, f.placed) == (participants, placed) == (8, 4)
    assert f.rate == pytest.approx(placed / participants)
    assert f.to_target == math.ceil(0.75 * participants) - placed == 2
    stages = {b.key: b.count for b in f.stages}
    assert stages == {"participants": 8, "checked": 8, "recorded": 6, "on_the_way": 4, "placed": 4}
    assert {b.key: b.count for b in f.statuses} == {"apprenticeship": 3, "svb_job": 1, "searching": 1,
                                                    "left_project": 1}
    assert [b.key for b in f.statuses] == ["apprenticeship", "svb_job", "searching", "left_project"]


def test_the_funnel_as_it_stood_at_the_end_of_a_period(app, cohort_id):
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        report = build_cohort_report(forms_registry(app), cohort, Filters(cohort_id, until=date(2027, 10, 4)))
    # Only the records entered by 4 October (entered on day "order" of October) count.
    known = {code: [r for r in records if r[2] <= 4] for code, records in HISTORY.items()}
    latest = [max(records, key=lambda r: (r[1], r[2]))[0] for records in known.values() if records]
    assert {b.key: b.count for b in report.funnel.statuses} == {s: latest.count(s) for s in set(latest)}
    assert report.funnel.placed == sum(s in ("apprenticeship", "svb_job") for s in latest) == 3


def test_a_funder_report_hides_a_small_number_of_placements_everywhere(app, cohort_id):
    f = funnel(app, cohort_id, funder=True, min_cell=5)
    assert f.placed is None and f.rate is None and f.to_target is None
    assert {b.key: b.count for b in f.stages}["placed"] is None
    assert funnel(app, cohort_id, funder=True, min_cell=4).placed == 4


def select(app, cohort_id, codes, on=date(2027, 1, 20)):
    """A coordinator marks ``codes`` selected (as the participant list does)."""
    with app.app_context():
        select_participants(cohort_id, codes, on, None)
        db.session.commit()


def test_the_target_counts_against_the_selected_and_shows_the_others_apart(app, cohort_id):
    # P-01 is placed (apprenticeship), P-04 still searching; the other six are not selected, three of them placed.
    select(app, cohort_id, ["P-01", "P-04"])
    f = funnel(app, cohort_id)
    assert f.selection and (f.participants, f.placed, f.rate) == (2, 1, 0.5)
    assert f.to_target == math.ceil(0.75 * 2) - 1 == 1
    assert {b.key: b.count for b in f.stages} == {"selected": 2, "checked": 2, "recorded": 2, "on_the_way": 1,
                                                  "placed": 1}
    assert {b.key: b.count for b in f.statuses} == {"apprenticeship": 1, "searching": 1}
    assert (f.not_selected, f.not_selected_placed) == (6, 3)


def test_a_selection_made_after_the_end_of_the_period_does_not_count_yet(app, cohort_id):
    select(app, cohort_id, ["P-01", "P-04"], on=date(2027, 10, 20))
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        f = build_cohort_report(forms_registry(app), cohort, Filters(cohort_id, until=date(2027, 10, 4))).funnel
    assert not f.selection and f.participants == 8 and f.not_selected is None


def test_the_report_says_whom_it_counts_against(app, cohort_id):
    def page(**kw):
        with app.app_context(), app.test_request_context():
            cohort = db.session.get(Cohort, cohort_id)
            report = build_cohort_report(forms_registry(app), cohort, Filters(cohort_id), language="en", **kw)
            return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", str(report_body(report)))))
    before = page()
    assert "Nobody in this cohort is marked selected yet: the rate counts every participant." in before
    select(app, cohort_id, ["P-01", "P-04"])
    after = page()
    assert "Selected participants 2" in after and "target: 75% of the selected participants" in after
    assert "Not selected: 6 participants, 3 of them placed. They are shown apart" in after
    assert "Nobody in this cohort is marked selected" not in after
    # The placements in detail are those of the selected, too.
    assert "(1 placed with a check)" in after
    # A funder report suppresses small numbers here too.
    funder = page(funder=True, min_cell=5)
    assert "Not selected: 6 participants, < 5 of them placed." in funder


# -- outcome v2: a signed contract, ended early, the follow-up six months on ------------------------------------

#: Where the report stands: 1 December 2026.
UNTIL = date(2026, 12, 1)


def record(app, cohort_id, code, status, since, entered=None, version=None, **answers):
    """An outcome entry as a coordinator makes it (no follow-up answer unless given)."""
    fixed = {"status": status, "status_date": since, "follow_up": None} | answers
    with app.app_context():
        _store(app, cohort_id, "outcome", code, datetime.combine(entered or since, datetime.min.time()), fixed,
               version=version)
        db.session.commit()


@pytest.fixture
def placements(app):
    """Five people in a cohort of its own; three started at least six months before ``UNTIL``."""
    with app.app_context():
        cohort = Cohort(slug="dh-2026", title="Delmenhorst 2026")
        db.session.add(cohort)
        db.session.commit()
        cohort_id = cohort.id
    record(app, cohort_id, "S-01", "apprenticeship", date(2026, 1, 5))
    # Followed up in July: still there (a new entry with the same status and the first working day).
    record(app, cohort_id, "S-01", "apprenticeship", date(2026, 1, 5), entered=date(2026, 7, 10), follow_up="yes")
    record(app, cohort_id, "S-02", "svb_job", date(2026, 2, 1))
    record(app, cohort_id, "S-02", "svb_job", date(2026, 2, 1), entered=date(2026, 8, 5), follow_up="yes")
    # Recorded with the first version of the form, before the follow-up existed: still read and counted.
    record(app, cohort_id, "S-03", "apprenticeship", date(2026, 3, 1), version=1)
    record(app, cohort_id, "S-04", "contract_signed", date(2026, 11, 20), contract_type="apprenticeship")
    record(app, cohort_id, "S-05", "searching", date(2026, 4, 1))
    return cohort_id


def report(app, cohort_id, until=UNTIL, **kw):
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        return build_cohort_report(forms_registry(app), cohort, Filters(cohort_id, until=until), **kw)


def test_a_signed_contract_counts_toward_the_target_as_its_own_status(app, placements):
    f = report(app, placements).funnel
    assert (f.participants, f.placed) == (5, 4) and f.rate == pytest.approx(0.8)
    assert {b.key: b.count for b in f.statuses} == {"apprenticeship": 2, "svb_job": 1, "contract_signed": 1,
                                                    "searching": 1}
    assert [b.label for b in f.statuses][2] == "Vertrag unterschrieben, Beginn steht noch aus"


def test_retention_six_months_after_the_start_and_ended_early_lowers_it(app, placements):
    before = report(app, placements).funnel.retention
    # S-01 and S-02 still there at the follow-up; S-03 not followed up; S-04 starts later (not due).
    assert (before.due, before.retained, before.ended, before.unknown) == (3, 2, 0, 1)
    assert before.rate == pytest.approx(2 / 3) and before.reasons == []
    # The coordinator learns that S-02's job ended in April, in the probation period.
    record(app, placements, "S-02", "ended_early", date(2026, 4, 15), entered=date(2026, 11, 2),
           ended_reason="probation")
    after = report(app, placements)
    kept = after.funnel.retention
    assert (kept.due, kept.retained, kept.ended, kept.unknown) == (3, 1, 1, 1)
    assert kept.rate == pytest.approx(1 / 3)
    assert [(b.key, b.label, b.count) for b in kept.reasons] == [("probation", "Probezeit nicht bestanden", 1)]
    # The placement rate loses S-02 too: its newest record is no placement.
    assert after.funnel.placed == 3
    assert {b.key: b.count for b in after.funnel.statuses}["ended_early"] == 1
    # Both versions of the form feed the report (S-03's first and the newest), merged by field id.
    outcome = next(s for s in after.sections if s.form_id == "outcome")
    newest = forms_registry(app).instruments["outcome"].latest.version
    assert [v.version for v in outcome.versions] == [1, newest] and newest > 2


def test_only_who_started_six_months_before_the_end_of_the_period_is_due(app, placements):
    assert report(app, placements, until=date(2026, 7, 5)).funnel.retention.due == 0
    # S-01 started on 5 January: due from 6 July, followed up on 10 July.
    on_8_july = report(app, placements, until=date(2026, 7, 8)).funnel.retention
    assert (on_8_july.due, on_8_july.retained, on_8_july.unknown) == (1, 0, 1)
    on_31_july = report(app, placements, until=date(2026, 7, 31)).funnel.retention
    assert (on_31_july.due, on_31_july.retained, on_31_july.unknown) == (1, 1, 0)


def test_the_report_shows_retention_and_says_what_counts(app, placements):
    record(app, placements, "S-02", "ended_early", date(2026, 4, 15), entered=date(2026, 11, 2),
           ended_reason="probation")
    with app.app_context(), app.test_request_context():
        body = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", str(report_body(
            report(app, placements, language="en"))))))
    assert ("Still there after six months Count Share Started at least six months ago 3 100% "
            "Still in the apprenticeship or job (follow-up) 1 33% Ended within six months 1 33% "
            "Not followed up yet 1 33%") in body
    assert "Why placements ended early Count Share Probezeit nicht bestanden 1 100%" in body
    assert "or a contract signed for one whose start is still ahead, as funders count a placement" in body
