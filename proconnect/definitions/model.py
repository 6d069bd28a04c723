"""The validated form model: plain, immutable dataclasses built from a definition file.

Everything downstream (WTForms builder, storage, reports) reads these, never the TOML.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from datetime import date
from types import MappingProxyType
from typing import Mapping

from ..fieldtypes import field_type

#: The field whose answer ties a response to a participant (pseudonymous code).
PARTICIPANT_FIELD = "participant_code"


@dataclass(frozen=True)
class Choice:
    """One option of a single/multiple choice field, or one row of a matrix."""

    value: str
    label: str
    image: str | None = None


@dataclass(frozen=True)
class Field:
    """One question (or note/page break) of a form version."""

    id: str
    type: str
    line: int
    label: str = ""
    help: str = ""
    required: bool = False
    show_if: str | None = None
    #: Parsed ``show_if`` of the field *and* of its page, as a tree (see conditions.py).
    condition: list | None = None
    image: str | None = None
    page: int = 0
    choices: tuple[Choice, ...] = ()
    rows: tuple[Choice, ...] = ()
    min: float | date | str | None = None
    max: float | date | str | None = None
    step: float | None = None
    unit: str = ""
    min_selected: int | None = None
    max_selected: int | None = None
    points: int | None = None
    #: Value of the first point of a scale or matrix: 1 (default) or 0 (e.g. a 0–10 recommendation).
    start: int = 1
    low: str = ""
    high: str = ""
    labels: tuple[str, ...] = ()
    style: str = ""
    text: str = ""
    max_length: int | None = None
    #: Keys of its type that have no attribute above (a type added by a plugin or a test).
    extra: Mapping = dc_field(default_factory=lambda: MappingProxyType({}), compare=False)

    @property
    def answerable(self) -> bool:
        return field_type(self).stores_answers

    @property
    def widget(self) -> str:
        """How the form page draws the question (see ``FieldType.widget``)."""
        return field_type(self).draws(self)

    @property
    def browser_value(self) -> str:
        """How the browser reads this question's answer for conditions (see ``FieldType.browser_value``)."""
        return field_type(self).browser_value

    def answer_names(self) -> list[str]:
        """Names under which this field's answers are stored: its id, or ``id.row`` per matrix row."""
        return field_type(self).answer_names(self)

    def point_values(self) -> list[int]:
        """The stored values of a scale's or matrix's points, in order."""
        return list(range(self.start, self.start + (self.points or 0)))

    def point_labels(self) -> list[str]:
        """A label for each point of a scale or matrix (empty strings where none is given)."""
        if self.labels:
            return list(self.labels)
        labels = [""] * (self.points or 0)
        if labels:
            labels[0], labels[-1] = self.low, self.high
        return labels


@dataclass(frozen=True)
class Score:
    """A score computed at submission from numeric answers (e.g. an interest scale)."""

    id: str
    label: str
    method: str
    items: tuple[str, ...]
    line: int
    reverse: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class Page:
    """A group of fields shown together on one screen."""

    index: int
    title: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class FormDefinition:
    """One published (or draft) version of one instrument."""

    id: str
    version: int
    title: str
    path: str
    content_hash: str
    description: str = ""
    language: str = "de"
    fields: tuple[Field, ...] = ()
    scores: tuple[Score, ...] = ()
    pages: tuple[Page, ...] = ()
    folder: str = ""
    #: The path shown in messages, relative to the folder above ``forms/``.
    source: str = ""
    warnings: tuple = dc_field(default=(), compare=False)
    #: Not published yet (``draft.toml``): it can be replaced, previewed and rehearsed; it pins nothing, and
    #: "latest" never means a draft.
    draft: bool = False

    def field(self, field_id: str) -> Field:
        """The field with this id. :raise KeyError: when there is none."""
        for f in self.fields:
            if f.id == field_id:
                return f
        raise KeyError(field_id)

    @property
    def answer_fields(self) -> list[Field]:
        return [f for f in self.fields if f.answerable]
