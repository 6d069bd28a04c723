"""Participants of a cohort by pseudonymous code, their answers, export and erasure; responses per instrument."""
from __future__ import annotations

import json
from datetime import date

from flask import Response as HttpResponse, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l, lazy_ngettext
from flask_login import current_user
from sqlalchemy import func, select

from ...access import allow
from ...accounts.models import MentorAssignment, User
from ...accounts.scope import cohort_or_404
from ...audit import participant_target, record
from ...corrections.service import moves
from ...definitions import forms_registry
from ...links.codes import MAX_LENGTH, spellings, to_address
from ...matching import permission
from ...links.models import Link
from ...links.selection import select_participants, selected_codes, selections, undo_selection
from ...errors import refuse
from ...extensions import db
from ...forms_util import choices
from ...privacy.erasure import erase_participant, participant_responses, was_erased
from ...privacy.export import participant_data, participant_pdf
from ...personal_data import code_digest
from ...responses.readable import readable
from ...responses.models import REVIEW_STATES, WITH_VOIDED, Response
from ..forms import EraseForm, MentorForm, SelectionForm, WorkPermissionForm
from ..tables import Sorting, paginate
from .corrections import REVIEW_LABELS

def _participant_or_error(slug: str, code: str, moved: bool = False):
    """The cohort and the responses of ``code`` (as stored: the address converter decodes it) in it.

    :param moved: a code whose responses were all moved to another code is found too (its page shows where)
    :raise 404: unknown cohort or code (or not one's own cohort); :raise 410: the code's data was erased
    """
    cohort = cohort_or_404(slug)
    responses = participant_responses(cohort.id, code)
    if not responses and not (moved and moves(cohort.id, code)):
        if was_erased(cohort.id, code):
            refuse(410, _l("The data of this participant was erased on request. Nothing is kept under this code."))
        abort(404)
    return cohort, responses


@allow("coordinator")
def participants(slug: str):
    """Participant codes of a cohort with their responses, sorted and filtered on the server."""
    cohort = cohort_or_404(slug)
    n, first, last = func.count(Response.id), func.min(Response.submitted_at), func.max(Response.submitted_at)
    sorting = Sorting.from_request({"code": Response.participant_code, "responses": n, "first": first,
                                    "last": last}, default="code")
    query = (select(Response.participant_code, n.label("responses"), first.label("first"), last.label("last"))
             .where(Response.cohort_id == cohort.id, Response.participant_code.is_not(None))
             .group_by(Response.participant_code))
    q = request.args.get("q", "").strip().upper()[:32]
    if q:
        query = query.where(Response.participant_code.contains(q, autoescape=True))
    form_id = request.args.get("form", "")
    if form_id:
        query = query.where(Response.participant_code.in_(
            select(Response.participant_code).where(Response.cohort_id == cohort.id, Response.form_id == form_id)))
    chosen = selected_codes(cohort.id)
    selected_filter = request.args.get("selected", "")
    if selected_filter in ("yes", "no"):
        inside = Response.participant_code.in_(chosen)
        query = query.where(inside if selected_filter == "yes" else ~inside)
    page = paginate(query.order_by(sorting.clause(), Response.participant_code))
    codes = [row.participant_code for row in page.items]
    forms = {}
    for code, form in db.session.execute(select(Response.participant_code, Response.form_id).distinct().where(
            Response.cohort_id == cohort.id, Response.participant_code.in_(codes))
            .order_by(Response.participant_code, Response.form_id)):
        forms.setdefault(code, []).append(form)
    instruments = db.session.scalars(select(Response.form_id).distinct().where(Response.cohort_id == cohort.id)
                                     .order_by(Response.form_id)).all()
    marked = selections(cohort.id, codes)
    selectors = dict(db.session.execute(select(User.id, User.username).where(
        User.id.in_({s.selected_by_id for s in marked.values()}))).all())
    everyone = db.session.scalar(select(func.count(Response.participant_code.distinct())).where(
        Response.cohort_id == cohort.id, Response.participant_code.is_not(None))) or 0
    selected = db.session.scalar(select(func.count(Response.participant_code.distinct())).where(
        Response.cohort_id == cohort.id, Response.participant_code.in_(chosen))) or 0
    return render_template("admin/participants.html", cohort=cohort, page=page, sorting=sorting, q=q,
                           form_id=form_id, forms=forms, instruments=instruments, marked=marked,
                           selectors=selectors, everyone=everyone, selected=selected,
                           selected_filter=selected_filter, selection_form=SelectionForm(selected_on=date.today()))


def _flash_errors(form) -> None:
    """Say what is wrong with a form posted from a page (a forged one without its CSRF token: 400)."""
    if form.csrf_token.errors:
        abort(400)
    for errors in form.errors.values():
        for error in errors:
            flash(error, "error")


#: The list's own query arguments: where a change of selection returns to.
LIST_ARGS = ("q", "form", "selected", "sort", "dir", "page")


