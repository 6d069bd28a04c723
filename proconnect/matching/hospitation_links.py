"""What a hospitation's links tell their forms: whom the feedback is about. The company's feedback link gets the
company with the link's ``company_id``; the participant's own link (``voice_link_id``) gets the code and the
company from here, so it never counts among the company's links. Held on the server, so the code never appears in
a link's address or label."""
from __future__ import annotations

from sqlalchemy import or_, select

from ..definitions.model import PARTICIPANT_FIELD
from ..definitions.roles import HOSPITATION_VOICE
from ..extensions import db
from ..links.models import Link
from .models import Hospitation


def participant_of_feedback_link(link: Link) -> dict[str, str]:
    """``{participant code field: code}`` for a hospitation's feedback link, and the company's record for the
    participant's own link; else nothing."""
    # Both are personal links (made with max_responses=1): no query for the links of a hall.
    if link.max_responses != 1:
        return {}
    h = db.session.scalar(select(Hospitation).where(
        or_(Hospitation.feedback_link_id == link.id, Hospitation.voice_link_id == link.id)))
    if h is None:
        return {}
    values = {PARTICIPANT_FIELD: h.participant_code}
    if h.voice_link_id == link.id and HOSPITATION_VOICE.form_id() == link.form_id:
        # Hospitation.company_id is the company's readiness link, which knows its company record.
        company = db.session.scalar(select(Link.company_id).where(Link.id == h.company_id))
        if company is not None:
            values[HOSPITATION_VOICE.field("company")] = str(company)
    return values
