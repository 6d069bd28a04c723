"""Storing a submission exactly once, under the exact form version it was given under."""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached

from ..definitions.model import PARTICIPANT_FIELD, FormDefinition
from ..extensions import db, first_row
from ..links.linkview import kept
from ..links.models import Link
from ..models_util import utcnow
from .models import EVERY_RESPONSE, WITH_TESTS, Answer, FormVersion, Response
from .util import answer_rows, compute_scores, payload

#: Every column of an answer row with its default, in the table's order: all rows of a response share one INSERT
#: statement, and a row's values in this order are its parameters.
ANSWER_DEFAULTS = {c.name: c.default.arg if c.default is not None and c.default.is_scalar else None
                   for c in Answer.__table__.columns if not c.primary_key}
ANSWER_COLUMNS = tuple(ANSWER_DEFAULTS)


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
    row = dict(form_id=definition.id, version=definition.version, content_hash=definition.content_hash,
               cohort_id=cohort_id, link_id=link_id, language=language, idempotency_key=key,
               participant_code=str(code).upper() if code else None, payload=payload(values, scores), test=test,
               voided=False, review="new", submitted_at=utcnow())
    # Everything is made ready before the first write: on SQLite that write takes the database's one write lock,
    # which every other worker's submission then waits for (in sleeps of 1 ms and more) until the commit.
    # The session's connection: pysqlite begins the transaction (BEGIN) only at the first write.
    connection = db.session.connection()
    answers, params = _answer_params(connection.dialect, definition, values, shown, scores, cohort_id)
    try:
        response_id = connection.execute(insert(Response), row).inserted_primary_key[0]
        answers.execute(connection, params, response_id)
        db.session.commit()
    except IntegrityError:
        # The same key arrived twice at once (double tap, retry): the first one wins.
        db.session.rollback()
        existing = _stored_before(key, link_id)
        if existing is None:
            raise
        return existing, False
    # The stored row as an object of the session, without reading it back.
    response = Response(id=response_id, **row)
    make_transient_to_detached(response)
    db.session.add(response)
    return response, True


def score_rows(scores: dict) -> list[dict]:
    """One answer row per computed score (under the score's id); a score without a value stores nothing."""
    return [{"field_id": score_id, "value_num": value} for score_id, value in scores.items() if value is not None]


class AnswerInsert:
    """The answer rows' INSERT as the database driver takes it, with the rows' values converted as SQLAlchemy's
    column types would: one ``executemany`` in the session's transaction, on SQLite and PostgreSQL alike.

    Through SQLAlchemy's ``insert`` every row's values went through its parameter processing while SQLite's
    write lock was held; here the parameters are made before the first write, and only the driver runs in it.
    """

    _made: dict = {}

    def __init__(self, dialect):
        compiled = insert(Answer.__table__).compile(dialect=dialect, column_keys=list(ANSWER_COLUMNS),
                                                    for_executemany=True)
        self.sql = str(compiled)
        columns = Answer.__table__.columns
        self.convert = [(i, processor) for i, name in enumerate(ANSWER_COLUMNS)
                        if (processor := columns[name].type.dialect_impl(dialect).bind_processor(dialect))]
        self.response_at = ANSWER_COLUMNS.index("response_id")
        # The driver takes a row's values by position (``?``: SQLite) or by name (``%(name)s``: psycopg).
        if not compiled.positional:
            self.driver_row = lambda values: dict(zip(ANSWER_COLUMNS, values))
        else:
            order = [ANSWER_COLUMNS.index(name) for name in compiled.positiontup]
            self.driver_row = tuple if order == list(range(len(order))) else lambda values: tuple(
                values[i] for i in order)

    @classmethod
    def of(cls, dialect) -> "AnswerInsert":
        made = cls._made.get(dialect.name)
        if made is None:
            made = cls._made[dialect.name] = cls(dialect)
        return made

    def params(self, rows: list[dict], form_id: str, cohort_id: int) -> list[list]:
        """Each row's values in column order, converted for the driver (``response_id`` is filled in by
        ``execute``).

        :param rows: answer columns by name (``util.answer_rows``, ``score_rows``)
        :param cohort_id: the response's cohort, which reports find a cohort's answers by
        """
        template = {**ANSWER_DEFAULTS, "form_id": form_id, "cohort_id": cohort_id}
        made = []
        for row in rows:
            values = list({**template, **row}.values())
            for i, processor in self.convert:
                if values[i] is not None:
                    values[i] = processor(values[i])
            made.append(values)
        return made

    def execute(self, connection, params: list[list], response_id: int) -> None:
        """Insert the rows of ``params`` under ``response_id`` in ``connection``'s transaction."""
        if params:
            for values in params:
                values[self.response_at] = response_id
            connection.exec_driver_sql(self.sql, [self.driver_row(values) for values in params])


def _answer_params(dialect, definition: FormDefinition, values: dict, shown: dict, scores: dict,
                   cohort_id: int) -> tuple[AnswerInsert, list]:
    """The answer INSERT of ``dialect``'s database, and the parameters of the answer and score rows."""
    answers = AnswerInsert.of(dialect)
    return answers, answers.params(answer_rows(definition, values, shown) + score_rows(scores), definition.id,
                                   cohort_id)


def rewrite_answers(definition: FormDefinition, response: Response, values: dict, shown: dict) -> dict:
    """Store ``values`` as the response's current answers (a staff correction): its answer rows and payload
    are replaced, its scores computed again through the definition. ``Response.participant_code`` is the
    caller's (a reassignment sets it). Commits nothing.

    :return: the scores now stored
    """
    scores = compute_scores(definition, values)
    db.session.execute(delete(Answer).where(Answer.response_id == response.id))
    connection = db.session.connection()
    answers, params = _answer_params(connection.dialect, definition, values, shown, scores, response.cohort_id)
    answers.execute(connection, params, response.id)
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
