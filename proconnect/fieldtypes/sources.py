"""Choices fed from project data: a definition field names a source (``choices_from = "companies"``) instead
of listing its choices, and the feature that owns the data fills the source when the app is created.

This package sits below every feature, so it only keeps the registry; ``companies`` registers the company
records as a source from its ``init_app`` (before the forms are loaded, so the loader can check the name).

Extension point: a source is any object with

- ``options(retired=False) -> list[tuple[str, str]]``: ``(value, label)`` of what a person may choose now,
  in order (``retired=True``: also what was offered once, for reports that count old answers);
- ``names(values) -> dict[str, str]``: the label of each value that was ever offered (also one no longer
  offered: old answers must stay readable), missing for an unknown value;
- ``title``: what the source lists, for staff messages ("company records");
- ``typed(names) -> dict[str, tuple[str | None, str]]``: each name typed for "other" -> the value of the record a
  coordinator confirmed it to mean (None if none) and the name's key (the same for every spelling of one name, ""
  for a name that names nothing), so that reports count typed names as the staff pages match them.

Values are text (a record's id as digits); the record type adds "other" with a free text.
"""
from __future__ import annotations

from typing import Iterable, Protocol


class ChoiceSource(Protocol):
    title: str

    def options(self, retired: bool = False) -> list[tuple[str, str]]:
        """``(value, label)`` pairs a person may choose now (with ``retired``: also those no longer offered)."""

    def names(self, values: Iterable[str]) -> dict[str, str]:
        """Each known value -> its label (values never offered are left out)."""

    def typed(self, names: Iterable[str]) -> dict[str, tuple[str | None, str]]:
        """Each name typed for "other" -> (the record value a coordinator confirmed it to mean or None, its key)."""


#: Source name in a definition (``choices_from``) -> the source the owning feature registered.
CHOICE_SOURCES: dict[str, ChoiceSource] = {}


def register_source(name: str, source: ChoiceSource) -> ChoiceSource:
    """Make ``source`` the data behind ``choices_from = name`` (called again by each app: the last one wins)."""
    CHOICE_SOURCES[name] = source
    return source


def choice_source(name: str) -> ChoiceSource | None:
    return CHOICE_SOURCES.get(name)
