"""Coordinators' match-making pages: suggestions with reasons, decisions, speed dating, hospitations, pipeline."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, ValidationError

from ..access import allow
from ..accounts.models import User
from ..accounts.scope import cohort_or_404
from ..audit import participant_target, record
from ..corrections import service as corrections
from ..definitions import forms_registry
from ..definitions.roles import HOSPITATION_FEEDBACK, HOSPITATION_VOICE
from ..links import codes
from ..links.urls import link_url
from ..links.models import Link
from ..extensions import db
from ..reports import placement
from ..responses.models import Response
from .after_hospitation import of_hospitations
from .engine import hospitation_reasons, left_out, pair_scores, rank_places, reasons
from .models import DECISIONS, Hospitation, MatchDecision
from .pipeline import pipeline
from .service import describer, open_places, places_for, project_rules, trade_labels
from .sources import company_offers, participant_profiles, profiles_of_code, trades
from .speed_dating import plan_speed_dating

DECISION_LABELS = {"contacted": _l("contacted"), "hospitation_agreed": _l("hospitation agreed"),
                   "rejected": _l("rejected")}


class DecisionForm(FlaskForm):
    participant = StringField(validators=[InputRequired(), Length(max=32)])
    company = IntegerField(validators=[InputRequired()])
    decision = SelectField(_l("Decision"), choices=[SelectChoice(d, DECISION_LABELS[d]) for d in DECISIONS])
    reason = StringField(_l("Reason (required when rejecting)"), validators=[Length(max=500)])


class SpeedDatingForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that only computes a plan

    tables = IntegerField(_l("Tables"), default=8, validators=[NumberRange(1, 60)])
    rounds = IntegerField(_l("Rounds"), default=6, validators=[NumberRange(1, 30)])
    start = StringField(_l("Start (YYYY-MM-DD HH:MM)"), default="2027-04-01 10:00")
    minutes = IntegerField(_l("Minutes per conversation"), default=10, validators=[NumberRange(3, 60)])


def _latest_decisions(cohort_id: int) -> dict[tuple[str, int], MatchDecision]:
    rows = db.session.scalars(select(MatchDecision).where(MatchDecision.cohort_id == cohort_id)
                              .order_by(MatchDecision.decided_at, MatchDecision.id))
    return {(d.participant_code, d.company_id): d for d in rows}


def _already_known(cohort_id: int) -> set[tuple[str, int]]:
    """Pairs a speed-dating event has no use for: they met at a hospitation, or a hospitation was agreed or the pair
    rejected (the newest decision)."""
    met = {(code, company) for code, company in db.session.execute(
        select(Hospitation.participant_code, Hospitation.company_id).where(Hospitation.cohort_id == cohort_id))}
    return met | {pair for pair, d in _latest_decisions(cohort_id).items()
                  if d.decision in ("hospitation_agreed", "rejected")}


#: How many companies a participant's suggestions show, unless ``?top=`` asks for 1 to ``MAX_TOP``.
TOP, MAX_TOP = 3, 50


def _top() -> int:
    # A hand-edited address (?top=abc, ?top=²) shows the default rather than an error page.
    try:
        return min(max(int(request.args.get("top", "")), 1), MAX_TOP)
    except ValueError:
        return TOP


@allow("coordinator")
def suggestions(slug: str):
    """Each participant's best companies with the reasons, and what was decided about them."""
    cohort = cohort_or_404(slug)
    rules, labels = project_rules(), trade_labels()
    code = request.args.get("participant", "")[:codes.MAX_LENGTH]
    people = profiles_of_code(cohort.id, code) if code.strip() else participant_profiles(cohort.id)
    companies = company_offers()
    places = open_places(companies)
    decided = _latest_decisions(cohort.id)
    top = _top()
    rows = []
    for person in people:
        matches = rank_places(person, places_for(person, companies, places), rules, limit=top)
        # Companies ruled out by what staff recorded (the permission to work), each once with the reason.
        ruled_out = sorted({(place.company, why) for place in places if (why := left_out(person, place))})
        rows.append((person, [(m, reasons(m, rules, lambda t: labels.get(t, t)),
                               decided.get((person.code, m.place.company_id))) for m in matches], ruled_out))
    names = {c.id: c.name for c in companies}
    # Decisions about companies that no longer offer places (or whose survey is gone) stay visible.
    orphaned = [d for (pc, cid), d in decided.items() if cid not in names]
    # A place offered after a hospitation is something to suggest even when no survey lists an open place.
    no_places = not places and not any(matches for _person, matches, _out in rows)
    return render_template("matching/suggestions.html", cohort=cohort, rows=rows, offer=describer(), code=code,
                           form=DecisionForm(), no_places=no_places, companies=companies, orphaned=orphaned,
                           decision_labels=DECISION_LABELS)


