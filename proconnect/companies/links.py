"""What a company's personal link tells its form: the company (``Link.company_id``), fixed for the person; and the
record of a company that answered through any link, for the links made about it (a hospitation's)."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from ..definitions import forms_registry
from ..definitions.roles import COMPANY_READINESS
from ..extensions import db
from ..fieldtypes import other_answers
from ..links.models import Link
from ..responses.models import Response
from .models import Company, CompanyAlias, name_key
from .source import NAME


def company_values(link: Link) -> dict[str, str]:
    """Answer name -> value for a link that belongs to a company: every company choice of its form (its record, or
    "other" and its name once the record left the list: the person cannot choose a record the list no longer
    offers), and the readiness survey's company name (older versions ask for the name as text)."""
    if link.company_id is None:
        return {}
    company = db.session.get(Company, link.company_id)
    definition = forms_registry(current_app).get(link.form_id, link.version)
    if company is None or definition is None:
        return {}
    values = {}
    for f in definition.fields:
        if f.extra.get("choices_from") == NAME:
            values.update({f.id: str(company.id)} if company.retired_at is None else other_answers(f.id, company.name))
    if link.form_id == COMPANY_READINESS.form_id():
        values[COMPANY_READINESS.field("company_name")] = company.name
    return values


def listed_record(survey_link_id: int, name: str) -> int | None:
    """The record, among those the lists offer, of the company that answered the readiness survey through link
    ``survey_link_id`` under ``name`` (matching's company): the link's own (a company's personal link), else one a
    coordinator made from an answer through that link under that name, else the one a coordinator confirmed the
    name to mean (``names.confirm``); None when the list holds none (the form then names it as "other")."""
    listed = Company.retired_at.is_(None)
    key = name_key(name)
    for query in (
            select(Company.id).join(Link, Link.company_id == Company.id).where(Link.id == survey_link_id, listed),
            # A plain link is answered by many companies: only the record made from this company's answer.
            select(Company.id).join(Response, Response.id == Company.source_response_id)
            .where(Response.link_id == survey_link_id, Company.name_key == key, listed),
            select(Company.id).join(CompanyAlias, CompanyAlias.company_id == Company.id)
            .where(CompanyAlias.name_key == key, listed)):
        found = db.session.scalar(query.order_by(Company.id).limit(1))
        if found is not None:
            return found
    return None
