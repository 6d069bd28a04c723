"""A record question in the cohort report: "other" is counted by the company name typed (every spelling of a name as
one, a name a coordinator confirmed under its record), so the report shows which companies the participants meant;
"other" keeps only the answers without a name. A funder's report prints nothing typed."""
from __future__ import annotations

import re
import uuid
from datetime import datetime

import pytest

from proconnect import forms_registry
from proconnect.cohorts.models import Cohort
from proconnect.companies.models import Company, name_key
from proconnect.companies.names import confirm
from proconnect.extensions import db
from proconnect.reports.aggregation import Filters
from proconnect.reports.builder import build_cohort_report
from proconnect.reports.render import cohort_pdf, report_body
from proconnect.responses.storage import store_response
from shipped_forms import forms_dir  # noqa: F401
from test_reports_pdf import pdf_text

#: The participants' hospitation feedback, company question: (chosen, name typed for "other").
ANSWERS = [("nord", None),
           ("other", "Bäckerei Schulz GmbH"), ("other", "Bäckerei Schulz GmbH"), ("other", "bäckerei  schulz"),
           ("other", "Nord Metall"),  # a coordinator confirmed: Metallbau Nord
           ("other", "Gärtnerei Ost"),
           ("other", None)]  # given before a name was asked for


@pytest.fixture
def cohort_id(app, make_cohort):
    cohort_id = make_cohort(slug="ol-2027", title="Oldenburg Frühjahr 2027")
    store_answers(app, cohort_id)
    return cohort_id


def store_answers(app, cohort_id):
    """The record "Metallbau Nord", the name "Nord Metall" confirmed to mean it, and ``ANSWERS`` to the company."""
    with app.app_context():
        nord = Company(name="Metallbau Nord", name_key=name_key("Metallbau Nord"), place="Westerstede")
        db.session.add(nord)
        db.session.flush()
        confirm("Nord Metall", nord, None)
        definition = forms_registry(app).get("hospitation-voice")
        for i, (chosen, typed) in enumerate(ANSWERS):
            values = {"participant_code": f"K7Q{i}-X9", "company": str(nord.id) if chosen == "nord" else chosen,
                      "company.other": typed, "again": "yes"}
            response, _ = store_response(definition, cohort_id=cohort_id, link_id=None, language="de",
                                         key=uuid.uuid4().hex, values=values,
                                         shown={f.id: True for f in definition.fields})
            response.submitted_at = datetime(2027, 5, 10 + i, 10)
        db.session.commit()


def _bars(app, cohort_id, **kw) -> dict[str, int | None]:
    with app.app_context():
        report = build_cohort_report(forms_registry(app), db.session.get(Cohort, cohort_id), Filters(cohort_id), **kw)
    [question] = [q for s in report.sections if s.form_id == "hospitation-voice" for q in s.questions
                  if q.id == "company"]
    assert question.answered == len(ANSWERS)
    return {b.label: b.count for b in question.bars}


def test_other_is_counted_by_the_name_typed_and_a_confirmed_name_under_its_record(app, cohort_id):
    assert _bars(app, cohort_id) == {"Metallbau Nord (Westerstede)": 2,
                                     "Bäckerei Schulz GmbH (nicht in der Liste)": 3,
                                     "Gärtnerei Ost (nicht in der Liste)": 1,
                                     "Anderer, ohne Namen": 1}
    assert _bars(app, cohort_id, language="en") == {"Metallbau Nord (Westerstede)": 2,
                                                    "Bäckerei Schulz GmbH (not in the list)": 3,
                                                    "Gärtnerei Ost (not in the list)": 1,
                                                    "Other, no name given": 1}


def test_a_funders_report_prints_no_typed_name_but_counts_a_confirmed_one_under_its_record(app, cohort_id):
    assert _bars(app, cohort_id, funder=True, min_cell=1) == {"Metallbau Nord (Westerstede)": 2,
                                                              "Anderer (nicht in der Liste)": 5}


def test_the_report_page_and_pdf_show_the_companies_by_name(app, cohort_id, tmp_path):
    with app.app_context():
        report = build_cohort_report(forms_registry(app), db.session.get(Cohort, cohort_id), Filters(cohort_id))
        html, pdf = str(report_body(report)), cohort_pdf(report)
    assert "Bäckerei Schulz GmbH (nicht in der Liste)" in html and "bäckerei  schulz" not in html
    # The method notes say how a typed name is counted.
    assert "Betriebe: Ein unter „Anderer“ geschriebener Name zählt als der Betrieb" in html
    (tmp_path / "report.pdf").write_bytes(pdf)
    text = pdf_text(pdf, tmp_path)
    assert re.search(r"Bäckerei Schulz GmbH \(nicht in der Liste\)\s+3 · 43 %", text)
    assert re.search(r"Anderer, ohne Namen\s+1 · 14 %", text)
