"""A stored response's page and what staff change on it: correct an answer, void or restore, move it to another
participant code, review state; each with its history (``corrections``) and an audit entry."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from ...access import allow
from ...accounts.scope import cohort_or_404
from ...corrections import service
from ...corrections.service import Refused
from ...definitions import forms_registry
from ...extensions import db
from ...fieldtypes import field_type
from ...forms_util import choices
from ...links.models import Link
from ...responses.models import REVIEW_STATES
from ...responses.readable import questions, readable
from ..forms import REASON, ReasonForm, ReassignForm, ReviewForm

#: How staff read each review state.
REVIEW_LABELS = {"new": _l("new"), "checked": _l("checked"), "attention": _l("needs attention")}
#: How the history names each kind of change.
KIND_LABELS = {"correct": _l("corrected"), "follows": _l("follows from the correction"), "void": _l("voided"),
               "restore": _l("restored"), "reassign": _l("moved to another code")}


def _response_or_404(slug: str, response_id: int):
    """The cohort and one of its responses (a voided one too). :raise 404: another cohort's, or none"""
    cohort = cohort_or_404(slug)
    response = service.find_response(cohort, response_id)
    if response is None:
        abort(404)
    return cohort, response


def _review_form(response) -> ReviewForm:
    form = ReviewForm(state=response.review)
    form.state.choices = choices([(s, REVIEW_LABELS[s]) for s in REVIEW_STATES])
    return form


def _value_text(definition, name: str, value) -> str:
    """A value of the history as a person reads it (through the field's type; a score as a number)."""
    if value is None:
        return "–"
    if definition is not None:
        for score in definition.scores:
            if score.id == name:
                return format_decimal(value)
        field_id = name.split(".")[0]
        for f in definition.answer_fields:
            if f.id == field_id:
                handler = field_type(f)
                return handler.text(f, handler.cell(value))
    return str(value)


def history_rows(definition, changes) -> list[dict]:
    """The history of a response for its page: when, who, what, old → new, why."""
    texts = questions(definition) if definition is not None else {}
    if definition is not None:
        texts |= {s.id: s.label for s in definition.scores}
    rows = []
    for c in changes:
        if c.kind == "reassign":
            old, new = c.old_code or "–", c.new_code or "–"
        elif c.kind in ("correct", "follows"):
            old, new = _value_text(definition, c.field_id, c.old), _value_text(definition, c.field_id, c.new)
        else:
            old = new = None
        rows.append({"at": c.changed_at, "by": c.changed_by, "kind": KIND_LABELS[c.kind],
                     "question": texts.get(c.field_id, c.field_id) if c.field_id else "", "old": old, "new": new,
                     "reason": c.reason})
    return rows


def _render(cohort, response, status=200, **forms):
    registry = forms_registry(current_app)
    definition = registry.get(response.form_id, response.version)
    try:
        fields = service.correctable(service.definition_of(registry, response), response)
    except Refused:
        fields = []
    return render_template(
        "admin/response.html", cohort=cohort, response=readable(response, registry),
        link=db.session.get(Link, response.link_id) if response.link_id else None,
        history=history_rows(definition, service.history(response.id)), correctable=fields,
        correctable_ids={f.id for f in fields},
        review_form=forms.get("review") or _review_form(response), review_labels=REVIEW_LABELS,
        reason_form=forms.get("reason") or ReasonForm(), reassign_form=forms.get("reassign") or ReassignForm(),
    ), status


@allow("coordinator")
def response(slug: str, response_id: int):
    """One response with its questions and answers, its history, and what staff may change."""
    cohort, row = _response_or_404(slug, response_id)
    return _render(cohort, row)


def _done(cohort, response, message):
    db.session.commit()
    flash(message, "ok")
    return redirect(url_for(".response", slug=cohort.slug, response_id=response.id))


def _refused(cohort, response, refusal: Refused, **forms):
    db.session.rollback()
    flash(refusal.message, "error")
    return _render(cohort, response, 400, **forms)


def _invalid(cohort, response, form, key: str):
    if form.csrf_token.errors:
        abort(400)
    return _render(cohort, response, 400, **{key: form})


