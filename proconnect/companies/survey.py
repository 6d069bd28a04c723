"""A company record from a readiness survey response: what the company said about itself."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from ..definitions import forms_registry
from ..definitions.roles import COMPANY_READINESS
from ..extensions import db
from ..fieldtypes import field_type
from ..links.models import Link
from ..responses.models import Answer, Response
from . import places
from .models import Company, name_key


#: The readiness survey's trade questions, newest first: SVB jobs per trade (the competence check's trade
#: values, since v2), and v1's apprenticeship places per broad trade (the same values).
TRADE_FIELDS = ("job_trades", "apprenticeship_trades")


def trade_choices() -> list[tuple[str, str]]:
    """The trades a company can be recorded with: the readiness survey's trades (newest version)."""
    definition = forms_registry(current_app).get(COMPANY_READINESS.form_id() or "")
    for need in TRADE_FIELDS if definition is not None else ():
        try:
            f = definition.field(COMPANY_READINESS.field(need))
        except KeyError:
            continue
        skip = set(COMPANY_READINESS.not_items(need))
        return [(c.value, c.label) for c in f.choices if c.value not in skip]
    return []


def responses_without_record(cohort_ids) -> list[Response]:
    """Readiness responses of the cohorts that no record was made from yet, newest first. A response through a
    company's personal link belongs to that link's record already."""
    made = select(Company.source_response_id).where(Company.source_response_id.is_not(None))
    personal = select(Link.id).where(Link.company_id.is_not(None))
    return db.session.scalars(select(Response).where(
        Response.form_id == COMPANY_READINESS.form_id(), Response.cohort_id.in_(cohort_ids),
        Response.id.not_in(made), Response.link_id.not_in(personal)).order_by(Response.submitted_at.desc())).all()


def gemeinde_answered(company_id: int) -> str | None:
    """The Gemeinde of the list that the company's newest readiness answer through one of its personal links names
    (asked since v3), else None: a record without a Gemeinde can take it."""
    value = db.session.scalar(
        select(Answer.value_text).join(Response, Response.id == Answer.response_id)
        .join(Link, Link.id == Response.link_id)
        .where(Link.company_id == company_id, Response.form_id == COMPANY_READINESS.form_id(),
               Answer.field_id == COMPANY_READINESS.field("municipality"), Answer.shown.is_(True))
        .order_by(Response.submitted_at.desc(), Response.id.desc()).limit(1))
    return value if value != places.ELSEWHERE and value in dict(places.municipalities()) else None


def answer(response: Response, field: str):
    return ((response.payload or {}).get("answers") or {}).get(COMPANY_READINESS.field(field))


def record_from(response: Response) -> Company:
    """A new record (not added to the session) with the name, place, trades and contact role the response gives."""
    definition = forms_registry(current_app).get(response.form_id, response.version)

    def label(field_id: str) -> str:
        value = answer(response, field_id)
        if value in (None, "") or definition is None:
            return str(value or "")
        f = definition.field(COMPANY_READINESS.field(field_id))
        return field_type(f).text(f, value)

    name = str(answer(response, "company_name") or "").strip()[:200]
    trades = list(dict.fromkeys(t for need in TRADE_FIELDS for t in answer(response, need) or []
                                if t not in COMPANY_READINESS.not_items(need)))
    municipality, place = _place(response, label)
    return Company(name=name, name_key=name_key(name), municipality=municipality, place=place[:100], trades=trades,
                   contact_role=label("respondent_role")[:200], source_response_id=response.id)


def _place(response: Response, label) -> tuple[str | None, str]:
    """The record's Gemeinde (a value of the one list) or, without one, the place as typed ("not on the list")."""
    listed = dict(places.municipalities())
    # Since v3 the survey asks the Gemeinde from the list itself; "Woanders" comes with the place typed.
    chosen = answer(response, "municipality")
    typed = str(answer(response, "place") or "").strip()
    if chosen == places.ELSEWHERE and typed:
        return None, typed
    if chosen:
        # A Gemeinde a newer check no longer lists stays readable, as typed text.
        return (chosen, "") if chosen in listed else (None, label("municipality"))
    # v1 and v2 asked the district: a city is one Gemeinde of the list; a Landkreis is kept as typed text
    # until a coordinator chooses the Gemeinde.
    district = answer(response, "district")
    return (district, "") if district in listed else (None, label("district"))
