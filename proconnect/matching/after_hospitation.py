"""What a recorded hospitation showed for one participant at one company, read for match-making.

Only a hospitation's own links count: the company's feedback link (the hospitation-feedback role) and the
participant's voice link (the hospitation-voice role). Of each side the newest counted response is read (test and
voided responses never count, the ``Response`` hook leaves them out; an erasure deletes the hospitation and empties
its links), through the roles' field ids and meanings, so every version of the two forms says the same. Nothing is
stored: the profile carries it for the one pair it is about.
"""
from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from ..definitions.roles import HOSPITATION_FEEDBACK as COMPANY_SIDE, HOSPITATION_VOICE as PERSON_SIDE
from ..extensions import db
from ..responses.models import Response
from .answers import answers_of
from .models import Hospitation
from .profiles import AfterHospitation, Feedback


def after_hospitations(cohort_id: int, code: str | None = None) -> dict[str, dict[int, AfterHospitation]]:
    """Participant code -> company (readiness link) id -> each side's newest feedback after a hospitation there.

    Pairs whose hospitations have no counted feedback yet are left out: for them nothing changes.
    """
    where = [Hospitation.cohort_id == cohort_id] + ([Hospitation.participant_code == code] if code else [])
    out: dict[str, dict[int, AfterHospitation]] = {}
    for h, side, feedback in _feedback(db.session.scalars(select(Hospitation).where(*where)).all()):
        pairs = out.setdefault(h.participant_code, {})
        pairs[h.company_id] = replace(pairs.get(h.company_id, AfterHospitation()), **{side: feedback})
    return out


def of_hospitations(hospitations: list[Hospitation]) -> dict[int, AfterHospitation]:
    """Hospitation id -> each side's newest feedback on its own links (the hospitations page)."""
    out: dict[int, AfterHospitation] = {}
    for h, side, feedback in _feedback(hospitations):
        out[h.id] = replace(out.get(h.id, AfterHospitation()), **{side: feedback})
    return out


def _feedback(hospitations: list[Hospitation]):
    """(hospitation, side, feedback) of every counted response on the hospitations' links, oldest first (the
    newest of each side comes last)."""
    sides = {"company": COMPANY_SIDE.form_id(), "person": PERSON_SIDE.form_id()}
    # link id -> the hospitation and the side whose link it is
    links = {link_id: (h, side) for h in hospitations
             for side, link_id in (("company", h.feedback_link_id), ("person", h.voice_link_id))
             if link_id is not None and sides[side]}
    if not links:
        return
    rows = db.session.execute(select(Response.id, Response.link_id, Response.form_id)
                              .where(Response.link_id.in_(list(links)))
                              .order_by(Response.submitted_at, Response.id)).all()
    # A link answered under another form (a role pointed elsewhere since) says nothing in these field ids.
    rows = [row for row in rows if row.form_id == sides[links[row.link_id][1]]]
    answers = answers_of(row.id for row in rows)
    for row in rows:
        h, side = links[row.link_id]
        yield h, side, (_company if side == "company" else _person)(h, answers[row.id])


def _one(role, a: dict[str, list], name: str):
    """The meaning of a single choice's answer (None: not answered, not shown, or a value without one)."""
    value = next(iter(a.get(role.field(name), [])), None)
    return role.meanings(name).get(value)


def _company(h: Hospitation, a: dict[str, list]) -> Feedback:
    took_place = {"yes": True, "no": False}.get(next(iter(a.get(COMPANY_SIDE.field("took_place"), [])), None))
    return Feedback(kind=h.kind, on=h.starts_on, trade=h.trade, took_place=took_place,
                    step=_one(COMPANY_SIDE, a, "next_step"), starts=_one(COMPANY_SIDE, a, "offer_start"))


def _person(h: Hospitation, a: dict[str, list]) -> Feedback:
    return Feedback(kind=h.kind, on=h.starts_on, trade=h.trade, again=_one(PERSON_SIDE, a, "again"),
                    learn=_one(PERSON_SIDE, a, "learn_trade"), way=_one(PERSON_SIDE, a, "way"))
