"""Aggregation in the database: a fixed synthetic cohort, its numbers worked out again here by plain counting.

Runs on SQLite and PostgreSQL (the ``app`` fixture); the expected values never come from the report code.
"""
from __future__ import annotations

import statistics
import uuid
from collections import Counter
from dataclasses import replace
from datetime import date, datetime

import pytest
from sqlalchemy import select

from proconnect import forms_registry
from proconnect.cohorts.models import Cohort
from proconnect.links.models import Link
from proconnect.extensions import db
from proconnect.reports import aggregation
from proconnect.reports.aggregation import Filters, responses_by_version, tally
from proconnect.reports.builder import build_cohort_report
from proconnect.responses.models import Response
from proconnect.responses.storage import store_response

TRADES = ["metal", "wood", "care"]
SKILLS = ["measure", "weld", "drive"]
LANGUAGES = ["ar", "de", "uk", "fa", "ti"]


def person(i: int) -> dict:
    """The i-th synthetic answer set to the ``everything`` form (values as the form reads them)."""
    trade = TRADES[i % 3] if i % 11 else None  # every 11th person skipped the (required) trade: a gap
    return {
        "participant_code": f"P{i:03d}",
        "name": f"Person {i}",
        "story": f"Geschichte {i}" if i % 4 == 0 else None,
        "years": (i % 7) * 0.5 if i % 5 else None,
        "trade": trade,
        "metal_detail": f"Geländer {i}" if trade == "metal" and i % 2 else None,
        "skills": [s for k, s in enumerate(SKILLS) if (i >> k) & 1] or None,
        "likes_building": 1 + i % 3,
        "licence": "yes" if i % 3 else "no",
        "start": date(2027, 1 + i % 4, 1 + i % 28),
        "often.saw": 1 + i % 4,
        "often.drill": None if i % 6 == 0 else 1 + (i * 3) % 4,
        "consent": "yes",
    }


def shown(values: dict) -> dict:
    everything = {f: True for f in ("participant_code", "name", "story", "years", "trade", "skills",
                                    "likes_building", "licence", "start", "often", "consent", "page_two", "info")}
    return everything | {"metal_detail": values["trade"] == "metal"}


N = 37


@pytest.fixture
def cohort(app):
    """37 people answered ``everything`` in five languages over four months, through two links."""
    with app.app_context():
        definition = forms_registry(app).get("everything", 1)
        cohort = Cohort(slug="golden", title="Golden")
        db.session.add(cohort)
        db.session.flush()
        links = [Link(form_id="everything", cohort_id=cohort.id, language="de", event=e) for e in ("A", "B")]
        db.session.add_all(links)
        db.session.commit()
        for i in range(N):
            values = person(i)
            response, _ = store_response(definition, cohort_id=cohort.id, link_id=links[i % 2].id,
                                         language=LANGUAGES[i % 5], key=uuid.uuid4().hex, values=values,
                                         shown=shown(values))
            response.submitted_at = datetime(2027, 3 + i % 4, 1 + i % 20, 10, 0)
        db.session.commit()
        return cohort.id, [l.id for l in links]


def _report(app, cohort_id, **kw):
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        filters = kw.pop("filters", Filters(cohort_id))
        return build_cohort_report(forms_registry(app), cohort, filters, **kw)


def _question(report, form_id, field_id):
    section = next(s for s in report.sections if s.form_id == form_id)
    return next(q for q in section.questions + section.scores if q.id == field_id)


def people(pred=lambda i: True):
    return [person(i) for i in range(N) if pred(i)]


def test_single_choice_counts_shares_and_gaps_match_plain_counting(app, cohort):
    report = _report(app, cohort[0])
    q = _question(report, "everything", "trade")
    expected = Counter(p["trade"] for p in people() if p["trade"])
    answered = sum(expected.values())
    assert {b.key: b.count for b in q.bars} == {t: expected[t] for t in TRADES}
    assert {b.key: round(b.percent, 6) for b in q.bars} == {t: round(100 * expected[t] / answered, 6) for t in TRADES}
    assert (q.answered, q.no_answer, q.not_shown, q.asked) == (answered, N - answered, 0, N)


def test_not_shown_is_kept_apart_from_no_answer(app, cohort):
    q = _question(_report(app, cohort[0]), "everything", "metal_detail")
    metal = [p for p in people() if p["trade"] == "metal"]
    answered = [p for p in metal if p["metal_detail"]]
    assert q.not_shown == N - len(metal)
    assert q.answered == len(answered)
    assert q.no_answer == len(metal) - len(answered)
    assert sorted(t.text for t in q.texts) == sorted(p["metal_detail"] for p in answered)


