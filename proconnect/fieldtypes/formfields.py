"""WTForms pieces the field types build with: inputs read and checked by their field type.

A question's input is read (``FieldType.parse``) and checked (``FieldType.judge``) by its field type; the WTForms
fields here only call those. So a page read without WTForms ("Next", ``responses.flow.read_next``) reads and
refuses exactly what its form would. A type that builds its field otherwise (without ``reads``) keeps WTForms'
own reading and its ``validators``, and its pages are read through WTForms.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

#: A value no page offers: the sent form was forged (or made from another version).
NOT_OFFERED = _l("This is not one of the offered answers.")


class ByType:
    """The field type's check of one input (``FieldType.judge``) as a WTForms validator."""

    def __init__(self, kind, f):
        self.kind, self.f = kind, f
        # Most types check an input on its own: nothing to look up (and nothing made per check).
        self.others = kind.judged_together

    def __call__(self, form, field):
        error = field.process_errors[0] if field.process_errors else None
        message = self.kind.judge(self.f, field.name, field.raw_data or [], field.data, error,
                                  _Answers(form) if self.others else NO_OTHERS)
        if message is NOT_OFFERED:
            form.forged = True
        # The judge's word replaces a read error (it says it, or a missing answer instead). A missing answer ends
        # the checks; a wrong one lets the next check speak too (a participant code too long and no code at all).
        if message is not None:
            field.errors[:] = []
            if not given(field.data):
                raise StopValidation(message)
            raise ValidationError(message)
        if not sent(field.raw_data):
            field.errors[:] = []
            raise StopValidation()  # nothing given: the checks after this one (a participant code) have nothing


#: ``judge``'s ``answers`` for a type not ``judged_together``.
NO_OTHERS: dict = {}


class _Answers:
    """A form's read answers by input name (what ``judge`` may look up of the question's other inputs)."""

    def __init__(self, form):
        self._form = form

    def get(self, name, default=None):
        return self._form[name].data if name in self._form else default


class _ReadByType:
    """Reads its input with ``reads`` (the field type's ``parse``); without, as WTForms reads it."""

    def __init__(self, *args, reads=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.reads = reads

    def process_formdata(self, valuelist):
        if self.reads is None:
            return super().process_formdata(valuelist)
        self.data = None
        try:
            self.data = self.reads(valuelist)
        except ValueError as exc:
            raise ValueError(exc.args[0] if exc.args and exc.args[0] else self.unreadable) from None

    @property
    def unreadable(self):
        """The message for a value the type could not read and gave no words for."""
        return self.gettext("Not a valid value.")


def given(value) -> bool:
    """Whether a read answer is an answer (not nothing, an unticked box, no choice or blank text)."""
    return not (value is None or value is False or value == [] or (isinstance(value, str) and not value.strip()))


def sent(raw) -> bool:
    """Whether an input's values as sent hold anything but blanks."""
    for value in raw or ():
        # Most answers are given: the first non-blank value ends the check (no generator per call).
        if str(value).strip():
            return True
    return False


class ChoiceField(_ReadByType, RadioField):
    def pre_validate(self, form):
        # A type reading its input itself checks the offered values in its ``judge``.
        if self.reads is not None or self.data is None:
            return
        if self.data not in {c.value for c in self.choices}:
            form.forged = True
            raise ValidationError(NOT_OFFERED)

    def process_formdata(self, valuelist):
        if self.reads is not None:
            return super().process_formdata(valuelist)
        # An empty radio group sends nothing, a dropdown's first option "" (no answer either); a forged value must
        # not crash coerce().
        if valuelist and valuelist[0] != "":
            try:
                self.data = self.coerce(valuelist[0])
            except (ValueError, TypeError):
                self.data = valuelist[0]


class MultiChoiceField(_ReadByType, SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        if self.reads is not None:
            return
        allowed = {c.value for c in self.choices}
        if any(v not in allowed for v in self.data or []):
            form.forged = True
            raise ValidationError(NOT_OFFERED)


class TextField(_ReadByType, StringField):
    """A line of text."""


class LongTextField(_ReadByType, TextAreaField):
    """A few lines of text."""


class NumberField(_ReadByType, StringField):
    """A number typed by hand (read by ``NumberType.parse``: a decimal comma, as German users write it)."""

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


class DayField(_ReadByType, DateField):
    """A date from the browser's date input (or typed, where a browser has none)."""


class BoxField(_ReadByType, BooleanField):
    """A single box to tick (a consent)."""
