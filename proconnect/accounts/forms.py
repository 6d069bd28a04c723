"""Sign-in and password forms (CSRF-protected like every staff form)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from .passwords import problems


class LoginForm(FlaskForm):
    username = StringField(_l("Account name"), validators=[DataRequired(), Length(max=80)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})
    next = HiddenField()


class NewPasswordForm(FlaskForm):
    """A new password, typed twice, checked against the rules in ``passwords``."""

    new_password = PasswordField(_l("New password"), validators=[DataRequired()],
                                 render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("New password again"),
                            validators=[DataRequired(), EqualTo("new_password", _l("The two entries differ."))],
                            render_kw={"autocomplete": "new-password"})

    def __init__(self, username: str = "", **kwargs):
        super().__init__(**kwargs)
        self._username = username

    def validate_new_password(self, field):
        found = problems(field.data or "", self._username)
        if found:
            raise ValidationError(" ".join(found))


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=256)],
                                     render_kw={"autocomplete": "current-password"})


class CodeForm(FlaskForm):
    """A six-digit code from the authenticator app (or, when signing in, a recovery code)."""

    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)],
                       render_kw={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false",
                                  "autocorrect": "off"})