@allow("coordinator")
def decide(slug: str):
    """Keep a coordinator's decision about a suggestion (a new row each time: the history stays)."""
    cohort = cohort_or_404(slug)
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    if form.decision.data == "rejected" and not (form.reason.data or "").strip():
        flash(_("Please give a reason when you reject a suggestion."), "error")
        return redirect(url_for(".suggestions", slug=slug, participant=form.participant.data))
    person = profiles_of_code(cohort.id, form.participant.data)
    offer = next(iter(company_offers(form.company.data)), None)
    if not person or offer is None:
        abort(404)
    code = person[0].code
    # The place the suggestion showed: what was offered after a hospitation there first, else the best.
    best = next(iter(rank_places(person[0], places_for(person[0], [offer], offer.places), project_rules(),
                                 limit=1)), None)
    db.session.add(MatchDecision(cohort_id=cohort.id, participant_code=code, company_id=offer.id,
                                 company_name=offer.name, trade=best.place.trade if best else "",
                                 decision=form.decision.data, reason=(form.reason.data or "").strip(),
                                 score=best.score if best else None, decided_by=current_user.id))
    record("match_decision", participant_target(cohort, code), company=offer.id, decision=form.decision.data)
    db.session.commit()
    flash(_("Saved: %(code)s – %(company)s: %(decision)s", code=code, company=offer.name,
            decision=DECISION_LABELS[form.decision.data]), "success")
    return redirect(url_for(".suggestions", slug=slug, participant=request.args.get("participant", "")))


#: The least score (0–100) a pair needs to be seated at a speed-dating event.
SEATED_FROM = 40.0


@allow("coordinator")
def speed_dating(slug: str):
    """Plan a speed-dating event for the cohort (computed on request, nothing stored)."""
    cohort = cohort_or_404(slug)
    form = SpeedDatingForm(request.args)
    plan, names, scores, error, not_seated = None, {}, {}, None, 0
    if request.args and form.validate():
        try:
            start = datetime.strptime(form.start.data.strip(), "%Y-%m-%d %H:%M")
        except ValueError:
            error = _("Please give the start as YYYY-MM-DD HH:MM, for example 2027-04-01 10:00.")
        else:
            rules = project_rules()
            people = participant_profiles(cohort.id)
            companies = company_offers()
            names = {c.id: c.name for c in companies}
            scores = pair_scores(people, [p for c in companies for p in c.places], rules)
            known = _already_known(cohort.id)
            not_seated = sum(1 for pair in known if scores.get(pair, -1.0) >= SEATED_FROM)
            if not scores:
                error = _("A speed-dating event needs participants with a competence check and companies with "
                          "open places.")
            else:
                scores = {pair: s for pair, s in scores.items() if pair not in known}
                plan = plan_speed_dating(scores, tables=form.tables.data, rounds=form.rounds.data, start=start,
                                         minutes=form.minutes.data, min_score=SEATED_FROM)
    return render_template("matching/speed_dating.html", cohort=cohort, form=form, plan=plan, names=names,
                           scores=scores, error=error, not_seated=not_seated)


STAGE_LABELS = {"checked": _l("competence check"), "matched": _l("matched"),
                "hospitation": _l("internship or hospitation"),
                "eq": _l("entry qualification (EQ)"), "signed": _l("contract signed"), "placed": _l("placed"),
                "ended": _l("ended early"), "left": _l("left"), "other": _l("other")}


@allow("coordinator")
def pipeline_page(slug: str):
    """Where each participant stands, time to placement, placements per company and trade, against the target."""
    cohort = cohort_or_404(slug)
    stages = {"participants": _("participants"), "selected": _("selected participants"),
              "checked": _("competence check done"),
              "recorded": _("outcome recorded"), "on_the_way": _("on the way (EQ, internship, placed)"),
              "placed": _("placed (apprenticeship or SVB job, or its contract signed)")}
    funnel = placement.funnel(cohort.id, None, forms_registry(current_app), stages, {})
    return render_template("matching/pipeline.html", cohort=cohort, funnel=funnel, p=pipeline(cohort.id),
                           stage_labels=STAGE_LABELS, labels=trade_labels(),
                           corrections=corrections.counts(cohort.id))


class HospitationForm(FlaskForm):
    participant = SelectField(_l("Participant"))
    company = SelectField(_l("Company"), coerce=int)
    kind = SelectField(_l("Kind"), choices=[SelectChoice("hospitation", _l("hospitation (a few days)")),
                                            SelectChoice("internship", _l("internship (a few weeks)"))])
    # Checked below with a message that says what to do (WTForms' own would say "Not a valid choice").
    trade = SelectField(_l("Trade (Beruf)"), validate_choice=False)
    starts_on = DateField(_l("From"), validators=[InputRequired()])
    ends_on = DateField(_l("Until"), validators=[InputRequired()])
    mentor = SelectField(_l("Mentor (optional)"), coerce=int)

    def validate_trade(self, field):
        if field.data not in {choice.value for choice in field.choices if choice.value}:
            raise ValidationError(_l("Please choose the trade (Beruf) from the list."))

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end must not be before the start."))


