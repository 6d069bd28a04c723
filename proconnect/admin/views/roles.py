"""Trainers' training sessions (link, QR code, feedback summary) and mentors' apprentices (their logs).

Each person sees only their own: anything else answers 404, as if it did not exist.
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from ...access import allow
from ...accounts.models import MentorAssignment
from ...audit import record
from ...cohorts.models import Cohort
from ...definitions import forms_registry
from ...definitions.model import PARTICIPANT_FIELD
from ...definitions.roles import MENTOR_LOG, TRAINING_FEEDBACK
from ...distribution import qr
from ...links.prefill import signed_url
from ...links.urls import link_url
from ...links.models import Link
from ...extensions import db
from ...fieldtypes import field_type, stored_value
from ...forms_util import choices
from ...responses.readable import readable
from ...responses.models import Answer, Response
from ..forms import SessionForm
from ..models import TrainingSession


def _own(query, owner_column):
    return query if current_user.role == "admin" else query.where(owner_column == current_user.id)


@allow("trainer")
def sessions():
    counts = (select(Response.link_id, func.count(Response.id).label("n")).group_by(Response.link_id).subquery())
    rows = db.session.execute(_own(select(TrainingSession, func.coalesce(counts.c.n, 0))
                                   .outerjoin(counts, counts.c.link_id == TrainingSession.link_id),
                                   TrainingSession.trainer_id)
                              .order_by(TrainingSession.held_on.desc(), TrainingSession.id.desc())).all()
    return render_template("admin/sessions.html", rows=rows)


def _session_cohorts() -> list[Cohort]:
    if current_user.role == "admin":
        return db.session.scalars(select(Cohort).order_by(Cohort.slug)).all()
    return current_user.cohorts


@allow("trainer")
def session_new():
    """Create a training session: a feedback link of its own, shown as a QR code at the end of the session."""
    form_id = TRAINING_FEEDBACK.form_id()
    available = forms_registry(current_app).get(form_id) is not None
    form = SessionForm()
    cohorts = _session_cohorts()
    form.cohort.choices = choices((c.id, c.title) for c in cohorts)
    if available and cohorts and form.validate_on_submit():
        link = Link(form_id=form_id, cohort_id=form.cohort.data, language="de",
                    event=f"{form.topic.data.strip()} · {form.held_on.data.isoformat()}")
        db.session.add(link)
        db.session.flush()
        training = TrainingSession(trainer_id=current_user.id, link_id=link.id, topic=form.topic.data.strip(),
                                   held_on=form.held_on.data)
        db.session.add(training)
        db.session.flush()
        record("link_created", f"link {link.id} for training session {training.id}", form=form_id,
               event=link.event)
        db.session.commit()
        flash(_l("The session was created. Show its QR code at the end of the training."), "ok")
        return redirect(url_for(".session", session_id=training.id))
    return render_template("admin/session_form.html", form=form, available=available, cohorts=cohorts,
                           form_id=form_id), 400 if form.errors else 200


def _summary(link: Link):
    """Per question of the feedback form: how often each value was given through this link."""
    definition = forms_registry(current_app).get(link.form_id, link.version)
    values = [Answer.value_text, Answer.value_num, Answer.value_date, Answer.value_long]
    rows = db.session.execute(select(Answer.field_id, *values, func.count())
                              .join(Response, Response.id == Answer.response_id)
                              .where(Response.link_id == link.id, Answer.shown, Answer.value_long.is_(None))
                              .group_by(Answer.field_id, *values)).all()
    counted: dict[str, dict] = {}
    for row in rows:
        key = stored_value(row)
        if isinstance(key, float) and key == int(key):
            key = int(key)
        # A multiple choice's rows of one value differ in their place among the chosen (value_num): add them up.
        counted.setdefault(row.field_id, {})[key] = counted.get(row.field_id, {}).get(key, 0) + row[-1]
    summary = []
    for f in definition.answer_fields if definition else []:
        handler = field_type(f)
        order = handler.options(f)
        for name, part in handler.parts(f):
            if name not in counted:
                continue
            values = counted[name]
            total = sum(values.values())
            ranked = sorted(values.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order),
                                                            str(kv[0])))
            bars = [(handler.text(f, v), n, round(100 * n / total)) for v, n in ranked]
            summary.append({"question": f"{f.label} – {part}" if part else f.label, "total": total, "bars": bars})
    return summary


@allow("trainer")
def session(session_id: int):
    training = db.session.scalar(_own(select(TrainingSession).filter_by(id=session_id), TrainingSession.trainer_id))
    if training is None:
        abort(404)
    url = link_url(training.link)
    count = db.session.scalar(select(func.count(Response.id)).filter_by(link_id=training.link_id))
    return render_template("admin/session.html", training=training, url=url, qr=qr.svg_data_uri(url), count=count,
                           summary=_summary(training.link))


@allow("mentor")
def apprentices():
    """The apprentices assigned to the signed-in mentor, with their number of logs."""
    form_id = MENTOR_LOG.form_id()
    logs = (select(Response.cohort_id, Response.participant_code, func.count(Response.id).label("n"),
                   func.max(Response.submitted_at).label("last"))
            .where(Response.form_id == form_id).group_by(Response.cohort_id, Response.participant_code).subquery())
    rows = db.session.execute(_own(select(MentorAssignment, logs.c.n, logs.c.last).outerjoin(
        logs, (logs.c.cohort_id == MentorAssignment.cohort_id)
        & (logs.c.participant_code == MentorAssignment.participant_code)), MentorAssignment.mentor_id)
        .order_by(MentorAssignment.participant_code)).all()
    return render_template("admin/apprentices.html", rows=rows)


@allow("mentor")
def apprentice(slug: str, code: str):
    """One apprentice's mentor logs; another mentor's apprentice is not found."""
    assignment = db.session.scalar(_own(select(MentorAssignment).join(Cohort).where(
        Cohort.slug == slug, MentorAssignment.participant_code == code), MentorAssignment.mentor_id)) \
        if len(slug) <= 64 else None
    if assignment is None:
        abort(404)
    form_id = MENTOR_LOG.form_id()
    registry = forms_registry(current_app)
    logs = db.session.scalars(select(Response).filter_by(
        cohort_id=assignment.cohort_id, participant_code=assignment.participant_code, form_id=form_id)
        .order_by(Response.submitted_at.desc())).all()
    link = db.session.scalar(select(Link).filter_by(cohort_id=assignment.cohort_id, form_id=form_id,
                                                    revoked_at=None, test=False).order_by(Link.created_at.desc()))
    # The log opens with the apprentice's code set, signed: the mentor sees it and cannot change it.
    new_log_url = signed_url(link, {PARTICIPANT_FIELD: assignment.participant_code}) if link else None
    return render_template("admin/apprentice.html", assignment=assignment, logs=[readable(r, registry) for r in logs],
                           new_log_url=new_log_url)
