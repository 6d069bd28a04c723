"""Profiles for match-making, read from stored answers (competence check, company readiness).

Which answer feeds which part of a profile is written here once, by field id; the
field ids keep their meaning across form versions, so every version of the
instruments feeds the same profile.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from ..extensions import db
from ..fieldtypes import stored_value
from ..responses.models import Answer, Response
from .profiles import ParticipantProfile, Place

CHECK_FORM = "competence-check"
COMPANY_FORM = "company-readiness"
TRADES = ("metal", "electrical", "vehicles", "construction", "wood", "plumbing", "painting", "logistics",
          "gastronomy", "care", "agriculture", "retail", "it", "other")
START_OFFSET = {"now": 0, "months_3": 91, "months_6": 182, "year_or_later": 365}
TRAVEL_LIMIT = {"min_30": 30, "min_45": 45, "min_60": 60, "more": 90}
#: The company survey's German scale (0–5) as levels.
GERMAN_SCALE = (None, "a1", "a2", "b1", "b2", "c1")
DRIVING = {"b", "be", "c"}
MANAGEMENT = ("owner", "hr", "trainer")


@dataclass(frozen=True)
class CompanyOffer:
    """A company (its readiness survey) and its open places."""

    id: int
    name: str
    places: list[Place]


def _latest(form_id: str, key, where) -> dict:
    """The newest response id per ``key`` (participant code or link) of a form, in one query."""
    newest = (select(key.label("k"), func.max(Response.submitted_at).label("at"))
              .where(Response.form_id == form_id, key.is_not(None), *where).group_by(key).subquery())
    rows = db.session.execute(select(key, Response.id, Response.submitted_at).join(
        newest, (key == newest.c.k) & (Response.submitted_at == newest.c.at)).where(Response.form_id == form_id))
    return {k: (rid, at) for k, rid, at in rows}


def _answers(response_ids) -> dict[int, dict[str, list]]:
    out: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    if not response_ids:
        return out
    rows = db.session.execute(select(Answer.response_id, Answer.field_id, Answer.value_text, Answer.value_num,
                                     Answer.value_date, Answer.value_long)
                              .where(Answer.response_id.in_(list(response_ids)), Answer.shown.is_(True)))
    for row in rows:
        out[row.response_id][row.field_id].append(stored_value(row))
    return out


def participant_profiles(cohort_id: int, code: str | None = None) -> list[ParticipantProfile]:
    """Each participant of the cohort as their newest competence check describes them."""
    where = [Response.cohort_id == cohort_id] + ([Response.participant_code == code] if code else [])
    latest = _latest(CHECK_FORM, Response.participant_code, where)
    answers = _answers(rid for rid, _at in latest.values())
    return [_participant(code, at.date(), answers[rid]) for code, (rid, at) in sorted(latest.items())]


def _participant(code: str, checked: date, a: dict[str, list]) -> ParticipantProfile:
    def one(name):
        return a[name][0] if a.get(name) else None
    experience = {t: float(one(f"years_{t}") or 0.5) for t in a.get("trades", []) if t in TRADES}
    start = START_OFFSET.get(one("earliest_start"))
    licences = set(a.get("licence_classes", []))
    return ParticipantProfile(
        code=code, checked_on=checked, experience=experience, wish_trades=frozenset(a.get("wish_trades", [])),
        wish_kinds=frozenset(a.get("wish_type", [])),
        interests={s[-1]: float(one(s)) for s in ("interest_r", "interest_i", "interest_a", "interest_s",
                                                 "interest_e", "interest_c") if one(s) is not None},
        district=one("district"), travel_limit=TRAVEL_LIMIT.get(one("travel_time")),
        drives="car" in a.get("transport", []) and bool(licences & DRIVING),
        german=one("german_level") if one("german_level") != "none" else None,
        earliest_start=checked + timedelta(days=start) if start is not None else None)


def company_offers(company_id: int | None = None) -> list[CompanyOffer]:
    """Every company with its open places, from the newest readiness survey per company link."""
    # Staff of a company answer the survey too; the places come from management's answers.
    managers = select(Answer.response_id).where(Answer.form_id == COMPANY_FORM, Answer.field_id == "respondent_role",
                                                Answer.value_text.in_(MANAGEMENT))
    where = [Response.id.in_(managers)] + ([Response.link_id == company_id] if company_id is not None else [])
    latest = _latest(COMPANY_FORM, Response.link_id, where)
    answers = _answers(rid for rid, _at in latest.values())
    return [_company(link_id, answers[rid]) for link_id, (rid, _at) in sorted(latest.items())]


def _company(link_id: int, a: dict[str, list]) -> CompanyOffer:
    def one(name):
        return a[name][0] if a.get(name) else None

    def german(row):
        value = one(f"german_required.{row}")
        return GERMAN_SCALE[int(value)] if value is not None else None
    name = one("company_name") or f"#{link_id}"
    support = bool(set(a.get("language_support", [])) - {"none"})
    mentoring = one("mentor_available") in ("yes", "with_support")
    common = dict(company_id=link_id, company=name, district=one("district"), language_support=support,
                  mentoring=mentoring)
    places = []
    for trade in a.get("apprenticeship_trades", []):
        count = one(f"places_{trade}")
        if trade in TRADES and count:
            places.append(Place(trade=trade, kind="apprenticeship", count=int(count), start=one(f"start_{trade}"),
                                german_required=german("apprenticeship"), **common))
    entry = set(a.get("entry_offers", [])) - {"none"}
    if entry and one("entry_places") and one("sector") in TRADES:
        places.append(Place(trade=one("sector"), kind="internship", count=int(one("entry_places")),
                            german_required=german("helper"), **common))
    return CompanyOffer(link_id, name, places)
