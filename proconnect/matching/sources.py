"""Profiles for match-making, read from stored answers (competence check, company readiness).

Which answer feeds which part of a profile is written here once, through the roles' field ids
(definitions/roles.py); the field ids keep their meaning across form versions, so every version
of the instruments feeds the same profile. The trades are the competence check's own choices.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select

from ..companies.models import Company
from ..definitions import forms_registry
from ..definitions.roles import COMPANY_READINESS as COMPANY, COMPETENCE_CHECK as CHECK
from ..extensions import db
from ..links import codes
from ..links.models import Link
from ..responses.models import Answer, Response
from . import permission
from .after_hospitation import after_hospitations
from .answers import answers_of as _answers
from .profiles import ParticipantProfile, Place
from .rules import ELSEWHERE, project_rules

#: The company survey's German scale (0–5) as levels.
GERMAN_SCALE = (None, "a1", "a2", "b1", "b2", "c1")


@dataclass(frozen=True)
class CompanyOffer:
    """A company (its readiness survey) and its open places."""

    id: int
    name: str
    places: list[Place]
    #: the company's own facts (where, requirements) as a place with no trade, kind or count: what a place it
    #: offers after a hospitation is made of (``engine.with_offers``)
    site: Place | None = None


def _latest(form_id: str, key, where) -> dict:
    """The newest response id per ``key`` (participant code or link) of a form, in one query."""
    newest = (select(key.label("k"), func.max(Response.submitted_at).label("at"))
              .where(Response.form_id == form_id, key.is_not(None), *where).group_by(key).subquery())
    # ``where`` again: another cohort's response with the same code and moment must not join in.
    rows = db.session.execute(select(key, Response.id, Response.submitted_at).join(
        newest, (key == newest.c.k) & (Response.submitted_at == newest.c.at))
        .where(Response.form_id == form_id, *where).order_by(Response.id))
    return {k: (rid, at) for k, rid, at in rows}


def trades() -> tuple[str, ...]:
    """The trades matching knows: the choices of the competence check's trade question (newest version)."""
    definition = forms_registry(current_app).get(CHECK.form_id())
    return CHECK.items(definition, "trades") if definition is not None else ()


def participant_profiles(cohort_id: int, code: str | None = None) -> list[ParticipantProfile]:
    """Each participant of the cohort as their newest competence check describes them."""
    where = [Response.cohort_id == cohort_id] + ([Response.participant_code == code] if code else [])
    latest = _latest(CHECK.form_id(), Response.participant_code, where)
    answers = _answers(rid for rid, _at in latest.values())
    known, permissions = trades(), permission.statuses(cohort_id)
    hospitations = after_hospitations(cohort_id, code) if latest else {}
    return [replace(_participant(code, at.date(), answers[rid], known), work_permission=permissions.get(code),
                    after_hospitation=hospitations.get(code, {}))
            for code, (rid, at) in sorted(latest.items())]


def profiles_of_code(cohort_id: int, typed: str) -> list[ParticipantProfile]:
    """The profile of a code as a person typed it (``k7q2 m``; an older code as stored), or none."""
    return next((found for code in codes.spellings(typed) if (found := participant_profiles(cohort_id, code))), [])


def _participant(code: str, checked: date, a: dict[str, list], known: tuple[str, ...]) -> ParticipantProfile:
    def many(name, item=None):
        return a.get(CHECK.field(name, item), [])

    def one(name, item=None):
        return next(iter(many(name, item)), None)
    experience = {t: float(one("years_{}", t) or 0.5) for t in many("trades") if t in known}
    work = set(CHECK.values("context_{}", "work"))
    family_only = frozenset(t for t in experience if many("context_{}", t) and not work & set(many("context_{}", t)))
    municipality = one("municipality")
    start = CHECK.meanings("earliest_start").get(one("earliest_start"))
    german = one("german_level")
    licence = bool(set(CHECK.values("licence_classes")) & set(many("licence_classes")))
    trained = CHECK.meanings("training_done").get(one("training_done"))
    training = {one("training_trade"): trained} if trained and one("training_trade") in known else {}
    return ParticipantProfile(
        code=code, checked_on=checked, experience=experience, family_only=family_only,
        wish_trades=frozenset(many("wish_trades")),
        wish_kinds=frozenset(many("wish_type")),
        interests={letter: float(one(f"interest_{letter}")) for letter in "riasec"
                   if one(f"interest_{letter}") is not None},
        district=one("district") or CHECK.meanings("municipality").get(municipality), municipality=municipality,
        travel_limit=CHECK.meanings("travel_time").get(one("travel_time")),
        drives=bool(set(CHECK.values("transport", "drives")) & set(many("transport"))) and licence,
        german=german if german not in CHECK.not_items("german_level") else None,
        earliest_start=checked + timedelta(days=start) if start is not None else None,
        licence=licence, school=CHECK.meanings("school_level").get(one("school_level")), training=training,
        # Not asking for help with it tells nothing: a person may not know that they need the approval.
        needs_approval=True if set(CHECK.values("support", "needs_approval")) & set(many("support")) else None,
        part_time=one("hours") in CHECK.values("hours"))


