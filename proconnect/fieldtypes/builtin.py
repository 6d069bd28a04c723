"""The field types proconnect ships: one class per ``type`` of a definition field."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from flask_babel import format_date, format_decimal, gettext as _, lazy_gettext as _l, lazy_ngettext
from wtforms.fields.choices import SelectChoice

from ..i18n import count_unit
from . import keys as spec, staff_words
from .base import FieldType, Summary, _same
from .formfields import (NOT_OFFERED, BoxField, ChoiceField, DayField, LongTextField, MultiChoiceField, NumberField,
                         TextField)

#: Keys of a scale's points (a scale question, a matrix).
POINT_KEYS = {"points": spec.INT, "start": spec.INT, "low": spec.TEXT, "high": spec.TEXT, "labels": spec.LIST,
              "style": spec.TEXT}


NOT_A_NUMBER = _l("Please enter a number, for example 3 or 2.5.")
NOT_A_DATE = _l("Please enter a date, for example 3.5.2027.")
_WRITTEN_DATE = re.compile(r"^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})$")


def typed_text(raw: list[str]) -> str | None:
    """A text input's value as sent, without the spaces around it (None when nothing was sent)."""
    return raw[0].strip() if raw else None


def too_long(text, most: int):
    """The message for a text longer than ``most`` characters, else None."""
    if text and len(text) > most:
        return _l("Please shorten your answer to at most %(max)d characters.", max=most)
    return None


def _limit(value):
    return date.today() if value == "today" else value


def _num(value, empty=""):
    if value is None:
        return empty
    return format_decimal(value)  # the locale's decimal sign: 2,5 in German


def _choice_label(f, value, tr) -> str:
    for choice in f.choices:
        if choice.value == value:
            return tr(choice.label)
    return str(value)


def _points(f, t) -> list[SelectChoice]:
    """Choices of a scale or matrix, labelled where the definition labels them."""
    # End labels (low/high) are shown once above the buttons; the buttons themselves carry the numbers.
    labels = f.labels or [""] * len(f.point_values())
    return [SelectChoice(value, t(label) if label else str(value)) for value, label in zip(f.point_values(), labels)]


