"""The coordinators' link form: the admin's form plus kiosk mode, PIN, dates and a limit."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, IntegerField, PasswordField
from wtforms.validators import NumberRange, Optional, Regexp, ValidationError

from ..admin.forms import LinkForm


class DistributionLinkForm(LinkForm):
    kiosk = BooleanField(_l("Kiosk mode (tablets at an event: language choice first, reset after each person)"))
    pin = PasswordField(_l("Kiosk PIN (4 to 12 digits; empty: a new one is shown once)"),
                        validators=[Optional(), Regexp(r"^\d{4,12}$", message=_l("Use 4 to 12 digits."))])
    opens = DateTimeLocalField(_l("Opens (UTC)"), validators=[Optional()])
    closes = DateTimeLocalField(_l("Closes (UTC)"), validators=[Optional()])
    max_responses = IntegerField(_l("Maximum number of responses"), validators=[Optional(), NumberRange(min=1)])

    def validate_closes(self, field):
        if field.data and self.opens.data and field.data <= self.opens.data:
            raise ValidationError(_l("The form must close after it opens."))


class CardsForm(FlaskForm):
    count = IntegerField(_l("Number of new cards"), default=20, validators=[NumberRange(min=1, max=500)])
