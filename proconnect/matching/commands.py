"""``proconnect match``: ranked suggestions with their reasons, on the command line."""
from __future__ import annotations

import json
import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..clisupport import requires_db
from ..cohorts.models import Cohort
from ..extensions import db
from .engine import pair_scores, rank_participants, rank_places, reasons
from .service import describer, open_places, places_for, project_rules, trade_labels
from .sources import company_offers, participant_profiles, profiles_of_code
from .speed_dating import plan_speed_dating


def _fail(message: str):
    click.echo(message, err=True)
    sys.exit(1)


@click.command("match")
@click.option("--cohort", "cohort_slug", required=True)
@click.option("--participant", "code", help="Suggest companies for this participant code.")
@click.option("--company", "company_id", type=int, help="Suggest participants for this company (its link id).")
@click.option("--limit", default=10, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@with_appcontext
@requires_db
def match_command(cohort_slug, code, company_id, limit, fmt):
    """Print ranked suggestions with the reasons for each (default: every participant of the cohort)."""
    if code and company_id is not None:
        raise click.UsageError("give either --participant or --company, not both")
    cohort = db.session.scalar(select(Cohort).filter_by(slug=cohort_slug))
    if cohort is None:
        _fail(f"There is no cohort '{cohort_slug}'.")
    rules, labels, offer = project_rules(), trade_labels(), describer()
    people = profiles_of_code(cohort.id, code) if code else participant_profiles(cohort.id)
    companies = company_offers(company_id)
    if code and not people:
        _fail(f"Participant {code.strip().upper()} has no competence check in cohort {cohort_slug}: "
              "nothing to match yet.")
    if company_id is not None and not companies:
        _fail(f"There is no company readiness survey for company {company_id}.")
    if not people:
        _fail(f"No participant of cohort {cohort_slug} has a competence check with a participant code yet.")
    places = open_places(companies)
    if company_id is not None:
        lists = {companies[0].name: rank_participants(places, people, rules, limit, site=companies[0].site)}
        if not places and not any(lists.values()):
            _fail(f"Company {companies[0].name} offers no open places at the moment: nothing to match.")
    else:
        lists = {p.code: rank_places(p, places_for(p, companies, places), rules, limit) for p in people}
        # A place offered after a hospitation is something to suggest even when no survey lists an open place.
        if not places and not any(lists.values()):
            _fail("No company offers open places at the moment: nothing to match.")
    result = {who: [{"participant": m.participant.code, "company_id": m.place.company_id, "company": m.place.company,
                     "trade": m.place.trade, "kind": m.place.kind, "level": m.place.level,
                     "occupation": m.place.occupation, "offer": offer(m.place), "score": m.score,
                     "reasons": reasons(m, rules, lambda t: labels.get(t, t))} for m in matches]
              for who, matches in lists.items()}
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for who, rows in result.items():
        click.echo(who)
        for rank, row in enumerate(rows, start=1):
            other = row["participant"] if company_id is not None else f"{row['company']} (#{row['company_id']})"
            click.echo(f"  {rank:>2}. {row['score']:5.1f}  {other}  {row['offer']}")
            for reason in row["reasons"]:
                click.echo(f"        - {reason}")


@click.command("speed-dating")
@click.option("--cohort", "cohort_slug", required=True)
@click.option("--tables", type=int, required=True, help="Tables in the room (conversations at the same time).")
@click.option("--rounds", type=int, required=True)
@click.option("--start", type=click.DateTime(["%Y-%m-%d %H:%M"]), required=True, help='e.g. "2027-04-01 10:00"')
@click.option("--minutes", default=10, show_default=True, help="Length of one conversation.")
@click.option("--pause", default=2, show_default=True, help="Minutes to change tables.")
@click.option("--min-score", default=40.0, show_default=True, help="Only seat pairs that fit at least this well.")
@with_appcontext
@requires_db
def speed_dating_command(cohort_slug, tables, rounds, start, minutes, pause, min_score):
    """Plan a speed-dating event: who meets which company at which table and time."""
    cohort = db.session.scalar(select(Cohort).filter_by(slug=cohort_slug))
    if cohort is None:
        _fail(f"There is no cohort '{cohort_slug}'.")
    if tables < 1 or rounds < 1:
        raise click.BadParameter("at least one table and one round", param_hint="--tables/--rounds")
    rules = project_rules()
    people = participant_profiles(cohort.id)
    companies = {c.id: c for c in company_offers()}
    places = open_places(list(companies.values()))
    if not people or not places:
        _fail("A speed-dating event needs participants with a competence check and companies with open places.")
    scores = pair_scores(people, places, rules)
    plan = plan_speed_dating(scores, tables=tables, rounds=rounds, start=start, minutes=minutes, pause=pause,
                             min_score=min_score)
    for meetings in plan.rounds():
        click.echo(f"Round {meetings[0].round}  {meetings[0].starts:%H:%M}")
        for m in meetings:
            click.echo(f"  table {m.table:>2}: {companies[m.company_id].name}  –  {m.participant}  "
                       f"({scores[(m.participant, m.company_id)]:.0f})")
    if plan.missing:
        click.echo(f"{len(plan.missing)} fitting pair(s) found no slot; add rounds or tables to seat them.")