def company_offers(company_id: int | None = None) -> list[CompanyOffer]:
    """Every company with its open places and jobs, from the newest readiness survey per company link."""
    form_id = COMPANY.form_id()
    # Staff of a company answer the survey too; the places come from management's answers.
    managers = select(Answer.response_id).where(Answer.form_id == form_id,
                                                Answer.field_id == COMPANY.field("respondent_role"),
                                                Answer.value_text.in_(COMPANY.values("respondent_role")))
    where = [Response.id.in_(managers)] + ([Response.link_id == company_id] if company_id is not None else [])
    latest = _latest(form_id, Response.link_id, where)
    answers = _answers(rid for rid, _at in latest.values())
    known, occupations = trades(), project_rules().occupations
    records = _records(latest)
    return [_company(link_id, answers[rid], known, occupations, *records.get(link_id, (None, None)))
            for link_id, (rid, _at) in sorted(latest.items())]


def _records(link_ids) -> dict[int, tuple[str, str | None]]:
    """Link id -> the name and Gemeinde of its company record, for a company's personal link: the record names
    the company, not what the person answering typed, and knows its Gemeinde where the survey asked a district."""
    if not link_ids:
        return {}
    rows = db.session.execute(select(Link.id, Company.name, Company.municipality)
                              .join(Company, Company.id == Link.company_id).where(Link.id.in_(list(link_ids))))
    return {link_id: (name, municipality) for link_id, name, municipality in rows}


def _company(link_id: int, a: dict[str, list], known: tuple[str, ...], occupations: dict[str, str],
             record_name: str | None = None, municipality: str | None = None) -> CompanyOffer:
    """One company's places; v1 answers (places per broad trade, one number for every first step) count as
    they were given until the company answers v2. ``municipality``: its record's Gemeinde."""
    def many(name, item=None):
        return a.get(COMPANY.field(name, item), [])

    def one(name, item=None):
        return next(iter(many(name, item)), None)

    def german(meaning):
        # The matrix row that asks for the German needed for this kind of place.
        [row] = COMPANY.values("german_required", meaning)
        value = a.get(f"{COMPANY.field('german_required')}.{row}", [None])[0]
        return GERMAN_SCALE[int(value)] if value is not None else None

    def meaning(name):
        return COMPANY.meanings(name).get(one(name))

    def yes(name):
        return {"yes": True, "no": False}.get(one(name))

    name = record_name or one("company_name") or f"#{link_id}"
    support = bool(set(many("language_support")) - set(COMPANY.not_items("language_support")))
    mentoring = one("mentor_available") in COMPANY.values("mentor_available")
    sites = bool(meaning("building_sites"))
    # Where its people would work: the Gemeinde the survey names (since v3, the competence check's list), else the
    # record's; the district follows from the Gemeinde as for participants where the survey asked no district.
    answered = one("municipality")
    municipality = answered if answered and answered != ELSEWHERE else municipality or answered
    district = one("district") or CHECK.meanings("municipality").get(municipality)
    common = dict(company_id=link_id, company=name, district=district, municipality=municipality,
                  language_support=support,
                  mentoring=mentoring, licence=meaning("licence_required"), sites=sites,
                  drives_to_sites=sites and one("transport_to_sites") == "yes",
                  pending_approval=meaning("pending_approval"))
    places = []
    for trade in many("apprenticeship_trades"):
        count = one("places_{}", trade)
        if trade in known and count:
            places.append(Place(trade=trade, kind="apprenticeship", count=int(count), start=one("start_{}", trade),
                                german_required=german("apprenticeship"), school=meaning("school_required"),
                                **common))
    for occupation in many("apprenticeships"):
        count = one("apprenticeship_places_{}", occupation)
        trade = occupations.get(occupation, "other")
        if trade in known and count:
            places.append(Place(trade=trade, kind="apprenticeship", count=int(count), occupation=occupation,
                                start=one("apprenticeship_start_{}", occupation),
                                german_required=german("apprenticeship"), school=meaning("school_required"),
                                part_time=yes("part_time_training"), **common))
    for trade in many("job_trades"):
        for level, field_id in (("helper", "helper_jobs_{}"), ("skilled", "skilled_jobs_{}")):
            count = one(field_id, trade)
            if trade in known and count:
                places.append(Place(trade=trade, kind="job", level=level, count=int(count), start=one("job_start"),
                                    german_required=german(level), part_time=yes("job_part_time"), **common))
    offers = {COMPANY.meanings("entry_offers").get(o) for o in many("entry_offers")}
    if "eq" in offers and one("eq_places"):
        places.extend(Place(trade=trade, kind="eq", count=int(one("eq_places")), german_required=german("helper"),
                            **common) for trade in many("eq_trades") if trade in known)
    # Hospitations and internships, in the company's own sector. v1 asked one number for every first step
    # (entry_places, EQ included); v2 asks their own number (trial_places) apart from the EQ places.
    trial = (one("entry_places") if offers - {None} else None) if one("entry_places") is not None \
        else one("trial_places") if "internship" in offers else None
    if trial and one("sector") in known:
        places.append(Place(trade=one("sector"), kind="internship", count=int(trial), german_required=german("helper"),
                            **common))
    return CompanyOffer(link_id, name, places, Place(trade="", kind="", count=0, **common))
