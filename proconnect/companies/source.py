"""Company records as a source of choices for forms (``choices_from = "companies"``) and as the names that
reports, the pipeline and profile sheets show for an answer about a company."""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from flask import g
from sqlalchemy import select

from ..extensions import db
from . import places
from .models import Company, CompanyAlias, name_key, usual_spelling

#: The name definitions use: ``choices_from = "companies"``.
NAME = "companies"


class CompanySource:
    """The project's company records, ordered by name; retired ones only for reading old answers."""

    title = "company records (value = record id)"

    def options(self, retired: bool = False) -> list[tuple[str, str]]:
        query = select(Company.id, Company.name, Company.municipality, Company.place).order_by(Company.name,
                                                                                              Company.id)
        if not retired:
            query = query.where(Company.retired_at.is_(None))
        listed = dict(places.municipalities())
        # In a form, the typed place of a record not yet on the list reads as typed (the mark is for staff).
        return [(str(cid), _label(name, listed.get(municipality, municipality) if municipality else place))
                for cid, name, municipality, place in db.session.execute(query)]

    def names(self, values: Iterable[str]) -> dict[str, str]:
        ids = {int(v) for v in values if str(v).isdigit()}
        if not ids:
            return {}
        # One look-up per request for a page that reads many answers (an export, the pipeline).
        cache = g.setdefault("company_names", {})
        missing = ids - set(cache)
        if missing:
            cache.update(db.session.execute(select(Company.id, Company.name).where(Company.id.in_(missing))).all())
        return {str(i): cache[i] for i in ids if i in cache}

    def typed(self, names: Iterable[str]) -> dict[str, tuple[str | None, str]]:
        """Each name typed for "other" -> (the record a coordinator confirmed its key to mean, as a value, or None;
        its ``name_key``: every spelling with the same key is one company, as on the company-names page)."""
        keys = {name: name_key(name) for name in names}
        wanted = sorted(set(keys.values()) - {""})
        confirmed = dict(db.session.execute(select(CompanyAlias.name_key, CompanyAlias.company_id)
                                            .where(CompanyAlias.name_key.in_(wanted))).all()) if wanted else {}
        return {name: (str(confirmed[key]) if key in confirmed else None, key) for name, key in keys.items()}


def _label(name: str, place: str) -> str:
    return f"{name} ({place})" if place else name


def company_names(answers: Iterable[tuple[str | None, str | None]]) -> dict[tuple, str]:
    """The name to show and count for each ``(value, other)`` answer about a company.

    A record's id reads as its current name; "other" as the typed name; a free-text name from an older
    version (no record value) as the record a coordinator matched it to, else as typed: every spelling with the same
    key as the one most often given among ``answers`` (so that they count as one company, as in the cohort report).
    """
    answers = list(answers)
    by_id = SOURCE.names(value for value, _other in answers if value)
    spellings: dict[str, Counter] = {}
    for value, other in answers:
        text = (other if value == "other" else value) or ""
        if text.strip() and not text.isdigit():
            spellings.setdefault(name_key(text), Counter())[text.strip()] += 1
    matched = dict(db.session.execute(select(CompanyAlias.name_key, Company.name).join(Company)
                                      .where(CompanyAlias.name_key.in_(list(spellings)))).all()) if spellings else {}
    out = {}
    for value, other in answers:
        if value and str(value).isdigit():
            out[(value, other)] = by_id.get(str(value), str(value))
        else:
            text = ((other if value == "other" else value) or "").strip()
            key = name_key(text)
            given = usual_spelling(spellings[key]) if key and text else text
            out[(value, other)] = matched.get(key, given)
    return out


SOURCE = CompanySource()
__all__ = ["NAME", "SOURCE", "CompanySource", "company_names"]
