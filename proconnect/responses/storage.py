"""Storing a submission exactly once, under the exact form version it was given under."""
from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from ..definitions.model import PARTICIPANT_FIELD, FormDefinition
from ..extensions import db
from .models import Answer, FormVersion, Response
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


def pinned_version(form_id: str, version: int) -> FormVersion | None:
    return db.session.scalar(select(FormVersion).filter_by(form_id=form_id, version=version))


def check_unchanged(definition: FormDefinition) -> FormVersion | None:
    """The pinned version (None while it is a draft).

    :raise VersionChanged: when answers depend on this version and its file has changed since.
    """
    pinned = pinned_version(definition.id, definition.version)
    if pinned is not None and pinned.content_hash != definition.content_hash:
        count = db.session.scalar(select(func.count(Response.id)).filter_by(
            form_id=definition.id, version=definition.version))
        raise VersionChanged(definition, pinned, count)
    return pinned


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
    return db.session.scalar(select(Response).filter_by(idempotency_key=key))


def store_response(definition: FormDefinition, *, cohort_id: int, link_id: int | None, language: str, key: str,
                   values: dict, shown: dict) -> tuple[Response, bool]:
    """Store one submission with its answers and scores.

    :return: ``(response, created)``; ``created`` is False when this key was stored before
    :raise VersionChanged: when the version's file changed after answers were stored under it
    """
    # A key stored before is caught by its unique constraint below: no extra query on the common path.
    if check_unchanged(definition) is None:
        _pin(definition)
    scores = compute_scores(definition, values)
    code = values.get(PARTICIPANT_FIELD)
    response = Response(form_id=definition.id, version=definition.version, content_hash=definition.content_hash,
                        cohort_id=cohort_id, link_id=link_id, language=language, idempotency_key=key,
                        participant_code=str(code).upper() if code else None, payload=payload(values, scores))
    rows = answer_rows(definition, values, shown)
    rows += [{"field_id": score_id, "value_num": value} for score_id, value in scores.items() if value is not None]
    db.session.add(response)
    try:
        db.session.flush()
        # One executemany for all rows: the ORM would send one INSERT … RETURNING per answer on SQLite.
        db.session.execute(insert(Answer.__table__), [{**ANSWER_DEFAULTS, **row, "form_id": definition.id,
                                                       "response_id": response.id} for row in rows])
        db.session.commit()
    except IntegrityError:
        # The same key arrived twice at once (double tap, retry): the first one wins.
        db.session.rollback()
        existing = find_response(key)
        if existing is None:
            raise
        return existing, False
    return response, True
