"""One list of choices for two instruments: ``choices_of = "<role>.<field>"`` in place of a field's ``choices``.

Some questions of different forms must offer the same values: the company readiness survey's Gemeinde and the
competence check's (where a participant lives), since matching's travel table knows the way between the two. A
hand copy of the list would drift. The field names the other question through its instrument role instead
(``roles.py``: the role must declare it), and ``resolve`` gives it that question's choices when the definitions
load (``scan_forms``): the choices of the newest published version of the form the role points at, pictures left
with their form. Every reader (form page, validation, reports, exports, demo) then sees a plain list.

The file keeps only the reference, so its hash (what pins a published version) stays the same when the list
changes: a value the other form adds is offered at once, and answers keep their values. A list is shared from the
form that owns it, never passed on (a field that takes its choices from elsewhere cannot lend them).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import replace

from .errors import ErrorCode, Problem, did_you_mean
from .model import Choice, FormDefinition
from .roles import ROLES, Need, form_ids

#: The key of a field whose choices are another form's.
SHARED_KEY = "choices_of"
#: Field types whose choices another field may take.
_LISTS = ("single", "multiple")


def shareable() -> dict[str, tuple[str, Need]]:
    """``"<role>.<field>"`` -> (role name, need) for every choice field a role declares."""
    return {f"{role.name}.{need.id}": (role.name, need) for role in ROLES.values() for need in role.needs
            if not need.each and set(need.types) & set(_LISTS)}


def check_reference(text: str) -> dict | None:
    """None when ``text`` names a choice field a role declares, else the arguments of ``CHOICE_004``."""
    known = shareable()
    if text in known:
        return None
    return {"got": text, "expected": ", ".join(sorted(known)), "hint": did_you_mean(text, known)}


def resolve(registry, configured) -> list[Problem]:
    """Give every field with ``choices_of`` (every version and draft of ``registry``) the choices it names.

    :param configured: the instance's ``INSTRUMENT_ROLES`` (which form serves each role)
    :return: a ``CHOICE_006`` problem for each reference that finds no list (its field keeps no choices)
    """
    ids, known, problems = form_ids(configured), shareable(), []

    def resolved(definition: FormDefinition) -> FormDefinition:
        lists = {}
        for f in definition.fields:
            shared = f.extra.get(SHARED_KEY)
            if shared not in known:
                continue  # no reference, or one the loader refused already
            role, need = known[shared]
            choices, why = _choices(registry, ids[role], role, need.id)
            if why:
                problems.append(Problem(definition.source, f.line, f.id, ErrorCode.CHOICE_006,
                                        ErrorCode.CHOICE_006.format(shared=shared, why=why)))
            lists[f.id] = choices
        return _with_choices(definition, lists) if lists else definition

    for instrument in registry.instruments.values():
        instrument.versions = {number: resolved(d) for number, d in instrument.versions.items()}
    for form_id, draft in list(registry.drafts.items()):
        # A form's draft is in ``drafts`` and, once the form has a version, on its instrument too.
        registry.drafts[form_id] = resolved(draft)
        instrument = registry.instruments.get(form_id)
        if instrument is not None and instrument.draft is draft:
            instrument.draft = registry.drafts[form_id]
    return problems


def digests(registry) -> dict[str, str]:
    """Form id -> a digest of the choices its versions and draft take from other forms (only forms that do):
    pages and form classes kept under a version's hash are kept under this too (``i18n.form_texts_digest``)."""
    out = {}
    for form_id in registry.form_ids():
        instrument, draft = registry.instruments.get(form_id), registry.drafts.get(form_id)
        definitions = [*(instrument.versions.values() if instrument else ()), *([draft] if draft else [])]
        lists = [[d.version, f.id, [[c.value, c.label] for c in f.choices]]
                 for d in definitions for f in d.fields if f.extra.get(SHARED_KEY)]
        if lists:
            out[form_id] = hashlib.sha256(json.dumps(lists, ensure_ascii=False).encode()).hexdigest()
    return out


def _choices(registry, form_id: str | None, role: str, field_id: str) -> tuple[tuple[Choice, ...], str]:
    """The choices of the role's field in the newest version of its form, or () and why there are none."""
    if form_id is None:
        return (), f"the {role} role is not used here (INSTRUMENT_ROLES)"
    source = registry.get(form_id)
    if source is None:
        return (), f"the {role} role's form '{form_id}' does not exist"
    where = f"'{form_id}' v{source.version}"
    try:
        f = source.field(field_id)
    except KeyError:
        return (), f"{where} (the {role} role's form) has no field '{field_id}'"
    if f.extra.get(SHARED_KEY):
        return (), f"'{field_id}' of {where} takes its choices from another form itself"
    if f.type not in _LISTS or not f.choices:
        return (), f"'{field_id}' of {where} is a {f.type} field without choices"
    return tuple(Choice(c.value, c.label) for c in f.choices), ""


def _with_choices(definition: FormDefinition, lists: dict[str, tuple[Choice, ...]]) -> FormDefinition:
    fields = {f.id: replace(f, choices=lists[f.id]) if f.id in lists else f for f in definition.fields}
    return replace(definition, fields=tuple(fields[f.id] for f in definition.fields),
                   pages=tuple(replace(p, fields=tuple(fields[f.id] for f in p.fields)) for p in definition.pages))