def test_multiple_choice_counts_each_value_and_each_person_once(app, cohort):
    q = _question(_report(app, cohort[0]), "everything", "skills")
    chosen = [p["skills"] for p in people() if p["skills"]]
    counts = Counter(s for skills in chosen for s in skills)
    assert {b.key: b.count for b in q.bars} == {s: counts[s] for s in SKILLS}
    assert q.answered == len(chosen) and q.no_answer == N - len(chosen)
    assert {b.key: round(b.percent, 6) for b in q.bars} == {s: round(100 * counts[s] / len(chosen), 6)
                                                           for s in SKILLS}


def test_numbers_have_mean_median_range_and_distribution(app, cohort):
    q = _question(_report(app, cohort[0]), "everything", "years")
    years = [p["years"] for p in people() if p["years"] is not None]
    assert q.numeric.n == len(years)
    assert q.numeric.mean == pytest.approx(statistics.mean(years))
    assert q.numeric.median == pytest.approx(statistics.median(years))
    assert (q.numeric.low, q.numeric.high) == (min(years), max(years))
    assert {float(b.key): b.count for b in q.numeric.bars} == Counter(years)


def test_a_scale_shows_every_point_even_unchosen_ones(app, cohort):
    q = _question(_report(app, cohort[0]), "everything", "likes_building")
    values = [p["likes_building"] for p in people()]
    assert [(b.key, b.count) for b in q.numeric.bars] == [(str(v), values.count(v)) for v in (1, 2, 3)]
    assert q.numeric.bars[0].label == "1 – gar nicht" and q.numeric.bars[2].label == "3 – sehr"
    assert q.numeric.mean == pytest.approx(statistics.mean(values))
    assert q.numeric.median == statistics.median(values)


def test_matrix_rows_by_scale_points(app, cohort):
    q = _question(_report(app, cohort[0]), "everything", "often")
    rows = {row.key: row for row in q.matrix}
    for name in ("saw", "drill"):
        values = [p[f"often.{name}"] for p in people() if p[f"often.{name}"] is not None]
        assert [b.count for b in rows[name].numeric.bars] == [values.count(v) for v in (1, 2, 3, 4)]
        assert rows[name].numeric.mean == pytest.approx(statistics.mean(values))
        assert rows[name].no_answer == N - len(values)
    assert [label for _v, label in q.points] == ["nie", "manchmal", "oft", "täglich"]


def test_dates_have_a_range_and_counts_per_month(app, cohort):
    q = _question(_report(app, cohort[0]), "everything", "start")
    starts = [p["start"] for p in people()]
    assert (q.first, q.last) == (min(starts), max(starts))
    assert {b.key: b.count for b in q.bars} == Counter(d.strftime("%Y-%m") for d in starts)


def test_scores_are_aggregated_like_numbers(app, cohort):
    q = _question(_report(app, cohort[0]), "everything", "practical")
    scores = []
    for p in people():
        items = [p["likes_building"], p["often.saw"]] + ([5 - p["often.drill"]] if p["often.drill"] else [])
        scores.append(round(sum(items) / len(items), 4))
    assert q.numeric.n == N
    assert q.numeric.mean == pytest.approx(statistics.mean(scores))
    assert q.numeric.median == pytest.approx(statistics.median(scores))
    assert sum(b.count for b in q.numeric.bars) == N


def test_free_texts_are_listed_newest_first_up_to_the_limit(app, cohort):
    q = _question(_report(app, cohort[0], text_limit=3), "everything", "story")
    with app.app_context():
        rows = db.session.execute(select(Response.submitted_at, Response.id, Response.payload)
                                  .where(Response.cohort_id == cohort[0])).all()
    stories = sorted(((at, rid, p["answers"]["story"]) for at, rid, p in rows if "story" in p["answers"]),
                     reverse=True)
    assert [t.text for t in q.texts] == [s for _at, _id, s in stories[:3]]
    assert q.texts_left_out == len(stories) - 3
    assert q.answered == len(stories)


def test_filters_by_language_link_and_date(app, cohort):
    cohort_id, links = cohort
    only_ar = _report(app, cohort_id, filters=Filters(cohort_id, language="ar"))
    assert only_ar.total_responses == len([i for i in range(N) if LANGUAGES[i % 5] == "ar"])
    by_link = _report(app, cohort_id, filters=Filters(cohort_id, link_id=links[1]))
    assert by_link.total_responses == len([i for i in range(N) if i % 2 == 1])
    march = _report(app, cohort_id, filters=Filters(cohort_id, since=date(2027, 3, 1), until=date(2027, 3, 31)))
    assert march.total_responses == len([i for i in range(N) if i % 4 == 0])
    q = _question(march, "everything", "trade")
    assert {b.key: b.count for b in q.bars if b.count} == Counter(
        p["trade"] for i, p in enumerate(people()) if i % 4 == 0 and p["trade"])


