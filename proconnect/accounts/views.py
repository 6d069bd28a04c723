"""Signing in and out, changing one's password, and setting one through an invitation or reset link."""
from __future__ import annotations

import functools
import secrets
import unicodedata
from urllib.parse import quote, urlsplit

from flask import flash, g, redirect, render_template, request, session, url_for
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
from .forms import ChangePasswordForm, LoginForm, NewPasswordForm
from .models import AccountToken, User
from .sessions import end_sessions
from .throttle import login_limits



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
        session.clear()  # a fresh session: nothing chosen before signing in carries over
        login_user(user)
        start_session()
        user.last_login_at = utcnow()
        record("login", f"account {user.username}", actor=user)
        db.session.commit()
        if user.must_change_password:
            flash(_l("Please choose your own password now."), "info")
            return remember_device(redirect(url_for("accounts.password")), user.username)
        return remember_device(redirect(safe_next(form.next.data) or home_url()), user.username)
    return render_template("accounts/login.html", form=form), 400 if form.errors else 200


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
