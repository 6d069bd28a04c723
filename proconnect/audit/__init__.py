"""Append-only audit log of sign-ins, exports, erasures, role changes and link creation."""
from __future__ import annotations

from flask import has_request_context, request
from flask_login import current_user

from ..extensions import db
from ..personal_data import Declaration, code_digest
from .models import AuditEvent

#: Targets name a participant by a keyed digest of the code (``participant_target``), never the code itself.
DECLARATION = Declaration("audit", nothing={
    "audit_event": "staff actions; a participant appears only as a keyed digest of the code"})

#: Actions written to the log, with the label an admin sees in the viewer.
ACTIONS = (
    "login", "login_failed", "logout", "session_expired", "password_changed", "password_set",
    "account_created", "account_changed", "role_changed", "invitation_issued", "reset_issued",
    "cohort_created", "cohort_changed", "membership_changed", "mentor_assigned", "link_created",
    "link_revoked", "test_answers_deleted", "two_factor_enabled", "two_factor_disabled", "two_factor_failed", "two_factor_reset",
    "recovery_code_used", "recovery_codes_renewed",
    "export", "erasure", "retention",
    "match_decision", "hospitation_created", "selected", "selection_undone",
    "mail_retried", "company_survey_sent", "company_survey_reminded",
    "draft_uploaded", "draft_discarded", "version_published",
    "recording_saved", "recording_deleted", "recording_invitation_created", "recording_invitation_revoked",
    "response_corrected", "response_voided", "response_restored", "response_reassigned", "response_reviewed",
    "company_created", "company_changed", "company_name_matched", "work_permission_changed",
)


def participant_target(cohort, code: str) -> str:
    """How an entry names a participant: by the first 16 hex digits of the code's keyed digest in the cohort,
    so the log keeps no code (erasure cannot change the log) and an admin who knows the code can find it."""
    return f"participant {code_digest(cohort.id, code)[:16]} of cohort {cohort.slug}"


def record(action: str, target: str = "", actor=None, commit: bool = False, **details) -> AuditEvent:
    """Add an entry for ``action``; it is committed with the change it describes (or now, with ``commit``).

    :param actor: the account acting; default: the signed-in person, else the command line
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    if actor is not None:
        actor_id, name = actor.id, actor.username
    else:
        actor_id, name = None, ("-" if has_request_context() else "cli")
    entry = AuditEvent(actor_id=actor_id, actor=name, action=action, target=target[:200], details=details,
                       ip=request.remote_addr if has_request_context() else None)
    db.session.add(entry)
    if commit:
        db.session.commit()
    return entry