def test_language_mix_and_participants(app, cohort):
    report = _report(app, cohort[0])
    assert {b.key: b.count for b in report.languages} == Counter(LANGUAGES[i % 5] for i in range(N))
    assert report.participants == N


def test_another_cohort_is_never_counted(app, cohort):
    with app.app_context():
        definition = forms_registry(app).get("everything", 1)
        other = Cohort(slug="other", title="Other")
        db.session.add(other)
        db.session.commit()
        store_response(definition, cohort_id=other.id, link_id=None, language="de", key=uuid.uuid4().hex,
                       values=person(1), shown=shown(person(1)))
    assert _report(app, cohort[0]).total_responses == N


def test_small_cells_are_suppressed_in_a_funder_report(app, cohort):
    arabic = Filters(cohort[0], language="ar")  # 8 people: 2 metal, 2 wood, 3 care, 1 gap
    internal = _question(_report(app, cohort[0], filters=arabic), "everything", "trade")
    assert [b.count for b in internal.bars] == [2, 2, 3]
    funder = _report(app, cohort[0], filters=arabic, funder=True, min_cell=5)
    q = _question(funder, "everything", "trade")
    assert [(b.count, b.percent, b.suppressed) for b in q.bars] == [(None, None, True)] * 3
    assert q.answered == 7 and q.no_answer is None  # 1 person: suppressed too
    years = _question(funder, "everything", "years")
    assert years.numeric.low is None and years.numeric.high is None  # one person's answer each
    story = _question(_report(app, cohort[0], funder=True), "everything", "story")
    assert story.texts == [] and story.texts_left_out == story.answered > 0


def test_suppressing_one_cell_also_hides_the_next_smallest(app):
    from proconnect.reports.builder import Privacy
    from proconnect.reports.model import Bar
    bars = Privacy(funder=True, min_cell=5).bars([Bar("a", "A", 20), Bar("b", "B", 3), Bar("c", "C", 9),
                                                  Bar("d", "D", 0)], exclusive=True)
    assert [(b.key, b.count, b.suppressed) for b in bars] == [("a", 20, False), ("b", None, True),
                                                               ("c", None, True), ("d", 0, False)]


def _store_survey(app, cohort_id, version, values, n):
    with app.app_context():
        definition = forms_registry(app).get("survey", version)
        for _ in range(n):
            store_response(definition, cohort_id=cohort_id, link_id=None, language="de", key=uuid.uuid4().hex,
                           values=values, shown={f.id: True for f in definition.fields})


def test_versions_merge_by_field_id_and_say_where_a_question_comes_from(app, make_cohort):
    cohort_id = make_cohort()
    _store_survey(app, cohort_id, 1, {"rating": 4, "missing": "Mehr Pausen"}, 3)
    _store_survey(app, cohort_id, 2, {"rating": 2, "recommend": "yes"}, 5)
    report = _report(app, cohort_id)
    rating = _question(report, "survey", "rating")
    assert rating.label == "Wie hat es Ihnen gefallen?"  # the newest wording
    assert [(v.version, v.responses) for v in rating.versions] == [(1, 3), (2, 5)]
    assert rating.only_in == [] and rating.numeric.n == 8
    assert [b.count for b in rating.numeric.bars] == [0, 5, 0, 3, 0]
    missing = _question(report, "survey", "missing")
    assert missing.only_in == [1] and (missing.asked, missing.answered) == (3, 3)
    recommend = _question(report, "survey", "recommend")
    assert recommend.only_in == [2] and recommend.asked == 5
    assert [q.id for q in next(s for s in report.sections if s.form_id == "survey").questions] == [
        "rating", "missing", "recommend"]


def _statements(app, run):
    """The SQL statements ``run()`` sends (in the app context)."""
    from sqlalchemy import event
    statements = []
    with app.app_context():
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            run()
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    return statements


KINDS = {"trade": "choice", "licence": "choice", "skills": "multi", "years": "number", "often.saw": "number",
         "start": "date", "story": "text"}


def test_tally_reads_the_answers_in_one_grouped_pass(app, cohort):
    with app.app_context():
        versions = responses_by_version(Filters(cohort[0]))["everything"]
    statements = _statements(app, lambda: tally(Filters(cohort[0]), "everything", KINDS, versions))
    # how many of the cohort's (PostgreSQL: the form's) responses there are, up to a few times the covered ones,
    # then every row once, grouped: the multiple choice's people too (its rows numbered 1)
    assert len(statements) == 2 and "GROUP BY" in statements[1]


