"""A stored response as a person reads it: each question's text (German source) beside the answer given."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import format_decimal

from ..definitions.model import FormDefinition
from ..fieldtypes import field_type
from .models import Response


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
    #: Voided by staff: out of every figure, shown apart.
    voided: bool = False
    #: The staff's review state (``models.REVIEW_STATES``).
    review: str = "new"


def _number(value) -> str:
    """A score as the reader writes it (3,5 in German)."""
    try:
        return format_decimal(value)
    except (TypeError, ValueError):
        return str(value)


def questions(definition: FormDefinition) -> dict[str, str]:
    """Each answer name of ``definition`` (a matrix gives one per row) -> its question text."""
    return {name: f"{f.label} – {part}" if part else f.label
            for f in definition.answer_fields for name, part in field_type(f).parts(f)}


def _items(definition: FormDefinition, answers: dict, scores: dict) -> list[Item]:
    items = []
    texts = questions(definition)
    for f in definition.answer_fields:
        handler = field_type(f)
        for name, _part in handler.parts(f):
            if answers.get(name) not in (None, "", []):
                items.append(Item(name, texts[name], handler.text(f, answers[name]), answers[name]))
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
                            response.submitted_at, response.participant_code, items, response.voided,
                            response.review)
