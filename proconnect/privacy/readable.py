"""A stored response as a person reads it: each question's text (German source) beside the answer given."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import format_decimal, gettext as _

from ..definitions.model import Field, FormDefinition
from ..responses.models import Response


@dataclass
class Item:
    """One answered question (or matrix row, or score)."""

    name: str
    question: str
    answer: str
    #: The stored value (choice value, number, ISO date, text), language-independent.
    value: object


@dataclass
class ReadableResponse:
    id: int
    form_id: str
    title: str
    version: int
    language: str
    submitted_at: datetime
    participant_code: str | None
    items: list[Item] = field(default_factory=list)


def _choice_label(f: Field, value) -> str:
    for choice in f.choices:
        if choice.value == value:
            return choice.label
    return str(value)


def _point(f: Field, value) -> str:
    labels = f.point_labels()
    try:
        label = labels[int(value) - f.start]
    except (ValueError, TypeError, IndexError):
        label = ""
    return f"{value} ({label})" if label else str(value)


def _answer_text(f: Field, value) -> str:
    if f.type in ("single",):
        return _choice_label(f, value)
    if f.type == "multiple":
        return ", ".join(_choice_label(f, v) for v in (value if isinstance(value, list) else [value]))
    if f.type == "scale":
        return _point(f, value)
    if f.type == "yesno":
        return _("yes") if value in (True, "yes", "y") else _("no")
    if f.type == "consent":
        return _("given") if value else _("not given")
    if f.type == "number":
        return f"{_number(value)} {f.unit}".strip()
    return str(value)


def _number(value) -> str:
    """A number as the reader writes it (3,5 in German)."""
    try:
        return format_decimal(value)
    except (TypeError, ValueError):
        return str(value)


def _items(definition: FormDefinition, answers: dict, scores: dict) -> list[Item]:
    items = []
    for f in definition.answer_fields:
        if f.type == "matrix":
            for row in f.rows:
                name = f"{f.id}.{row.value}"
                if answers.get(name) is not None:
                    items.append(Item(name, f"{f.label} – {row.label}", _point(f, answers[name]), answers[name]))
        elif answers.get(f.id) not in (None, "", []):
            items.append(Item(f.id, f.label, _answer_text(f, answers[f.id]), answers[f.id]))
    for score in definition.scores:
        if score.id in scores:
            items.append(Item(score.id, score.label, _number(scores[score.id]), scores[score.id]))
    return items


def readable(response: Response, registry) -> ReadableResponse:
    """``response`` with question texts from its exact form version (raw names when that version is gone)."""
    definition = registry.get(response.form_id, response.version)
    payload = response.payload or {}
    answers, scores = payload.get("answers", {}), payload.get("scores", {})
    if definition is not None:
        items, title = _items(definition, answers, scores), definition.title
    else:
        items = [Item(k, k, str(v), v) for k, v in {**answers, **scores}.items()]
        title = response.form_id
    return ReadableResponse(response.id, response.form_id, title, response.version, response.language,
                            response.submitted_at, response.participant_code, items)
