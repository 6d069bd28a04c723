"""Token sign-in for the JSON API: ``Authorization: Bearer <token>`` on every call, no session, no cookie."""
from __future__ import annotations

from datetime import timedelta

from flask import request
from sqlalchemy import select

from ...accounts.models import User
from ...accounts.scope import visible_cohort
from ...cohorts.models import Cohort
from ...extensions import db
from ...models_util import utcnow
from .models import ApiToken, hash_token

#: Roles whose tokens may read the API (the coordinators' data; admins see every cohort).
API_ROLES = ("admin", "coordinator")


class ApiError(Exception):
    """An answer of the API that is not a success: status and a message for the caller."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def authenticate() -> User:
    """The owner of the request's token. :raise ApiError 401: no, unknown or revoked token; 403: wrong role"""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "send an API token: 'Authorization: Bearer <token>'")
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token.strip())))
    if row is None or not row.active or not row.owner.active:
        raise ApiError(401, "this API token is not valid (unknown or revoked)")
    if row.owner.role not in API_ROLES:
        raise ApiError(403, "this API token's account may not read the API")
    now = utcnow()
    # Written at most once an hour: reading the API should not turn every call into a write.
    if row.last_used_at is None or now - row.last_used_at > timedelta(hours=1):
        row.last_used_at = now
        db.session.commit()
    return row.owner


def cohort_for(user: User, slug: str) -> Cohort:
    """:raise ApiError 404: for a cohort that does not exist or that ``user`` may not read (the same answer)"""
    cohort = visible_cohort(slug, user)
    if cohort is None:
        raise ApiError(404, f"no cohort '{slug[:64]}'")
    return cohort
