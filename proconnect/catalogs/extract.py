"""A Babel extractor for form definitions (``forms/<form-id>/v<N>.toml``).

Registered as the ``proconnect_forms`` entry point under ``babel.extractors`` and used by ``babel.cfg``.
Every text a person can read becomes a ``pgettext(form_id, text)`` message, so one translation serves
every version that keeps the text; the translator comment says where it comes from.
"""
from __future__ import annotations

import tomllib
from collections.abc import Iterator

from ..definitions.lines import SourceLines
from ..i18n import UNIT_CONTEXT

#: Keys of a field whose value is a text shown to people, with how the comment names them.
FIELD_TEXTS = (("label", "label"), ("help", "help"), ("text", "text"), ("unit", "unit"),
               ("low", "lowest point"), ("high", "highest point"), ("unsure", "answer 'don't know'"))


def extract_forms(fileobj, keywords, comment_tags, options) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Yield ``(lineno, "pgettext", (form_id, text), [comment])`` for every readable text of a definition.

    :param fileobj: the definition file, opened in binary mode
    :raise ValueError: when the file is not valid TOML (a catalog must never silently miss a form)
    """
    raw = fileobj.read()
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{getattr(fileobj, 'name', 'definition')}: {exc}") from None
    form = data.get("form") if isinstance(data.get("form"), dict) else {}
    form_id, version = form.get("id"), form.get("version")
    if not isinstance(form_id, str) or not form_id:
        return
    finder = _Finder(text)
    where = f"v{version}"

    def message(table, index, key, value, comment):
        if isinstance(value, str) and value.strip():
            yield finder.line(value, table, index, key), "pgettext", (form_id, value), [f"{where} {comment}"]

    yield from message("form", 0, "title", form.get("title"), "form title")
    yield from message("form", 0, "description", form.get("description"), "form description")
    for index, field in enumerate(_tables(data.get("fields"))):
        field_id, ftype = field.get("id", "?"), field.get("type", "?")
        name = f"{field_id} ({ftype})"
        for key, what in FIELD_TEXTS:
            what = "page title" if ftype == "page" and key == "label" else what
            yield from message("fields", index, key, field.get(key), f"{name}: {what}")
        unit = field.get("unit")
        if isinstance(unit, str) and unit.strip():
            # A number's unit as it is counted ("1 Jahr", "3 Jahre"), for the answers staff read: one entry per
            # unit in the context UNIT_CONTEXT, whatever form it comes from.
            yield (finder.line(unit, "fields", index, "unit"), "npgettext", (UNIT_CONTEXT, unit, unit),
                   [f"{where} {name}: unit counted (the German is the plural; give each plural form)"])
        for choice in _tables(field.get("choices")):
            yield from message("fields", index, "choices", choice.get("label"),
                               f"{name}: choice {choice.get('value', '?')}")
        for row in _tables(field.get("rows")):
            yield from message("fields", index, "rows", row.get("label"), f"{name}: row {row.get('id', '?')}")
        labels = field.get("labels") if isinstance(field.get("labels"), list) else []
        start = field.get("start", 1) if isinstance(field.get("start"), int) else 1
        for offset, label in enumerate(labels):
            yield from message("fields", index, "labels", label, f"{name}: point {start + offset}")
    for index, score in enumerate(_tables(data.get("scores"))):
        name = f"score {score.get('id', '?')}"
        yield from message("scores", index, "label", score.get("label"), f"{name}: label")
        yield from message("scores", index, "help", score.get("help"), f"{name}: help")


def _tables(value) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


class _Finder:
    """Line numbers for messages: the line holding the text itself, else the line of its key."""

    def __init__(self, text: str):
        self.lines = SourceLines.scan(text)
        self.source = text.splitlines()

    def line(self, value: str, table: str, index: int, key: str) -> int:
        start = self.lines.of(table, index, key)
        needle = value.split("\n", 1)[0][:40]
        # Choices and rows are inline tables, often one per line below the key.
        for number in range(start, min(start + 200, len(self.source)) + 1):
            if needle in self.source[number - 1]:
                return number
        return start
