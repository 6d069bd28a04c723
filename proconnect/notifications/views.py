"""A staff member's own choice of notifications: which events, at once or as a daily digest, or none."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from ..access import allow
from ..extensions import db
from ..forms_util import choices
from ..i18n import current_language
from ..models_util import utcnow
from ..outbox import enabled
from .events import EVENTS
from .models import DAILY, IMMEDIATE, OFF, NotificationSetting

bp = Blueprint("notifications", __name__, url_prefix="/staff/notifications", template_folder="templates")
MODE_LABELS = {OFF: _l("No mails"), IMMEDIATE: _l("At once (one mail for what came in within a minute)"),
               DAILY: _l("One digest a day, in the morning")}


class NotificationForm(FlaskForm):
    mode = RadioField(_l("How often"), default=OFF)
    events = SelectMultipleField(_l("Tell me when"), widget=ListWidget(prefix_label=False),
                                 option_widget=CheckboxInput())


@bp.route("", methods=["GET", "POST"])
@allow("coordinator")
def settings():
    """Show and change the signed-in person's notifications (changes only their own row)."""
    setting = db.session.get(NotificationSetting, current_user.id)
    form = NotificationForm(mode=setting.mode if setting else OFF, events=setting.events if setting else list(EVENTS))
    form.mode.choices = choices((m, str(label)) for m, label in MODE_LABELS.items())
    form.events.choices = choices((k, str(label)) for k, label in EVENTS.items())
    if form.validate_on_submit():
        if setting is None:
            # Only what happens from now on is told, not the project's whole history.
            setting = NotificationSetting(account_id=current_user.id, told_until=utcnow())
            db.session.add(setting)
        elif setting.mode == OFF and form.mode.data != OFF:
            setting.told_until = utcnow()
        setting.mode, setting.events, setting.language = form.mode.data, form.events.data, current_language()
        db.session.commit()
        flash(_l("Saved."), "ok")
        return redirect(url_for(".settings"), 303)
    return render_template("notifications/settings.html", form=form, mail_enabled=enabled(),
                           has_address=bool(current_user.email)), 400 if form.errors else 200