def _void_or_restore(slug: str, response_id: int, change, message):
    cohort, row = _response_or_404(slug, response_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _invalid(cohort, row, form, "reason")
    try:
        change(cohort, row, form.reason.data, current_user)
    except Refused as refusal:
        return _refused(cohort, row, refusal, reason=form)
    return _done(cohort, row, message)


@allow("coordinator")
def response_void(slug: str, response_id: int):
    """Void the response (a duplicate, a test, the wrong person): out of every figure, listed apart."""
    return _void_or_restore(slug, response_id, service.void,
                            _l("The response was voided: it is left out of every figure and can be restored."))


@allow("coordinator")
def response_restore(slug: str, response_id: int):
    """Count a voided response again."""
    return _void_or_restore(slug, response_id, service.restore, _l("The response was restored: it counts again."))


@allow("coordinator")
def response_reassign(slug: str, response_id: int):
    """Move the response to another participant code of the cohort (the code was mistyped)."""
    cohort, row = _response_or_404(slug, response_id)
    form = ReassignForm()
    if not form.validate_on_submit():
        return _invalid(cohort, row, form, "reassign")
    registry = forms_registry(current_app)
    try:
        try:
            definition = service.definition_of(registry, row)
        except Refused:
            definition = None  # the code moves all the same; only the stored answer rows stay as they are
        change = service.reassign(cohort, row, form.code.data, form.move_reason.data, current_user, definition)
    except Refused as refusal:
        return _refused(cohort, row, refusal, reassign=form)
    return _done(cohort, row, _l("The response now belongs to %(code)s.", code=change.new_code))


@allow("coordinator")
def response_review(slug: str, response_id: int):
    """Set the response's review state (new, checked, needs attention)."""
    cohort, row = _response_or_404(slug, response_id)
    form = _review_form(row)
    if not form.validate_on_submit():
        return _invalid(cohort, row, form, "review")
    try:
        service.set_review(cohort, row, form.state.data)
    except Refused as refusal:
        return _refused(cohort, row, refusal)
    return _done(cohort, row, _l("Review state saved."))


def _source_text(text: str) -> str:
    """A text of the form as staff read it on their pages: the German source, untranslated."""
    return text


def correction_form(definition, f) -> type[FlaskForm]:
    """A form with the question's own inputs, built by its field type for the response's version (so it takes
    only the values that version allows), and the reason."""
    form_class = type("CorrectionForm", (FlaskForm,), {"forged": False, "correction_reason": REASON})
    for name, unbound in field_type(f).build(f, f.label, _source_text).items():
        setattr(form_class, name, unbound)
    return form_class


@allow("coordinator")
def response_correct(slug: str, response_id: int):
    """Correct the answer to one question (``field``) of the response, with a reason; the old value stays in
    the history."""
    cohort, row = _response_or_404(slug, response_id)
    field_id = request.values.get("field", "")
    try:
        definition = service.definition_of(forms_registry(current_app), row)
    except Refused as refusal:
        flash(refusal.message, "error")
        return redirect(url_for(".response", slug=cohort.slug, response_id=row.id))
    f = next((f for f in service.correctable(definition, row) if f.id == field_id), None)
    if f is None:
        abort(404)
    handler = field_type(f)
    form_class = correction_form(definition, f)
    status = 200
    if request.method == "POST":
        form = form_class()
        if form.validate_on_submit():
            try:
                service.correct(cohort, row, definition, f, handler.values(f, form), form.correction_reason.data,
                                current_user)
                return _done(cohort, row, _l("The answer was corrected; the old one is kept in the history."))
            except Refused as refusal:
                db.session.rollback()
                flash(refusal.message, "error")
        elif form.csrf_token.errors:
            abort(400)
        status = 400
    else:
        current = service.current_values(definition, row)
        form = form_class(data=dict(zip(handler.input_names(f), [current.get(n) for n in handler.answer_names(f)])))
    # Drawn by the participant's own markup (its field type's ``draws``): the inputs look, and send, as they did.
    return render_template("admin/correct.html", cohort=cohort, response=row, definition=definition, question=f,
                           form=form, t=_source_text, title=definition.title), status
