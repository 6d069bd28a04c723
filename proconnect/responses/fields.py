"""One class per field type: how it becomes WTForms fields, how its answer reads, how it is stored.

``FIELD_TYPES`` maps the definition's ``type`` to its class (pyxform's
``QUESTION_CLASSES`` idea); adding a type means adding one class here.
"""
from __future__ import annotations

import abc
from datetime import date

from flask_babel import format_date, format_decimal, lazy_gettext as _l, lazy_ngettext
from wtforms.fields.choices import SelectChoice
from wtforms import BooleanField, DateField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..definitions.model import Field


class Required:
    """Stops with a plain message when a shown, required question has no answer."""

    field_flags = {"required": True}

    def __init__(self, message=None):
        self.message = message or _l("Please answer this question.")

    def __call__(self, form, field):
        data = field.data
        if data is None or data is False or data == [] or (isinstance(data, str) and not data.strip()):
            field.errors[:] = []
            raise StopValidation(self.message)


class NotRequired:
    """Stops the chain quietly when an optional question was left empty."""

    field_flags = {"optional": True}

    def __call__(self, form, field):
        if not field.raw_data or not any(str(v).strip() for v in field.raw_data):
            field.errors[:] = []
            raise StopValidation()


class _ForgeryAware:
    """Marks the form when a value arrives that no rendered page could have sent."""

    def forged(self, form, message):
        form.forged = True
        raise ValidationError(message)


class ChoiceField(_ForgeryAware, RadioField):
    def pre_validate(self, form):
        if self.data is None:
            return
        if self.data not in {c.value for c in self.choices}:
            self.forged(form, _l("This is not one of the offered answers."))

    def process_formdata(self, valuelist):
        # An empty radio group sends nothing; a forged value must not crash coerce().
        if valuelist:
            try:
                self.data = self.coerce(valuelist[0])
            except (ValueError, TypeError):
                self.data = valuelist[0]


class MultiChoiceField(_ForgeryAware, SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        allowed = {c.value for c in self.choices}
        if any(v not in allowed for v in self.data or []):
            self.forged(form, _l("This is not one of the offered answers."))


class NumberField(StringField):
    """A number typed by hand: accepts a decimal comma, as German users write it."""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            # Arabic and Persian keyboards type the decimal sign U+066B; float() reads their digits itself.
            text = valuelist[0].strip().replace(",", ".").replace("٫", ".").replace(" ", "")
            try:
                number = float(text)
            except ValueError:
                raise ValueError(_l("Please enter a number, for example 3 or 2.5."))
            if number != number or number in (float("inf"), float("-inf")):
                raise ValueError(_l("Please enter a number, for example 3 or 2.5."))
            self.data = int(number) if number.is_integer() else number

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


def _limit(value):
    return date.today() if value == "today" else value


class FieldType(abc.ABC):
    """Base: one WTForms field under the definition field's id."""

    def build(self, f: Field, label: str, t) -> dict:
        """WTForms unbound fields for this question, keyed by their form name.

        :param t: translates a text of the definition into the current language
        """
        return {f.id: self.make(f, label, t, self.validators(f, t))}

    def validators(self, f: Field, t) -> list:
        return [Required() if f.required else NotRequired()]

    @abc.abstractmethod
    def make(self, f, label, t, validators):
        """The unbound WTForms field for this question."""

    def values(self, f: Field, form) -> dict:
        """The answer under each answer name, as conditions and scores see it (None when empty)."""
        data = form[f.id].data
        return {f.id: None if data in ("", None) else data}

    def rows(self, f: Field, values: dict) -> list[dict]:
        """Typed ``Answer`` columns for each stored value of this question."""
        value = values.get(f.id)
        return [{"field_id": f.id, **self.columns(value)}] if value is not None else []

    def columns(self, value) -> dict:
        return {"value_text": str(value)}


class TextType(FieldType):
    default_max = 500
    wtforms_class = StringField

    def validators(self, f, t):
        return super().validators(f, t) + [Length(max=f.max_length or self.default_max, message=_l(
            "Please shorten your answer to at most %(max)d characters."))]

    def make(self, f, label, t, validators):
        return self.wtforms_class(label, validators, filters=[lambda s: s.strip() if isinstance(s, str) else s])

    def columns(self, value):
        return {"value_long": value}


class LongTextType(TextType):
    default_max = 5000
    wtforms_class = TextAreaField


class NumberType(FieldType):
    def validators(self, f, t):
        def check(form, field):
            v = field.data
            if v is None:
                return
            if f.min is not None and v < f.min or f.max is not None and v > f.max:
                raise ValidationError(_l("Please enter a number from %(min)s to %(max)s.",
                                         min=_num(f.min, "…"), max=_num(f.max, "…")))
            if f.step:
                base = f.min if f.min is not None else 0
                steps = (v - base) / f.step
                if abs(steps - round(steps)) > 1e-9:
                    raise ValidationError(_l("Please enter a number in steps of %(step)s.", step=_num(f.step)))
        return super().validators(f, t) + [check]

    def make(self, f, label, t, validators):
        return NumberField(label, validators)

    def columns(self, value):
        return {"value_num": float(value)}


def _num(value, empty=""):
    if value is None:
        return empty
    return format_decimal(value)  # the locale's decimal sign: 2,5 in German


class SingleType(FieldType):
    def make(self, f, label, t, validators):
        return ChoiceField(label, validators, choices=[SelectChoice(c.value, t(c.label)) for c in f.choices])


class YesNoType(FieldType):
    def make(self, f, label, t, validators):
        return ChoiceField(label, validators, choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))])

    def columns(self, value):
        return {"value_text": value, "value_num": 1.0 if value == "yes" else 0.0}


