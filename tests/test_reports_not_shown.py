"""Who did not see a question, on the real competence check (a trade's questions show only to those who chose
it): the report's figures worked out again from the submissions as they were sent, read either way.

Runs on SQLite and PostgreSQL (the ``app`` fixture).
"""
from __future__ import annotations

import random
import uuid
from dataclasses import replace
from datetime import date

import pytest

from proconnect import forms_registry
from proconnect.cohorts.models import Cohort
from proconnect.extensions import db
from proconnect.fieldtypes import field_type
from proconnect.reports import aggregation
from proconnect.reports.aggregation import Filters
from proconnect.reports.builder import build_cohort_report
from proconnect.reports.demo import random_answers
from proconnect.responses.storage import store_response
from shipped_forms import forms_dir  # noqa: F401

FORM = "competence-check"
N = 24


@pytest.fixture
def sent(app):
    """N competence checks as the tablets sent them (values and what each person was shown), stored."""
    with app.app_context():
        definition = forms_registry(app).get(FORM)
        cohort = Cohort(slug="check", title="Check")
        db.session.add(cohort)
        db.session.commit()
        rng, weights, submissions = random.Random(3), {}, []
        for i in range(N):
            values, shown = random_answers(definition, rng, code=f"C{i:03d}", today=date(2027, 6, 1), weights=weights)
            store_response(definition, cohort_id=cohort.id, link_id=None, language="de", key=uuid.uuid4().hex,
                           values=values, shown=shown)
            submissions.append((values, shown))
        return cohort.id, definition, submissions


def test_hidden_questions_and_the_people_who_chose_something_match_the_submissions(app, sent, monkeypatch):
    cohort_id, definition, submissions = sent
    reports = []
    for share in (1e-9, 1e9):  # the cohort's answers in index order; each response's answers
        monkeypatch.setattr(aggregation, "COHORT_ORDER_SHARE", share)
        with app.app_context():
            cohort = db.session.get(Cohort, cohort_id)
            report = build_cohort_report(forms_registry(app), cohort, Filters(cohort_id))
        reports.append(replace(report, generated_at=None))
    assert reports[0] == reports[1]
    section = next(s for s in reports[0].sections if s.form_id == FORM)
    questions = {q.id: q for q in section.questions}
    kinds = {"multiple": 0, "matrix": 0}
    for f in definition.answer_fields:
        if f.id not in questions or not any(not shown[f.id] for _v, shown in submissions):
            continue
        q, hidden = questions[f.id], sum(not shown[f.id] for _v, shown in submissions)
        assert q.not_shown == hidden, f.id
        if f.type == "multiple":
            kinds["multiple"] += 1
            assert q.answered == sum(bool(values.get(f.id)) for values, shown in submissions if shown[f.id]), f.id
        if f.type == "matrix":
            kinds["matrix"] += 1
            for row, name in zip(q.matrix, field_type(f).answer_names(f)):
                answered = sum(values.get(name) is not None for values, shown in submissions if shown[f.id])
                assert row.not_shown == hidden and row.no_answer + row.numeric.n + (row.numeric.unsure or 0) == (
                    N - hidden), name
                assert row.numeric.n + (row.numeric.unsure or 0) == answered, name
    # the trades' questions: each trade's context (a multiple choice) and work (a matrix) were hidden from some
    assert kinds["multiple"] >= 10 and kinds["matrix"] >= 10


def test_checks_stored_before_the_choices_were_numbered_count_the_same_people_after_the_upgrade(app, sent):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text as sql

    cohort_id, definition, submissions = sent
    multiple = [f.id for f in definition.answer_fields if f.type == "multiple"]
    with app.app_context():
        report = replace(build_cohort_report(forms_registry(app), db.session.get(Cohort, cohort_id),
                                             Filters(cohort_id)), generated_at=None)
        directory = app.extensions["migrate"].directory
        db.session.remove()
        try:
            downgrade(directory=directory, revision="0028_answer_cohort")
            with db.engine.connect() as conn:
                # As stored before: a multiple choice's rows carry no number.
                assert conn.scalar(sql("SELECT count(*) FROM answer WHERE value_num IS NOT NULL AND field_id IN "
                                       f"({', '.join(repr(name) for name in multiple)})")) == 0
        finally:
            upgrade(directory=directory)
        with db.engine.connect() as conn:
            firsts = conn.execute(sql("SELECT field_id, count(*) FROM answer WHERE value_num = 1 GROUP BY field_id"))
            firsts = dict(firsts.all())
        again = replace(build_cohort_report(forms_registry(app), db.session.get(Cohort, cohort_id),
                                            Filters(cohort_id)), generated_at=None)
    assert again == report
    for name in multiple:
        assert firsts.get(name, 0) == sum(bool(values.get(name)) for values, shown in submissions if shown[name])
