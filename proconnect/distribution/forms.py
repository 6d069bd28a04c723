"""The coordinators' forms of distribution: a new link (form, version, language, kiosk mode, dates, limit)
and participant cards."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from ..definitions import forms_registry
from ..forms_util import choices
from ..i18n import LANGUAGES


class LinkForm(FlaskForm):
    form_id = SelectField(_l("Form"), validators=[DataRequired()])
    version = SelectField(_l("Version"), default="")
    language = SelectField(_l("Language"), default="de")
    event = StringField(_l("Event"), validators=[Length(max=200)],
                        description=_l("e.g. Info event Delmenhorst, 3 March, or the company's name."))
    test = BooleanField(_l("Test link for a rehearsal: every screen says so, its answers are never counted and "
                             "can be deleted together"))
    single = BooleanField(_l("One answer only (e.g. a personal link for one company)"))
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


def new_link_form() -> LinkForm:
    """The link form with its choices: every instrument, each published version or "always the latest", every
    language."""
    form = LinkForm()
    registry = forms_registry(current_app)
    form.form_id.choices = choices((i.id, f"{i.latest.title} ({i.id})") for i in registry)
    versions = [("", _("always the latest"))]
    for instrument in registry:
        versions += [(f"{instrument.id}:{n}", f"{instrument.id} v{n}") for n in sorted(instrument.versions)]
    form.version.choices = choices(versions)
    form.language.choices = choices(LANGUAGES.items())
    return form
