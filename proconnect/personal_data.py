"""The privacy seam: each feature declares what it stores about a participant, and how that is exported,
erased and removed when a cohort's retention period is over (pretix's "data shredders").

``privacy`` (export, erasure, retention) calls the declarations and knows no feature's tables. A feature
registers its ``Declaration`` from the app factory with ``register(app, declaration)``. Every table in the
metadata belongs to exactly one declaration, also a table that holds nothing about a person (with the
reason), so ``undeclared`` can tell a new table that nobody thought about (a test runs it).

Extension point (the shapes, as ``privacy`` uses them):

- ``export(cohort, code) -> list[Section]``: what is stored under the code in the cohort, as JSON-safe
  records (the GDPR export's JSON) and as ``Entry`` objects for a reader (its PDF); a section without
  records when nothing is stored (the JSON names every kind, the PDF shows what there is).
- ``erase(cohort, code) -> dict[str, int]``: remove or anonymise everything about the code in the cohort;
  what was done, counted (e.g. ``{"hospitations": 1}``). Commits nothing: erasure commits once, at the end.
- ``expire(cohort, cutoff, delete) -> dict[str, int]``: what of the cohort is older than ``cutoff``
  (naive UTC), counted; deleted only when ``delete`` is true. Commits nothing either.

``cohort`` is a ``Cohort`` (``id``, ``slug``); ``code`` is a participant code as typed (compare upper case).
"""
from __future__ import annotations

import hashlib
import hmac
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

from .config import secret_keys

#: Where the app keeps its declarations (``app.extensions[EXTENSION]``).
EXTENSION = "proconnect.personal_data"


#: Staff words of the export for features whose own messages count as the participants' interface
#: (``responses``: its messages must exist in every language); format with ``%``.
ANSWERS, ANSWERED = _l("Answers"), _l("Version %(v)s · answered in %(lang)s · %(at)s (UTC)")
#: Said of a response staff voided (a duplicate, a test, the wrong person): kept, but in no figure.
VOIDED = _l("voided by staff: not counted in any figure")
DRAFTS, SAVED = _l("Answers saved half-way"), _l("saved half-way on %(at)s (UTC)")


def code_digest(cohort_id: int, code: str, key: str | None = None) -> str:
    """A keyed digest of a participant code in a cohort: tells "this code" (erased, in the audit log)
    without storing the code; nobody without the app's secret key can recompute it from a guess."""
    key = (key or current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"{cohort_id}:{code.upper()}".encode(), hashlib.sha256).hexdigest()


def code_digests(cohort_id: int, code: str) -> list[str]:
    """The code's digest under the secret key and under each of ``SECRET_KEY_FALLBACKS`` (records made before the
    key was changed are still found)."""
    return [code_digest(cohort_id, code, key) for key in secret_keys(current_app.config)]


def mentions(text, code: str) -> bool:
    """Whether ``text`` contains ``code`` as a word of its own, in any case ("9696-bccn," but not "X9696-BCCN")."""
    return isinstance(text, str) and bool(code) and re.search(
        rf"(?<![0-9A-Z]){re.escape(code.upper())}(?![0-9A-Z])", text.upper()) is not None


def without(text: str, code: str, placeholder: str = "…") -> str:
    """``text`` with every mention of ``code`` replaced by ``placeholder``."""
    return re.sub(rf"(?<![0-9A-Za-z]){re.escape(code)}(?![0-9A-Za-z])", placeholder, text, flags=re.IGNORECASE)


@dataclass
class Entry:
    """One thing stored about a person, as a reader sees it in the PDF export."""

    title: str
    #: A line under the title (version, date, language …).
    note: str = ""
    #: (question or label, answer or value) pairs, as text.
    rows: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Section:
    """One kind of data a feature stores about a person, for the export (GDPR art. 15/20)."""

    #: Key of the section in the JSON export, e.g. ``hospitations``.
    key: str
    #: Heading in the PDF, in the reader's language.
    title: str
    #: JSON-safe records (dicts of strings, numbers, lists, None).
    records: list[dict]
    #: The same records for a reader.
    entries: list[Entry]


@dataclass(frozen=True)
class Declaration:
    """What one feature stores about participants, and how it is exported, erased and expired."""

    #: The feature's name (a package of proconnect), unique.
    feature: str
    #: Tables that can hold something about a participant (a code, free text, a label naming them).
    tables: tuple[str, ...] = ()
    #: Tables that hold nothing about a participant -> why (staff accounts, configuration, digests only).
    nothing: dict[str, str] = field(default_factory=dict)
    export: Callable[..., list[Section]] | None = None
    erase: Callable[..., dict[str, int]] | None = None
    #: None: nothing of the feature expires (say why in the feature's declaration).
    expire: Callable[..., dict[str, int]] | None = None

    def __post_init__(self):
        if self.tables and self.erase is None:
            raise ValueError(f"{self.feature}: a declaration with tables ({', '.join(self.tables)}) must erase")

    @property
    def covers(self) -> tuple[str, ...]:
        return self.tables + tuple(self.nothing)


def register(app: Flask, declaration: Declaration) -> Declaration:
    """Add a feature's declaration to ``app`` (called while the app is created).

    :raise ValueError: when the feature or one of its tables is declared already
    """
    known = app.extensions.setdefault(EXTENSION, [])
    claimed = {table: d.feature for d in known for table in d.covers}
    if any(d.feature == declaration.feature for d in known):
        raise ValueError(f"personal data of {declaration.feature!r} is declared twice")
    for table in declaration.covers:
        if table in claimed:
            raise ValueError(f"table {table!r} is declared by {claimed[table]!r} and {declaration.feature!r}")
    known.append(declaration)
    return declaration


def declarations(app: Flask | None = None) -> list[Declaration]:
    """The declarations of ``app`` (default: the current app), in the order they were registered."""
    return list((app or current_app).extensions.get(EXTENSION, []))


def undeclared(app: Flask, metadata) -> list[str]:
    """Problems with the declarations of ``app`` against every table of ``metadata``: a table that no
    feature declares, one declared twice, one declared that does not exist. Empty when complete."""
    counts = Counter(table for d in declarations(app) for table in d.covers)
    problems = [f"table {name!r} is declared by no feature: add it to a personal_data.Declaration of the "
                f"feature that owns it (in 'tables' if it can hold a participant's code or words, else in "
                f"'nothing' with the reason)" for name in sorted(metadata.tables) if name not in counts]
    problems += [f"table {name!r} is declared {n} times" for name, n in sorted(counts.items()) if n > 1]
    problems += [f"table {name!r} is declared but does not exist" for name in sorted(counts)
                 if name not in metadata.tables]
    return problems


def merge(counts: list[dict[str, int]]) -> dict[str, int]:
    """Counts of several declarations added up, in a stable order (first seen first)."""
    total: dict[str, int] = {}
    for part in counts:
        for key, n in part.items():
            total[key] = total.get(key, 0) + n
    return total


__all__ = ["Declaration", "Entry", "Section", "code_digest", "code_digests", "declarations", "mentions", "merge", "register", "undeclared",
           "without"]