def test_the_report_is_the_same_whichever_order_the_answers_are_read_in(app, cohort, monkeypatch):
    """The cohort's answers in index order without the responses left out (a report covering most of the
    cohort) or the covered responses' answers one response after the other (a narrow filter): the same report,
    with another cohort's answers to the same form, a voided and a test response, two versions and responses
    without a link in the tables."""
    cohort_id, links = cohort
    _store_survey(app, cohort_id, 1, {"rating": 4, "missing": "Mehr Pausen"}, 3)  # two versions of one form
    _store_survey(app, cohort_id, 2, {"rating": 2, "recommend": "yes"}, 5)
    with app.app_context():
        definition = forms_registry(app).get("everything", 1)
        other = Cohort(slug="other", title="Other")
        db.session.add(other)
        db.session.commit()
        stored = []
        for i, (cohort, test) in enumerate([(other.id, False), (other.id, False), (cohort_id, True),
                                            (cohort_id, False), (cohort_id, False)]):
            # Never counted: another cohort's, a test response and a voided one (the last is counted)
            values = person(i) | ({"trade": "wood", "years": 99.0, "skills": ["weld"]} if i < 4 else {})
            response, _ = store_response(definition, cohort_id=cohort, link_id=None, language="ar", test=test,
                                         key=uuid.uuid4().hex, values=values, shown=shown(values))
            response.submitted_at = datetime(2027, 3, 2, 10, 0)
            stored.append(response)
        stored[3].voided = True
        db.session.commit()
    filters = [Filters(cohort_id), Filters(cohort_id, language="ar"), Filters(cohort_id, link_id=links[1]),
               Filters(cohort_id, since=date(2027, 3, 1), until=date(2027, 4, 30))]
    reports = {}
    for order, share in (("cohort", 1e-9), ("responses", 1e9)):
        monkeypatch.setattr(aggregation, "COHORT_ORDER_SHARE", share)
        built = []
        statements = _statements(app, lambda: built.extend(
            replace(_report(app, cohort_id, filters=f), generated_at=None) for f in filters))
        joined = [s for s in statements if "GROUP BY answer.field_id" in s.replace("response.version, ", "")]
        assert joined and all(("JOIN answer" in s) == (order == "responses") for s in joined)
        reports[order] = built
    assert reports["cohort"] == reports["responses"]
    kept = 1  # the last response stored above: Arabic, no link, in March
    assert [r.total_responses for r in reports["cohort"]] == [
        N + 8 + kept, len([i for i in range(N) if LANGUAGES[i % 5] == "ar"]) + kept,
        len([i for i in range(N) if i % 2]), len([i for i in range(N) if 3 + i % 4 <= 4]) + kept]
    years = _question(reports["cohort"][0], "everything", "years")
    assert years.numeric.high == max(p["years"] for p in people() if p["years"] is not None) < 99


def test_every_answer_row_carries_its_response_s_cohort(app, cohort):
    """Reports read a cohort's answers by the cohort stored with each answer row: stored and corrected answers
    carry it."""
    from proconnect.responses.models import Answer
    from proconnect.responses.storage import rewrite_answers
    with app.app_context():
        response = db.session.scalar(select(Response).where(Response.cohort_id == cohort[0]).limit(1))
        values = person(2)
        rewrite_answers(forms_registry(app).get("everything", 1), response, values, shown(values))
        db.session.commit()
        rows = db.session.execute(select(Answer.cohort_id, Response.cohort_id)
                                  .join(Response, Response.id == Answer.response_id)).all()
    assert len(rows) > N and all(mine == theirs == cohort[0] for mine, theirs in rows)


def test_a_mean_does_not_depend_on_the_order_the_database_gave_the_values_in():
    # The database returns groups in the order of its plan (hash or index): the report must not change with it.
    from proconnect.reports.builder import Privacy, numeric_summary
    from proconnect.reports.formatting import Formatter
    groups = [(0.1, 3), (0.2, 7), (1e16, 1), (-1e16, 1)]
    means = {numeric_summary(Counter(dict(order)), Privacy(), Formatter("de")).mean for order in (groups, groups[::-1])}
    assert len(means) == 1


def test_a_report_asks_the_database_each_question_once(app, cohort):
    """The cohort's people and the check's languages are counted once, though the summary and a section show them."""
    from sqlalchemy import event
    app.config["INSTRUMENT_ROLES"] = {**app.config.get("INSTRUMENT_ROLES", {}), "competence_check": "everything"}
    asked = Counter()
    with app.app_context():
        listener = lambda *args: asked.update([(args[2], repr(args[3]))])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            report = build_cohort_report(forms_registry(app), db.session.get(Cohort, cohort[0]), Filters(cohort[0]))
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    assert report.participants == N and sum(bar.count for bar in report.languages) == N
    assert [statement for statement, n in asked.items() if n > 1] == []
