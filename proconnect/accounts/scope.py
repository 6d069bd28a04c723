"""What a signed-in person may see: admins every cohort, coordinators the cohorts they belong to.

Anything outside someone's scope answers 404, exactly like something that does not exist.
"""
from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from ..cohorts.models import Cohort
from ..cohorts.slugs import well_formed
from ..extensions import db
from .models import CohortMember


def visible_cohorts(user=None):
    """A ``select(Cohort)`` limited to ``user``'s cohorts (default: the signed-in person; all for admins).

    :param user: another account, e.g. the owner of an API token (the JSON API has no session)
    """
    user = current_user if user is None else user
    query = select(Cohort)
    if user.role != "admin":
        query = query.join(CohortMember, CohortMember.cohort_id == Cohort.id).where(
            CohortMember.account_id == user.id)
    return query


def visible_cohort(slug: str, user=None) -> Cohort | None:
    """The cohort with this slug when ``user`` (default: the signed-in person) may see it, else None."""
    # Only well-formed slugs are looked up: PostgreSQL answers a NUL byte in a query with an error, not with
    # "no such row".
    if not well_formed(slug):
        return None
    return db.session.scalar(visible_cohorts(user).where(Cohort.slug == slug))


def cohort_or_404(slug: str) -> Cohort:
    """The cohort with this slug, when the signed-in person may see it. :raise 404: otherwise"""
    cohort = visible_cohort(slug)
    if cohort is None:
        abort(404)
    return cohort
