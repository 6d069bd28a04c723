"""Free-text company names in stored answers, and the record each one most likely means (for a coordinator to
confirm): the outcome's company before it was a choice, and every name typed for "other" in a question that chooses a
company record, in any instrument (the outcome, both sides' hospitation feedback)."""
from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import and_, func, or_, select

from ..definitions import forms_registry
from ..definitions.roles import OUTCOME
from ..extensions import db
from ..fieldtypes import field_type
from ..responses.models import Answer, Response
from .models import Company, CompanyAlias, name_key, usual_spelling
from .source import NAME

#: How alike two name keys must be (difflib's ratio) for a record to be proposed when no key is equal.
CLOSE = 0.8


@dataclass(frozen=True)
class Proposal:
    """A typed name not yet matched, how often it was given, and the record proposed for it (or None)."""

    key: str
    name: str
    count: int
    company_id: int | None


def typed_answers() -> dict[str, set[str]]:
    """Form id -> the answer names that hold a typed company name, over every version: what each record question
    of the companies says it stores for "other" (``FieldType.named_answers``), and the outcome's company before it
    was chosen from the records."""
    out: dict[str, set[str]] = {}
    for form_id, instrument in forms_registry(current_app).instruments.items():
        for definition in instrument.versions.values():
            for f in definition.fields:
                out.setdefault(form_id, set()).update(field_type(f).named_answers(f, NAME))
    if OUTCOME.form_id():
        # Older versions asked for the name as text.
        out.setdefault(OUTCOME.form_id(), set()).add(OUTCOME.field("company"))
    return {form_id: names for form_id, names in out.items() if names}


def typed_names(cohort_ids) -> Counter:
    """Each free-text company name in the cohorts' answers -> how often it was given (by its key, with the most
    frequent spelling as the name)."""
    typed = typed_answers()
    if not typed:
        return Counter()
    text = func.coalesce(Answer.value_long, Answer.value_text)
    rows = db.session.execute(
        select(text, func.count()).join(Response, Response.id == Answer.response_id)
        .where(Response.cohort_id.in_(cohort_ids), Answer.shown.is_(True), text.is_not(None),
               or_(*(and_(Response.form_id == form_id, Answer.field_id.in_(sorted(names)))
                     for form_id, names in sorted(typed.items()))))
        .group_by(text))
    counts: Counter = Counter()
    spellings: dict[str, Counter] = {}
    for name, n in rows:
        key = name_key(name)
        # A record's id ("17") and the fallback value are choices, not typed names.
        if not key or name.isdigit() or name == "other":
            continue
        counts[key] += n
        spellings.setdefault(key, Counter())[name.strip()] += n
    return Counter({(key, usual_spelling(spellings[key])): n for key, n in counts.items()})


def proposals(cohort_ids) -> list[Proposal]:
    """Typed names without a confirmed match, most frequent first, each with the nearest record by key."""
    matched = set(db.session.scalars(select(CompanyAlias.name_key)))
    records = db.session.execute(select(Company.id, Company.name_key).where(Company.retired_at.is_(None))).all()
    out = []
    for (key, name), n in typed_names(cohort_ids).most_common():
        if key in matched:
            continue
        out.append(Proposal(key, name, n, _nearest(key, records)))
    return out


def _nearest(key: str, records) -> int | None:
    """The record with the same key, else the most alike one (difflib), else the one whose name contains the
    typed one or is contained in it ("muller" typed for the record "backerei muller"), if only one does."""
    for company_id, record_key in records:
        if record_key == key:
            return company_id
    ratio, best = max(((difflib.SequenceMatcher(None, key, record_key).ratio(), company_id)
                       for company_id, record_key in records), default=(0.0, None))
    if ratio >= CLOSE:
        return best
    inside = [company_id for company_id, record_key in records
              if min(len(key), len(record_key)) >= 4 and (key in record_key or record_key in key)]
    return inside[0] if len(inside) == 1 else None


def confirm(name: str, company: Company, user_id: int | None) -> CompanyAlias:
    """Read ``name`` (every spelling with its key) as ``company`` from now on; the answers are not changed."""
    key = name_key(name)
    alias = db.session.scalar(select(CompanyAlias).filter_by(name_key=key)) or CompanyAlias(name_key=key)
    alias.company_id, alias.name, alias.confirmed_by = company.id, name[:200], user_id
    db.session.add(alias)
    return alias
