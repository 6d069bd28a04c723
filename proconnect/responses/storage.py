"""Storing a submission exactly once, under the exact form version it was given under."""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..definitions.model import PARTICIPANT_FIELD, FormDefinition
from ..extensions import db, first_row
from ..links.linkview import kept
from ..links.models import Link
from .models import EVERY_RESPONSE, WITH_TESTS, Answer, FormVersion, Response
from .util import answer_rows, compute_scores, payload

#: Every column of an answer row with its default, so all rows of a response share one INSERT statement.
ANSWER_DEFAULTS = {c.name: c.default.arg if c.default is not None and c.default.is_scalar else None
                   for c in Answer.__table__.columns if not c.primary_key}


class VersionChanged(Exception):
    """The definition file of a published version differs from the hash pinned at its first response."""

    def __init__(self, definition: FormDefinition, pinned: FormVersion, responses: int):
        self.definition, self.pinned, self.responses = definition, pinned, responses
        super().__init__(f"{definition.path}: published v{definition.version} has changed "
                         f"({responses} responses depend on it)")


class Full(Exception):
    """The link has taken all the answers it may take."""


class KeyTaken(Exception):
    """The idempotency key was stored through another link (a forged or mixed-up page)."""


def pinned_version(form_id: str, version: int) -> FormVersion | None:
    return db.session.scalar(select(FormVersion).filter_by(form_id=form_id, version=version))


def check_unchanged(definition: FormDefinition) -> bool:
    """Whether the version is pinned (False while no counted answer froze it); the pins are kept per process
    while no pin, link or card changed (``links.linkview.kept``: a new pin from any worker drops them).

    :raise VersionChanged: when answers depend on this version and its file has changed since.
    """
    pins = kept("pins")
    key = (definition.id, definition.version)
    if pins is not None and key in pins:
        pinned_hash = pins[key]
    else:
        pinned = pinned_version(definition.id, definition.version)
        pinned_hash = pinned.content_hash if pinned is not None else None
        if pins is not None:
            pins[key] = pinned_hash
    if pinned_hash is not None and pinned_hash != definition.content_hash:
        count = db.session.scalar(select(func.count(Response.id)).filter_by(
            form_id=definition.id, version=definition.version))
        raise VersionChanged(definition, pinned_version(definition.id, definition.version), count)
    return pinned_hash is not None


def pin_published(definition: FormDefinition) -> None:
    """Freeze a version's file from its publication on (without, its first answer would); committed by the caller."""
    if pinned_version(definition.id, definition.version) is None:
        db.session.add(FormVersion(form_id=definition.id, version=definition.version,
                                   content_hash=definition.content_hash))


def _pin(definition: FormDefinition) -> None:
    """Record the version's hash at its first response; from then on the file is frozen."""
    db.session.add(FormVersion(form_id=definition.id, version=definition.version,
                               content_hash=definition.content_hash))
    try:
        db.session.commit()
    except IntegrityError:
        # Another worker pinned it at the same moment; its row is as good as ours.
        db.session.rollback()


def find_response(key: str) -> Response | None:
    """The response stored under an idempotency key, test answers and voided ones included (a key is taken
    either way)."""
    return db.session.scalar(select(Response).filter_by(idempotency_key=key), execution_options=EVERY_RESPONSE)


class _Stored(NamedTuple):
    link_id: int | None


#: Every response, test and voided ones too (plain SQL sees them all): a key is taken either way.
_KEY_LINK = f"SELECT link_id FROM {Response.__tablename__} WHERE idempotency_key = ?"


def stored_through(key: str):
    """Whether a response is stored under an idempotency key, and through which link: a row with ``link_id``, else
    None (test answers and voided ones included: a key is taken either way). Reads that one column, not the
    response with its answers' payload: most callers only ask whether. Asked on every "Next" (a page sent again
    after its answers were stored gets the thank-you page): plain SQL through the pool's connection, which sees
    what is committed, as the session's next statement would."""
    row = first_row(_KEY_LINK, key)
    return None if row is None else _Stored(link_id=row[0])


def count_responses(link_id: int) -> int:
    """The answers a link holds, for its ``max_responses`` (a test link holds only test answers). A voided
    response is not counted: the link takes the answer that replaces it (the right person's, say)."""
    return db.session.scalar(select(func.count(Response.id)).filter_by(link_id=link_id),
                             execution_options=WITH_TESTS)


