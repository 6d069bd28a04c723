"""The placement funnel against the 75 % target, on the real outcome instrument: newest status per person counts."""
from __future__ import annotations

import math
import random
import uuid
from datetime import date, datetime
from pathlib import Path

import pytest

from proconnect import forms_registry
from proconnect.cohorts.models import Cohort
from proconnect.extensions import db
from proconnect.reports.aggregation import Filters
from proconnect.reports.builder import build_cohort_report
from proconnect.reports.demo import random_answers
from proconnect.responses.storage import store_response

REAL_FORMS = Path(__file__).resolve().parent.parent / "forms"

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


@pytest.fixture
def forms_dir():
    return REAL_FORMS


def _store(app, cohort_id, form_id, code, when, fixed=None, language="de"):
    definition = forms_registry(app).get(form_id)
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