@allow("coordinator")
def selection(slug: str):
    """Mark the ticked participants selected (the 75 % target counts against them), or undo it; audit-logged."""
    cohort = cohort_or_404(slug)
    form = SelectionForm()
    back = redirect(url_for(".participants", slug=cohort.slug,
                            **{k: v for k in LIST_ARGS if (v := request.form.get(f"list_{k}", "")[:64])}))
    if not form.validate_on_submit():
        _flash_errors(form)
        return back
    if form.selected_on.data > date.today():
        flash(_("The day of the selection cannot be in the future."), "error")
        return back
    # The list's boxes carry the codes as stored (older ones may hold a space or a slash); the cohort's own
    # codes are checked below.
    codes = sorted({c for c in form.codes.data if 0 < len(c) <= MAX_LENGTH})
    known = set(db.session.scalars(select(Response.participant_code).distinct().where(
        Response.cohort_id == cohort.id, Response.participant_code.in_(codes))))
    if not codes or len(codes) != len(form.codes.data) or known != set(codes):
        flash(_("Please tick the participants of this list first.") if not form.codes.data
              else _("Some of the ticked codes do not belong to this cohort. Nothing was changed."), "error")
        return back
    if form.undo.data:
        changed = undo_selection(cohort.id, codes)
        action, message = "selection_undone", lazy_ngettext("Selection undone for %(n)s participant.",
                                                              "Selection undone for %(n)s participants.",
                                                              len(changed), n=len(changed))
    else:
        changed = select_participants(cohort.id, codes, form.selected_on.data, current_user.id)
        action, message = "selected", lazy_ngettext("%(n)s participant marked as selected.",
                                                   "%(n)s participants marked as selected.", len(changed),
                                                   n=len(changed))
    if changed:
        # The audit log names people by a keyed digest, never by their code.
        record(action, f"cohort {cohort.slug}", participants=[code_digest(cohort.id, c)[:16] for c in changed],
               on=form.selected_on.data.isoformat() if action == "selected" else None)
    db.session.commit()
    flash(message, "ok")
    return back


@allow("coordinator")
def participant(slug: str, code: str):
    """One participant: every answer across instruments (voided ones marked), responses moved to or from the
    code, the mentor, export and erasure."""
    cohort, responses = _participant_or_error(slug, code, moved=True)
    registry = forms_registry(current_app)
    assignment = db.session.scalar(select(MentorAssignment).filter_by(cohort_id=cohort.id, participant_code=code))
    chosen = selections(cohort.id, [code]).get(code)
    selector = db.session.get(User, chosen.selected_by_id) if chosen and chosen.selected_by_id else None
    work = permission.status_of(cohort.id, code)
    return render_template("admin/participant.html", cohort=cohort, code=code,
                           responses=[readable(r, registry) for r in responses], assignment=assignment,
                           mentor_form=_mentor_form(assignment), chosen=chosen, selector=selector,
                           moves=moves(cohort.id, code), review_labels=REVIEW_LABELS, work=work,
                           work_by=db.session.get(User, work.set_by_id) if work and work.set_by_id else None,
                           work_form=_work_form(work), work_labels=permission.STATUSES)


def _work_form(work) -> WorkPermissionForm:
    form = WorkPermissionForm(status=work.status if work else "unknown",
                              as_of=work.as_of if work else date.today())
    form.status.choices = choices(list(permission.STATUSES.items()))
    return form


@allow("coordinator")
def participant_work_permission(slug: str, code: str):
    """Record whether the participant may work yet (matching prefers it to their own answer); audit-logged."""
    cohort, _responses = _participant_or_error(slug, code)
    form = _work_form(None)
    back = redirect(url_for(".participant", slug=cohort.slug, code=code, _anchor="work-permission"))
    if not form.validate_on_submit():
        _flash_errors(form)
        return back
    if form.as_of.data > date.today():
        flash(_("The day of the status cannot be in the future."), "error")
        return back
    if permission.set_status(cohort.id, code, form.status.data, form.as_of.data, current_user.id):
        # The log says that it changed, not to what: it outlives an erasure of the person's data.
        record("work_permission_changed", participant_target(cohort, code))
    db.session.commit()
    flash(_l("Saved."), "ok")
    return back


def _mentor_form(assignment) -> MentorForm:
    form = MentorForm(mentor=assignment.mentor_id if assignment else 0)
    mentors = db.session.scalars(select(User).filter_by(role="mentor", active=True).order_by(User.username)).all()
    form.mentor.choices = choices([(0, _("no mentor"))] + [(m.id, m.username) for m in mentors])
    return form


