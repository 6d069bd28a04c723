"""What match-making knows about a participant and a place: plain values, no database."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Mapping


@dataclass(frozen=True)
class Feedback:
    """One side's newest feedback after a hospitation of a participant at a company, as matching reads it."""

    #: the hospitation's kind (hospitation / internship) and first day
    kind: str
    on: date
    #: the Beruf it was in (a trade of the competence check; None: not given)
    trade: str | None = None
    #: the company's side: whether it took place (None: not said), its next step (an offered kind of place:
    #: apprenticeship / eq / job / internship; or later / none / open) and when an offer starts
    took_place: bool | None = None
    step: str | None = None
    starts: str | None = None
    #: the person's side (yes / maybe / no; None: not said): would go again, wants to learn this Beruf, the way
    again: str | None = None
    learn: str | None = None
    way: str | None = None


@dataclass(frozen=True)
class AfterHospitation:
    """What hospitations of one participant at one company showed: each side's newest feedback (None: none yet)."""

    company: Feedback | None = None
    person: Feedback | None = None


@dataclass(frozen=True)
class ParticipantProfile:
    """A participant as the competence check describes them (pseudonymous code, never a name)."""

    code: str
    checked_on: date
    #: trade -> years of experience
    experience: dict[str, float] = field(default_factory=dict)
    #: trades whose experience comes only from home or the family (since v3 of the check)
    family_only: frozenset[str] = frozenset()
    wish_trades: frozenset[str] = frozenset()
    #: apprenticeship / job / internship / unsure
    wish_kinds: frozenset[str] = frozenset()
    #: RIASEC letter -> mean of its items (1–3)
    interests: dict[str, float] = field(default_factory=dict)
    district: str | None = None
    #: the Gemeinde (since v3 of the check): travel times from it where the rules know them
    municipality: str | None = None
    #: longest acceptable travel time in minutes (None: not said)
    travel_limit: int | None = None
    drives: bool = False
    german: str | None = None
    earliest_start: date | None = None
    #: a driving licence for a car (B, BE or C), whether or not the person drives to work
    licence: bool = False
    #: the rank of the highest school level (the competence check's meanings); None: not said
    school: int | None = None
    #: trade -> how far a vocational training in it counts for a skilled job (1: with a certificate)
    training: dict[str, float] = field(default_factory=dict)
    #: still waiting for the immigration office's approval to work, by the person's own answer; None: not known
    needs_approval: bool | None = None
    #: the permission to work as staff recorded it (allowed / needs_approval / not_allowed; None: not recorded):
    #: it counts before ``needs_approval``
    work_permission: str | None = None
    #: wants to work part-time
    part_time: bool = False
    #: company (readiness link) id -> what a recorded hospitation there showed; only pairs with feedback are here
    after_hospitation: Mapping[int, AfterHospitation] = field(default_factory=dict)


@dataclass(frozen=True)
class Place:
    """Open places of one kind in one trade at one company."""

    company_id: int
    company: str
    trade: str
    #: apprenticeship / eq / job / internship
    kind: str
    count: int = 1
    start: date | None = None
    district: str | None = None
    #: the company's Gemeinde (its record's, from the competence check's list; "other": elsewhere)
    municipality: str | None = None
    german_required: str | None = None
    language_support: bool = False
    mentoring: bool = False
    #: the Ausbildungsberuf of an apprenticeship (the company survey's value), when the survey names one
    occupation: str | None = None
    #: a job's level: helper (no vocational qualification needed) / skilled
    level: str | None = None
    #: requirements: driving licence B (required / helpful / None), the lowest school rank for an
    #: apprenticeship, work on building sites (and whether the company drives there), and whether the company
    #: takes a candidate who still waits for the immigration office's approval (None: not said)
    licence: str | None = None
    school: int | None = None
    sites: bool = False
    drives_to_sites: bool = False
    pending_approval: bool | None = None
    #: part-time possible (an apprenticeship in part-time, a part-time job); None: not said
    part_time: bool | None = None
    #: a place the company offered this person after a hospitation, not among the open places of its survey
    offered: bool = False
