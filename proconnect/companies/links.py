"""What a company's personal link tells its form: the company (``Link.company_id``), fixed for the person."""
from __future__ import annotations

from flask import current_app

from ..definitions import forms_registry
from ..definitions.roles import COMPANY_READINESS
from ..extensions import db
from ..links.models import Link
from .models import Company
from .source import NAME


def company_values(link: Link) -> dict[str, str]:
    """Field id -> value for a link that belongs to a company: every company choice of its form, and the
    readiness survey's company name (older versions ask for the name as text)."""
    if link.company_id is None:
        return {}
    company = db.session.get(Company, link.company_id)
    definition = forms_registry(current_app).get(link.form_id, link.version)
    if company is None or definition is None:
        return {}
    values = {f.id: str(company.id) for f in definition.fields if f.extra.get("choices_from") == NAME}
    if link.form_id == COMPANY_READINESS.form_id():
        values[COMPANY_READINESS.field("company_name")] = company.name
    return values
