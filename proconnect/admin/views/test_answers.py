"""A cohort's test answers (given through test links in a rehearsal): listed apart and deleted in one action.

They are invisible to every other page (``responses.models``' one filter); only this page asks for them."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import ngettext
from sqlalchemy import select

from ...access import allow
from ...accounts.scope import cohort_or_404
from ...audit import record
from ...extensions import db
from ...links.models import Link
from ...responses.storage import delete_test_responses, test_responses


@allow("coordinator")
def test_answers(slug: str):
    """Every test answer of the cohort, newest first, with its link; the button that deletes them."""
    cohort = cohort_or_404(slug)
    answers = db.session.scalars(test_responses(cohort.id)).all()
    links = {link.id: link for link in db.session.scalars(select(Link).filter_by(cohort_id=cohort.id, test=True))}
    return render_template("admin/test_answers.html", cohort=cohort, answers=answers, links=links)


@allow("coordinator")
def test_answers_delete(slug: str):
    """Delete all of the cohort's test answers (real answers stay), audit-logged."""
    cohort = cohort_or_404(slug)
    count = delete_test_responses(cohort.id)
    record("test_answers_deleted", f"cohort {cohort.slug}", responses=count)
    db.session.commit()
    flash(ngettext("%(num)s test answer was deleted. Real answers are unchanged.",
                   "%(num)s test answers were deleted. Real answers are unchanged.", count), "ok")
    return redirect(url_for("admin.cohort", slug=cohort.slug, _anchor="links"))
