"""What responses store about a participant: their responses and answers, and drafts that hold their code.

Erasing keeps each response for the cohort's figures but removes the code and every free-text answer
(``Answer.value_long``, whatever the form version) from the rows and the payload; choices, numbers, scales
and dates stay, so every count, mean and placement figure is unchanged. A draft saved half-way that holds
the code is deleted.
"""
from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from flask import current_app
from sqlalchemy import delete, func, select

from ..definitions import forms_registry
from ..definitions.model import PARTICIPANT_FIELD
from ..extensions import db
from ..links.models import Link
from ..links.personal import expire_selections
from ..personal_data import ANSWERED, ANSWERS, DRAFTS, SAVED, VOIDED, Declaration, Entry, Section, mentions
from .models import EVERY_RESPONSE, WITH_TESTS, WITH_VOIDED, Answer, Response, ResponseDraft
from .readable import questions, readable


def participant_responses(cohort_id: int, code: str) -> list[Response]:
    """The responses of one participant code in one cohort, oldest first; voided ones too (they are still the
    person's data: listed on their page, exported and erased)."""
    return db.session.scalars(select(Response).filter_by(cohort_id=cohort_id, participant_code=code.upper())
                              .order_by(Response.submitted_at, Response.id), execution_options=WITH_VOIDED).all()


def anonymise(responses: list[Response]) -> int:
    """Remove the participant code and every free-text answer from ``responses`` (rows and payload).

    :return: the number of free-text answers deleted
    """
    removed = 0
    for response in responses:
        texts = db.session.scalars(select(Answer).where(Answer.response_id == response.id,
                                                       Answer.value_long.is_not(None))).all()
        names = {a.field_id for a in texts} | {PARTICIPANT_FIELD}
        removed += len(texts)
        db.session.execute(delete(Answer).where(Answer.id.in_([a.id for a in texts])))
        payload = dict(response.payload or {})
        payload["answers"] = {k: v for k, v in payload.get("answers", {}).items() if k not in names}
        response.payload = payload
        response.participant_code = None
    return removed


def link_draft(link_id: int) -> ResponseDraft | None:
    """The answers saved half-way on a personal link, if any."""
    return db.session.scalar(select(ResponseDraft).filter_by(link_id=link_id))


def discard_draft(link_id: int) -> int:
    """Delete what was saved half-way on a link; how many drafts (0 or 1)."""
    return db.session.execute(delete(ResponseDraft).where(ResponseDraft.link_id == link_id)).rowcount


def forget_link(link_id: int) -> dict[str, int]:
    """Delete the draft of a link that was about one person, and anonymise the answers it received."""
    drafts = discard_draft(link_id)
    received = db.session.scalars(select(Response).filter_by(link_id=link_id)).all()
    return {"drafts": drafts, "responses": len(received), "answers_removed": anonymise(received)}


def _drafts(cohort_id: int, code: str) -> list[ResponseDraft]:
    """Drafts on the cohort's links that mention the code (in the code field or in any answer)."""
    rows = db.session.scalars(select(ResponseDraft).join(Link, Link.id == ResponseDraft.link_id)
                              .where(Link.cohort_id == cohort_id).order_by(ResponseDraft.id))
    return [d for d in rows if any(mentions(value, code) for _name, value in d.answers or [])]


def _question(texts: dict[str, str], name: str) -> str:
    """The question of a draft's input (a matrix row's input ``rating__punctual`` answers ``rating.punctual``)."""
    return texts.get(name) or texts.get(name.replace("__", "."), name)


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds") + "Z"


def _answered(response) -> str:
    said = str(ANSWERED % {"v": response.version, "lang": response.language,
                           "at": response.submitted_at.strftime("%Y-%m-%d %H:%M")})
    return f"{said} · {VOIDED}" if response.voided else said


