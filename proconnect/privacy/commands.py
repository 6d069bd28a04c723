"""``proconnect retention apply``: delete what is past each cohort's retention period (dry run first)."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..clisupport import requires_db
from . import retention


def _described(counts: dict[str, int]) -> str:
    return ", ".join(f"{kind.replace('_', ' ')}: {n}" for kind, n in counts.items() if n) or "nothing"


@click.group("retention")
def retention_group():
    """Retention periods of cohorts."""


@retention_group.command("apply")
@click.option("--dry-run", is_flag=True, help="Only show what would be deleted.")
@click.option("--yes", is_flag=True, help="Delete without asking (for cron jobs).")
@with_appcontext
@requires_db
def retention_apply(dry_run, yes):
    """Delete what is older than its cohort's retention period (responses, drafts, decisions, hospitations)."""
    plan = retention.expired()
    if not plan:
        click.echo("No cohort has a retention period; nothing to do.")
        return
    for item in plan:
        click.echo(f"{item.cohort.slug}: keep {item.cohort.retention_months} months -> from before "
                   f"{item.cutoff:%Y-%m-%d %H:%M} UTC: {_described(item.counts)}")
    total = sum(item.total for item in plan)
    if dry_run:
        click.echo(f"Dry run: {total} record(s) would be deleted. Nothing was changed.")
        return
    if not total:
        click.echo("Nothing is past its retention period.")
        return
    if not yes and not click.confirm(f"Delete {total} record(s) for good (responses with their answers)?"):
        click.echo("Nothing was deleted.")
        return
    deleted = retention.apply(plan)
    click.echo(f"Deleted {sum(deleted.values())} record(s): {_described(deleted)}.")
