"""``proconnect links ...`` and ``proconnect participants ...``: distribution from the command line."""
from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from ..clisupport import requires_db
from ..cohorts.models import Cohort
from ..definitions import forms_registry
from ..extensions import db
from ..i18n import LANGUAGES
from ..models_util import utcnow
from ..responses.models import WITH_TESTS, Response
from . import qr
from ..links.urls import link_url
from ..links.models import Kiosk, Link
from ..links.participants import issue_codes
from .printing import cards_pdf, poster_pdf

DATE_FORMATS = ["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def _cohort(slug: str, param_hint: str = "--cohort"):
    cohort = db.session.scalar(select(Cohort).filter_by(slug=slug))
    if cohort is None:
        raise click.BadParameter(f"no cohort '{slug}' (create it with 'proconnect cohorts create')",
                                 param_hint=param_hint)
    return cohort


def _link(token: str):
    link = db.session.scalar(select(Link).filter_by(token=token))
    if link is None:
        raise click.BadParameter(f"no link with token '{token}' (see 'proconnect links list')", param_hint="TOKEN")
    return link


def response_counts(link_ids) -> dict[int, int]:
    """Link id -> number of responses stored through it (a test link's are its test answers)."""
    if not link_ids:
        return {}
    return dict(db.session.execute(select(Response.link_id, func.count(Response.id))
                                   .where(Response.link_id.in_(link_ids)).group_by(Response.link_id),
                                   execution_options=WITH_TESTS).all())


@click.group("links")
def links_group():
    """Distribution links (what a QR code points to)."""


@links_group.command("create")
@click.option("--form", "form_id", required=True, help="Form id, e.g. competence-check.")
@click.option("--version", type=int, help="Pin a version; default: always the latest.")
@click.option("--cohort", "cohort_slug", required=True)
@click.option("--lang", default="de", show_default=True, help="Default language of the form.")
@click.option("--event", default="", help="Event label, e.g. 'Info event Delmenhorst 3 March'.")
@click.option("--kiosk", is_flag=True, help="Tablet mode: language choice first, reset after each person.")
@click.option("--pin", help="Kiosk PIN that lets staff leave kiosk mode (default: a new one is printed once).")
@click.option("--reset-seconds", type=click.IntRange(3, 600), help="Kiosk: seconds the thank-you screen stays.")
@click.option("--opens", type=click.DateTime(DATE_FORMATS), help="First moment the form takes answers (UTC).")
@click.option("--closes", type=click.DateTime(DATE_FORMATS), help="Moment the form stops taking answers (UTC).")
@click.option("--max-responses", type=click.IntRange(min=1), help="Stop after this many responses.")
@click.option("--test", is_flag=True, help="Test link for a rehearsal: marked on every screen, answers never counted.")
@with_appcontext
@requires_db
def links_create(form_id, version, cohort_slug, lang, event, kiosk, pin, reset_seconds, opens, closes,
                 max_responses, test):
    """Create a link and print its absolute URL (and, for a kiosk without --pin, its new PIN)."""
    registry = forms_registry(current_app)
    if registry.get(form_id) is None:
        raise click.BadParameter(f"no form '{form_id}'; known: {', '.join(registry.instruments)}",
                                 param_hint="--form")
    if version is not None and registry.get(form_id, version) is None:
        known = ", ".join(str(v) for v in sorted(registry.instruments[form_id].versions))
        raise click.BadParameter(f"{form_id} has no version {version}; known: {known}", param_hint="--version")
    cohort = _cohort(cohort_slug)
    if lang not in LANGUAGES:
        raise click.BadParameter(f"unknown language '{lang}'; known: {', '.join(LANGUAGES)}", param_hint="--lang")
    if (pin or reset_seconds) and not kiosk:
        raise click.BadParameter("only a kiosk link has a PIN and a reset time; add --kiosk",
                                 param_hint="--pin/--reset-seconds")
    if pin is not None and not (pin.isdigit() and 4 <= len(pin) <= 12):
        raise click.BadParameter("use 4 to 12 digits", param_hint="--pin")
    if opens and closes and closes <= opens:
        raise click.BadParameter("must be after --opens", param_hint="--closes")
    link = Link(form_id=form_id, version=version, cohort=cohort, language=lang, event=event, kiosk=kiosk,
                kiosk_reset_seconds=reset_seconds, opens_at=opens, closes_at=closes, max_responses=max_responses,
                test=test)
    new_pin = None
    if kiosk:
        new_pin = pin or f"{secrets.randbelow(10 ** 6):06d}"
        link.set_pin(new_pin)
    db.session.add(link)
    db.session.commit()
    click.echo(link_url(link))
    if kiosk and pin is None:
        click.echo(f"Kiosk PIN (shown only now, stored hashed): {new_pin}")


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"


@links_group.command("list")
@click.option("--cohort", "cohort_slug", help="Only this cohort's links.")
@with_appcontext
@requires_db
def links_list(cohort_slug):
    """Each link: token, form, language, kiosk, state, responses/maximum, open/close dates, event."""
    query = select(Link).order_by(Link.created_at, Link.id)
    if cohort_slug:
        query = query.filter_by(cohort_id=_cohort(cohort_slug).id)
    links = db.session.scalars(query).all()
    counts = response_counts([link.id for link in links])
    kiosks = db.session.scalars(select(Kiosk).where(Kiosk.link_id.in_([link.id for link in links]))
                                .order_by(Kiosk.last_seen_at)).all() if links else []
    now = utcnow()
    for link in links:
        count = counts.get(link.id, 0)
        form = f"{link.form_id} v{link.version or 'latest'}"
        limit = f"{count}/{link.max_responses}" if link.max_responses else str(count)
        click.echo(f"{link.token}  {link.cohort.slug}  {form}  {link.language}  "
                   f"{'kiosk' if link.kiosk else 'web'}{' test' if link.test else ''}  {link.state(now, count)}  {limit} responses  "
                   f"{_when(link.opens_at)} .. {_when(link.closes_at)}  {link.event}")
        for kiosk in (k for k in kiosks if k.link_id == link.id):
            click.echo(f"    tablet {kiosk.device[:8]}: last seen {_when(kiosk.last_seen_at)}, "
                       f"{kiosk.received} received, {kiosk.pending} waiting")
    if not links:
        click.echo("No links yet: create one with 'proconnect links create'.")


@links_group.command("revoke")
@click.argument("token")
@with_appcontext
@requires_db
def links_revoke(token):
    """Switch a link off for good: its QR code then shows a 'switched off' page."""
    link = _link(token)
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        db.session.commit()
    click.echo(f"Revoked {link.token} ({link.form_id}, {link.cohort.slug}) at {_when(link.revoked_at)} UTC")


@links_group.command("qr")
@click.argument("token")
@click.option("--format", "kind", type=click.Choice(["png", "svg"]), default="png", show_default=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
@requires_db
def links_qr(token, kind, out):
    """Write the link's QR code to a PNG or SVG file."""
    url = link_url(_link(token))
    out.write_bytes(qr.png(url) if kind == "png" else qr.svg(url))
    click.echo(f"Wrote {out} ({url})")


@links_group.command("poster")
@click.argument("token")
@click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
@requires_db
def links_poster(token, out):
    """Write the link's A4 poster (PDF) to print for an info event."""
    out.write_bytes(poster_pdf(_link(token)))
    click.echo(f"Wrote {out}")


@click.group("participants")
def participants_group():
    """Pseudonymous participant codes and their cards."""


@participants_group.command("cards")
@click.option("--cohort", "cohort_slug", required=True)
@click.option("--count", type=click.IntRange(1, 500), default=20, show_default=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
@requires_db
def participants_cards(cohort_slug, count, out):
    """Create COUNT new participant codes in the cohort and write a printable sheet of cards."""
    cohort = _cohort(cohort_slug)
    new = issue_codes(cohort, count)
    out.write_bytes(cards_pdf(cohort, new))
    click.echo(f"Wrote {out}: {len(new)} new codes for {cohort.slug} ({new[0]} .. {new[-1]})")
