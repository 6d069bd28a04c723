"""How complete each catalog is: per language and per section (user interface, each form).

The template ``translations/messages.pot`` is the reference, so a catalog that was not updated after
an extraction shows its new texts as missing instead of hiding them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

#: Section names of the messages without context (Python and Jinja UI strings).
UI = "user interface"
STAFF_UI = "staff interface"
#: Source files of the pages participants see (forms, kiosk, their code card, error pages). Every other
#: string is read by the project team only: the team works in German (or English), so other languages
#: leave those to the German catalog and count them apart.
PARTICIPANT_SOURCES = (
    "proconnect/responses/", "proconnect/fieldtypes/builtin.py", "proconnect/fieldtypes/formfields.py",
    "proconnect/fieldtypes/records.py",
    # The sentence a hospitation's feedback page opens with (the participant reads it on their own link).
    "proconnect/matching/hospitation_links.py",
    "proconnect/errors.py", "proconnect/templates/base.html",
    "proconnect/templates/error.html", "proconnect/templates/index.html", "proconnect/templates/_languages.html",
    "proconnect/distribution/kiosk.py", "proconnect/distribution/participants.py",
    "proconnect/distribution/printing.py", "proconnect/distribution/templates/distribution/kiosk_page.html",
    "proconnect/distribution/templates/distribution/kiosk_start.html",
    "proconnect/distribution/templates/distribution/_kiosk_header.html",
    "proconnect/distribution/templates/distribution/cards.pdf.html",
    "proconnect/distribution/templates/distribution/poster.pdf.html",
)
SOURCE_LANGUAGE = "de"
_REVIEW = re.compile(r"^#?\s*Review-State:\s*(.+?)\s*$", re.MULTILINE)


@dataclass
class Counts:
    translated: int = 0
    fuzzy: int = 0
    missing: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.missing


@dataclass
class CatalogStatus:
    """One language: its review state (from the catalog header) and counts per section."""

    language: str
    review: str
    sections: dict[str, Counts] = field(default_factory=dict)


def review_state(catalog: Catalog) -> str:
    """The ``Review-State:`` line of the catalog's header comment ("not stated" when there is none)."""
    match = _REVIEW.search(catalog.header_comment or "")
    return match.group(1) if match else "not stated"


def section(message) -> str:
    """The form id for form texts; otherwise the participants' or the staff's interface, by source file."""
    if message.context:
        return message.context
    paths = [path for path, _line in message.locations]
    return UI if not paths or any(p.startswith(PARTICIPANT_SOURCES) for p in paths) else STAFF_UI


def _state(message) -> str:
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    if not all(strings):
        return "missing"
    return "fuzzy" if message.fuzzy else "translated"


def catalog_status(language: str, catalog: Catalog, template: Catalog | None) -> CatalogStatus:
    """Count translated / fuzzy / missing messages of ``catalog`` per section.

    German form texts are the source: in the German catalog they count as translated when empty.
    """
    status = CatalogStatus(language, review_state(catalog))
    reference = template if template is not None else catalog
    for ref in reference:
        if not ref.id:
            continue
        counts = status.sections.setdefault(section(ref), Counts())
        message = catalog.get(ref.id, context=ref.context)
        state = "missing" if message is None else _state(message)
        if language == SOURCE_LANGUAGE and ref.context and state == "missing" and message is not None:
            state = "translated"
        setattr(counts, state, getattr(counts, state) + 1)
    return status


def translations_status(directory: Path) -> list[CatalogStatus]:
    """The status of every ``<lang>/LC_MESSAGES/messages.po`` under ``directory``, in folder order."""
    pot = directory / "messages.pot"
    template = None
    if pot.is_file():
        with pot.open("rb") as f:
            template = read_po(f)
    out = []
    for po in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        language = po.parent.parent.name
        with po.open("rb") as f:
            out.append(catalog_status(language, read_po(f, locale=None), template))
    return out
