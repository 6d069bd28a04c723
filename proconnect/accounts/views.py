"""Signing in and out, changing one's password, and setting one through an invitation or reset link."""
from __future__ import annotations

import functools
import hashlib
import secrets
import time
import unicodedata
from urllib.parse import quote, urlsplit

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..access import public, staff, start_session
from ..audit import record
from ..errors import refuse
from ..extensions import db
from ..models_util import utcnow
from .devices import remember_device
from .forms import ChangePasswordForm, CodeForm, LoginForm, NewPasswordForm
from .models import AccountToken, User
from .sessions import end_sessions
from .throttle import code_limits, login_limits
from . import two_factor



@functools.cache
def _dummy_hash() -> str:
    # Checked against when the account does not exist, so a wrong name takes as long as a wrong password.
    return generate_password_hash(secrets.token_hex(8))


WRONG = _l("The account name or the password is wrong.")


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site (never another host), percent-encoded; else None.

    Browsers drop tabs and newlines and read a backslash as a slash: a tab between two slashes or a
    backslash after one turns a path into another host (``//evil``). So any control, format or
    separator character (except an inner space) and any backslash is refused, not cleaned.
    """
    if not target or not target.startswith("/") or len(target) > 2000 or "\\" in target \
            or any(c != " " and unicodedata.category(c)[0] in "CZ" for c in target):
        return None
    # Non-ASCII letters are percent-encoded, so no browser can fold them into a slash or a host.
    target = quote(target, safe="/?#&=%+:;@!$'()*,~-._")
    if target.startswith("//") or urlsplit(target).netloc:
        return None
    return target


def home_url() -> str:
    return url_for("admin.home")


@public
@login_limits
def login():
    """Sign-in page; a one-time password leads straight to choosing a new one."""
    if current_user.is_authenticated:
        return redirect(home_url())
    form = LoginForm(next=request.args.get("next"))
    if form.validate_on_submit():
        name = form.username.data.strip()
        user = db.session.scalar(select(User).where(func.lower(User.username) == name.lower()))
        if user is None:
            check_password_hash(_dummy_hash(), form.password.data)
        if user is None or not user.check_password(form.password.data) or not user.active:
            g.login_failed = True
            record("login_failed", f"account {name}", commit=True)
            flash(WRONG, "error")
            return render_template("accounts/login.html", form=form)
        if user.two_factor_on:
            return _ask_for_code(user, form.next.data)
        return _signed_in(user, form.next.data)
    return render_template("accounts/login.html", form=form), 400 if form.errors else 200


def _signed_in(user: User, next_url: str | None, notice=None, **details):
    session.clear()  # a fresh session: nothing chosen before signing in carries over
    if notice:
        flash(notice, "info")
    login_user(user)
    start_session()
    user.last_login_at = utcnow()
    record("login", f"account {user.username}", actor=user, **details)
    db.session.commit()
    if user.must_change_password:
        flash(_l("Please choose your own password now."), "info")
        target = url_for("accounts.password")
    elif user.must_enrol_two_factor:
        flash(_l("Your account needs two-factor sign-in. Please set it up now."), "info")
        target = url_for("admin.two_factor")
    else:
        target = safe_next(next_url) or home_url()
    return remember_device(redirect(target), user.username)


#: The session key of someone between password and code: signed in to nothing yet.
_PENDING = "sign_in_pending"


def _token_digest(user: User) -> str:
    return hashlib.sha256(user.session_token.encode()).hexdigest()[:32]


def _ask_for_code(user: User, next_url: str | None):
    session.clear()
    session[_PENDING] = {"account": user.id, "token": _token_digest(user), "at": int(time.time()),
                         "next": safe_next(next_url)}
    return redirect(url_for("accounts.login_code"))


def _pending() -> dict:
    pending = session.get(_PENDING)
    return pending if isinstance(pending, dict) and isinstance(pending.get("account"), int) else {}


def _pending_user() -> User | None:
    """The account whose password was right, while its code step is open: a few minutes, and only while the
    account's sessions were not ended (a reset, a new password) and two-factor sign-in is still on."""
    pending = _pending()
    age = int(time.time()) - pending.get("at", 0)
    if not pending or not 0 <= age <= current_app.config["TWO_FACTOR_PENDING_MINUTES"] * 60:
        return None
    user = db.session.get(User, pending["account"])
    if user is None or not user.active or not user.two_factor_on \
            or not secrets.compare_digest(_token_digest(user), str(pending.get("token"))):
        return None
    return user


def _pending_account_key() -> str:
    return f"account:{_pending().get('account')}"


@public
@code_limits(_pending_account_key)
def login_code():
    """The second step of signing in: a code from the authenticator app, or one of the recovery codes."""
    if current_user.is_authenticated:
        return redirect(home_url())
    user = _pending_user()
    if user is None:
        session.pop(_PENDING, None)
        flash(_l("Please sign in again."), "info")
        return redirect(url_for("accounts.login"))
    form = CodeForm()
    if form.validate_on_submit():
        next_url = _pending().get("next")
        if two_factor.check_code(user, form.code.data):
            return _signed_in(user, next_url, second_factor="app")
        if two_factor.use_recovery_code(user, form.code.data):
            left = len(two_factor.unused_recovery_codes(user))
            record("recovery_code_used", f"account {user.username}", actor=user, left=left)
            notice = _l("You signed in with a recovery code. Unused recovery codes: %(left)s; you can make new "
                        "ones on the two-factor page.", left=left)
            return _signed_in(user, next_url, notice, second_factor="recovery code")
        g.login_failed = True
        record("two_factor_failed", f"account {user.username}", commit=True)
        if two_factor.secret_unreadable(user):
            current_app.logger.error("two-factor secret of account %s cannot be opened: SECRET_KEY changed without "
                                     "SECRET_KEY_FALLBACKS?", user.username)
            form.code.errors.append(_("Codes from your app cannot be checked on this server at the moment (its "
                                      "secret key was changed). Sign in with a recovery code, or ask an admin to "
                                      "reset your two-factor sign-in."))
        else:
            form.code.errors.append(_("This code is not right. Enter the current code from your app, or a "
                                      "recovery code."))
    return render_template("accounts/login_code.html", form=form), 400 if form.errors else 200


@staff
def logout():
    """Sign out on every device the account is signed in on (a copied cookie dies too)."""
    record("logout", f"account {current_user.username}")
    end_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_l("You are signed out."), "ok")
    return redirect(url_for("accounts.login"))


