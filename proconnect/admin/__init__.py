"""The staff side: coordinators' dashboard (cohorts, participants, responses, links), account
management and the audit log for admins, trainers' sessions and mentors' apprentices."""
from __future__ import annotations

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

#: Navigation of the staff layout: (endpoint, label, roles that see it, endpoint prefixes it stands for).
NAV = (
    ("admin.home", _l("Overview"), ("admin", "coordinator"), ("admin.home",)),
    ("admin.cohorts", _l("Cohorts"), ("admin", "coordinator"),
     ("admin.cohort", "admin.participant", "admin.response", "admin.link", "admin.erase", "admin.export",
      "outreach.")),
    ("admin.sessions", _l("My training sessions"), ("admin", "trainer"), ("admin.session",)),
    ("admin.apprentices", _l("My apprentices"), ("admin", "mentor"), ("admin.apprentice",)),
    ("companies.index", _l("Companies"), ("admin", "coordinator"), ("companies.",)),
    ("admin.accounts", _l("Accounts"), ("admin",), ("admin.account",)),
    ("admin.audit_log", _l("Audit log"), ("admin",), ("admin.audit",)),
    ("authoring.index", _l("Instruments"), ("admin", "coordinator"), ("authoring.",)),
    ("outbox.index", _l("Outbox"), ("admin", "coordinator"), ("outbox.",)),
    ("reports.index", _l("Reports"), ("admin", "coordinator"), ("reports.", "api_keys.")),
    ("handbook.index", _l("Help"), ("admin", "coordinator", "trainer", "mentor"), ("handbook.",)),
)


def staff_nav() -> list[dict]:
    """The navigation entries the signed-in person may use, the current one marked."""
    if not current_user.is_authenticated:
        return []
    here = request.endpoint or ""
    return [{"url": url_for(endpoint), "label": label, "current": here.startswith(prefixes)}
            for endpoint, label, roles, prefixes in NAV
            if current_user.role in roles and endpoint in current_app.view_functions]


def url_with(**changes) -> str:
    """The current page's URL with some query arguments changed (None removes one): sort and page links."""
    args = request.args.to_dict()
    args.update(changes)
    args = {k: v for k, v in args.items() if v not in (None, "")}
    return url_for(request.endpoint, **(request.view_args or {}), **args)
