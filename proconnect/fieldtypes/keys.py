"""What a key of a definition may hold: ``(expected, python types)`` pairs the loader checks values against.

Field types declare their extra keys with these (``FieldType.keys``); the loader uses them for the form's
own keys too, so every message says "expected <what>" the same way.
"""
from __future__ import annotations

from datetime import date

TEXT = ("a text", str)
BOOL = ("true or false", bool)
INT = ("a whole number", int)
NUM = ("a number", (int, float))
LIST = ("a list", list)
DATE = ("a date (YYYY-MM-DD) or \"today\"", (date, str))
