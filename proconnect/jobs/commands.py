"""``proconnect jobs worker``: the process that renders PDFs, beside gunicorn (or on another host with Redis)."""
from __future__ import annotations

import logging
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from .runner import PERIODIC, huey_of


@click.group("jobs")
def jobs_group():
    """Background jobs (PDFs of reports, profile sheets, posters, cards; e-mail from the outbox)."""


@jobs_group.command("worker")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 16),
              help="Jobs rendered at the same time (threads; one per core is plenty).")
@with_appcontext
def worker_command(workers):
    """Take jobs from the queue (PDFs, mails) until stopped (SIGINT: finish the current job; SIGTERM: now).

    Once a minute it also does the periodic work: mails due for another try, reminders, digests."""
    huey = huey_of(current_app)
    if huey.immediate:
        click.echo("JOBS_IMMEDIATE is set: PDFs and mails are made in the web process, there is nothing to take.",
                   err=True)
        sys.exit(1)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    click.echo(f"Worker: {type(huey).__name__}, {workers} at a time.")
    # Polls SQLite at most every second when idle (Huey's default backs off to 10 s, a long wait for a download).
    huey.create_consumer(workers=workers, worker_type="thread", periodic=True, initial_delay=0.1, backoff=1.15,
                         max_delay=1.0).run()


@jobs_group.command("periodic")
@with_appcontext
def periodic_command():
    """Do the worker's once-a-minute work once: mails due for another try, reminders, digests.

    For an instance without a worker (JOBS_IMMEDIATE): run it from cron every few minutes.
    """
    for function in PERIODIC:
        function()
    click.echo(f"Done: {', '.join(f.__module__.rsplit('.', 2)[-2] + '.' + f.__name__ for f in PERIODIC)}.")
