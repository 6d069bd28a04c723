"""What match-making stores about a participant: decisions (with free-text reasons), hospitations and the
permission to work as staff recorded it (``permission``).

Erasing a hospitation also switches off the company's feedback link and the participant's own, deletes what was
saved half-way on them and anonymises the feedback sent: all of it was about this one person.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from ..accounts.models import User
from ..extensions import db
from ..links.models import Link
from ..models_util import utcnow
from ..personal_data import Declaration, Entry, Section, merge
from ..responses.models import Response
from ..responses.personal import discard_draft, forget_link, link_draft
from . import permission
from .models import Hospitation, MatchDecision
from .service import trade_labels
from .views import DECISION_LABELS, KIND_LABELS


def _decisions(cohort_id: int, code: str) -> list[MatchDecision]:
    return db.session.scalars(select(MatchDecision).filter_by(cohort_id=cohort_id, participant_code=code.upper())
                              .order_by(MatchDecision.decided_at, MatchDecision.id)).all()


def _hospitations(cohort_id: int, code: str) -> list[Hospitation]:
    return db.session.scalars(select(Hospitation).filter_by(cohort_id=cohort_id, participant_code=code.upper())
                              .order_by(Hospitation.starts_on, Hospitation.id)).all()


def _feedback(link_id: int | None) -> str:
    """How far the feedback on a hospitation's link is: ``none`` (no link), ``received``, ``saved`` (half-way),
    ``open``."""
    if link_id is None:
        return "none"
    if db.session.scalar(select(func.count(Response.id)).filter_by(link_id=link_id)):
        return "received"
    return "saved" if link_draft(link_id) is not None else "open"


def export(cohort, code: str) -> list[Section]:
    """Decisions about the code and its hospitations (with how far the company's feedback is)."""
    decisions, hospitations = _decisions(cohort.id, code), _hospitations(cohort.id, code)
    mentors = dict(db.session.execute(select(User.id, User.username).where(
        User.id.in_([h.mentor_id for h in hospitations if h.mentor_id]))).all())
    states = {"none": "–", "received": _("received"), "saved": _("saved half-way"), "open": _("not yet")}
    feedback = {h.id: _feedback(h.feedback_link_id) for h in hospitations}
    voice = {h.id: _feedback(h.voice_link_id) for h in hospitations}
    trades = trade_labels() if hospitations else {}
    return [
        Section("match_decisions", _("Match-making decisions"), [
            {"company": d.company_name, "trade": d.trade, "decision": d.decision, "reason": d.reason,
             "score": d.score, "decided_at": d.decided_at.isoformat(timespec="seconds") + "Z"} for d in decisions], [
            Entry(d.company_name, d.decided_at.strftime("%Y-%m-%d %H:%M"),
                  [(_("Decision"), str(DECISION_LABELS.get(d.decision, d.decision)))]
                  + ([(_("Reason"), d.reason)] if d.reason else [])) for d in decisions]),
        Section("hospitations", _("Hospitations and internships"), [
            {"company": h.company_name, "kind": h.kind, "trade": h.trade, "starts_on": h.starts_on.isoformat(),
             "ends_on": h.ends_on.isoformat(), "mentor": mentors.get(h.mentor_id),
             "company_feedback": feedback[h.id], "participant_feedback": voice[h.id]} for h in hospitations], [
            Entry(h.company_name, f"{KIND_LABELS.get(h.kind, h.kind)} · {h.starts_on:%Y-%m-%d} – {h.ends_on:%Y-%m-%d}",
                  [(_("Trade (Beruf)"), trades.get(h.trade, h.trade) if h.trade else _("Beruf not given")),
                   (_("Mentor"), mentors.get(h.mentor_id, "–")), (_("Company's feedback"), states[feedback[h.id]]),
                   (_("Participant's feedback"), states[voice[h.id]])])
            for h in hospitations]),
        *permission.export(cohort, code)]


def _close_feedback(hospitations: list[Hospitation]) -> list[int]:
    """Switch off the feedback links of ``hospitations`` (the companies' and the participants'); their ids."""
    ids = [i for h in hospitations for i in (h.feedback_link_id, h.voice_link_id) if i is not None]
    for link in db.session.scalars(select(Link).where(Link.id.in_(ids), Link.revoked_at.is_(None))):
        link.revoked_at = utcnow()
    return ids


def erase(cohort, code: str) -> dict[str, int]:
    """Delete the code's decisions and hospitations; close and empty the hospitations' feedback links."""
    hospitations = _hospitations(cohort.id, code)
    links = _close_feedback(hospitations)
    forgotten = merge([forget_link(link_id) for link_id in links])
    for h in hospitations:
        db.session.delete(h)
    decisions = db.session.execute(delete(MatchDecision).filter_by(cohort_id=cohort.id,
                                                                   participant_code=code.upper())).rowcount
    return {"decisions": decisions, "hospitations": len(hospitations), "feedback_links_closed": len(links),
            "feedback_drafts": forgotten.get("drafts", 0),
            "feedback_answers_removed": forgotten.get("answers_removed", 0), **permission.erase(cohort, code)}


def expire(cohort, cutoff: datetime, remove: bool) -> dict[str, int]:
    """Decisions made, and hospitations ended, before ``cutoff`` (their feedback links are closed and emptied)."""
    decisions = select(MatchDecision.id).where(MatchDecision.cohort_id == cohort.id,
                                               MatchDecision.decided_at < cutoff)
    hospitations = db.session.scalars(select(Hospitation).where(Hospitation.cohort_id == cohort.id,
                                                                Hospitation.ends_on < cutoff.date())).all()
    counts = {"decisions": db.session.scalar(select(func.count()).select_from(decisions.subquery())),
              "hospitations": len(hospitations), **permission.expire(cohort, cutoff, remove)}
    if remove:
        # The feedback the company sent stays until its own retention period is over.
        for link_id in _close_feedback(hospitations):
            discard_draft(link_id)
        for h in hospitations:
            db.session.delete(h)
        db.session.execute(delete(MatchDecision).where(MatchDecision.id.in_(decisions)))
    return counts


DECLARATION = Declaration("matching", tables=("match_decision", "hospitation", "work_permission"),
                          export=export, erase=erase, expire=expire)
