"""The ``record`` type: one choice among records of the project (``choices_from = "companies"``), with
"other" and a free text for a record that is not on the list yet.

Stored as two answers: ``<id>`` holds the record's value (its id as text) or ``other``, and
``<id>.other`` the name typed for "other". Old answers stay readable when a record is renamed or leaves
the list: the text is looked up by value among every record the source ever offered.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from . import keys as spec, staff_words
from .base import FieldType, Summary, _same
from .builtin import too_long, typed_text
from .formfields import ChoiceField, TextField, given
from .sources import CHOICE_SOURCES, choice_source

#: The value of the fallback choice; never a record's value (those are digits).
OTHER = "other"
OTHER_LABEL = _l("Other (not in the list)")
#: Longest name typed for "other" (an answer's text column holds 255).
OTHER_MAX = 200


def _other_name(f) -> str:
    return _other_answer(f.id)


def _other_answer(field_id: str) -> str:
    return f"{field_id}.other"


def other_answers(field_id: str, name: str) -> dict[str, str]:
    """A record question's answers (answer name -> value) naming what the list does not hold: "other", and the
    name under ``<id>.other`` (what a link that knows a company without a record prefills)."""
    return {field_id: OTHER, _other_answer(field_id): name}


def _other_input(f) -> str:
    return f"{f.id}__other"


class RecordType(FieldType):
    name = "record"
    keys = {"choices_from": spec.TEXT, "max_length": spec.INT}
    needs = ("label", "choices_from")
    aggregation = "choice"
    widget = "record"
    #: Its options are the records as they are now (a company added a minute ago is offered).
    drawn_once = False
    judged_together = True

    def check(self, values):
        source = values.get("choices_from")
        if source is not None and source not in CHOICE_SOURCES:
            known = ", ".join(repr(s) for s in sorted(CHOICE_SOURCES))
            return [("choices_from", f"one of {known}" if known else "a registered source of project data", source)]
        return []

    def _source(self, f):
        source = choice_source(f.extra["choices_from"])
        if source is None:
            raise LookupError(f"no source of choices named {f.extra['choices_from']!r} is registered")
        return source

    def answer_names(self, f):
        return [f.id, _other_name(f)]

    def parts(self, f):
        return [(f.id, ""), (_other_name(f), _l("other, named"))]

    def named_answers(self, f, source):
        return [_other_name(f)] if f.extra.get("choices_from") == source else []

    def input_names(self, f):
        return [f.id, _other_input(f)]

    def options(self, f):
        return [value for value, _label in self._source(f).options()] + [OTHER]

    def offers(self, f, value):
        return value in self.options(f)

    def prefilled(self, f, answers):
        inputs = super().prefilled(f, answers)
        if inputs.get(f.id) == OTHER:
            # As this form's input would store it: a longer name would stop the person at a question they cannot
            # change, and "other" without a name is no answer (the question is asked instead).
            name = (inputs.get(_other_input(f)) or "").strip()[:f.extra.get("max_length") or OTHER_MAX]
            return {f.id: OTHER, _other_input(f): name} if name else {}
        return inputs

    def prefilled_text(self, f, inputs, tr=_same):
        # The name the link knows, not "Other (not in the list)": the person reads the company they were at.
        if inputs[f.id] == OTHER:
            return inputs[_other_input(f)]
        return super().prefilled_text(f, inputs, tr)

    def make(self, f, label, t, validators):
        source = self._source(f)

        def choices():
            # Read when each form is made: a record added a minute ago is offered on the next page.
            return [SelectChoice(value, name) for value, name in source.options()] + \
                [SelectChoice(OTHER, str(OTHER_LABEL))]
        return ChoiceField(label, validators, choices=choices, reads=self.reader(f, f.id))

    def build(self, f, label, t):
        # The chosen record (``make``) and the name typed under "other".
        other = _other_input(f)
        return {**super().build(f, label, t),
                other: TextField(str(OTHER_LABEL), self.validators(f, t), reads=self.reader(f, other))}

    def parse(self, f, name, raw):
        return typed_text(raw) if name == _other_input(f) else super().parse(f, name, raw)

    def judge(self, f, name, raw, value, unreadable, answers):
        if name != _other_input(f):
            return super().judge(f, name, raw, value, unreadable, answers)
        # The name is asked for when "other" was chosen; a stray text under another choice is dropped (``values``).
        if answers.get(f.id) != OTHER:
            return None
        if not given(value):
            return _l("Please write the name.")
        return too_long(value, f.extra.get("max_length") or OTHER_MAX)

    def values(self, f, form):
        choice = form[f.id].data or None
        other = form[_other_input(f)].data if choice == OTHER else None
        return {f.id: choice, _other_name(f): other or None}

    def rows(self, f, values):
        return [{"field_id": name, "value_text": str(values[name])}
                for name in self.answer_names(f) if values.get(name) is not None]

    def text(self, f, value, tr=_same):
        if value == OTHER:
            return str(OTHER_LABEL)
        return self._source(f).names([str(value)]).get(str(value), str(value))

    def codebook(self, f, choices, rows):
        return [(f.id, f.label, f"{self._source(f).title}; {OTHER}={OTHER_LABEL}"),
                (_other_name(f), f"{f.label} – {_l('other, named')}", "")]

    def summary(self, f, tr, choices, rows):
        # Every record, also one no longer offered: its old answers are counted under its name.
        return Summary("choice", options=tuple(self._source(f).options(retired=True)) + ((OTHER, str(OTHER_LABEL)),))

    def tallied(self, f, summary, counts, texts=True):
        # "Other" counted by the name typed: under the record a coordinator confirmed the name to mean, else under
        # the name (every spelling of it as one, shown as most often typed); "other" keeps the answers without one.
        # The names' rows were counted by the database with the question's (``<id>.other``): no second pass.
        counted, typed = Counter(counts.get(f.id) or {}), counts.get(_other_name(f)) or {}
        keys = self._source(f).typed(typed) if typed else {}
        spellings: dict[str, Counter] = {}
        for name, n in typed.items():
            record, key = keys[name]
            if record is None and (not key or not texts):
                # Nothing to count it by, or a report that prints nothing typed: it stays under "other".
                continue
            counted[OTHER] = max(counted[OTHER] - n, 0)
            if record is not None:
                counted[record] += n
            else:
                spellings.setdefault(f"{OTHER}:{key}", Counter())[name.strip()] += n
        named = []
        for value, names in spellings.items():
            counted[value] = sum(names.values())
            label = min(names.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            named.append((value, staff_words.typed_name(label)))
        # Most often named first, ties by name: the same report whatever order the database gave the rows in.
        named.sort(key=lambda option: (-counted[option[0]], option[1].casefold(), option[0]))
        other = staff_words.other_unnamed() if texts else str(OTHER_LABEL)
        listed = tuple(option for option in summary.options if option[0] != OTHER)
        return replace(summary, options=listed + tuple(named) + ((OTHER, other),)), counted

    def demo_value(self, f, demo):
        values = self.options(f)
        return demo.rng.choice(values) if len(values) > 1 else None
