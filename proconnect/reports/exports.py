"""CSV and XLSX exports: one row per response, one column per answer name, streamed in batches.

The answers come from each response's stored payload (the audit copy of what was submitted), so an
export holds exactly what a person sent, free texts in full. Memory stays flat: responses are read
``BATCH`` at a time and written on.
"""
from __future__ import annotations

import csv
import io
import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from sqlalchemy import select

from ..definitions.model import FormDefinition
from ..links.models import Link
from ..corrections import service as corrections
from ..extensions import db
from ..fieldtypes import FieldType, field_type
from ..responses.models import Response
from .aggregation import Filters
from .builder import merged_choices, merged_fields

BATCH = 500
#: Columns every export starts with.
META = ("response_id", "form_id", "version", "submitted_at", "language", "event", "participant_code")
META_LABELS = {"response_id": "Antwort-Nr.", "form_id": "Instrument", "version": "Version",
               "submitted_at": "Abgeschickt (UTC)", "language": "Sprache", "event": "Veranstaltung/Link",
               "participant_code": "Teilnahme-Code"}
#: How the values of a multiple choice are joined in one cell.
MULTI_SEPARATOR = "|"
#: A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One export column and its codebook entry."""

    name: str
    label: str
    type: str
    values: str = ""
    versions: str = ""
    #: The field type of an answer column (None for metadata and scores).
    handler: FieldType | None = dataclasses.field(default=None, compare=False, repr=False)


def columns(definitions: list[FormDefinition]) -> list[Column]:
    """The columns of one instrument's export over the given versions (oldest first): answers, then scores."""
    cols = [Column(name, META_LABELS[name], "meta") for name in META]
    for f, versions, _d in merged_fields(definitions):
        if f.id == "participant_code":
            continue
        vs = ", ".join(f"v{v}" for v in versions)
        handler = field_type(f)
        for name, label, values in handler.codebook(f, merged_choices(definitions, f.id),
                                                    merged_choices(definitions, f.id, "rows")):
            cols.append(Column(name, label, f.type, values, vs, handler=handler))
    seen = set()
    for definition in reversed(definitions):
        for s in definition.scores:
            if s.id not in seen:
                seen.add(s.id)
                cols.append(Column(s.id, s.label, f"score ({s.method})", ", ".join(s.items), f"v{definition.version}"))
    return cols


def definitions_for(registry, filters: Filters, form_id: str) -> list[FormDefinition]:
    """The versions of an instrument that responses in the filter use (all versions when there are none)."""
    instrument = registry.instruments[form_id]
    used = db.session.scalars(select(Response.version).where(*filters.conditions(form_id)).distinct()).all()
    versions = sorted(v for v in used if v in instrument.versions) or sorted(instrument.versions)
    return [instrument.versions[v] for v in versions]


def _rows(filters: Filters, form_id: str, cols: list[Column]) -> Iterator[list]:
    """Each response as a list of Python values in column order, read in batches by id (plain rows,
    not ORM objects, so nothing piles up in the session)."""
    last_id = 0
    while True:
        query = (select(Response.id, Response.form_id, Response.version, Response.submitted_at,
                        Response.language, Link.event, Response.participant_code, Response.payload)
                 .outerjoin(Link, Link.id == Response.link_id)
                 .where(*filters.conditions(form_id), Response.id > last_id).order_by(Response.id).limit(BATCH))
        batch = db.session.execute(query).all()
        if not batch:
            return
        for *meta_values, payload in batch:
            meta = dict(zip(META, meta_values))
            meta["event"] = meta["event"] or ""
            meta["participant_code"] = meta["participant_code"] or ""
            answers = (payload or {}).get("answers", {})
            scores = (payload or {}).get("scores", {})
            row = []
            for c in cols:
                if c.type == "meta":
                    row.append(meta[c.name])
                elif c.type.startswith("score"):
                    row.append(scores.get(c.name))
                else:
                    row.append(answers.get(c.name))
            yield row
        last_id = batch[-1][0]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float, date)):
        return str(value)
    # Every string cell (answers, codes, event labels, choice values) can come from someone outside the
    # staff: shown as typed in a spreadsheet, never run as a formula (OWASP CSV injection).
    text = MULTI_SEPARATOR.join(str(v) for v in value) if isinstance(value, list) else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_chunks(registry, filters: Filters, form_id: str) -> Iterator[str]:
    """The CSV export of one instrument, as text chunks: UTF-8 with BOM (Excel), comma-separated."""
    cols = columns(definitions_for(registry, filters, form_id))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([c.name for c in cols])
    for n, row in enumerate(_rows(filters, form_id, cols), 1):
        writer.writerow([_cell_text(v) for v in row])
        if n % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _xlsx_value(value, col: Column):
    if value is None:
        return None
    if isinstance(value, list):
        return MULTI_SEPARATOR.join(str(v) for v in value)
    if col.handler is not None:
        value = col.handler.cell(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def write_xlsx(registry, filters: Filters, form_ids: list[str], out) -> None:
    """One sheet per instrument and a codebook sheet, written in openpyxl's streaming mode to ``out``."""
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    codebook = []
    for form_id in form_ids:
        cols = columns(definitions_for(registry, filters, form_id))
        sheet = book.create_sheet(_sheet_title(form_id))
        sheet.freeze_panes = "B2"
        header = []
        for c in cols:
            cell = WriteOnlyCell(sheet, value=c.name)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in _rows(filters, form_id, cols):
            cells = []
            for value, c in zip(row, cols):
                cell = WriteOnlyCell(sheet, value=_xlsx_value(value, c))
                if isinstance(cell.value, str):
                    # Text stays text: an answer starting with "=" is never a formula.
                    cell.data_type = "s"
                elif isinstance(cell.value, datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            sheet.append(cells)
        codebook += [(form_id, c) for c in cols]
    sheet = book.create_sheet("codebook")
    heading = ["instrument", "column", "label", "type", "values", "versions"]
    sheet.append([_bold_cell(sheet, h, bold, WriteOnlyCell) for h in heading])
    for form_id, c in codebook:
        cells = [WriteOnlyCell(sheet, value=v) for v in (form_id, c.name, c.label, c.type, c.values, c.versions)]
        for cell in cells:
            cell.data_type = "s"
        sheet.append(cells)
    notes = correction_notes(filters.cohort_id)
    if notes:
        sheet.append([])
        for note in notes:
            sheet.append([_bold_cell(sheet, "note", bold, WriteOnlyCell), WriteOnlyCell(sheet, value=note)])
    book.save(out)


def correction_notes(cohort_id: int) -> list[str]:
    """The method notes of an export when staff corrected answers or voided responses of the cohort (English,
    as the codebook)."""
    counts = corrections.counts(cohort_id)
    notes = []
    if counts["corrected"]:
        notes.append(f"Corrections: {counts['corrected']} answer(s) corrected by staff after they were sent; the "
                     "exported values are the corrected ones (each response's history is on its staff page).")
    if counts["voided"]:
        notes.append(f"Voided: {counts['voided']} response(s) voided by staff (duplicate, test or wrong person) "
                     "are not exported.")
    return notes


def _bold_cell(sheet, value, font, cell_class):
    cell = cell_class(sheet, value=value)
    cell.font = font
    return cell


def _sheet_title(form_id: str) -> str:
    # Excel allows 31 characters and no []:*?/\ in a sheet title.
    return "".join(c for c in form_id if c not in "[]:*?/\\")[:31]
