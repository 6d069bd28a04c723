"""One's own two-factor sign-in: enrolment by QR code, recovery codes shown once, switching it off."""
from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ...access import staff
from ...accounts import two_factor as totp
from ...accounts.forms import CodeForm
from ...accounts.sessions import end_sessions
from ...accounts.throttle import code_limits
from ...audit import record
from ...distribution import qr
from ...extensions import db

WRONG_CODE = _l("This code is not right. Enter the code your app shows now for pro:connect.")


def _grouped(secret: str) -> str:
    # Groups of four are easier to type into an app by hand.
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _own_account() -> str:
    # The same count as the sign-in code step: a borrowed session cannot guess codes here instead.
    return f"account:{current_user.id}"


def _wrong_code(form) -> None:
    g.login_failed = True
    form.code.errors.append(str(WRONG_CODE))


def _codes_page(codes: list[str]):
    return render_template("admin/two_factor_codes.html", codes=codes)


def _status_page(user, status: int = 200, renew_form=None, off_form=None):
    return render_template("admin/two_factor.html", user=user, left=len(totp.unused_recovery_codes(user)),
                           all=totp.RECOVERY_CODES,
                           renew_form=renew_form or CodeForm(prefix="renew"),
                           off_form=off_form or CodeForm(prefix="off")), status


@staff
def two_factor():
    """Set up two-factor sign-in (scan, then confirm with a first code), or see its state when it is on."""
    user = current_user._get_current_object()
    if user.two_factor_on:
        return _status_page(user)
    totp.start_enrolment(user)
    db.session.commit()
    form = CodeForm()
    if form.validate_on_submit():
        if totp.check_code(user, form.code.data):
            codes = totp.switch_on(user)
            end_sessions(user)  # sessions signed in with the password alone end; this one stays
            record("two_factor_enabled", f"account {user.username}")
            db.session.commit()
            return _codes_page(codes)
        form.code.errors.append(str(WRONG_CODE))
    uri = totp.provisioning_uri(user)
    return render_template("admin/two_factor_enrol.html", form=form, qr=qr.svg_data_uri(uri),
                           secret=_grouped(totp.secret(user))), 400 if form.errors else 200


@staff
@code_limits(_own_account)
def two_factor_codes():
    """New recovery codes (the old ones stop working), confirmed with a current code."""
    user = current_user._get_current_object()
    if not user.two_factor_on:
        return redirect(url_for(".two_factor"))
    form = CodeForm(prefix="renew")
    if form.validate_on_submit() and totp.check_code(user, form.code.data):
        codes = totp.new_recovery_codes(user)
        record("recovery_codes_renewed", f"account {user.username}")
        db.session.commit()
        return _codes_page(codes)
    _wrong_code(form)
    return _status_page(user, 400, renew_form=form)


@staff
@code_limits(_own_account)
def two_factor_off():
    """Switch one's own two-factor sign-in off, confirmed with a current code; not where the role requires it."""
    user = current_user._get_current_object()
    if not user.two_factor_on:
        return redirect(url_for(".two_factor"))
    if user.role in current_app.config["TWO_FACTOR_ROLES"]:
        abort(403)
    form = CodeForm(prefix="off")
    if form.validate_on_submit() and totp.check_code(user, form.code.data):
        totp.remove(user)
        end_sessions(user)
        record("two_factor_disabled", f"account {user.username}")
        db.session.commit()
        flash(_l("Two-factor sign-in is off. Signing in takes your password alone."), "ok")
        return redirect(url_for(".two_factor"))
    _wrong_code(form)
    return _status_page(user, 400, off_form=form)
