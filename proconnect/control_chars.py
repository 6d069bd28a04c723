"""Control characters that no address, query argument or answer may carry (PostgreSQL refuses NUL outright)."""
from __future__ import annotations

import re

#: Control characters (C0, DEL, C1): none belongs in an address or a query argument.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
#: In a form field the same, but tab, newline and carriage return (a multi-line answer) are allowed.
FIELD_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def first_with_control(pairs) -> str | None:
    """The name of the first (name, value) pair whose name or value holds a control character, else None."""
    return next((name for name, value in pairs if CONTROL.search(name) or CONTROL.search(value)), None)
