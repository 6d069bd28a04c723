"""``proconnect retention apply``: delete what is past each cohort's retention period (dry run first);
``proconnect participants erase``: a participant's erasure on request, as the staff page does it."""
from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..clisupport import requires_db
from ..cohorts.models import Cohort
from ..extensions import db
from ..links import codes
from . import retention
from .erasure import erase_participant, participant_responses, was_erased


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


@click.command("erase")
@click.argument("slug", metavar="COHORT")
@click.argument("code")
@click.option("--yes", is_flag=True, help="Erase without asking.")
@with_appcontext
@requires_db
def participants_erase(slug, code, yes):
    """Erase the data of participant CODE in COHORT on request (GDPR art. 17): the responses keep the
    cohort's counts but lose the code and every free-text answer; the erasure is audit-logged."""
    cohort = db.session.scalar(select(Cohort).filter_by(slug=slug))
    if cohort is None:
        raise click.BadParameter(f"no cohort '{slug}' (see 'proconnect cohorts create')", param_hint="COHORT")
    # The staff page's addresses reach codes stored before codes were checked; so does the command line.
    found = next(((spelling, responses) for spelling in codes.spellings(code)
                  if (responses := participant_responses(cohort.id, spelling))), None)
    if found is None:
        if any(was_erased(cohort.id, spelling) for spelling in codes.spellings(code)):
            click.echo(f"The data of participant {codes.stored_form(code)} in cohort {slug} was erased before; "
                       "nothing is kept under this code.")
            return
        click.echo(f"No responses with participant code {codes.stored_form(code)} in cohort {slug}.", err=True)
        sys.exit(1)
    code, responses = found
    if not yes and not click.confirm(f"Erase the data of participant {code} in cohort {slug} "
                                     f"({len(responses)} response(s))? This cannot be undone."):
        click.echo("Nothing was erased.")
        return
    erase_participant(cohort, code)
    click.echo(f"Erased participant {code} in cohort {slug}: {len(responses)} response(s) anonymised, their "
               "free-text answers deleted. The counts of the cohort are unchanged.")
