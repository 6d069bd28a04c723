"""Helpers for the app's own WTForms forms (staff pages of every feature)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Regexp
from wtforms.widgets import CheckboxInput, ListWidget

# Only a plausibility check: the address is used for nothing but sending a link.
EMAIL = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("This does not look like an e-mail address."))


class CheckboxList(SelectMultipleField):
    """Several choices as a list of checkboxes (a staff form's ``field`` macro draws it as a fieldset)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def choices(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs (WTForms no longer takes tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]