def _point_text(f, value, tr) -> str:
    """A chosen point as its label (an end label too), or its number where it has none."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return str(value)
    label = dict(zip(f.point_values(), f.point_labels())).get(number)
    return tr(label) if label else str(number)


def _points_codebook(f) -> str:
    return "; ".join(f"{v}={lab}" if lab else str(v) for v, lab in zip(f.point_values(), f.point_labels()))


class TextType(FieldType):
    name = "text"
    keys = {"max_length": spec.INT}
    aggregation = "text"
    free_text = True
    widget = "text"
    default_max = 500
    wtforms_class = TextField
    #: Demo answers are sentences, not a word or two.
    long = False

    def parse(self, f, name, raw):
        return typed_text(raw)

    def problem(self, f, name, value, answers):
        return too_long(value, f.max_length or self.default_max)

    def make(self, f, label, t, validators):
        return self.wtforms_class(label, validators, reads=self.reader(f, f.id))

    def columns(self, value):
        return {"value_long": value}

    def summary(self, f, tr, choices, rows):
        return Summary("text")

    def demo_value(self, f, demo):
        text = demo.free_text(f, self.long)
        return text[:f.max_length] if f.max_length else text


class LongTextType(TextType):
    name = "longtext"
    widget = "textarea"
    default_max = 5000
    wtforms_class = LongTextField
    long = True


class NumberType(FieldType):
    name = "number"
    keys = {"min": spec.NUM, "max": spec.NUM, "step": spec.NUM, "unit": spec.TEXT}
    aggregation = "number"
    scored = True
    widget = "number"

    def parse(self, f, name, raw):
        if not raw or not raw[0].strip():
            return None
        # Arabic and Persian keyboards type the decimal sign U+066B; float() reads their digits itself.
        text = raw[0].strip().replace(",", ".").replace("٫", ".").replace(" ", "")
        try:
            number = float(text)
        except ValueError:
            raise ValueError(NOT_A_NUMBER) from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(NOT_A_NUMBER)
        return int(number) if number.is_integer() else number

    def problem(self, f, name, value, answers):
        if f.min is not None and value < f.min or f.max is not None and value > f.max:
            return _l("Please enter a number from %(min)s to %(max)s.", min=_num(f.min, "…"), max=_num(f.max, "…"))
        if f.step:
            base = f.min if f.min is not None else 0
            steps = (value - base) / f.step
            if abs(steps - round(steps)) > 1e-9:
                return _l("Please enter a number in steps of %(step)s.", step=_num(f.step))
        return None

    def make(self, f, label, t, validators):
        return NumberField(label, validators, reads=self.reader(f, f.id))

    def columns(self, value):
        return {"value_num": float(value)}

    def text(self, f, value, tr=_same):
        try:
            number = format_decimal(value)
        except (TypeError, ValueError):
            number = str(value)
        counted = count_unit(f.unit, value, german=tr is _same) if isinstance(value, (int, float)) else None
        return f"{number} {counted or (tr(f.unit) if f.unit else '')}".strip()

    def codebook_values(self, f, choices):
        return f.unit

    def summary(self, f, tr, choices, rows):
        return Summary("number", unit=tr(f.unit) if f.unit else "")

    def demo_value(self, f, demo):
        """Mostly small whole numbers within the field's limits and steps, like years of experience."""
        low = f.min if isinstance(f.min, (int, float)) else 0
        high = f.max if isinstance(f.max, (int, float)) else low + 10
        step = max(f.step or 1, 1)
        drawn = demo.rng.expovariate(8 / max(high - low, 1))
        value = min(high, low + step * round(drawn / step))
        return int(value) if float(value).is_integer() else value


#: A single choice drawn as a native ``<select>``: a long list (17 Gemeinden) on a phone. Only the look: the answer,
#: its checks, conditions and reports are those of the same question drawn as buttons.
DROPDOWN = "dropdown"


class SingleType(FieldType):
    name = "single"
    keys = {"choices": spec.LIST, "style": spec.TEXT}
    needs = ("label", "choices")
    aggregation = "choice"
    widget = "options"
    styles = (*FieldType.styles, DROPDOWN)

    def draws(self, f):
        return DROPDOWN if f.style == DROPDOWN else self.widget

    def check(self, values):
        # An <option> holds text only: pictures chosen for people who read little would silently be dropped.
        pictured = [c.get("value") for c in values.get("choices", []) if isinstance(c, dict) and c.get("image")]
        if values.get("style") == DROPDOWN and DROPDOWN in self.styles and pictured:
            return [("style", f"'list' or 'cards' for choices with pictures ({', '.join(map(str, pictured))}): "
                              "a dropdown shows none", DROPDOWN)]
        return []

    def make(self, f, label, t, validators):
        return ChoiceField(label, validators, choices=[SelectChoice(c.value, t(c.label)) for c in f.choices],
                           reads=self.reader(f, f.id))

    def options(self, f):
        return [c.value for c in f.choices]

    def offers(self, f, value):
        return value in {c.value for c in f.choices}

    def text(self, f, value, tr=_same):
        return _choice_label(f, value, tr)

    def codebook_values(self, f, choices):
        return "; ".join(f"{v}={lab}" for v, lab in choices)

    def summary(self, f, tr, choices, rows):
        return Summary(self.aggregation, options=tuple((v, tr(label)) for v, label in choices))

    def demo_value(self, f, demo):
        values = self.options(f)
        return demo.rng.choices(values, demo.weights(f.id, len(values)))[0]


