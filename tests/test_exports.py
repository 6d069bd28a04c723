"""CSV and XLSX exports: one row per response, one column per answer name, a codebook; safe in a spreadsheet."""
from __future__ import annotations

import csv
import io
import uuid
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from proconnect import forms_registry
from proconnect.extensions import db
from proconnect.reports.aggregation import Filters
from proconnect.reports.exports import BATCH, csv_chunks, write_xlsx
from proconnect.responses.storage import store_response
from staff_helpers import people, seed, staff  # noqa: F401

FORMULA = "=HYPERLINK(\"http://127.0.0.1:9/\",\"klick\")"


def store(app, cohort_id, form_id="everything", version=1, language="de", **values):
    with app.app_context():
        definition = forms_registry(app).get(form_id, version)
        shown = {f.id: True for f in definition.fields} | {"metal_detail": values.get("trade") == "metal"}
        response, _ = store_response(definition, cohort_id=cohort_id, link_id=None, language=language,
                                     key=uuid.uuid4().hex, values=values, shown=shown)
        return response.id


def export_csv(app, cohort_id, form_id="everything") -> list[dict]:
    with app.app_context():
        text = "".join(csv_chunks(forms_registry(app), Filters(cohort_id), form_id))
    assert text.startswith("\ufeff")  # Excel reads UTF-8 only with the BOM
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.fixture
def cohort_id(make_cohort):
    return make_cohort()


def test_csv_has_one_row_per_response_and_one_column_per_answer_name(app, cohort_id):
    first = store(app, cohort_id, participant_code="K7Q2-X", name="Sami", trade="metal", metal_detail="Tore",
                  skills=["measure", "weld"], years=3.5, likes_building=3, licence="yes", start=date(2027, 8, 1),
                  **{"often.saw": 4, "often.drill": 1}, consent="yes", story="سلام، أنا سامي")
    store(app, cohort_id, language="ar", name="Lina", trade="care")
    rows = export_csv(app, cohort_id)
    assert [r["response_id"] for r in rows] == [str(first), str(first + 1)]
    sami = rows[0]
    assert (sami["form_id"], sami["version"], sami["participant_code"]) == ("everything", "1", "K7Q2-X")
    assert sami["skills"] == "measure|weld" and sami["years"] == "3.5" and sami["start"] == "2027-08-01"
    assert sami["often.saw"] == "4" and sami["often.drill"] == "1" and sami["story"] == "سلام، أنا سامي"
    assert sami["practical"] == "3.6667"  # (3 + 4 + (5 - 1)) / 3, stored to 4 places
    assert rows[1]["language"] == "ar" and rows[1]["metal_detail"] == "" and rows[1]["skills"] == ""
    assert list(rows[0])[:7] == ["response_id", "form_id", "version", "submitted_at", "language", "event",
                                 "participant_code"]


def test_a_typed_formula_stays_text_in_csv_and_xlsx(app, cohort_id, tmp_path):
    store(app, cohort_id, name=FORMULA, trade="wood")
    assert export_csv(app, cohort_id)[0]["name"] == "'" + FORMULA
    with app.app_context():
        write_xlsx(forms_registry(app), Filters(cohort_id), ["everything"], tmp_path / "x.xlsx")
    sheet = load_workbook(tmp_path / "x.xlsx")["everything"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("name") + 1)
    assert cell.value == FORMULA and cell.data_type == "s"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_formula_in_a_participant_code_or_event_label_stays_text_in_csv_and_xlsx(app, make_link, tmp_path,
                                                                                  start):
    from proconnect.links.models import Link
    token = make_link(event=start + "cmd|' /C calc'!A0")
    with app.app_context():
        link = db.session.scalar(db.select(Link).where(Link.token == token))
        link_id, cohort_id = link.id, link.cohort_id
        definition = forms_registry(app).get("everything", 1)
        store_response(definition, cohort_id=cohort_id, link_id=link_id, language="de", key=uuid.uuid4().hex,
                       values={"participant_code": start + "1+1", "trade": "wood"},
                       shown={f.id: True for f in definition.fields})
    row = export_csv(app, cohort_id)[0]
    assert row["participant_code"] == "'" + start + "1+1"
    assert row["event"] == "'" + start + "cmd|' /C calc'!A0"
    with app.app_context():
        write_xlsx(forms_registry(app), Filters(cohort_id), ["everything"], tmp_path / "x.xlsx")
    sheet = load_workbook(tmp_path / "x.xlsx")["everything"]
    header = [c.value for c in sheet[1]]
    for name in ("participant_code", "event"):
        assert sheet.cell(row=2, column=header.index(name) + 1).data_type == "s"


