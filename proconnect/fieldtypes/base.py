"""The base class every field type derives from, with the defaults most types share.

Fields are read by duck typing (``f.id``, ``f.type``, ``f.label``, ``f.required``, ``f.choices``, …): the
field model lives in ``definitions``, which sits above this package.
"""
from __future__ import annotations

import abc
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Mapping, Protocol

from flask_babel import lazy_gettext as _l

from .formfields import NOT_OFFERED, ByType, given, sent

if TYPE_CHECKING:
    import random

    from ..definitions.model import Field


def _same(text: str) -> str:
    return text


def stored_value(row):
    """The value one stored ``Answer`` row holds: its one filled column (text, number, date or long text).

    :param row: anything with ``value_text``, ``value_num``, ``value_date`` and ``value_long``
    :return: None for a row of a hidden question
    """
    # A yes/no answer fills value_text and value_num (1/0); its text is the answer.
    for value in (row.value_text, row.value_num, row.value_date, row.value_long):
        if value is not None:
            return value
    return None


@dataclass(frozen=True)
class Summary:
    """What a report shows for one question: its shape and the labels it needs (plain data, rendered by reports).

    ``kind`` is one of ``choice`` (bars, one answer each), ``multi`` (bars, several answers), ``number``
    (mean, median, distribution), ``matrix`` (a number summary per row), ``date`` (months) and ``text``
    (the newest free texts).
    """

    kind: str
    #: choice and multi: (value, label) of every option, in the order shown
    options: tuple[tuple[str, str], ...] = ()
    #: number and matrix on a scale: (value, label) of each point; None for open numbers
    points: tuple[tuple[int, str], ...] | None = None
    #: lowest and highest point of a scale
    scale: tuple[int, int] | None = None
    #: matrix: (value, label) of each row
    rows: tuple[tuple[str, str], ...] = ()
    unit: str = ""
    #: scale and matrix: the label of the answer that is no point ("Weiß nicht", "nicht beurteilbar"),
    #: counted apart from the points; "" when the question offers none
    unsure: str = ""


class Demo(Protocol):
    """What a type's demo value may ask for (``reports.demo`` provides it)."""

    rng: "random.Random"
    language: str
    today: object

    def weights(self, key: str, n: int) -> list[float]:
        """Uneven weights for ``n`` options of ``key``, shared by all demo answers to it."""

    def free_text(self, f, long: bool) -> str:
        """A plausible free text for ``f`` in the respondent's language."""


