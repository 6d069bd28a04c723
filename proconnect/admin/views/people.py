"""Account management for admins: invite people, change roles and cohorts, switch accounts off, issue resets."""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from ...access import ROLE_LABELS, allow
from ...accounts.models import AccountToken, CohortMember, User
from ...accounts import two_factor
from ...accounts.sessions import end_sessions
from ...audit import record
from ...cohorts.models import Cohort
from ...extensions import db
from ...forms_util import choices
from ...outbox import OutboxMail, queue_mail
from ..forms import AccountEditForm, AccountForm
from ..tables import Sorting, paginate


def _with_choices(form):
    form.role.choices = choices((role, str(label)) for role, label in ROLE_LABELS.items())
    form.cohorts.choices = choices((c.id, f"{c.title} ({c.slug})")
                                   for c in db.session.scalars(select(Cohort).order_by(Cohort.slug)))
    return form


@allow("admin")
def accounts():
    sorting = Sorting.from_request({"name": func.lower(User.username), "role": User.role,
                                    "last_login": User.last_login_at, "created": User.created_at}, default="name")
    query = select(User)
    role = request.args.get("role", "")
    if role in ROLE_LABELS:
        query = query.where(User.role == role)
    state = request.args.get("state", "")
    if state in ("active", "inactive"):
        query = query.where(User.active == (state == "active"))
    page = paginate(query.order_by(sorting.clause(), User.id), scalars=True)
    return render_template("admin/accounts.html", page=page, sorting=sorting, role=role, state=state)


def _issue_link(user: User, purpose: str) -> tuple[str, str | None]:
    """A one-use password link for ``user``, put into the outbox when a mail server is configured.

    :return: its URL and the mail's state (``sent``, ``pending``, ``failed``…), None when it is not mailed
    """
    config = current_app.config
    valid = timedelta(days=config["INVITATION_DAYS"]) if purpose == "invite" else timedelta(hours=config["RESET_HOURS"])
    row, token = AccountToken.issue(user, purpose, valid)
    url = config["PUBLIC_URL"].rstrip("/") + url_for("accounts.set_password", token=token)
    record("invitation_issued" if purpose == "invite" else "reset_issued", f"account {user.username}",
           valid_until=row.expires_at.isoformat(timespec="minutes"))
    subject = _("Your pro:connect account") if purpose == "invite" else _("New password for pro:connect")
    body = _("Open this link to choose your password (it works once, until %(until)s UTC):\n\n%(url)s\n",
             until=row.expires_at.strftime("%Y-%m-%d %H:%M"), url=url)
    # The body is a key to the account: never shown in the outbox, gone once sent, never sent once expired.
    mail = queue_mail(user.email, subject, body, "account_invite" if purpose == "invite" else "account_reset",
                      secret=True, send_before=row.expires_at)
    mail_id = mail.id if mail is not None else None
    db.session.commit()
    # Without a worker the mail was sent in the commit; with one it is on its way.
    return url, (db.session.get(OutboxMail, mail_id).status if mail_id is not None else None)


def _link_page(user: User, purpose: str):
    url, mail = _issue_link(user, purpose)
    return render_template("admin/account_link.html", user=user, url=url, mail=mail, purpose=purpose)


@allow("admin")
def account_new():
    """Create an account and show its invitation link once (and mail it when a mail server is set up)."""
    form = _with_choices(AccountForm())
    if form.validate_on_submit():
        name = form.username.data.strip()
        if db.session.scalar(select(User.id).where(func.lower(User.username) == name.lower())) is not None:
            form.username.errors.append(_("This account name is taken."))
        else:
            user = User(username=name, role=form.role.data, email=form.email.data or None,
                        must_change_password=False)
            # Nobody knows this password: the person chooses theirs through the invitation link.
            user.set_password(secrets.token_urlsafe(32))
            user.cohorts = db.session.scalars(select(Cohort).where(Cohort.id.in_(form.cohorts.data or []))).all()
            db.session.add(user)
            db.session.flush()
            record("account_created", f"account {user.username}", role=user.role,
                   cohorts=[c.slug for c in user.cohorts])
            return _link_page(user, "invite")
    return render_template("admin/account_form.html", form=form, user=None), 400 if form.errors else 200


@allow("admin")
def account(account_id: int):
    """Change an account's role, e-mail, cohorts or switch it off (never one's own role or access)."""
    user = db.session.get(User, account_id)
    if user is None:
        abort(404)
    form = _with_choices(AccountEditForm(role=user.role, email=user.email, active=user.active,
                                         cohorts=[c.id for c in user.cohorts]))
    if form.validate_on_submit():
        if user.id == current_user.id and (form.role.data != user.role or not form.active.data):
            form.role.errors.append(_("You cannot change your own role or switch off your own account."))
        else:
            _apply_changes(user, form)
            db.session.commit()
            flash(_l("Saved."), "ok")
            return redirect(url_for(".account", account_id=user.id))
    tokens = db.session.scalars(select(AccountToken).filter_by(account_id=user.id)
                                .order_by(AccountToken.created_at.desc()).limit(5)).all()
    return render_template("admin/account_form.html", form=form, user=user, tokens=tokens), \
        400 if form.errors else 200


def _apply_changes(user: User, form) -> None:
    target = f"account {user.username}"
    if form.role.data != user.role:
        record("role_changed", target, before=user.role, after=form.role.data)
        user.role = form.role.data
        end_sessions(user)
    changes = {}
    if (form.email.data or None) != user.email:
        changes["email"] = "changed"
        user.email = form.email.data or None
    if form.active.data != user.active:
        changes["active"] = [user.active, form.active.data]
        user.active = form.active.data
        end_sessions(user)  # switched on again later, the account's old sessions stay ended
    if changes:
        record("account_changed", target, **changes)
    chosen = set(form.cohorts.data or [])
    current = {c.id for c in user.cohorts}
    if chosen != current:
        slugs = dict(db.session.execute(select(Cohort.id, Cohort.slug)).all())
        record("membership_changed", target, added=sorted(slugs[i] for i in chosen - current),
               removed=sorted(slugs[i] for i in current - chosen))
        db.session.execute(CohortMember.__table__.delete().where(CohortMember.account_id == user.id))
        db.session.add_all(CohortMember(account_id=user.id, cohort_id=i) for i in chosen)
        db.session.expire(user, ["cohorts"])


@allow("admin")
def account_reset(account_id: int):
    """Issue a password reset link (the old password keeps working until the link is used); the account's
    sessions end now, as a reset is asked for when it may be in other hands."""
    user = db.session.get(User, account_id)
    if user is None or not user.active:
        abort(404)
    end_sessions(user)
    return _link_page(user, "reset")


@allow("admin")
def account_two_factor_reset(account_id: int):
    """Switch an account's two-factor sign-in off (a lost phone and lost recovery codes) and end its sessions;
    where the role requires it, the person sets it up again at the next sign-in."""
    user = db.session.get(User, account_id)
    if user is None:
        abort(404)
    was_on = user.two_factor_on
    two_factor.remove(user)
    end_sessions(user)
    record("two_factor_reset", f"account {user.username}", was_on=was_on)
    db.session.commit()
    flash(_l("Two-factor sign-in of %(name)s is reset; their sessions have ended.", name=user.username), "ok")
    return redirect(url_for(".account", account_id=user.id))
