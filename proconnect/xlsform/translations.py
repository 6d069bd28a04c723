"""Translations of imported form texts into the gettext catalogs, and back out of them for an export.

Form texts live in ``translations/<lang>/LC_MESSAGES/messages.po`` with ``msgctxt`` = the form id and the
text of the form's language as ``msgid`` (see ``catalogs.extract``); an import adds its ``label::<lang>``
and ``hint::<lang>`` texts there, written as ``make update-catalogs`` writes (width 100).
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from ..catalogs.review import WIDTH, catalog_path
from .reader import Translation


def add_translations(translations: list[Translation], form_id: str, directory: Path) -> dict[str, tuple[int, list]]:
    """Add the texts to the catalogs of their languages (msgctxt = ``form_id``); an existing translation stays.

    :return: language -> (number of entries added or filled, [msgids whose catalog has another translation])
    """
    by_language: dict[str, list[Translation]] = defaultdict(list)
    for t in translations:
        by_language[t.language].append(t)
    result = {}
    for language, items in sorted(by_language.items()):
        path = catalog_path(directory, language)
        if not path.is_file():
            result[language] = (0, [t.msgid for t in items])
            continue
        with path.open("rb") as f:
            catalog = read_po(f, locale=None, abort_invalid=True)
        added, kept = 0, []
        for t in items:
            message = catalog.get(t.msgid, context=form_id)
            if message is None:
                catalog.add(t.msgid, t.msgstr, context=form_id, auto_comments=[f"XLSForm {t.comment}"])
                added += 1
            elif not message.string or message.fuzzy:
                message.string = t.msgstr
                message.flags.discard("fuzzy")
                added += 1
            elif message.string != t.msgstr:
                kept.append(t.msgid)
        with path.open("wb") as f:
            write_po(f, catalog, width=WIDTH)
        result[language] = (added, kept)
    return result


def catalog_texts(directory: Path, form_id: str, languages) -> dict[str, dict[str, str]]:
    """The translated form texts of ``form_id``: language -> {text in the form's language: translation}."""
    out: dict[str, dict[str, str]] = {}
    for language in languages:
        path = catalog_path(directory, language)
        if not path.is_file():
            continue
        with path.open("rb") as f:
            catalog = read_po(f)
        out[language] = {m.id: m.string for m in catalog
                         if m.context == form_id and isinstance(m.id, str) and m.string and not m.fuzzy}
    return out
