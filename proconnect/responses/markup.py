"""A question's markup on a form page: drawn once per version, language and question, answers filled in per request.

The markup is the field type's own (its ``widget`` branch of ``responses/_fields.html``). Drawing it for every
request cost most of a page: a macro call per option, a translation per label. Only what the person answered
differs between two drawings of a question without errors: which options are checked and what a text box holds.
So the question is drawn once with a stand-in for its form field (``_Stencil``), whose answer comes out as
numbered slots; a request fills the slots from its own bound field, through the same functions the template
uses (``selected``, ``checked``, ``picked``, ``ticked``, ``date_value``, ``_value``).

Drawn in full, as before, for every request: a question with errors, a prefilled one, one whose type says its
markup changes otherwise (``FieldType.drawn_once``: a choice of records), and one whose drawing reads the answer
some other way (the stand-in refuses, and the question is never drawn once again).
"""
from __future__ import annotations

from flask import current_app
from markupsafe import Markup, escape

from ..definitions.model import FormDefinition
from ..fieldtypes import field_type
from ..i18n import current_language, form_texts_digest

EXTENSION = "proconnect.question_markup"
#: Drawings kept per process at most; beyond, they start over.
MOST = 20000
_SLOT = "\x00"
_CHECKED = Markup(" checked")
_PICKED = Markup(" selected")


class _Unstenciled(Exception):
    """The template read the answer in a way the stand-in cannot turn into a slot."""


class _Slots:
    """The slots of one drawing: what each one shows, in order."""

    def __init__(self):
        self.specs: list[tuple] = []

    def add(self, *spec) -> Markup:
        self.specs.append(spec)
        return Markup(f"{_SLOT}{len(self.specs) - 1}{_SLOT}")


class _Selection:
    """``selected(field)`` of a stand-in: ``checked`` makes a slot of each option."""

    def __init__(self, name: str, slots: _Slots):
        self.name, self.slots = name, slots


class _Stencil:
    """Stands in for a bound form field while its question is drawn once: no errors, its answer a slot."""

    def __init__(self, field, slots: _Slots):
        self._field, self._slots = field, slots

    errors = ()

    def __getattr__(self, name):
        if name in ("data", "raw_data", "object_data"):
            raise _Unstenciled(name)
        return getattr(self._field, name)

    def _value(self):
        return self._slots.add("value", self._field.name)


class _StencilForm:
    def __init__(self, form, slots: _Slots):
        self._form, self._slots = form, slots

    def __getitem__(self, name):
        return _Stencil(self._form[name], self._slots)


def selected(field) -> list[str]:
    """The values a question's inputs show as chosen: as sent (or saved), else the field's data."""
    if isinstance(field, _Stencil):
        return _Selection(field.name, field._slots)
    if field.raw_data:
        text = "\x1f".join(str(v) for v in field.raw_data)
    elif field.data is None:
        text = ""
    elif isinstance(field.data, str):
        text = field.data
    elif hasattr(field.data, "__iter__"):
        text = "\x1f".join(str(v) for v in field.data)
    else:
        text = str(field.data)
    return text.split("\x1f")


def checked(chosen, value) -> Markup:
    """`` checked`` for an option among ``chosen`` (from ``selected``)."""
    if isinstance(chosen, _Selection):
        return chosen.slots.add("option", chosen.name, str(value))
    return _CHECKED if str(value) in chosen else Markup("")


def picked(chosen, value) -> Markup:
    """`` selected`` for a dropdown's option among ``chosen`` (from ``selected``)."""
    if isinstance(chosen, _Selection):
        return chosen.slots.add("pick", chosen.name, str(value))
    return _PICKED if str(value) in chosen else Markup("")


def ticked(field) -> Markup:
    """`` checked`` for a single box (consent) whose field is true."""
    if isinstance(field, _Stencil):
        return field._slots.add("box", field.name)
    return _CHECKED if field.data else Markup("")


def date_value(field) -> str:
    """A date input's value: as typed, else the field's date."""
    if isinstance(field, _Stencil):
        return field._slots.add("date", field.name)
    return field.raw_data[0] if field.raw_data else (field.data.isoformat() if field.data else "")


def _draw(definition, form, f, t, condition, fixed) -> Markup:
    macro = current_app.jinja_env.get_template("responses/_fields.html").module.field
    return macro(definition, form, f, t, condition, fixed or {})


def _drawn_once(definition, form, f, t, condition) -> list | None:
    """The question drawn with a stand-in: text between slots, and ``(kind, name[, value])`` for each slot."""
    slots = _Slots()
    try:
        text = str(_draw(definition, _StencilForm(form, slots), f, t, condition, None))
    except _Unstenciled:
        return None
    parts = text.split(_SLOT)
    # Odd parts are slot numbers: the markup itself holds no NUL (request hygiene and the loader refuse it).
    return [slots.specs[int(part)] if i % 2 else part for i, part in enumerate(parts)]


def _fill(parts: list, form) -> Markup:
    out, chosen = [], {}
    for i, part in enumerate(parts):
        if not i % 2:
            out.append(part)
            continue
        kind, name = part[0], part[1]
        field = form[name]
        if kind in ("option", "pick"):
            if name not in chosen:
                chosen[name] = selected(field)
            out.append("" if part[2] not in chosen[name] else _CHECKED if kind == "option" else _PICKED)
        elif kind == "box":
            out.append(ticked(field))
        elif kind == "date":
            out.append(escape(date_value(field)))
        else:
            out.append(escape(field._value()))
    return Markup("".join(out))


def question(definition: FormDefinition, form, f, t, condition: str | None = None, fixed: dict | None = None) -> Markup:
    """The markup of question ``f`` on a form page (see the module's text), as ``_fields.html``'s ``field`` draws it.

    :param condition: its ``show_if`` for the browser (JSON), when decided on the page
    :param fixed: prefilled answers (field id -> text shown)
    """
    kind = field_type(f)
    if (fixed and f.id in fixed) or not kind.drawn_once or any(form[name].errors for name in kind.input_names(f)):
        return _draw(definition, form, f, t, condition, fixed)
    drawings = current_app.extensions.setdefault(EXTENSION, {})
    key = (definition.id, definition.version, definition.content_hash, form_texts_digest(definition.id),
           current_language(), f.id, condition)
    parts = drawings.get(key, False)
    if parts is False:
        parts = _drawn_once(definition, form, f, t, condition)
        if len(drawings) >= MOST:
            drawings.clear()
        drawings[key] = parts
    if parts is None:
        return _draw(definition, form, f, t, condition, fixed)
    return _fill(parts, form)
