"""Helpers for the app's own WTForms forms (staff pages of every feature)."""
from __future__ import annotations

from wtforms.fields.choices import SelectChoice


def choices(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs (WTForms no longer takes tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]
