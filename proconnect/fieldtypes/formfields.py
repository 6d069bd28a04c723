"""WTForms pieces the field types build with: required/optional checks and inputs that resist forged values."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectMultipleField, StringField
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


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
        for value in field.raw_data or ():
            # Most answers are given: the first non-blank value ends the check (no generator per call).
            if str(value).strip():
                return
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
        # An empty radio group sends nothing, a dropdown's first option "" (no answer either); a forged value must
        # not crash coerce().
        if valuelist and valuelist[0] != "":
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
