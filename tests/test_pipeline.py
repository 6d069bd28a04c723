"""The placement pipeline: each participant's way, time to placement, and the 75 % figure counted independently."""
from __future__ import annotations

import re
import secrets
from datetime import date, datetime

import pytest

from proconnect.extensions import db
from proconnect.responses.models import Answer, Response
from shipped_forms import forms_dir  # noqa: F401
from staff_helpers import people, staff  # noqa: F401
from test_reports_pdf import pdf_file_text


def record(app, cohort_id, form_id, code, submitted, **answers):
    with app.app_context():
        r = Response(form_id=form_id, version=1, content_hash="x" * 64, cohort_id=cohort_id, language="de",
                     idempotency_key=secrets.token_urlsafe(24), participant_code=code, submitted_at=submitted,
                     payload={"answers": {}})
        for field_id, value in answers.items():
            column = "value_date" if isinstance(value, date) else "value_text"
            r.answers.append(Answer(form_id=form_id, cohort_id=cohort_id, field_id=field_id, **{column: value}))
        db.session.add(r)
        db.session.commit()


@pytest.fixture
def cohort(app, people):  # noqa: F811
    ol = people["ol-2027"]
    for code in ("AAAA-A1", "BBBB-B2", "CCCC-C3", "DDDD-D4"):
        record(app, ol, "competence-check", code, datetime(2027, 3, 1, 10))
    record(app, ol, "outcome", "AAAA-A1", datetime(2027, 9, 2), status="apprenticeship",
           status_date=date(2027, 8, 1), company="Metallbau Nord", trade="metal")
    record(app, ol, "outcome", "BBBB-B2", datetime(2027, 6, 1), status="internship", status_date=date(2027, 5, 20),
           company="Pflege Süd", trade="care")
    record(app, ol, "outcome", "BBBB-B2", datetime(2027, 7, 1), status="svb_job", status_date=date(2027, 6, 30),
           company="Pflege Süd", trade="care")
    record(app, ol, "outcome", "CCCC-C3", datetime(2027, 7, 1), status="searching")
    record(app, ol, "outcome", "DDDD-D4", datetime(2027, 7, 1), status="left_project")
    # placed twice on the same day at two companies: a contradiction to correct, not to count twice
    record(app, ol, "outcome", "EEEE-E5", datetime(2027, 8, 2), status="apprenticeship",
           status_date=date(2027, 8, 1), company="Tischlerei West", trade="wood")
    record(app, ol, "outcome", "EEEE-E5", datetime(2027, 8, 3), status="apprenticeship",
           status_date=date(2027, 8, 1), company="Holzbau Ost", trade="wood")
    return ol


def test_each_way_and_the_cohort_figures(app, cohort):
    from proconnect.matching.pipeline import pipeline
    with app.app_context():
        p = pipeline(cohort)
    assert p.current == {"AAAA-A1": "placed", "BBBB-B2": "placed", "CCCC-C3": "other", "DDDD-D4": "left",
                         "EEEE-E5": "placed"}
    assert [s.stage for s in p.timelines["BBBB-B2"]] == ["checked", "hospitation", "placed"]
    assert sorted(p.days_to_placement) == [121, 153]  # 1 Mar → 30 Jun, 1 Mar → 1 Aug
    assert p.placed_by_trade == {"metal": 1, "care": 1, "wood": 1}
    assert p.leaving == {"left_project": 1}
    assert p.contradictions == ["EEEE-E5: 2 different placements recorded for 2027-08-01 – please check the "
                                "outcome records and correct one of them."]


def test_the_reports_placements_lay_out_only_those_with_an_outcome_and_count_the_same(app, cohort, people):  # noqa: F811
    from proconnect.matching.pipeline import pipeline, placements
    for n in range(20):  # checked, no outcome yet: nothing a placement figure could count
        record(app, cohort, "competence-check", f"NONE-{n:02d}", datetime(2027, 3, 2, 10))
    with app.app_context():
        everyone, report = pipeline(cohort), placements(cohort)
        selected = placements(cohort, {"AAAA-A1", "CCCC-C3", "NONE-01"})
    assert len(everyone.timelines) == 25 and sorted(report.timelines) == sorted(
        ["AAAA-A1", "BBBB-B2", "CCCC-C3", "DDDD-D4", "EEEE-E5"])
    for figures in ("placed_by_trade", "placed_by_company", "leaving", "contradictions"):
        assert getattr(report, figures) == getattr(everyone, figures), figures
    assert sorted(report.days_to_placement) == sorted(everyone.days_to_placement)
    assert sorted(selected.timelines) == ["AAAA-A1", "CCCC-C3"] and selected.placed_by_trade == {"metal": 1}


def test_the_reports_placements_list_ties_by_name_whatever_order_the_rows_came_in(app, cohort, people):  # noqa: F811
    from proconnect import forms_registry
    from proconnect.cohorts.models import Cohort
    from proconnect.reports.aggregation import Filters
    from proconnect.reports.builder import build_cohort_report
    with app.app_context():
        report = build_cohort_report(forms_registry(app), db.session.get(Cohort, cohort), Filters(cohort))
    # One placement each: most first, then by name (the rows arrive in the database's order, which a plan decides).
    assert [bar.key for bar in report.placements.by_company] == ["Holzbau Ost", "Metallbau Nord", "Pflege Süd"]


def test_the_page_shows_the_share_placed_as_counted_independently(app, cohort, staff):  # noqa: F811
    html = staff("coord1").get("/staff/cohorts/ol-2027/matching/pipeline").get_data(as_text=True)
    # independent count: five participant codes, three of them with a newest outcome that is a placement
    codes = {"AAAA-A1", "BBBB-B2", "CCCC-C3", "DDDD-D4", "EEEE-E5"}
    placed = {"AAAA-A1", "BBBB-B2", "EEEE-E5"}
    share = round(100 * len(placed) / len(codes))
    assert re.search(r'id="placed-share">\s*%d %%' % share, html)
    assert "placed: 3 of 5 participants" in html
    assert "EEEE-E5: 2 different placements" in html


def test_the_cohort_pdf_has_the_placements_in_detail(app, cohort, runner, tmp_path):
    import subprocess
    out = tmp_path / "report.pdf"
    result = runner.invoke(args=["report", "--cohort", "ol-2027", "--lang", "en", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = pdf_file_text(out)
    assert "Placements in detail" in text
    # independent: 30 Jun and 1 Aug after a check on 1 Mar → 121 and 153 days, median 137
    assert "median 137 days (2 placed with a check)" in text
    assert "Placed per trade" in text and "Reasons for leaving" in text
