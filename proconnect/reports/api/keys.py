"""Managing API tokens on the web: coordinators create and revoke their own; admins see and revoke all."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ...access import allow
from ...extensions import db
from ...models_util import utcnow
from .models import ApiToken


@allow("coordinator")
def keys():
    """One's API tokens (admins: everyone's), and a form for a new one. A new token is shown once."""
    query = select(ApiToken).order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
    if current_user.role != "admin":
        query = query.where(ApiToken.owner_id == current_user.id)
    new_token = None
    if request.method == "POST":
        label = (request.form.get("label") or "").strip()[:100]
        token, new_token = ApiToken.issue(current_user, label)
        db.session.add(token)
        db.session.commit()
    return render_template("reports/api_keys.html", tokens=db.session.scalars(query).all(), new_token=new_token,
                           docs=url_for("api.openapi"))


@allow("coordinator")
def revoke(token_id: int):
    """Switch a token off for good (its owner, or any admin)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or (current_user.role != "admin" and token.owner_id != current_user.id):
        abort(404)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()
    flash(_("The key %(hint)s… is revoked.", hint=token.hint), "ok")
    return redirect(url_for(".index"))
