"""What links store about a participant: their printed card (the code), whether they were selected, and link
labels that name the code (hospitation feedback links made before labels stopped naming the person)."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Select, delete, func, select

from ..extensions import db
from ..personal_data import Declaration, Entry, Section, mentions, without
from . import selection
from .models import Link, Participant, Selection


def _labelled(cohort_id: int, code: str) -> list[Link]:
    rows = db.session.scalars(select(Link).where(Link.cohort_id == cohort_id, Link.event != "").order_by(Link.id))
    return [link for link in rows if mentions(link.event, code)]


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds") + "Z"


def export(cohort, code: str) -> list[Section]:
    """The card issued for the code, and links whose label names it."""
    cards = db.session.scalars(select(Participant).filter_by(cohort_id=cohort.id, code=code.upper())).all()
    chosen = selection.export(cohort.id, code)
    links = _labelled(cohort.id, code)
    return [
        Section("cards", _("Participant card"), [{"code": c.code, "issued_at": _stamp(c.created_at)} for c in cards],
                [Entry(c.code, _("issued on %(date)s", date=c.created_at.strftime("%Y-%m-%d"))) for c in cards]),
        # Selected for the project's support (the day only; the 75 % target counts against the selected).
        Section("selection", _("Selection"), chosen,
                [Entry(_("Selected for the project's support on %(day)s.", day=s["selected_on"])) for s in chosen]),
        Section("links", _("Links"),
                [{"form": link.form_id, "label": link.event, "created_at": _stamp(link.created_at)} for link in links],
                [Entry(link.event, link.form_id) for link in links])]


def erase(cohort, code: str) -> dict[str, int]:
    """The card stops working (a form no longer takes the code once the cohort has cards); labels lose the code."""
    cards = db.session.execute(delete(Participant).filter_by(cohort_id=cohort.id, code=code.upper())).rowcount
    links = _labelled(cohort.id, code)
    for link in links:
        link.event = without(link.event, code)
    return {"cards": cards, "selections": selection.erase(cohort.id, code), "labels": len(links)}


def expire_selections(cohort, kept_codes: Select, remove: bool) -> dict[str, int]:
    """Selections of codes not among ``kept_codes`` (the codes with responses that stay): a selection outlives
    nothing it was about. ``responses`` calls this from its own retention, which knows what stays."""
    gone = select(Selection.id).where(Selection.cohort_id == cohort.id, Selection.participant_code.not_in(kept_codes))
    count = db.session.scalar(select(func.count()).select_from(gone.subquery()))
    if remove:
        db.session.execute(delete(Selection).where(Selection.id.in_(gone)))
    return {"selections": count}


DECLARATION = Declaration(
    "links", tables=("participant", "selection", "link"),
    nothing={"kiosk": "a tablet's random device id and counters: nothing about who used it",
             "link_view_state": "one number that moves when links change: nothing about anybody"},
    export=export, erase=erase)
