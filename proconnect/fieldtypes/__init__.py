"""Field types: one class per ``type`` of a definition field owns everything about that type.

A type says which definition keys it accepts and checks them, builds its WTForms field, reads and
stores the answer, tells the database how to count it, writes an answer as text for people, gives its
codebook entry, report summary and demo value. Adding a type means writing one ``FieldType`` subclass
and calling ``register`` with an instance; nothing else in proconnect switches on a field's ``type``.

This package sits below ``definitions``: it imports nothing from proconnect's feature packages, and
reads fields by their attributes (``id``, ``type``, ``label``, ``choices``, …) only.
"""
from __future__ import annotations

from .base import FieldType, Summary, stored_value
from .builtin import BUILTIN
from .records import RecordType, other_answers
from .sources import ChoiceSource, choice_source, register_source

#: Field type name in a definition -> the instance that handles it (pyxform's ``QUESTION_CLASSES`` idea).
FIELD_TYPES: dict[str, FieldType] = {t.name: t for t in (*BUILTIN, RecordType())}


def field_type(f) -> FieldType:
    """The type handling ``f`` (a field, or a type name). :raise KeyError: for an unknown type."""
    return FIELD_TYPES[f if isinstance(f, str) else f.type]


def register(handler: FieldType) -> FieldType:
    """Make ``handler`` the type of definition fields with ``type = handler.name``.

    :raise ValueError: when a type of that name is already registered
    """
    if handler.name in FIELD_TYPES:
        raise ValueError(f"field type {handler.name!r} is already registered")
    FIELD_TYPES[handler.name] = handler
    return handler


def unregister(name: str) -> None:
    """Forget a type registered with ``register`` (definitions using it no longer load)."""
    FIELD_TYPES.pop(name, None)


__all__ = ["FIELD_TYPES", "ChoiceSource", "FieldType", "Summary", "choice_source", "field_type",
           "other_answers", "register", "register_source", "stored_value", "unregister"]