def test_versions_share_columns_and_the_csv_says_which_version(app, cohort_id):
    store(app, cohort_id, "survey", 1, rating=4, missing="Pausen")
    store(app, cohort_id, "survey", 2, rating=2, recommend="yes")
    rows = export_csv(app, cohort_id, "survey")
    assert [(r["version"], r["rating"], r["missing"], r["recommend"]) for r in rows] == [
        ("1", "4", "Pausen", ""), ("2", "2", "", "yes")]


def test_xlsx_has_a_sheet_per_instrument_and_a_codebook(app, cohort_id, tmp_path):
    store(app, cohort_id, name="A", trade="wood", start=date(2027, 1, 2))
    store(app, cohort_id, "survey", 2, rating=5)
    with app.app_context():
        write_xlsx(forms_registry(app), Filters(cohort_id), ["everything", "survey"], tmp_path / "all.xlsx")
    book = load_workbook(tmp_path / "all.xlsx")
    assert book.sheetnames == ["everything", "survey", "codebook"]
    everything = list(book["everything"].values)
    row = dict(zip(everything[0], everything[1]))
    assert row["trade"] == "wood" and row["start"] == datetime(2027, 1, 2) and isinstance(row["submitted_at"], datetime)
    codebook = {(r[0], r[1]): r for r in list(book["codebook"].values)[1:]}
    trade = codebook[("everything", "trade")]
    assert trade[2] == "Beruf" and trade[3] == "single" and trade[4] == "metal=Metall; wood=Holz; care=Pflege"
    assert codebook[("everything", "often.saw")][4] == "1=nie; 2=manchmal; 3=oft; 4=täglich"
    assert codebook[("survey", "recommend")][5] == "v2"


def test_a_large_export_is_written_in_batches(app, cohort_id):
    with app.app_context():
        definition = forms_registry(app).get("survey", 2)
        for i in range(BATCH + 7):
            store_response(definition, cohort_id=cohort_id, link_id=None, language="de", key=uuid.uuid4().hex,
                           values={"rating": 1 + i % 5}, shown={"rating": True, "recommend": True})
        chunks = list(csv_chunks(forms_registry(app), Filters(cohort_id), "survey"))
    assert len(chunks) == 2
    assert sum(chunk.count("\r\n") for chunk in chunks) == BATCH + 7 + 1


def test_coordinators_download_their_cohorts_exports_only(app, people, seed, staff):  # noqa: F811
    seed(people["ol-2027"])
    coordinator = staff("coord1")
    answer = coordinator.get("/reports/ol-2027/responses.csv?form=everything")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert "attachment" in answer.headers["Content-Disposition"]
    assert answer.get_data(as_text=True).count("\r\n") == 2
    assert coordinator.get("/reports/ol-2027/responses.csv").status_code == 400  # a CSV needs an instrument
    xlsx = coordinator.get("/reports/ol-2027/responses.xlsx")
    data = xlsx.data
    xlsx.close()  # the file is streamed from a temporary file
    assert xlsx.status_code == 200 and load_workbook(io.BytesIO(data)).sheetnames == ["everything", "codebook"]
    assert coordinator.get("/reports/dh-2027/responses.xlsx").status_code == 404
    assert staff("coord2").get("/reports/ol-2027/responses.csv?form=everything").status_code == 404


def test_every_download_is_in_the_audit_log(app, people, seed, staff):  # noqa: F811
    from proconnect.audit.models import AuditEvent
    seed(people["ol-2027"])
    staff("coord1").get("/reports/ol-2027/responses.xlsx").close()
    with app.app_context():
        events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert [(e.actor, e.target, e.details["format"]) for e in events] == [
        ("coord1", "responses of cohort ol-2027", "xlsx")]


def test_the_export_command(app, runner, cohort_id, tmp_path):
    store(app, cohort_id, name="Ana", trade="care")
    out = tmp_path / "e.csv"
    result = runner.invoke(args=["export", "--cohort", "ol-2027", "--format", "csv", "--form", "everything",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8-sig").splitlines()[1].split(",")[7] == "Ana"
    result = runner.invoke(args=["export", "--cohort", "ol-2027", "--format", "csv", "--out", str(out)])
    assert result.exit_code != 0 and "--form" in result.output
    result = runner.invoke(args=["export", "--cohort", "ol-2027", "--format", "xlsx", "--out", str(tmp_path / "a.xlsx")])
    assert result.exit_code == 0 and load_workbook(tmp_path / "a.xlsx").sheetnames == ["everything", "codebook"]