class MultipleType(FieldType):
    def validators(self, f, t):
        def check(form, field):
            n = len(field.data or [])
            if f.min_selected and 0 < n < f.min_selected or f.min_selected and n == 0 and f.required:
                raise ValidationError(lazy_ngettext("Please choose at least %(num)d answer.",
                                                    "Please choose at least %(num)d answers.", f.min_selected))
            if f.max_selected and n > f.max_selected:
                raise ValidationError(lazy_ngettext("Please choose at most %(num)d answer.",
                                                    "Please choose at most %(num)d answers.", f.max_selected))
        return super().validators(f, t) + [check]

    def make(self, f, label, t, validators):
        return MultiChoiceField(label, validators, choices=[SelectChoice(c.value, t(c.label)) for c in f.choices])

    def values(self, f, form):
        return {f.id: list(form[f.id].data or []) or None}

    def rows(self, f, values):
        return [{"field_id": f.id, "value_text": v} for v in values.get(f.id) or []]


class ScaleType(FieldType):
    def make(self, f, label, t, validators):
        labels = f.point_labels()
        return ChoiceField(label, validators, coerce=int, choices=_points(f, t))

    def columns(self, value):
        return {"value_num": float(value)}


def _points(f: Field, t) -> list[SelectChoice]:
    """Choices 1..points of a scale or matrix, labelled where the definition labels them."""
    # End labels (low/high) are shown once above the buttons; the buttons themselves carry the numbers.
    labels = f.labels or [""] * len(f.point_values())
    return [SelectChoice(value, t(label) if label else str(value)) for value, label in zip(f.point_values(), labels)]


class MatrixType(ScaleType):
    """Rows × one scale: one radio group per row, stored as ``matrix.row``."""

    def build(self, f, label, t):
        validators = self.validators(f, t)
        return {f"{f.id}__{row.value}": ChoiceField(t(row.label), validators, coerce=int, choices=_points(f, t))
                for row in f.rows}

    def values(self, f, form):
        return {f"{f.id}.{row.value}": form[f"{f.id}__{row.value}"].data for row in f.rows}

    def rows(self, f, values):
        return [{"field_id": name, **self.columns(values[name])}
                for name in f.answer_names() if values.get(name) is not None]


class DateType(FieldType):
    def validators(self, f, t):
        def check(form, field):
            v = field.data
            low, high = _limit(f.min), _limit(f.max)
            if v is None:
                return
            if low and v < low or high and v > high:
                raise ValidationError(_l("Please enter a date from %(min)s to %(max)s.",
                                         min=format_date(low) if low else "…", max=format_date(high) if high else "…"))
        return super().validators(f, t) + [check]

    def make(self, f, label, t, validators):
        return DateField(label, validators, format="%Y-%m-%d")

    def columns(self, value):
        return {"value_date": value}


class ConsentType(FieldType):
    def validators(self, f, t):
        return [Required(_l("Please agree to continue."))] if f.required else []

    def make(self, f, label, t, validators):
        return BooleanField(label, validators)

    def values(self, f, form):
        return {f.id: "yes" if form[f.id].data else None}


class StaticType(FieldType):
    def build(self, f, label, t):
        return {}

    def make(self, f, label, t, validators):
        return None

    def values(self, f, form):
        return {}


#: Field type name in a definition -> the class that handles it.
FIELD_TYPES: dict[str, FieldType] = {
    "text": TextType(),
    "longtext": LongTextType(),
    "number": NumberType(),
    "single": SingleType(),
    "multiple": MultipleType(),
    "scale": ScaleType(),
    "yesno": YesNoType(),
    "date": DateType(),
    "matrix": MatrixType(),
    "consent": ConsentType(),
    "note": StaticType(),
    "page": StaticType(),
}
