"""What a signed-in person may see: admins every cohort, coordinators the cohorts they belong to.

Anything outside someone's scope answers 404, exactly like something that does not exist.
"""
from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from ..accounts.models import CohortMember
from ..cohorts.models import Cohort
from ..extensions import db


def visible_cohorts():
    """A ``select(Cohort)`` limited to the signed-in person's cohorts (all of them for admins)."""
    query = select(Cohort)
    if current_user.role != "admin":
        query = query.join(CohortMember, CohortMember.cohort_id == Cohort.id).where(
            CohortMember.account_id == current_user.id)
    return query


def cohort_or_404(slug: str) -> Cohort:
    """The cohort with this slug, when the signed-in person may see it. :raise 404: otherwise"""
    cohort = db.session.scalar(visible_cohorts().where(Cohort.slug == slug)) if len(slug) <= 64 else None
    if cohort is None:
        abort(404)
    return cohort
