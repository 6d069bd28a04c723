"""Invitation links for volunteers: one form version, one language, no account.

The link carries the invitation's id signed with the app's secret key (a changed or made-up link is
refused); the row says until when it works and whether it was revoked.
"""
from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer
from flask import current_app, url_for

from ..extensions import db
from .models import RecordingInvitation

SALT = "proconnect.recording-invitation"


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def invitation_token(invitation: RecordingInvitation) -> str:
    return _signer().dumps(invitation.id)


def invitation_url(invitation: RecordingInvitation) -> str:
    """The absolute address to hand to the volunteer (``PUBLIC_URL`` + ``/record/<token>``)."""
    path = url_for("recordings.invited", token=invitation_token(invitation))
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}{path}"


def find_invitation(token: str) -> RecordingInvitation | None:
    """The invitation a link names while it works: signed by this app, not expired, not revoked."""
    try:
        invitation_id = _signer().loads(token)
    except BadSignature:
        return None
    if not isinstance(invitation_id, int) or not 0 < invitation_id < 2**31:
        return None
    invitation = db.session.get(RecordingInvitation, invitation_id)
    return invitation if invitation is not None and invitation.usable else None