def export(cohort, code: str) -> list[Section]:
    """Every response under the code with its question texts (a voided one says so; ``id`` is what the history
    of staff changes refers to), and drafts that hold the code."""
    registry = forms_registry(current_app)
    responses = [readable(r, registry) for r in participant_responses(cohort.id, code)]
    records = [{"id": r.id, "form": r.form_id, "title": r.title, "version": r.version, "language": r.language,
                "submitted_at": _stamp(r.submitted_at), "voided": r.voided,
                "answers": [asdict(item) for item in r.items]}
               for r in responses]
    entries = [Entry(r.title, _answered(r), [(item.question, item.answer) for item in r.items]) for r in responses]
    draft_records, draft_entries = [], []
    for draft in _drafts(cohort.id, code):
        link = db.session.get(Link, draft.link_id)
        definition = registry.get(link.form_id, link.version)
        texts = questions(definition) if definition is not None else {}
        draft_records.append({"form": link.form_id, "saved_at": _stamp(draft.updated_at),
                              "answers": [[name, value] for name, value in draft.answers]})
        draft_entries.append(Entry(definition.title if definition else link.form_id,
                                   SAVED % {"at": draft.updated_at.strftime("%Y-%m-%d %H:%M")},
                                   [(_question(texts, name), str(value)) for name, value in draft.answers]))
    return [Section("responses", str(ANSWERS), records, entries),
            Section("drafts", str(DRAFTS), draft_records, draft_entries)]


def erase(cohort, code: str) -> dict[str, int]:
    """Anonymise the code's responses; delete drafts that hold the code and test answers given under it (a
    rehearsal's, never part of the person's record: deleting them loses nothing)."""
    responses = participant_responses(cohort.id, code)
    removed = anonymise(responses)
    drafts = [d.id for d in _drafts(cohort.id, code)]
    db.session.execute(delete(ResponseDraft).where(ResponseDraft.id.in_(drafts)))
    tests = select(Response.id).where(Response.cohort_id == cohort.id, Response.participant_code == code.upper(),
                                      Response.test)
    db.session.execute(delete(Answer).where(Answer.response_id.in_(tests)), execution_options=WITH_TESTS)
    tested = db.session.execute(delete(Response).where(Response.id.in_(tests)), execution_options=WITH_TESTS).rowcount
    return {"responses": len(responses), "answers_removed": removed, "drafts": len(drafts), "test_responses": tested}


def expire(cohort, cutoff: datetime, remove: bool) -> dict[str, int]:
    """Responses submitted (test answers and voided ones too) and drafts last saved before ``cutoff``; the
    selection of anybody whose responses all go with them."""
    old = select(Response.id).where(Response.cohort_id == cohort.id, Response.submitted_at < cutoff)
    stale = select(ResponseDraft.id).join(Link, Link.id == ResponseDraft.link_id).where(
        Link.cohort_id == cohort.id, ResponseDraft.updated_at < cutoff)
    counts = {"responses": db.session.scalar(select(func.count()).select_from(old.subquery()),
                                             execution_options=EVERY_RESPONSE),
              "drafts": db.session.scalar(select(func.count()).select_from(stale.subquery()))}
    staying = select(Response.participant_code).where(Response.cohort_id == cohort.id, Response.submitted_at >= cutoff,
                                                      Response.participant_code.is_not(None))
    counts |= expire_selections(cohort, staying, remove)
    if remove:
        db.session.execute(delete(Answer).where(Answer.response_id.in_(old)), execution_options=EVERY_RESPONSE)
        db.session.execute(delete(Response).where(Response.id.in_(old)), execution_options=EVERY_RESPONSE)
        db.session.execute(delete(ResponseDraft).where(ResponseDraft.id.in_(stale)))
    return counts


DECLARATION = Declaration(
    "responses", tables=("response", "answer", "response_draft"),
    nothing={"form_version": "the content hash of each form version: no answer, no code"},
    export=export, erase=erase, expire=expire)