@staff
def password():
    """Change one's own password (required after signing in with a one-time password)."""
    form = ChangePasswordForm(username=current_user.username)
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        elif current_user.check_password(form.new_password.data):
            form.new_password.errors.append(_("Please choose a password different from the current one."))
        else:
            current_user.set_password(form.new_password.data)
            current_user.must_change_password = False
            end_sessions(current_user._get_current_object())
            record("password_changed", f"account {current_user.username}")
            db.session.commit()
            flash(_l("Your new password is saved."), "ok")
            return redirect(home_url())
    status = 400 if form.errors else 200
    return render_template("accounts/password.html", form=form), status


@public
def set_password(token: str):
    """Choose a password through an invitation or an admin-issued reset link (each works once).

    :raise 404: unknown token; :raise 410: used or expired
    """
    row = db.session.scalar(select(AccountToken).filter_by(digest=AccountToken.digest_of(token))) \
        if len(token) <= 100 else None
    if row is None:
        refuse(404, _l("This link is not valid. Please ask an admin for a new one."))
    if row.used_at is not None or row.expires_at <= utcnow() or not row.account.active:
        refuse(410, _l("This link has expired or was already used. Please ask an admin for a new one."))
    user = row.account
    form = NewPasswordForm(username=user.username)
    if form.validate_on_submit():
        user.set_password(form.new_password.data)
        user.must_change_password = False
        end_sessions(user)
        row.used_at = utcnow()
        record("password_set", f"account {user.username}", actor=user, purpose=row.purpose)
        db.session.commit()
        if current_user.is_authenticated:
            logout_user()
        session.clear()
        flash(_l("Your password is set. Please sign in."), "ok")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/set_password.html", form=form, user=user, purpose=row.purpose), \
        400 if form.errors else 200
