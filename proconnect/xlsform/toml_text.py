"""Write a definition (plain dicts and lists) as TOML in the shape of the shipped ``forms/*/vN.toml``.

Python reads TOML without a dependency but does not write it; a definition needs only a small part of
TOML (texts, numbers, dates, true/false, lists, inline tables), so this writes that part.
"""
from __future__ import annotations

from datetime import date

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f"}


def _string(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def value(v) -> str:
    """One TOML value."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, str):
        return _string(v)
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, (list, tuple)):
        if v and all(isinstance(x, dict) for x in v):
            return "[\n" + "".join(f"  {value(x)},\n" for x in v) + "]"
        return "[" + ", ".join(value(x) for x in v) + "]"
    raise TypeError(f"no TOML for {v!r}")


def definition_toml(data: dict, comment: str = "") -> str:
    """The text of a definition file: ``[form]``, one ``[[fields]]`` per field, ``[[scores]]``.

    :param data: ``{"form": {...}, "fields": [{...}], "scores": [{...}]}`` in the order to write
    :param comment: lines to put on top (where the definition comes from)
    """
    lines = [f"# {line}".rstrip() for line in comment.splitlines()]
    if lines:
        lines.append("")
    lines.append("[form]")
    lines += [f"{k} = {value(v)}" for k, v in data["form"].items()]
    for table in ("fields", "scores"):
        for item in data.get(table, []):
            lines += ["", f"[[{table}]]"]
            lines += [f"{k} = {value(v)}" for k, v in item.items()]
    return "\n".join(lines) + "\n"
