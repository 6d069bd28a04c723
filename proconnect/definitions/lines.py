"""Line numbers in a definition file, for the loader's problems and the catalog extractor's references."""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class SourceLines:
    """Where each table and key starts in a TOML file (tomllib does not tell): for messages with ``path:line``."""

    tables: dict[tuple[str, int], int]
    keys: dict[tuple[str, int, str], int]

    @classmethod
    def scan(cls, text: str) -> "SourceLines":
        """Read the lines of the file's ``text``."""
        tables, keys, counts = {}, {}, {}
        current = ("", 0)
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            m = re.match(r"^\[\[\s*([A-Za-z0-9_.-]+)\s*\]\]", stripped) or re.match(r"^\[\s*([A-Za-z0-9_.-]+)\s*\]", stripped)
            if m:
                name = m.group(1)
                index = counts.get(name, 0)
                counts[name] = index + 1
                current = (name, index)
                tables[current] = number
                continue
            k = re.match(r"^([A-Za-z0-9_-]+)\s*=", stripped)
            if k:
                keys.setdefault((*current, k.group(1)), number)
        return cls(tables, keys)

    def of(self, table: str, index: int, key: str | None = None) -> int:
        """The line of ``key`` in the ``index``-th table ``table`` (``""``, 0: the top), else of the table, else 1."""
        if key and (table, index, key) in self.keys:
            return self.keys[(table, index, key)]
        return self.tables.get((table, index), 1)