KIND_LABELS = {"hospitation": _l("hospitation"), "internship": _l("internship")}


def _hospitation_link(cohort, hospitation: Hospitation, form_id: str, label: str, company_id=None) -> Link:
    """A personal link (one answer) to ``form_id`` about ``hospitation``, recorded in the audit log."""
    link = Link(form_id=form_id, cohort_id=cohort.id, language="de", max_responses=1, company_id=company_id,
                event=label)
    db.session.add(link)
    db.session.flush()
    record("link_created", f"link {link.id} of cohort {cohort.slug}", form=form_id, hospitation=hospitation.id)
    return link


@allow("coordinator")
def hospitations(slug: str):
    """Hospitations and internships of a cohort; recording one creates the company's feedback link."""
    cohort = cohort_or_404(slug)
    people = participant_profiles(cohort.id)
    companies = {c.id: c.name for c in company_offers()}
    mentors = db.session.scalars(select(User).where(User.role == "mentor").order_by(User.username)).all()
    form = HospitationForm()
    form.participant.choices = [SelectChoice(p.code, p.code) for p in people]
    form.company.choices = [SelectChoice(cid, name) for cid, name in sorted(companies.items(), key=lambda kv: kv[1])]
    form.mentor.choices = [SelectChoice(0, "–")] + [SelectChoice(m.id, m.username) for m in mentors]
    # The competence check's trades: the one list every place, decision and placement names.
    labels = trade_labels()
    form.trade.choices = [SelectChoice("", "–")] + [SelectChoice(t, labels.get(t, t)) for t in trades()]
    feedback_form, voice_form = HOSPITATION_FEEDBACK.form_id(), HOSPITATION_VOICE.form_id()
    feedback_available = forms_registry(current_app).get(feedback_form) is not None
    voice_available = bool(voice_form) and forms_registry(current_app).get(voice_form) is not None
    if form.validate_on_submit():
        name = companies[form.company.data]
        hospitation = Hospitation(cohort_id=cohort.id, participant_code=form.participant.data,
                                  company_id=form.company.data, company_name=name, kind=form.kind.data,
                                  trade=form.trade.data,
                                  starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                                  mentor_id=form.mentor.data or None)
        db.session.add(hospitation)
        db.session.flush()
        # The label is seen in link lists and exports: company, dates and the hospitation's number tell staff
        # which one it is; the participant's code would outlive an erasure there.
        label = f"{name}, {form.starts_on.data:%d.%m.}–{form.ends_on.data:%d.%m.%Y} (#{hospitation.id}"
        link = None
        if feedback_available:
            # The company's record (through its readiness link) goes with the link: the form knows it.
            readiness = db.session.get(Link, form.company.data)
            link = _hospitation_link(cohort, hospitation, feedback_form, f"{label})",
                                     company_id=readiness.company_id if readiness else None)
            hospitation.feedback_link_id = link.id
        if voice_available:
            # The participant's own link has no company_id (a company's links are the company's to see); the
            # code and the company come from the hospitation, held on the server.
            hospitation.voice_link_id = _hospitation_link(cohort, hospitation, voice_form,
                                                          f"{label}, {_('Participant')})").id
        record("hospitation_created", participant_target(cohort, form.participant.data),
               company=form.company.data, trade=form.trade.data, hospitation=hospitation.id)
        db.session.commit()
        flash(_("Recorded. Send the company its feedback link for the end of the %(kind)s.",
                kind=KIND_LABELS[form.kind.data]) if link else _("Recorded."), "success")
        return redirect(url_for(".hospitations", slug=slug))
    rows = db.session.execute(
        select(Hospitation, Link).outerjoin(Link, Link.id == Hospitation.feedback_link_id)
        .where(Hospitation.cohort_id == cohort.id).order_by(Hospitation.starts_on.desc(), Hospitation.id)).all()
    voices = {link.id: link for link in db.session.scalars(
        select(Link).where(Link.id.in_([h.voice_link_id for h, _link in rows if h.voice_link_id])))}
    answered = {}
    if rows:
        ids = [link.id for _h, link in rows if link is not None] + list(voices)
        answered = dict(db.session.execute(select(Response.link_id, func.count(Response.id))
                                           .where(Response.link_id.in_(ids)).group_by(Response.link_id)).all())
    # What each side said, in the words matching's reasons use (the participant's side is staff's to see).
    said = {hid: (hospitation_reasons(replace(h, person=None), dated=False),
                  hospitation_reasons(replace(h, company=None), dated=False))
            for hid, h in of_hospitations([h for h, _link in rows]).items()}
    return render_template("matching/hospitations.html", cohort=cohort, form=form, rows=rows, answered=answered,
                           link_url=link_url, mentors={m.id: m.username for m in mentors},
                           can_create=bool(people and companies), feedback_available=feedback_available,
                           feedback_form=feedback_form, voices=voices, said=said,
                           kind_labels=KIND_LABELS, trade_labels=labels)
