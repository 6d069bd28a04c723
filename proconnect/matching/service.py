"""What the match-making pages and the ``match``/``speed-dating`` commands share: the project's rules, the
trades' labels and the places open to matching."""
from __future__ import annotations

from flask import current_app

from ..definitions import forms_registry
from ..definitions.roles import COMPANY_READINESS, COMPETENCE_CHECK
from ..i18n import form_translator
from .engine import describe, with_offers
from .profiles import ParticipantProfile, Place
from .rules import project_rules  # noqa: F401  (the pages and commands import it from here)
from .sources import CompanyOffer


def trade_labels() -> dict[str, str]:
    """Trade value -> its label in the competence check (the current language)."""
    form_id = COMPETENCE_CHECK.form_id()
    definition = forms_registry(current_app).get(form_id)
    if definition is None:
        return {}
    t = form_translator(form_id)
    return {c.value: t(c.label) for c in definition.field(COMPETENCE_CHECK.field("trades")).choices}


def occupation_labels() -> dict[str, str]:
    """Ausbildungsberuf value -> its label in the company survey (the current language)."""
    form_id = COMPANY_READINESS.form_id()
    definition = forms_registry(current_app).get(form_id) if form_id else None
    if definition is None:
        return {}
    t = form_translator(form_id)
    return {c.value: t(c.label) for c in definition.field(COMPANY_READINESS.field("apprenticeships")).choices}


def describer():
    """A function that says what a place offers, with the trades' and Berufe's labels of the current language."""
    trades, occupations = trade_labels(), occupation_labels()
    return lambda place: describe(place, lambda t: trades.get(t, t), lambda o: occupations.get(o, o))


def open_places(companies: list[CompanyOffer]) -> list[Place]:
    """The places of these companies that are still to be filled."""
    return [p for c in companies for p in c.places if p.count > 0]


def places_for(person: ParticipantProfile, companies: list[CompanyOffer], places: list[Place]) -> list[Place]:
    """The open ``places`` of ``companies`` and what one of them offered ``person`` after a hospitation, where its
    survey lists no such place (``engine.with_offers``)."""
    return with_offers(person, places, {c.id: c.site for c in companies if c.site is not None})
