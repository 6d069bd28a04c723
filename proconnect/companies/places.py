"""Where a company is: a Gemeinde of the one list of places the project knows.

The list is the competence check's ``municipality`` question (where participants live), so that a company's
place and a participant's home are the same values and matching's travel table (``matching/travel_times.toml``)
knows the way between them. Nothing here keeps a second copy of the list: a new Gemeinde in a newer version
of the check is offered to companies too.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from ..definitions import forms_registry
from ..definitions.roles import COMPETENCE_CHECK as CHECK
from ..i18n import form_translator
from .models import folded_words

#: The list's "Woanders": a place outside the project's region (no travel times).
ELSEWHERE = "other"
#: Words a typed place may carry that do not tell Gemeinden apart ("Gemeinde Hatten", "Oldenburg (Oldb)").
_NOISE = frozenset("stadt gemeinde samtgemeinde landkreis lk kreis oldb i o in".split())


def municipalities() -> list[tuple[str, str]]:
    """The Gemeinden as (value, label in the current language), "Woanders" last; empty without a check."""
    form_id = CHECK.form_id()
    definition = forms_registry(current_app).get(form_id) if form_id else None
    if definition is None:
        return []
    try:
        f = definition.field(CHECK.field("municipality"))
    except KeyError:
        return []
    t = form_translator(definition.id)
    return [(c.value, str(t(c.label))) for c in f.choices]


def label(value: str | None) -> str:
    """The label of a Gemeinde value ("" for none; the value itself when the list no longer has it)."""
    return dict(municipalities()).get(value, value or "") if value else ""


def _key(text: str) -> str:
    return " ".join(w for w in folded_words(text) if w not in _NOISE)


def match(text: str) -> str | None:
    """The Gemeinde a typed place clearly names ("Bad Zwischenahn", "Stadt Oldenburg", "grossenkneten"), else
    None (a village, a district, a typo: a coordinator chooses). German labels and values both count."""
    key = _key(text or "")
    if not key:
        return None
    form_id = CHECK.form_id()
    definition = forms_registry(current_app).get(form_id) if form_id else None
    if definition is None:
        return None
    f = definition.field(CHECK.field("municipality"))
    for choice in f.choices:
        if choice.value != ELSEWHERE and key in (_key(choice.label), _key(choice.value.replace("_city", ""))):
            return choice.value
    return None


def describe(municipality: str | None, typed: str = "", listed: dict[str, str] | None = None) -> str:
    """A company's place in words: its Gemeinde, or the typed place marked "not on the list", or ""."""
    if municipality:
        return (listed if listed is not None else dict(municipalities())).get(municipality, municipality)
    if typed:
        return _("%(place)s (not on the list)", place=typed)
    return ""
