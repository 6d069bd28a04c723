"""Review sheets: a form's participant texts side by side (German | translation) for a native-speaker reviewer.

A sheet is a CSV file (UTF-8 with byte order mark, so spreadsheet programs show every script) that the
reviewer fills in without tools: a corrected translation in ``correction``, a remark in ``note``. Importing
the sheet writes each correction into the catalog and keeps each note as a translator comment there.
The German text is the key: a row whose German text is no longer in the catalog is reported, not guessed.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

#: As ``make update-catalogs`` writes the catalogs, so an import changes only its own entries.
WIDTH = 100
COLUMNS = ("where", "german", "translation", "correction", "note")
NOTE_PREFIX = "review: "
_VERSION = re.compile(r"^v(\d+) ")
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def catalog_path(directory: Path, language: str) -> Path:
    """The catalog of ``language`` under a translations directory."""
    return Path(directory) / language / "LC_MESSAGES" / "messages.po"


def _read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, abort_invalid=True)


def participant_texts(catalog: Catalog, form_id: str) -> list[tuple[str, Message]]:
    """The texts participants read in the newest version of the form, in form order, with where each is used.

    Score labels are left out: only the project team reads them, in reports.
    """
    versions = [int(m.group(1)) for msg in catalog if msg.context == form_id
                for c in msg.auto_comments if (m := _VERSION.match(c))]
    if not versions:
        return []
    newest = f"v{max(versions)} "
    texts = []
    for message in catalog:
        if message.context != form_id or not isinstance(message.id, str):
            continue
        where = [c[len(newest):] for c in message.auto_comments
                 if c.startswith(newest) and not c[len(newest):].startswith("score ")]
        if where:
            texts.append(("; ".join(where), message))
    return texts


def review_sheet(directory: Path, language: str, form_id: str) -> str:
    """The review sheet of one language as CSV text (header row first)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for where, message in participant_texts(_read(catalog_path(directory, language)), form_id):
        translation = "" if message.fuzzy else message.string
        writer.writerow((where, message.id, translation, "", ""))
    return out.getvalue()


@dataclass
class ReviewImport:
    """What an import did: corrected texts, notes kept, and rows it could not use (with the reason)."""

    corrected: list[str] = field(default_factory=list)
    noted: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)


def _rows(text: str) -> list[dict[str, str]]:
    # A spreadsheet saved in a German locale separates with ";"; some save tabs.
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    missing = {"german", "correction", "note"} - set(reader.fieldnames or ())
    if missing:
        raise ValueError(f"the sheet has no column {', '.join(sorted(missing))} (first row: {', '.join(COLUMNS)})")
    return [{k: (v or "").replace("\r\n", "\n").strip() for k, v in row.items() if k} for row in reader]


def import_review(directory: Path, language: str, form_id: str, sheet: str) -> ReviewImport:
    """Write the corrections and notes of a filled-in sheet into the catalog of ``language``."""
    path = catalog_path(directory, language)
    catalog = _read(path)
    result = ReviewImport()
    for row in _rows(sheet):
        german, correction = row.get("german", ""), row.get("correction", "")
        note = " ".join(row.get("note", "").split())  # one line: it becomes a catalog comment
        if not (correction or note):
            continue
        message = catalog.get(german, context=form_id)
        if message is None:
            result.rejected.append((german, "this German text is not (or no longer) in the form"))
            continue
        if correction and sorted(_PLACEHOLDER.findall(correction)) != sorted(_PLACEHOLDER.findall(german)):
            result.rejected.append((german, "the correction must keep the placeholders of the German text"))
            continue
        if correction and correction != message.string:
            message.string = correction
            message.flags.discard("fuzzy")
            result.corrected.append(german)
        if note and f"{NOTE_PREFIX}{note}" not in message.user_comments:
            message.user_comments.append(f"{NOTE_PREFIX}{note}")
            result.noted.append(german)
    if result.corrected or result.noted:
        with path.open("wb") as f:
            write_po(f, catalog, width=WIDTH)
    return result
