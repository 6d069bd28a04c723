"""What a hospitation's feedback link tells its form: whom the feedback is about (the company comes with the
link's ``company_id``). Held on the server, so the code never appears in the link's address or label."""
from __future__ import annotations

from sqlalchemy import select

from ..definitions.model import PARTICIPANT_FIELD
from ..extensions import db
from ..links.models import Link
from .models import Hospitation


def participant_of_feedback_link(link: Link) -> dict[str, str]:
    """``{participant code field: code}`` for the feedback link of a hospitation, else nothing."""
    # A feedback link is a personal one (made with max_responses=1): no query for the links of a hall.
    if link.max_responses != 1:
        return {}
    code = db.session.scalar(select(Hospitation.participant_code).where(Hospitation.feedback_link_id == link.id))
    return {PARTICIPANT_FIELD: code} if code else {}
