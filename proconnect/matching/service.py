"""What the match-making pages and the ``match``/``speed-dating`` commands share: the project's rules, the
trades' labels and the places open to matching."""
from __future__ import annotations

from pathlib import Path

from flask import current_app

from ..definitions import forms_registry
from ..definitions.roles import COMPETENCE_CHECK
from ..i18n import form_translator
from .profiles import Place
from .rules import Rules, load_rules
from .sources import CompanyOffer


def project_rules() -> Rules:
    """The project's rules: ``instances/matching.toml`` when present, else the defaults."""
    custom = Path(current_app.instance_path) / "matching.toml"
    return load_rules(custom if custom.is_file() else None)


def trade_labels() -> dict[str, str]:
    """Trade value -> its label in the competence check (the current language)."""
    form_id = COMPETENCE_CHECK.form_id()
    definition = forms_registry(current_app).get(form_id)
    if definition is None:
        return {}
    t = form_translator(form_id)
    return {c.value: t(c.label) for c in definition.field(COMPETENCE_CHECK.field("trades")).choices}


def open_places(companies: list[CompanyOffer]) -> list[Place]:
    """The places of these companies that are still to be filled."""
    return [p for c in companies for p in c.places if p.count > 0]