def _lock_link(link_id: int) -> None:
    """Hold the link until commit, so that counting its responses and adding one is one step for all workers.

    PostgreSQL locks the link's row. SQLite has no row locks: a write takes the database's write lock (pysqlite
    begins a transaction only at the first write), which also gives the count that follows the newest data.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(Link.id).where(Link.id == link_id).with_for_update())
    else:
        # A write that changes nothing (not the key: no foreign-key checks of the link's answers).
        db.session.execute(update(Link.__table__).where(Link.id == link_id).values(max_responses=Link.max_responses))


def _stored_before(key: str, link_id: int | None) -> Response | None:
    """The response stored under ``key`` through this link. :raise KeyTaken: when another link stored it"""
    existing = find_response(key)
    if existing is not None and existing.link_id != link_id:
        raise KeyTaken(key)
    return existing


def store_response(definition: FormDefinition, *, cohort_id: int, link_id: int | None, language: str, key: str,
                   values: dict, shown: dict, limit: int | None = None, test: bool = False) -> tuple[Response, bool]:
    """Store one submission with its answers and scores.

    :param limit: the most responses the link may hold (checked in the same transaction as the insert)
    :param test: a rehearsal's answer: stored apart and it does not pin the version (a rehearsal freezes nothing)
    :return: ``(response, created)``; ``created`` is False when this key was stored before through this link
    :raise VersionChanged: when the version's file changed after answers were stored under it
    :raise Full: when the link already holds ``limit`` responses
    :raise KeyTaken: when the key was stored through another link
    """
    if not check_unchanged(definition) and not test:
        _pin(definition)
    if limit is not None and link_id is not None:
        _lock_link(link_id)
        # A retry of the answer that filled the link is that answer, not one too many.
        # When nothing is stored, let go of the link at once: held while the caller writes other rows (a
        # tablet's), it closed a circle of locks with a parallel sync writing that row (a PostgreSQL deadlock).
        try:
            existing = _stored_before(key, link_id)
            if existing is None and count_responses(link_id) >= limit:
                raise Full(link_id)
        except (Full, KeyTaken):
            db.session.rollback()
            raise
        if existing is not None:
            db.session.rollback()
            return existing, False
    # Without a limit, a key stored before is caught by its unique constraint below: no extra query.
    scores = compute_scores(definition, values)
    code = values.get(PARTICIPANT_FIELD)
    response = Response(form_id=definition.id, version=definition.version, content_hash=definition.content_hash,
                        cohort_id=cohort_id, link_id=link_id, language=language, idempotency_key=key,
                        participant_code=str(code).upper() if code else None, payload=payload(values, scores),
                        test=test)
    db.session.add(response)
    try:
        db.session.flush()
        _insert_answers(definition, response.id, values, shown, scores)
        db.session.commit()
    except IntegrityError:
        # The same key arrived twice at once (double tap, retry): the first one wins.
        db.session.rollback()
        existing = _stored_before(key, link_id)
        if existing is None:
            raise
        return existing, False
    return response, True


def _insert_answers(definition: FormDefinition, response_id: int, values: dict, shown: dict, scores: dict) -> None:
    rows = answer_rows(definition, values, shown)
    rows += [{"field_id": score_id, "value_num": value} for score_id, value in scores.items() if value is not None]
    # One executemany for all rows: the ORM would send one INSERT … RETURNING per answer on SQLite.
    db.session.execute(insert(Answer.__table__), [{**ANSWER_DEFAULTS, **row, "form_id": definition.id,
                                                   "response_id": response_id} for row in rows])


def rewrite_answers(definition: FormDefinition, response: Response, values: dict, shown: dict) -> dict:
    """Store ``values`` as the response's current answers (a staff correction): its answer rows and payload
    are replaced, its scores computed again through the definition. ``Response.participant_code`` is the
    caller's (a reassignment sets it). Commits nothing.

    :return: the scores now stored
    """
    scores = compute_scores(definition, values)
    db.session.execute(delete(Answer).where(Answer.response_id == response.id))
    _insert_answers(definition, response.id, values, shown, scores)
    response.payload = payload(values, scores)
    return scores


def test_responses(cohort_id: int):
    """A query of the cohort's test answers (a rehearsal's), newest first: the one reader of them besides storing."""
    return (select(Response).where(Response.cohort_id == cohort_id, Response.test)
            .order_by(Response.submitted_at.desc(), Response.id.desc()).execution_options(**WITH_TESTS))


def delete_test_responses(cohort_id: int) -> int:
    """Delete every test answer of the cohort with its answer rows (real answers stay); :return: how many."""
    ids = select(Response.id).where(Response.cohort_id == cohort_id, Response.test)
    db.session.execute(delete(Answer).where(Answer.response_id.in_(ids)), execution_options=WITH_TESTS)
    return db.session.execute(delete(Response).where(Response.id.in_(ids)), execution_options=WITH_TESTS).rowcount
