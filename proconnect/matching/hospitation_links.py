"""What a hospitation's links tell their forms: whom the feedback is about. Both get the code and the company from
here (the participant's own link, ``voice_link_id``, has no ``company_id``, so it never counts among the company's
links): the company's record, or "other" and its name when it answered through a plain survey link. Held on the
server, so the code never appears in a link's address or label. Both pages also say which hospitation it was: its
kind, Beruf, company and dates."""
from __future__ import annotations

from flask import g
from flask_babel import format_date, gettext as _
from sqlalchemy import or_, select

from ..companies import listed_record
from ..definitions.model import PARTICIPANT_FIELD
from ..definitions.roles import HOSPITATION_FEEDBACK, HOSPITATION_VOICE
from ..extensions import db
from ..fieldtypes import other_answers
from ..links.models import Link
from .models import Hospitation
from .service import trade_labels


def _hospitation_of(link: Link) -> Hospitation | None:
    # Both are personal links (made with max_responses=1): no query for the links of a hall.
    if link.max_responses != 1:
        return None
    # The prefilled values and the page's sentence ask in the same request: one query.
    known = g.setdefault("hospitation_of_link", {})
    if link.id not in known:
        known[link.id] = db.session.scalar(select(Hospitation).where(
            or_(Hospitation.feedback_link_id == link.id, Hospitation.voice_link_id == link.id)))
    return known[link.id]


def participant_of_feedback_link(link: Link) -> dict[str, str]:
    """``{participant code field: code}`` for a hospitation's links, with the company on each side's form: its
    record where the list holds one, else "other" and the name the page's sentence says; else nothing."""
    h = _hospitation_of(link)
    if h is None:
        return {}
    values = {PARTICIPANT_FIELD: h.participant_code}
    role = HOSPITATION_VOICE if h.voice_link_id == link.id else HOSPITATION_FEEDBACK
    if role.form_id() == link.form_id:
        # Hospitation.company_id is the company's readiness link: a plain survey link knows no record.
        company, field = listed_record(h.company_id, h.company_name), role.field("company")
        values.update({field: str(company)} if company is not None else other_answers(field, h.company_name))
    return values


def about_feedback_link(link: Link) -> str | None:
    """Which hospitation a hospitation's link asks about, in the reader's language (the company and the
    participant read it): "Hospitation in Electrical at Metallbau Nord, May 3, 2027 to May 7, 2027"."""
    h = _hospitation_of(link)
    if h is None:
        return None
    start, end = format_date(h.starts_on, "long"), format_date(h.ends_on, "long")
    if h.trade:
        # The Beruf's label as the competence check names it in this language (the participants read it too).
        trade = trade_labels().get(h.trade, h.trade)
        return _("Internship in %(trade)s at %(company)s, %(start)s to %(end)s", trade=trade,
                 company=h.company_name, start=start, end=end) if h.kind == "internship" else \
            _("Hospitation in %(trade)s at %(company)s, %(start)s to %(end)s", trade=trade,
              company=h.company_name, start=start, end=end)
    return _("Internship at %(company)s, %(start)s to %(end)s", company=h.company_name, start=start, end=end) \
        if h.kind == "internship" else \
        _("Hospitation at %(company)s, %(start)s to %(end)s", company=h.company_name, start=start, end=end)