class MultipleType(SingleType):
    name = "multiple"
    keys = {"choices": spec.LIST, "min_selected": spec.INT, "max_selected": spec.INT, "style": spec.TEXT}
    aggregation = "multi"
    widget = "checkboxes"
    # A <select> holds one answer; a multiple one on a phone is a list of boxes, long or not.
    styles = FieldType.styles

    def parse(self, f, name, raw):
        return list(raw)

    def problem(self, f, name, value, answers):
        offered = {c.value for c in f.choices}
        if any(v not in offered for v in value):
            return NOT_OFFERED
        n = len(value)
        if f.min_selected and n < f.min_selected:
            return lazy_ngettext("Please choose at least %(num)d answer.", "Please choose at least %(num)d answers.",
                                 f.min_selected)
        if f.max_selected and n > f.max_selected:
            return lazy_ngettext("Please choose at most %(num)d answer.", "Please choose at most %(num)d answers.",
                                 f.max_selected)
        return None

    def make(self, f, label, t, validators):
        return MultiChoiceField(label, validators, choices=[SelectChoice(c.value, t(c.label)) for c in f.choices],
                                reads=self.reader(f, f.id))

    def offers(self, f, value):
        return True

    def values(self, f, form):
        return {f.id: list(form[f.id].data or []) or None}

    def rows(self, f, values):
        # One row per chosen value, numbered 1, 2, ... in ``value_num``: the rows numbered 1 are the people who
        # chose something, so a report counts them in the same grouped pass as the values (no distinct count).
        return [{"field_id": f.id, "value_text": v, "value_num": float(place)}
                for place, v in enumerate(values.get(f.id) or [], 1)]

    def value_of(self, stored):
        return list(stored)

    def text(self, f, value, tr=_same):
        return ", ".join(_choice_label(f, v, tr) for v in (value if isinstance(value, list) else [value]))

    def demo_value(self, f, demo):
        values = self.options(f)
        w = demo.weights(f.id, len(values))
        rng = demo.rng
        k = max(f.min_selected or 1, min(f.max_selected or 3, rng.choice([1, 1, 2, 2, 3])))
        chosen = set()
        while len(chosen) < min(k, len(values)):
            chosen.add(rng.choices(values, w)[0])
        return [v for v in values if v in chosen]


#: The value a scale's or matrix's "don't know" / "nicht beurteilbar" answer sends and is stored as: a text
#: without a number, so scores and means leave it out (it is no point) while reports count it apart.
UNSURE = "unsure"


def _point_or_unsure(value):
    return value if value == UNSURE else int(value)


def _unsure_label(f) -> str:
    """The German words of the field's "don't know" answer ("" when it offers none)."""
    return f.extra.get("unsure") or ""


def _scale_choices(f, t) -> list[SelectChoice]:
    """The points of a scale or matrix, then its "don't know" answer where the definition offers one."""
    choices = _points(f, t)
    if _unsure_label(f):
        choices.append(SelectChoice(UNSURE, t(_unsure_label(f))))
    return choices


def _scale_summary(kind, f, tr, points, rows=()) -> Summary:
    unsure = _unsure_label(f)
    return Summary(kind, points=points, scale=(f.start, f.start + f.points - 1), rows=rows,
                   unsure=tr(unsure) if unsure else "")