class FieldType(abc.ABC):
    """One type of definition field. Subclasses set the class attributes and override what differs."""

    #: The ``type`` value in a definition file.
    name: str = ""
    #: Definition keys this type accepts besides the common ones, as ``key -> keys.TEXT`` etc.
    keys: dict = {}
    #: Keys a field of this type must have.
    needs: tuple[str, ...] = ("label",)
    #: False for structure without an answer (a page break, a note).
    stores_answers: bool = True
    #: How the database counts each answer: ``choice`` (value_text), ``multi`` (one value_text row per
    #: chosen value), ``number`` (value_num), ``date`` (value_date) or ``text`` (value_long); see
    #: ``reports.aggregation.tally``. None when nothing is stored.
    aggregation: str | None = None
    #: A score may use its answers (numbers; a matrix's rows, not the matrix as a whole).
    scored: bool = False
    #: A score may count its points from the other end (``reverse``).
    reversible: bool = False
    #: Typed by a person: listed as free text in reports and profiles, guarded against formulas in CSV.
    free_text: bool = False
    #: How the form page draws the question: a branch of ``responses/_fields.html`` (``options``,
    #: ``checkboxes``, ``consent``, ``matrix``, ``note``, ``text``, ``textarea``, ``number``, ``date``,
    #: ``none``; ``dropdown`` is a single choice's other look, see ``draws``).
    widget: str = "text"
    #: The question's markup depends only on the definition and the language, so a form page draws it once and
    #: fills in the answers (``responses.markup``); False when it shows something that changes meanwhile.
    drawn_once: bool = True
    #: ``judge`` reads the question's other inputs (a record's typed name depends on its choice).
    judged_together: bool = False
    #: Staff may correct a stored answer of this type (``corrections``); False for the person's own declaration
    #: (a consent).
    staff_corrects: bool = True
    #: The ``style`` values a question of this type can be drawn in (when it accepts the ``style`` key). A style
    #: only some types can draw (a dropdown holds one answer) is refused on the others by ``forms check``.
    styles: tuple[str, ...] = ("list", "cards", "faces")

    def draws(self, f: Field) -> str:
        """The ``widget`` branch that draws ``f`` (a type drawn more than one way decides by the field's style)."""
        return self.widget

    @property
    def browser_value(self) -> str:
        """How ``form.js`` reads the question's inputs for ``show_if`` in the browser: ``multi`` (a list of the
        checked values), ``number``, or ``text`` (the value as typed or chosen)."""
        return self.aggregation if self.aggregation in ("multi", "number") else "text"

    # -- the definition ---------------------------------------------------------------------------------

    def check(self, values: dict) -> list[tuple[str, str, object]]:
        """Problems with the values of this type's keys beyond their Python type.

        :param values: the field's keys whose values have the declared type
        :return: ``(key, expected, got)`` for each bad value (reported as "key: expected …, got …")
        """
        return []

    def answer_names(self, f: Field) -> list[str]:
        """Names under which the field's answers are stored."""
        return [f.id] if self.stores_answers else []

    def parts(self, f: Field) -> list[tuple[str, str]]:
        """Each answer name with the label of its part of the question ("" when it is the whole question)."""
        return [(name, "") for name in self.answer_names(f)]

    def named_answers(self, f: Field, source: str) -> list[str]:
        """Answer names that hold a name typed for something the choice source ``source`` lists but the list did
        not hold (a record question's "other", named); [] for a type that asks for none."""
        return []

    def options(self, f: Field) -> list:
        """The values a person can choose, in order ([] for open answers)."""
        return []

    def offers(self, f: Field, value) -> bool:
        """Whether ``value`` is an answer this field can receive (a fixed demo answer, say)."""
        return True

    # -- the form ---------------------------------------------------------------------------------------

    def build(self, f: Field, label: str, t) -> dict:
        """WTForms unbound fields for this question, keyed by their form name.

        :param t: translates a text of the definition into the current language
        """
        return {f.id: self.make(f, label, t, self.validators(f, t))}

    def input_names(self, f: Field) -> list[str]:
        """The names of the inputs ``build`` makes (the HTML form's names)."""
        return self.answer_names(f)

    def prefilled(self, f: Field, answers: Mapping[str, str]) -> dict[str, str]:
        """The inputs (HTML name -> value) that give this question the ``answers`` a link already knows (answer
        name -> value, ``links.prefill``); answers it does not store are left out. ``answer_names`` and
        ``input_names`` name the same parts in the same order; a type whose inputs differ overrides this."""
        return {name: answers[answer] for answer, name in zip(self.answer_names(f), self.input_names(f))
                if answer in answers}

    def prefilled_text(self, f: Field, inputs: Mapping[str, str], tr=_same) -> str:
        """The answer a link set (the inputs ``prefilled`` gave) as the person reads it."""
        return self.text(f, inputs[f.id], tr)

    def validators(self, f: Field, t) -> list:
        """The WTForms validators of the question's inputs: its ``judge``."""
        return [ByType(self, f)]

    def reader(self, f: Field, name: str):
        """``parse`` for input ``name`` of ``f``, as its WTForms field takes it (``reads=``)."""
        return partial(self.parse, f, name)

    @abc.abstractmethod
    def make(self, f: Field, label: str, t, validators):
        """The unbound WTForms field for this question."""

    # -- reading and checking a sent page: the one source for its WTForms form and for a page read plainly ----

    def parse(self, f: Field, name: str, raw: list[str]):
        """The value of input ``name`` of ``f`` as sent (``raw``: its values in order); None when nothing was chosen.

        :raise ValueError: with the message for the person (or none) when the text cannot be read
        """
        return raw[0] if raw and raw[0] != "" else None

    def judge(self, f: Field, name: str, raw: list[str], value, unreadable, answers) -> object | None:
        """What is wrong with input ``name`` of ``f`` as sent: the message for the person (``NOT_OFFERED`` for a
        value no page offers: a forged form), None when nothing.

        :param raw: its values as sent; ``value``: as ``parse`` read them; ``unreadable``: parse's message when it
            could not; ``answers``: the question's inputs as read (``answers.get(name)``; empty unless the type
            is ``judged_together``)
        """
        if f.required:
            if not given(value):
                return self.required_message(f)
        elif not sent(raw):
            return None
        if unreadable is not None:
            return unreadable
        return self.problem(f, name, value, answers)

    def required_message(self, f: Field):
        """What a shown, required question without an answer says."""
        return _l("Please answer this question.")

    def problem(self, f: Field, name: str, value, answers) -> object | None:
        """What is wrong with a given, readable answer (its limits, an offered value), None when nothing; by
        default, ``NOT_OFFERED`` for a value the question cannot receive (``offers``)."""
        return None if self.offers(f, value) else NOT_OFFERED

    def values(self, f: Field, form) -> dict:
        """The answer under each answer name, as conditions and scores see it (None when empty).

        :param form: each input name -> something holding its read value as ``data`` (a WTForms field)
        """
        data = form[f.id].data
        return {f.id: None if data in ("", None) else data}

    # -- storage ----------------------------------------------------------------------------------------

    def rows(self, f: Field, values: dict) -> list[dict]:
        """Typed ``Answer`` columns for each stored value of this question."""
        value = values.get(f.id)
        return [{"field_id": f.id, **self.columns(value)}] if value is not None else []

    def columns(self, value) -> dict:
        return {"value_text": str(value)}

    def value_of(self, stored: list):
        """One answer's value from the values of its stored rows (see ``stored_value``), in row order."""
        return stored[0] if stored else None

    # -- people, spreadsheets, reports ------------------------------------------------------------------

    def text(self, f: Field, value, tr=_same) -> str:
        """An answer as a person reads it, in the current locale.

        :param value: as stored in a response's payload or read back by ``value_of``
        :param tr: translates a text of the definition (labels of choices) into the reader's language
        """
        return str(value)

    def codebook(self, f: Field, choices: list, rows: list) -> list[tuple[str, str, str]]:
        """``(column, label, values)`` of the export columns of this question.

        :param choices: ``(value, label)`` of its choices over all exported versions
        :param rows: ``(value, label)`` of its rows over all exported versions
        """
        return [(f.id, f.label, self.codebook_values(f, choices))]

    def codebook_values(self, f: Field, choices: list) -> str:
        """What the codebook says about the values of the column (codes and their labels, a unit)."""
        return ""

    def cell(self, value):
        """A payload value as a spreadsheet cell holds it (a date as a date)."""
        return value

    def summary(self, f: Field, tr, choices: list, rows: list) -> Summary:
        """What the report shows for the question (labels in the report's language, via ``tr`` and gettext).

        :param choices: ``(value, label)`` of its choices over the reported versions
        :param rows: ``(value, label)`` of its rows over the reported versions
        """
        return Summary(self.aggregation or "text")

    def tallied(self, f: Field, summary: Summary, counts: Mapping[str, Mapping], texts: bool = True):
        """The options and counts (value -> answers) a report's bars show for ``f``, from what the database counted
        under each of its answer names (``counts``: answer name -> value -> answers). By default its own answer's; a
        type whose answers are read together overrides it (a record question counts "other" by the name typed).

        :param summary: what ``summary`` gave for the question
        :param texts: whether the report may print what people typed (a funder's report does not)
        :return: ``(summary, counts)``
        """
        return summary, counts.get(f.id) or {}

    def demo(self, f: Field, demo: Demo) -> dict:
        """Random answers for the demo, under the field's answer names (None: left empty)."""
        if not f.required and demo.rng.random() < 0.06:
            return {f.id: None}
        return {f.id: self.demo_value(f, demo)}

    def demo_value(self, f: Field, demo: Demo):
        """One random answer (see ``demo``)."""
        return None