@allow("coordinator")
def participant_mentor(slug: str, code: str):
    """Assign (or remove) the mentor who looks after this participant."""
    cohort, _responses = _participant_or_error(slug, code)
    assignment = db.session.scalar(select(MentorAssignment).filter_by(cohort_id=cohort.id, participant_code=code))
    form = _mentor_form(assignment)
    if not form.validate_on_submit():
        abort(400)
    if assignment is not None:
        db.session.delete(assignment)
        db.session.flush()
    mentor = db.session.get(User, form.mentor.data) if form.mentor.data else None
    if mentor is not None:
        db.session.add(MentorAssignment(mentor_id=mentor.id, cohort_id=cohort.id, participant_code=code))
    record("mentor_assigned", participant_target(cohort, code),
           mentor=mentor.username if mentor else None)
    db.session.commit()
    flash(_l("Saved."), "ok")
    return redirect(url_for(".participant", slug=cohort.slug, code=code))


#: Export format -> (mime type, renderer of a participant's data).
EXPORTS = {
    "json": ("application/json",
             lambda cohort, code: json.dumps(participant_data(cohort, code), ensure_ascii=False, indent=2)),
    "pdf": ("application/pdf", participant_pdf),
}


@allow("coordinator")
def export(slug: str, code: str, fmt: str):
    """All of a participant's answers as JSON or a readable PDF (rights of access and to data portability)."""
    if fmt not in EXPORTS:
        abort(404)
    cohort, responses = _participant_or_error(slug, code)
    mimetype, render = EXPORTS[fmt]
    body = render(cohort, code)
    record("export", participant_target(cohort, code), format=fmt, responses=len(responses))
    db.session.commit()
    return HttpResponse(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="participant-{to_address(code)}.{fmt}"',
        "Cache-Control": "no-store"})


@allow("coordinator")
def erase(slug: str, code: str):
    """Erase a participant's data on request, after typing the code again to confirm."""
    cohort, responses = _participant_or_error(slug, code)
    form = EraseForm()
    if form.validate_on_submit():
        if code not in spellings(form.confirm.data):
            form.confirm.errors.append(_("The code you typed does not match. Nothing was erased."))
        else:
            erasure = erase_participant(cohort, code)
            flash(_l("The participant's data was erased. Responses anonymised: %(n)s. Free-text answers deleted: "
                     "%(texts)s. The counts of the cohort are unchanged.", n=erasure.anonymised,
                     texts=erasure.answers_removed), "ok")
            return redirect(url_for(".participants", slug=cohort.slug))
    return render_template("admin/erase.html", cohort=cohort, code=code, form=form, count=len(responses)), \
        400 if form.errors else 200


@allow("coordinator")
def responses(slug: str):
    """Responses per instrument (voided ones listed apart); with ``?form=`` the responses of one instrument,
    filtered (by review state too, or the voided ones) and sorted."""
    cohort = cohort_or_404(slug)
    counts = db.session.execute(select(Response.form_id, Response.version, func.count(Response.id),
                                       func.max(Response.submitted_at))
                                .where(Response.cohort_id == cohort.id)
                                .group_by(Response.form_id, Response.version)
                                .order_by(Response.form_id, Response.version)).all()
    form_id = request.args.get("form", "")
    review = request.args.get("review", "")
    review = review if review in REVIEW_STATES or review == "voided" else ""
    if not form_id:
        voided = db.session.scalars(select(Response).where(Response.cohort_id == cohort.id, Response.voided)
                                    .order_by(Response.submitted_at.desc(), Response.id.desc()).limit(200),
                                    execution_options=WITH_VOIDED).all()
        return render_template("admin/responses.html", cohort=cohort, counts=counts, page=None, voided=voided,
                               registry=forms_registry(current_app), review_labels=REVIEW_LABELS)
    sorting = Sorting.from_request({"submitted": Response.submitted_at, "code": Response.participant_code,
                                    "language": Response.language, "version": Response.version,
                                    "review": Response.review}, default="submitted", descending=True)
    query = (select(Response, Link.event).outerjoin(Link, Link.id == Response.link_id)
             .where(Response.cohort_id == cohort.id, Response.form_id == form_id))
    if review == "voided":
        # The one filter leaves voided responses out; this list asks for them, and only them.
        query = query.where(Response.voided)
    elif review:
        query = query.where(Response.review == review)
    language = request.args.get("language", "")
    if language:
        query = query.where(Response.language == language)
    version = request.args.get("version", "")
    # isdecimal, not isdigit: int() refuses "²"; the bound keeps PostgreSQL's integer from overflowing.
    if version.isdecimal() and len(version) <= 5:
        query = query.where(Response.version == int(version))
    page = paginate(query.order_by(sorting.clause(), Response.id.desc()),
                    options=WITH_VOIDED if review == "voided" else None)
    languages = db.session.scalars(select(Response.language).distinct().where(
        Response.cohort_id == cohort.id, Response.form_id == form_id).order_by(Response.language)).all()
    return render_template("admin/responses.html", cohort=cohort, counts=counts, page=page, form_id=form_id,
                           sorting=sorting, language=language, version=version, languages=languages,
                           review=review, review_labels=REVIEW_LABELS, registry=forms_registry(current_app))