class ScaleType(FieldType):
    """Points on a scale; with ``unsure = "Weiß nicht"`` one more button: an answer, but no point.

    "Don't know" is stored as the text ``unsure`` without a number: left out of every score and mean instead
    of pulling them to the middle of the scale, and counted apart in reports. A matrix shares all of this.
    """

    name = "scale"
    keys = {**POINT_KEYS, "unsure": spec.TEXT}
    needs = ("label", "points")
    aggregation = "number"
    scored = True
    reversible = True
    widget = "options"

    def parse(self, f, name, raw):
        if not raw or raw[0] == "":
            return None
        try:
            return _point_or_unsure(raw[0])
        except ValueError:
            return raw[0]  # no point: refused as not offered (``offers``)

    def make(self, f, label, t, validators):
        return ChoiceField(label, validators, coerce=_point_or_unsure, choices=_scale_choices(f, t),
                           reads=self.reader(f, f.id))

    def columns(self, value):
        return {"value_text": UNSURE} if value == UNSURE else {"value_num": float(value)}

    def options(self, f):
        return f.point_values()

    def offers(self, f, value):
        return value in f.point_values() or (value == UNSURE and bool(_unsure_label(f)))

    def text(self, f, value, tr=_same):
        if value == UNSURE:
            return tr(_unsure_label(f)) if _unsure_label(f) else UNSURE
        return _point_text(f, value, tr)

    def codebook_values(self, f, choices):
        unsure = _unsure_label(f)
        return _points_codebook(f) + (f"; {UNSURE}={unsure} (no point)" if unsure else "")

    def summary(self, f, tr, choices, rows):
        points = tuple((v, f"{v} – {tr(lab)}" if lab else str(v)) for v, lab in zip(f.point_values(), f.point_labels()))
        return _scale_summary("number", f, tr, points)

    def demo_value(self, f, demo):
        points = f.point_values()
        if _unsure_label(f) and demo.rng.random() < 0.1:
            return UNSURE
        return demo.rng.choices(points, demo.weights(f.id, len(points)))[0]


class MatrixType(ScaleType):
    """Rows × one scale: one radio group per row, stored as ``matrix.row``; ``unsure`` as a scale has it."""

    name = "matrix"
    keys = {"rows": spec.LIST, **POINT_KEYS, "unsure": spec.TEXT}
    needs = ("label", "rows", "points")
    widget = "matrix"

    def answer_names(self, f):
        return [f"{f.id}.{row.value}" for row in f.rows]

    def parts(self, f):
        return [(f"{f.id}.{row.value}", row.label) for row in f.rows]

    def input_names(self, f):
        return [f"{f.id}__{row.value}" for row in f.rows]

    def build(self, f, label, t):
        validators = self.validators(f, t)
        return {f"{f.id}__{row.value}": ChoiceField(t(row.label), validators, coerce=_point_or_unsure,
                                                    choices=_scale_choices(f, t),
                                                    reads=self.reader(f, f"{f.id}__{row.value}"))
                for row in f.rows}

    def values(self, f, form):
        return {f"{f.id}.{row.value}": form[f"{f.id}__{row.value}"].data for row in f.rows}

    def rows(self, f, values):
        return [{"field_id": name, **self.columns(values[name])}
                for name in f.answer_names() if values.get(name) is not None]

    def codebook(self, f, choices, rows):
        values = self.codebook_values(f, choices)
        return [(f"{f.id}.{value}", f"{f.label} – {label}", values) for value, label in rows]

    def summary(self, f, tr, choices, rows):
        points = tuple((v, tr(lab) if lab else str(v)) for v, lab in zip(f.point_values(), f.point_labels()))
        return _scale_summary("matrix", f, tr, points, rows=tuple((v, tr(label)) for v, label in rows))

    def demo(self, f, demo):
        rng = demo.rng

        def one():
            if _unsure_label(f) and rng.random() < 0.1:
                return UNSURE
            return rng.choice(f.point_values())
        return {name: one() if rng.random() > 0.03 else None for name in f.answer_names()}


class YesNoType(FieldType):
    name = "yesno"
    aggregation = "choice"
    widget = "options"

    def make(self, f, label, t, validators):
        return ChoiceField(label, validators, choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
                           reads=self.reader(f, f.id))

    def problem(self, f, name, value, answers):
        return None if value in ("yes", "no") else NOT_OFFERED

    def columns(self, value):
        return {"value_text": value, "value_num": 1.0 if value == "yes" else 0.0}

    def options(self, f):
        return ["yes", "no"]

    def text(self, f, value, tr=_same):
        return _("Yes") if value in (True, "yes", "y") else _("No")

    def codebook_values(self, f, choices):
        return "yes; no"

    def summary(self, f, tr, choices, rows):
        return Summary("choice", options=(("yes", _("Yes")), ("no", _("No"))))

    def demo_value(self, f, demo):
        return demo.rng.choice(["yes", "yes", "no"])


