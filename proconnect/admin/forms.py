"""Staff forms (Flask-WTF: every one carries and checks a CSRF token)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, EmailField, IntegerField, SelectField, SelectMultipleField,
                     StringField, SubmitField, TextAreaField)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from ..cohorts import slugs
from ..forms_util import EMAIL, CheckboxList

SLUG = Regexp(rf"^{slugs.PATTERN}$", message=_l("Use lower-case letters, digits and hyphens (at most 64)."))
ACCOUNT_NAME = Regexp(r"^[A-Za-z0-9._-]{2,80}$",
                      message=_l("Use 2 to 80 letters, digits, dots, hyphens or underscores."))



class CohortForm(FlaskForm):
    slug = StringField(_l("Short name"), validators=[DataRequired(), SLUG],
                       description=_l("Used in addresses and on the command line, e.g. ol-2027-spring."))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    retention_months = IntegerField(_l("Keep responses for (months)"),
                                    validators=[Optional(), NumberRange(min=1, max=240)],
                                    description=_l("Older responses are deleted by 'proconnect retention apply'. "
                                                   "Leave empty to keep them until you decide."))


class CohortEditForm(CohortForm):
    slug = None


class AccountForm(FlaskForm):
    username = StringField(_l("Account name"), validators=[DataRequired(), ACCOUNT_NAME])
    role = SelectField(_l("Role"))
    email = EmailField(_l("E-mail (optional, for sending links)"),
                       validators=[Optional(), Length(max=200), EMAIL])
    cohorts = CheckboxList(_l("Cohorts"), coerce=int, validate_choice=True)


class AccountEditForm(AccountForm):
    username = None
    active = BooleanField(_l("Account is active"))


class MentorForm(FlaskForm):
    mentor = SelectField(_l("Mentor"), coerce=int)


class WorkPermissionForm(FlaskForm):
    """A participant's permission to work as staff know it (matching reads it); choices: ``permission.STATUSES``."""

    status = SelectField(_l("Permission to work"))
    as_of = DateField(_l("As of"), validators=[DataRequired(message=_l("Please give the day the status was "
                                                                        "known to hold."))])


class EraseForm(FlaskForm):
    confirm = StringField(_l("Type the participant code to confirm"), validators=[DataRequired(), Length(max=32)])


class SessionForm(FlaskForm):
    topic = StringField(_l("Topic"), validators=[DataRequired(), Length(max=200)])
    held_on = DateField(_l("Date"), validators=[DataRequired()])
    cohort = SelectField(_l("Cohort"), coerce=int)


class SelectionForm(FlaskForm):
    """Mark the ticked participants of a list selected on a day, or undo their selection."""

    codes = SelectMultipleField(_l("Participants"), validate_choice=False)
    selected_on = DateField(_l("Selected on"), validators=[DataRequired(message=_l("Please give the day of the selection."))])
    mark = SubmitField(_l("Mark as selected"))
    undo = SubmitField(_l("Undo selection"))


#: Why a response was changed: kept in its history (and shown to the participant in an export).
REASON = TextAreaField(_l("Reason (kept in the history)"),
                       validators=[DataRequired(message=_l("Please say why. Nothing was changed.")), Length(max=500)])


class ReasonForm(FlaskForm):
    """Void or restore a response."""

    reason = REASON


class ReassignForm(FlaskForm):
    """Move a response to another participant code of the cohort."""

    code = StringField(_l("Correct participant code"), validators=[DataRequired(), Length(max=64)])
    #: Not ``reason``: the void form on the same page has one (an element id is unique).
    move_reason = REASON


class ReviewForm(FlaskForm):
    state = SelectField(_l("Review"))
