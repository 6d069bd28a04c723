from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, and_, event, false
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column, relationship, with_loader_criteria

from ..extensions import db
from ..models_util import utcnow


class FormVersion(db.Model):
    """A form version that answers depend on: its content hash is pinned at the first response."""

    __table_args__ = (UniqueConstraint("form_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self):
        return f"<FormVersion {self.form_id} v{self.version} {self.content_hash[:8]}>"


class Response(db.Model):
    """One submitted form, stored with the exact version (number and hash) it was given under."""

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"), index=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("link.id"), index=True)
    language: Mapped[str] = mapped_column(String(16))
    #: Chosen by the client when the person started the form; a retry with the same key is the same response.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    #: Pseudonymous participant code, when the form asked for one (never a name).
    participant_code: Mapped[str | None] = mapped_column(String(32), index=True)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    #: The answers as submitted (answer name -> value), kept for audit and export.
    payload: Mapped[dict] = mapped_column(JSON)
    #: Given through a test link (a rehearsal): invisible to every query unless it asks with ``WITH_TESTS``.
    test: Mapped[bool] = mapped_column(default=False, server_default=false(), index=True)
    #: Voided by staff (a duplicate, a rehearsal on a real link, the wrong person): out of every figure like a
    #: test answer, listed apart and restorable; why and by whom is in its history (``corrections``).
    voided: Mapped[bool] = mapped_column(default=False, server_default=false(), index=True)
    #: Where the staff's review of it stands: one of ``REVIEW_STATES``.
    review: Mapped[str] = mapped_column(String(16), default="new", server_default="new", index=True)

    #: Reports start from one cohort's counted responses (migration 0020) and read their version from the index
    #: (0027); how many counted responses a form has is read from an index alone (0027, before: ``form_id``).
    __table_args__ = (Index("ix_response_cohort_counted", "cohort_id", "test", "voided", "form_id", "submitted_at",
                            "version"),
                      Index("ix_response_form_counted", "form_id", "test", "voided"))

    answers: Mapped[list["Answer"]] = relationship(back_populates="response", cascade="all, delete-orphan")

    def __repr__(self):
        return f"<Response {self.id} {self.form_id} v{self.version}>"


#: A response's review states: not looked at yet, checked by staff, needs attention.
REVIEW_STATES = ("new", "checked", "attention")

#: Execution option of the few queries that must see test answers too (storing, the test answers' own page,
#: deleting them, erasure and retention); ``db.session.execute(query, execution_options=WITH_TESTS)``.
WITH_TESTS = {"with_tests": True}
#: Execution option of the few queries that must see voided responses too (the voided list, the response page
#: that restores one, a participant's own record and its export).
WITH_VOIDED = {"with_voided": True}
#: Every stored response, test and voided ones too: an idempotency key is taken either way; erasure and
#: retention reach everything.
EVERY_RESPONSE = WITH_TESTS | WITH_VOIDED


@event.listens_for(Session, "do_orm_execute")
def _counted_only(state: ORMExecuteState) -> None:
    """Leave test answers and voided responses out of every query on ``Response`` (reports, exports, the API,
    matching, the pipeline, figures, participant lists, ``max_responses``): one place, so no reader, old or new,
    can forget it.

    Loads of rows already selected (a lazy relationship, a refreshed column) are left alone.
    """
    if state.is_column_load or state.is_relationship_load:
        return
    options = state.execution_options
    criteria = _CRITERIA[bool(options.get("with_tests")), bool(options.get("with_voided"))]
    if criteria is not None and (state.is_select or state.is_update or state.is_delete):
        state.statement = state.statement.options(criteria)


def _criteria(with_tests: bool, with_voided: bool):
    hidden = [column == false() for column, seen in ((Response.test, with_tests), (Response.voided, with_voided))
              if not seen]
    return with_loader_criteria(Response, and_(*hidden), include_aliases=True) if hidden else None


#: The criteria for each combination of opt-ins, built once: building them for every statement was a twentieth
#: of a form page's GET.
_CRITERIA = {(tests, voided): _criteria(tests, voided) for tests in (False, True) for voided in (False, True)}


class Answer(db.Model):
    """One stored value: a (response, field, value) row, typed so the database can aggregate it.

    A multiple choice gives one row per chosen value (numbered 1, 2, … in ``value_num``), a matrix one row per row
    (``field_id`` = ``matrix.row``), a score one row under the score's id. A field
    hidden by its condition gets one row with ``shown`` false and no value, so
    reports can tell "not shown" from "no answer".
    """

    #: Both cover what reports count, so they read answers from an index alone: ``ix_answer_response_values`` a
    #: response's (migration 0020; it also serves every look-up by ``response_id``), ``ix_answer_cohort_values`` a
    #: cohort's answers to a form in the order a report groups them (migration 0028; it also serves look-ups of a
    #: form's answers).
    __table_args__ = (Index("ix_answer_cohort_values", "form_id", "cohort_id", "field_id", "value_text", "shown",
                            "value_num", "value_date", "response_id"),
                      Index("ix_answer_response_values", "response_id", "field_id", "shown", "value_text", "value_num",
                            "value_date"))

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    response: Mapped[Response] = relationship(back_populates="answers")
    form_id: Mapped[str] = mapped_column(String(64))
    #: The response's cohort (a response never changes cohort): a cohort's answers are one range of
    #: ``ix_answer_cohort_values``, however many other cohorts' answers the table holds.
    cohort_id: Mapped[int]
    field_id: Mapped[str] = mapped_column(String(130))
    shown: Mapped[bool] = mapped_column(default=True)
    #: Choice values, yes/no, consent: short and indexed.
    value_text: Mapped[str | None] = mapped_column(String(255))
    #: Numbers, scale points, yes/no as 1/0, scores; a multiple choice's place among the values chosen.
    value_num: Mapped[float | None]
    value_date: Mapped[date | None]
    #: Free text (text, long text): not indexed, never aggregated.
    value_long: Mapped[str | None] = mapped_column(Text)

    def __repr__(self):
        return f"<Answer {self.id} r={self.response_id} {self.field_id}>"


class ResponseDraft(db.Model):
    """Answers saved half-way on a personal link (one answer only, e.g. a company's survey link),
    so the form can be resumed later with the same link. Deleted when the form is sent."""

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("link.id", ondelete="CASCADE"), unique=True)
    #: The answer inputs as sent: a list of [name, value] pairs.
    answers: Mapped[list] = mapped_column(JSON)
    page: Mapped[int] = mapped_column(default=0)
    #: Pages the person has been shown, as carried in ``_seen``.
    seen: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self):
        return f"<ResponseDraft {self.id} link={self.link_id} page={self.page}>"
