"""The link a form page reads: a frozen copy of its row, kept per worker process and never stale.

A hall of tablets opens the same few links again and again; reading the link, its cohort's cards and its
version's pin through the ORM was most of a form page's cost. Every change to a ``link`` row, a participant
card (``participant``: whether a cohort has cards) or a pin (``form_version``) moves
``link_view_state.generation`` to a new random number in the same transaction, by triggers in the database
(migration 0022): whoever writes — a staff page, the command line, an erasure, another worker, a restore,
plain SQL. A request reads that one number once (``kept``); what was kept under another number is dropped.
So nothing kept is older than the request's own read, as if the request had read every row itself.

What changes without touching those rows stays the caller's to check on every request: the clock against
``opens_at`` / ``closes_at`` (``responses.flow.check_open``) and a limited link's response count.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from flask import current_app, g, has_request_context
from sqlalchemy import BigInteger, bindparam, select
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db, first_row
from .models import Link
from .participants import cards_issued

EXTENSION = "proconnect.link_views"
#: Links kept per process at most (each a few hundred bytes); beyond, the copies start over.
MOST = 4096


class LinkViewState(db.Model):
    """One row: the number that moves whenever a link, a card or a pin changes (moved by triggers only)."""

    __tablename__ = "link_view_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger)


@dataclass(frozen=True)
class LinkView:
    """A link's row as it was when the request began (the same names as ``Link``), plus its cohort's cards."""

    id: int
    token: str
    form_id: str
    version: int | None
    cohort_id: int
    language: str
    event: str
    kiosk: bool
    kiosk_pin_hash: str | None
    kiosk_reset_seconds: int | None
    opens_at: datetime | None
    closes_at: datetime | None
    max_responses: int | None
    test: bool
    revoked_at: datetime | None
    company_id: int | None
    opened_at: datetime | None
    created_at: datetime
    #: Whether the link's cohort has participant cards (then only a card's code is taken).
    cohort_has_cards: bool

    check_pin = Link.check_pin
    reset_seconds = Link.reset_seconds
    state = Link.state


#: Plain SQL through the driver: nothing to compile or look up in a cache, on every request.
_GENERATION = "SELECT generation FROM link_view_state WHERE id = 1"
_BY_TOKEN = select(*Link.__table__.columns, cards_issued(Link.cohort_id).label("cohort_has_cards")).where(
    Link.token == bindparam("token"))
_NAMES = tuple(f.name for f in fields(LinkView))


class _Kept:
    """What a process keeps for one generation: a dict per kind (``links`` here, ``pins`` in responses)."""

    def __init__(self, generation: int):
        self.generation = generation
        self.kinds: dict[str, dict] = {}


def _generation() -> int | None:
    """The generation now, read once per request (None: the row is missing, nothing may be kept)."""
    if has_request_context() and "link_view_generation" in g:
        return g.link_view_generation
    # The pool's connection itself, not the session's: a page served from the copies needs nothing else.
    row = first_row(_GENERATION)
    generation = row[0] if row else None
    if has_request_context():
        g.link_view_generation = generation
    return generation


def kept(kind: str) -> dict | None:
    """This process's dict for ``kind`` under the generation this request read; None when nothing may be kept.

    Take the dict before reading what is put into it: an entry is then never older than its dict's generation
    (a request that read an older number writes into a dict nobody reads any more).
    """
    generation = _generation()
    if generation is None:
        return None
    store = current_app.extensions.get(EXTENSION)
    if store is None or store.generation != generation:
        store = current_app.extensions[EXTENSION] = _Kept(generation)
    return store.kinds.setdefault(kind, {})


def find(token: str) -> LinkView | None:
    """The link of ``token`` (None: no such link), from this process's copies while nothing changed."""
    links = kept("links")
    view = links.get(token) if links is not None else None
    if view is None:
        row = db.session.execute(_BY_TOKEN, {"token": token}).first()
        if row is None:
            return None
        values = {name: row._mapping[name] for name in _NAMES}
        view = LinkView(**{**values, "cohort_has_cards": bool(values["cohort_has_cards"])})
        if links is not None:
            if len(links) >= MOST:
                links.clear()
            links[token] = view
    return view