class DateType(FieldType):
    name = "date"
    keys = {"min": spec.DATE, "max": spec.DATE}
    aggregation = "date"
    widget = "date"

    def check(self, values):
        return [(key, spec.DATE[0], values[key]) for key in ("min", "max")
                if isinstance(values.get(key), str) and values[key] != "today"]

    def parse(self, f, name, raw):
        if not raw:
            return None
        text = " ".join(raw).strip()
        # The date input sends 2027-05-03; a browser without one sends what the person typed, as Germans write it.
        written = _WRITTEN_DATE.match(text)
        try:
            if written:
                return date(int(written[3]), int(written[2]), int(written[1]))
            return datetime.strptime(text, "%Y-%m-%d").date()
        except ValueError:
            raise ValueError(NOT_A_DATE) from None

    def problem(self, f, name, value, answers):
        low, high = _limit(f.min), _limit(f.max)
        if low and value < low or high and value > high:
            return _l("Please enter a date from %(min)s to %(max)s.",
                      min=format_date(low) if low else "…", max=format_date(high) if high else "…")
        return None

    def make(self, f, label, t, validators):
        return DayField(label, validators, format="%Y-%m-%d", reads=self.reader(f, f.id))

    def columns(self, value):
        return {"value_date": value}

    def text(self, f, value, tr=_same):
        day = self.cell(value)
        return format_date(day, "medium") if isinstance(day, date) else str(value)

    def cell(self, value):
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                return value
        return value

    def summary(self, f, tr, choices, rows):
        return Summary("date")

    def demo_value(self, f, demo):
        today = demo.today
        low = f.min if isinstance(f.min, date) else today - timedelta(days=700)
        high = today if f.max == "today" or not isinstance(f.max, date) else f.max
        if f.min == "today":
            low = today
        high = min(high, low + timedelta(days=700))
        return low + timedelta(days=demo.rng.randint(0, max(0, (high - low).days)))


class ConsentType(FieldType):
    name = "consent"
    keys = {"text": spec.TEXT}
    needs = ("label", "text")
    aggregation = "choice"
    widget = "consent"
    staff_corrects = False

    def parse(self, f, name, raw):
        return bool(raw) and raw[0] not in ("false", "")

    def required_message(self, f):
        return _l("Please agree to continue.")

    def make(self, f, label, t, validators):
        return BoxField(label, validators, reads=self.reader(f, f.id))

    def values(self, f, form):
        return {f.id: "yes" if form[f.id].data else None}

    def options(self, f):
        return ["yes"]

    def text(self, f, value, tr=_same):
        return staff_words.consent(bool(value))

    def codebook_values(self, f, choices):
        return "yes"

    def summary(self, f, tr, choices, rows):
        return Summary("choice", options=(("yes", staff_words.agreed()),))

    def demo(self, f, demo):
        return {f.id: "yes"}


class StaticType(FieldType):
    """Structure without an answer: a note to read, a page break."""

    stores_answers = False
    widget = "none"

    def build(self, f, label, t):
        return {}

    def make(self, f, label, t, validators):
        return None

    def values(self, f, form):
        return {}

    def demo(self, f, demo):
        return {}


class NoteType(StaticType):
    name = "note"
    keys = {"text": spec.TEXT}
    needs = ("text",)
    widget = "note"


class PageType(StaticType):
    name = "page"
    needs = ()


#: The types every definition may use, in the order error messages list them.
BUILTIN: tuple[FieldType, ...] = (TextType(), LongTextType(), NumberType(), SingleType(), MultipleType(), ScaleType(),
                                  YesNoType(), DateType(), MatrixType(), ConsentType(), NoteType(), PageType())
