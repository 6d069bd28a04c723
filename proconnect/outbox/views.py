"""The staff page of the outbox: what is waiting, what went, what failed and why; failed mails can be tried
again. Admins see every mail; coordinators the mails about their cohorts (account mails are admins' only)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from ..access import allow
from ..accounts.scope import visible_cohorts
from ..audit import record
from ..cohorts.models import Cohort
from ..extensions import db
from .models import FAILED, PENDING, STATES, OutboxMail
from .sending import enabled, send_due, try_again

bp = Blueprint("outbox", __name__, url_prefix="/staff/outbox", template_folder="templates")
#: Rows shown at most (newest first); the counts above the table cover all.
SHOWN = 200

#: kind -> what staff read; features add their kinds with ``kind_label``.
KINDS: dict[str, object] = {"account_invite": _l("Account invitation"), "account_reset": _l("Password reset")}
STATE_LABELS = {"pending": _l("waiting"), "sent": _l("sent"), "failed": _l("failed"),
                "cancelled": _l("not needed any more"), "expired": _l("expired")}


def kind_label(kind: str, label) -> None:
    """Name a kind of mail for the staff page."""
    KINDS[kind] = label


def _scoped(query):
    """Only the mails the signed-in person may see."""
    if current_user.role == "admin":
        return query
    cohort_ids = visible_cohorts().with_only_columns(Cohort.id)
    return query.where(OutboxMail.cohort_id.in_(cohort_ids))


@bp.route("")
@allow("coordinator")
def index():
    """Mails newest first, filtered by state, with the count in each state."""
    state = request.args.get("state", "")
    counts = dict(db.session.execute(_scoped(select(OutboxMail.status, func.count()).group_by(OutboxMail.status))).all())
    query = _scoped(select(OutboxMail))
    if state in STATES:
        query = query.where(OutboxMail.status == state)
    mails = db.session.scalars(query.order_by(OutboxMail.created_at.desc(), OutboxMail.id.desc()).limit(SHOWN)).all()
    cohorts = {c.id: c for c in db.session.scalars(select(Cohort).where(
        Cohort.id.in_({m.cohort_id for m in mails if m.cohort_id})))}
    return render_template("outbox/index.html", mails=mails, counts=counts, state=state, states=STATES,
                           state_labels=STATE_LABELS, kinds=KINDS, cohorts=cohorts, enabled=enabled(),
                           shown=SHOWN)


@bp.route("/<id:mail_id>/retry", methods=["POST"])
@allow("coordinator")
def retry(mail_id: int):
    """Try a failed mail again (a new series of tries, starting now)."""
    mail = db.session.scalar(_scoped(select(OutboxMail).where(OutboxMail.id == mail_id)))
    if mail is None:
        abort(404)
    if mail.status != FAILED:
        flash(_("Only a failed mail can be tried again; this one is %(state)s.", state=STATE_LABELS[mail.status]),
              "error")
        return redirect(url_for(".index"), 303)
    try_again(mail)
    record("mail_retried", f"mail {mail.id}", kind=mail.kind)
    db.session.commit()
    flash(_("The mail is being sent again."), "ok")
    return redirect(url_for(".index"), 303)


@bp.route("/send-due", methods=["POST"])
@allow("coordinator")
def send_now():
    """Send the waiting mails whose time has come, now (an instance without a worker has nobody else to)."""
    send_due()
    still = db.session.scalar(_scoped(select(func.count()).select_from(OutboxMail)
                                      .where(OutboxMail.status == PENDING)))
    flash(_("The mails whose time had come were tried. Still waiting: %(waiting)s.", waiting=still), "ok")
    return redirect(url_for(".index"), 303)
