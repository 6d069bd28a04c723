"""The audit log for admins: newest first, filtered on the server; read-only like the table itself."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import render_template, request
from sqlalchemy import select

from ...access import allow
from ...audit import ACTIONS
from ...audit.models import AuditEvent
from ..tables import Sorting, paginate


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@allow("admin")
def audit_log():
    sorting = Sorting.from_request({"at": AuditEvent.at}, default="at", descending=True)
    query = select(AuditEvent)
    action = request.args.get("action", "")
    if action in ACTIONS:
        query = query.where(AuditEvent.action == action)
    actor = request.args.get("actor", "").strip()[:80]
    if actor:
        query = query.where(AuditEvent.actor == actor)
    since, until = _day("since"), _day("until")
    if since:
        query = query.where(AuditEvent.at >= datetime.combine(since, time.min))
    if until:
        query = query.where(AuditEvent.at < datetime.combine(until + timedelta(days=1), time.min))
    page = paginate(query.order_by(sorting.clause(), AuditEvent.id.desc()), scalars=True)
    return render_template("admin/audit.html", page=page, sorting=sorting, actions=ACTIONS, action=action,
                           actor=actor, since=since, until=until)
