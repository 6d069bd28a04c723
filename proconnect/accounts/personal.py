"""What staff accounts store about a participant: the mentor who looks after them."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, select

from ..extensions import db
from ..personal_data import Declaration, Entry, Section
from .models import MentorAssignment


def export(cohort, code: str) -> list[Section]:
    """The mentor assigned to the code."""
    rows = db.session.scalars(select(MentorAssignment).filter_by(cohort_id=cohort.id,
                                                                 participant_code=code.upper())).all()
    return [Section("mentor", _("Mentor"),
                    [{"mentor": a.mentor.username, "since": a.created_at.isoformat(timespec="seconds") + "Z"}
                     for a in rows],
                    [Entry(a.mentor.username, _("since %(date)s", date=a.created_at.strftime("%Y-%m-%d")))
                     for a in rows])]


def erase(cohort, code: str) -> dict[str, int]:
    """The mentor no longer looks after the code."""
    return {"mentor_assignments": db.session.execute(delete(MentorAssignment).filter_by(
        cohort_id=cohort.id, participant_code=code.upper())).rowcount}


#: An assignment does not expire: it lasts as long as the mentoring (erasure ends it).
DECLARATION = Declaration(
    "accounts", tables=("mentor_assignment",),
    nothing={"account": "staff accounts, not participants",
             "account_token": "digests of staff invitation and reset links",
             "recovery_code": "hashes of staff members' two-factor recovery codes",
             "cohort_member": "which staff member works on which cohort"},
    export=export, erase=erase)
