"""Huey, configured from the app: where jobs wait, the one task that renders a PDF, and the renderers' registry.

Storage: SQLite in the instance folder by default (no other service on one machine; ``proconnect jobs worker``
takes the jobs from there), Redis when ``JOBS_REDIS_URL`` is set (the worker may then run on another host that
shares the instance folder), or none with ``JOBS_IMMEDIATE``: the job runs in the request that asks for it (the
test suite, and an instance that runs no worker).
"""
from __future__ import annotations

import functools
import hashlib
import logging
import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import asdict, dataclass, field
from pathlib import Path

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab

from ..config import translations_directory
from . import kept
from .kept import Document

EXTENSION = "jobs"
PACKAGE = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)


@dataclass
class Rendered:
    """What a renderer returns: the PDF and facts worth keeping beside it (for the audit log)."""

    pdf: bytes
    facts: dict = field(default_factory=dict)


#: kind -> function(params) -> Rendered, called in an app context (in the worker or, immediately, in a request).
RENDERERS: dict[str, Callable[[dict], Rendered]] = {}


#: Work the worker does every minute (the outbox's retries, reminders, digests), each called in an app context.
PERIODIC: list[Callable[[], None]] = []


def every_minute(function: Callable[[], None]) -> Callable[[], None]:
    """Register ``function`` to run once a minute in ``proconnect jobs worker`` (never without a worker)."""
    if function not in PERIODIC:
        PERIODIC.append(function)
    return function


def renderer(kind: str):
    """Register the function that makes documents of ``kind`` from their ``params``."""
    def register(function):
        if RENDERERS.get(kind, function) is not function:
            raise ValueError(f"a renderer for {kind!r} is registered already")
        RENDERERS[kind] = function
        return function
    return register


@functools.cache
def code_version() -> str:
    """A fingerprint of the templates, code and compiled catalogs: a new release makes every PDF again.

    Computed from the files' contents (not their times), so web and worker agree even on separate hosts.
    """
    digest = hashlib.sha256()
    files = sorted(p for pattern in ("**/*.py", "**/*.html", "**/*.toml") for p in PACKAGE.glob(pattern))
    files += sorted(Path(translations_directory()).glob("*/LC_MESSAGES/*.mo"))
    for file in files:
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def document(kind: str, folder: str, params: dict, version, name: str, audit: dict) -> Document:
    """The document of ``kind`` with these parameters, for data at ``version`` (the code's version is added)."""
    return Document(kind, folder, params, [version, code_version()], name, audit)


def _queue_file(app: Flask) -> str | None:
    """The SQLite file jobs wait in, or None when they wait elsewhere (Redis) or nowhere (immediate)."""
    config = app.config
    if config["JOBS_IMMEDIATE"] or config["JOBS_REDIS_URL"]:
        return None
    return config["JOBS_SQLITE"] or str(Path(app.instance_path) / "jobs.sqlite3")


def make_huey(app: Flask) -> Huey:
    config = app.config
    if config["JOBS_IMMEDIATE"]:
        return MemoryHuey("proconnect", immediate=True, results=False)
    if config["JOBS_REDIS_URL"]:
        return RedisHuey("proconnect", url=config["JOBS_REDIS_URL"], results=False)
    return SqliteHuey("proconnect", filename=_queue_file(app), results=False)


def _leave_no_copy(filename: str) -> None:
    """Rewrite the job queue's SQLite file with only the jobs still waiting and empty its write-ahead log.

    Huey deletes a job when the worker takes it, but its parameters (the participant codes of a profile sheet or
    of cards) stay readable in the log and in freed pages until they happen to be overwritten; an erased person's
    code must not. The queue holds a few rows: rewriting it takes milliseconds.
    """
    try:
        with closing(sqlite3.connect(filename, timeout=30)) as connection:
            connection.execute("VACUUM")
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error:
        # The next job tries again; the PDF must not fail for it.
        log.warning("could not rewrite the job queue %s", filename, exc_info=True)


def init_app(app: Flask) -> None:
    """Create the app's Huey and register the render task on it."""
    huey = make_huey(app)
    queue = _queue_file(app)

    @huey.task(name="render_pdf")
    def render_task(data: dict) -> None:
        if queue:
            # Taken from the queue: its parameters leave the file before the PDF is made (and shown as ready).
            _leave_no_copy(queue)
        with app.app_context():
            _render(Document(**data))

    @huey.periodic_task(crontab(), name="every_minute")
    def periodic_task() -> None:
        with app.app_context():
            for function in PERIODIC:
                # One feature's trouble (a database hiccup) must not stop the others' work this minute.
                try:
                    function()
                except Exception:
                    log.exception("periodic job %s failed", function.__qualname__)

    app.extensions[EXTENSION] = (huey, render_task)


def huey_of(app: Flask) -> Huey:
    return app.extensions[EXTENSION][0]


def _render(doc: Document) -> None:
    if kept.ready(doc):
        return
    try:
        rendered = RENDERERS[doc.kind](doc.params)
    # Whatever breaks, the person waiting gets a message and "try again" instead of a page that waits forever.
    except Exception as exc:
        log.exception("PDF job %s (%s) failed", doc.key, doc.kind)
        kept.mark_failed(doc, type(exc).__name__)
        return
    kept.store(doc, rendered.pdf, rendered.facts)


@dataclass(frozen=True)
class Status:
    """Where a document stands: ``ready``, ``pending`` or ``failed``; ``slow`` when pending for long."""

    state: str
    slow: bool = False


def status(doc: Document) -> Status:
    if kept.ready(doc):
        return Status("ready")
    if kept.failed(doc):
        return Status("failed")
    since = kept.pending_since(doc)
    slow = since is not None and time.time() - since > current_app.config["JOBS_SLOW_SECONDS"]
    return Status("pending", slow)


def start(doc: Document) -> Status:
    """Ask for the document unless it is kept, being made, or failed (a failure waits for :func:`retry`)."""
    if not kept.ready(doc) and not kept.failed(doc) and _claim(doc):
        current_app.extensions[EXTENSION][1](asdict(doc))
    return status(doc)


def _claim(doc: Document) -> bool:
    if huey_of(current_app).immediate:
        # Made right here, now: a request cut off mid-way (gunicorn's timeout) must leave no marker that makes
        # the next one wait for a job nobody runs.
        kept.remember(doc)
        return True
    return kept.claim(doc, current_app.config["JOBS_STALE_SECONDS"])


def retry(doc: Document) -> Status:
    """Forget a failure and ask again."""
    kept.clear_failure(doc)
    return start(doc)
