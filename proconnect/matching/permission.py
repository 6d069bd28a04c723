"""Whether a participant may work yet, as the project's staff know it: what matching needs, nothing more.

Coordinators keep it on the participant's page (from the papers the person shows, or what the
Ausländerbehörde said). Matching prefers it to the person's own answer in the competence check (help asked
with the permission to work), which often does not know. The residence title itself (Aufenthaltsgestattung,
Duldung, Aufenthaltserlaubnis) is not stored: matching only needs to know whether a company must wait for the
Ausländerbehörde's approval (Zustimmung, Beschäftigungserlaubnis) before the person can start.

It is sensitive: declared in the privacy seam (export, erasure, retention); the audit log names that the
status changed, never the status (the log outlives an erasure).
"""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, UniqueConstraint, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from ..accounts.models import User
from ..extensions import db
from ..models_util import utcnow
from ..personal_data import Entry, Section

#: Status -> what staff read. "unknown": nobody could tell yet; matching then reads the person's own answer.
STATUSES = {
    "allowed": _l("May work (no approval needed, or the approval was given)"),
    "needs_approval": _l("Needs the approval of the Ausländerbehörde for each job"),
    "not_allowed": _l("Not allowed to work at present (Beschäftigungsverbot)"),
    "unknown": _l("Unknown"),
}


class WorkPermission(db.Model):
    """A participant's permission to work as staff last recorded it (one row per code and cohort)."""

    __tablename__ = "work_permission"
    __table_args__ = (UniqueConstraint("cohort_id", "participant_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    participant_code: Mapped[str] = mapped_column(String(32))
    #: a key of ``STATUSES``
    status: Mapped[str] = mapped_column(String(20))
    #: the day the status was known to hold (the papers' or the office's date, or the day of asking)
    as_of: Mapped[date]
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self):
        return f"<WorkPermission {self.cohort_id}/{self.participant_code} {self.status}>"


def status_of(cohort_id: int, code: str) -> WorkPermission | None:
    """The recorded status of one participant, or None."""
    return db.session.scalar(select(WorkPermission).filter_by(cohort_id=cohort_id, participant_code=code.upper()))


def statuses(cohort_id: int) -> dict[str, str]:
    """Code -> the recorded status, for the cohort's participants whose status is known (not "unknown")."""
    rows = db.session.execute(select(WorkPermission.participant_code, WorkPermission.status).where(
        WorkPermission.cohort_id == cohort_id, WorkPermission.status != "unknown"))
    return dict(rows.all())


def set_status(cohort_id: int, code: str, status: str, as_of: date, by_id: int | None) -> bool:
    """Record ``status`` (a key of ``STATUSES``) as of ``as_of``; :return: whether anything changed."""
    if status not in STATUSES:
        raise ValueError(f"unknown work permission status {status!r}")
    row = status_of(cohort_id, code)
    if row is None:
        row = WorkPermission(cohort_id=cohort_id, participant_code=code.upper(), status=status, as_of=as_of)
        db.session.add(row)
    elif (row.status, row.as_of) == (status, as_of):
        return False
    row.status, row.as_of, row.set_by_id, row.set_at = status, as_of, by_id, utcnow()
    return True


# Matching's privacy declaration (personal.py) calls these three.
def export(cohort, code: str) -> list[Section]:
    """The recorded status (with its date and who recorded it) for the participant's data export."""
    row = status_of(cohort.id, code)
    if row is None:
        return []
    account = db.session.get(User, row.set_by_id) if row.set_by_id else None
    by = account.username if account else "–"
    label = str(_l("Permission to work"))
    return [Section("work_permission", label, [
        {"status": row.status, "as_of": row.as_of.isoformat(), "recorded_by": by,
         "recorded_at": row.set_at.isoformat(timespec="seconds") + "Z"}],
        [Entry(label, row.as_of.isoformat(), [(str(_l("Status")), str(STATUSES[row.status])),
                                              (str(_l("Recorded by")), by)])])]


def erase(cohort, code: str) -> dict[str, int]:
    """Delete the participant's status (erasure on request)."""
    return {"work_permissions": db.session.execute(delete(WorkPermission).filter_by(
        cohort_id=cohort.id, participant_code=code.upper())).rowcount}


def expire(cohort, cutoff: datetime, remove: bool) -> dict[str, int]:
    """Statuses recorded before ``cutoff``: an old one tells nothing about today anyway."""
    old = [WorkPermission.cohort_id == cohort.id, WorkPermission.set_at < cutoff]
    count = db.session.scalar(select(func.count(WorkPermission.id)).where(*old)) or 0
    if remove:
        db.session.execute(delete(WorkPermission).where(*old))
    return {"work_permissions": count}

