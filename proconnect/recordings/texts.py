"""Every text a person hears read aloud on a form's screens, each under the key the kiosk plays it by.

Keys (``kiosk.js`` builds the same ones from the page): ``form-title``, ``form-description``, ``page-<index>``
(a page's title), ``<field>`` (a question's title; a note's text when it has no title), ``<field>-text`` (a
note's or consent's text under its title), ``<field>-help``, ``<field>.<choice>`` (a choice, a labelled point
of a scale) and ``<field>.<row>`` (a matrix row). Field ids and choice values are identifiers
(``[a-z0-9_]``), so a ``-`` never meets one of them.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask_babel import force_locale

from ..definitions.model import FormDefinition
from ..fieldtypes import field_type
from ..i18n import Untranslated, form_translator

#: The read-aloud kinds, in the words the recording page groups them by.
KINDS = ("title", "question", "text", "help", "choice", "row")


@dataclass(frozen=True)
class Spoken:
    """One text of a form version as a person in one language hears it."""

    key: str
    kind: str
    #: The text in the language (German where it is not translated yet).
    text: str
    #: The definition's German text it is the translation of.
    german: str
    translated: bool

    @property
    def digest(self) -> str:
        """What a recording remembers of its text: a changed text needs a new recording."""
        return text_digest(self.text)


def text_digest(text: str) -> str:
    return hashlib.sha256(text.strip().encode()).hexdigest()


def spoken_texts(definition: FormDefinition, lang: str) -> list[Spoken]:
    """The texts of ``definition`` a person hears in ``lang``, in the order of the screens."""
    with force_locale(lang):
        t = form_translator(definition.id)
        out: list[Spoken] = []

        def add(key: str, kind: str, german: str, text=None) -> None:
            if not german or not german.strip():
                return
            shown = t(german) if text is None else text
            out.append(Spoken(key, kind, str(shown).strip(), german, not isinstance(shown, Untranslated)))

        add("form-title", "title", definition.title)
        add("form-description", "text", definition.description)
        for page in definition.pages:
            if page.title and page.title != definition.title:
                add(f"page-{page.index}", "title", page.title)
            for f in page.fields:
                _field_texts(f, t, add)
        return out


def _field_texts(f, t, add) -> None:
    widget = f.widget
    if widget == "none":
        return
    if widget == "note":
        if f.label:
            add(f.id, "question", f.label)
            add(f"{f.id}-text", "text", f.text)
        else:
            add(f.id, "question", f.text)
        return
    add(f.id, "question", f.label)
    if widget == "consent":
        add(f"{f.id}-text", "text", f.text)
        return
    add(f"{f.id}-help", "help", f.help)
    if widget == "matrix":
        for row in f.rows:
            add(f"{f.id}.{row.value}", "row", row.label)
    elif widget in ("options", "checkboxes"):
        kind = field_type(f)
        labels = {c.value: c.label for c in f.choices}
        for value in kind.options(f):
            german = labels.get(str(value))
            if german is not None:
                add(f"{f.id}.{value}", "choice", german)
                continue
            # A point or a fixed answer (yes/no): its words as the type gives them, not a bare number.
            words = str(kind.text(f, value, t.plain))
            if words != str(value):
                add(f"{f.id}.{value}", "choice", words, words)
