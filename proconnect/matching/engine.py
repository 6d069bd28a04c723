"""Ranking participants and places by explicit rules, with the reasons in plain words.

Each rule gives a fit between 0 and 1; the score is the weighted sum as a share of the
best possible (0–100). Reasons are written only for the matches that are shown, so a
whole cohort × all companies stays fast.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass, replace
from typing import Mapping

from flask import has_app_context
from flask_babel import format_date, format_decimal, gettext as _, ngettext

from ..definitions.roles import relative_to_own_average
from .profiles import AfterHospitation, Feedback, ParticipantProfile, Place
from .rules import GERMAN_LEVELS, HOSPITATION, Rules, Travel

INTEREST_NAMES = {"r": "realistic", "i": "investigative", "a": "artistic", "s": "social", "e": "enterprising",
                  "c": "conventional"}


@dataclass(frozen=True)
class Match:
    """How well one participant fits one place: the fit per rule and the total score (0–100)."""

    participant: ParticipantProfile
    place: Place
    fits: dict[str, float]
    score: float


def fits(p: ParticipantProfile, place: Place, rules: Rules) -> dict[str, float]:
    """The fit (0–1) of each rule for this pair."""
    s = rules.settings
    years = p.experience.get(place.trade, 0.0)
    if place.trade in p.family_only:
        years *= s.get("family_experience_share", 0.5)
    out = {"experience": min(years / s.get("experience_full_years", 3), 1.0),
           "wish": 1.0 if place.trade in p.wish_trades else 0.0}
    scale = rules.trade_interest.get(place.trade)
    above = relative_to_own_average(p.interests).get(scale) if scale else None
    # One point above the person's own average fits fully, their average half, one point below not at all.
    out["interest"] = min(1.0, max(0.0, 0.5 + above / 2)) if above is not None else 0.0
    limit = p.travel_limit or int(s.get("default_travel_limit", 45))
    minutes = travel(p, place, rules).minutes
    out["travel"] = 1.0 if minutes <= limit else max(0.0, 1 - (minutes - limit) / limit)
    out["german"] = _german_fit(p.german, place.german_required, place.language_support,
                                s.get("german_bridge_share", 0.5))
    kinds = p.wish_kinds - {"unsure"}
    # An internship is a first step for anyone; an EQ leads into an apprenticeship.
    out["kind"] = 1.0 if not kinds or place.kind in kinds or place.kind == "internship" \
        or (place.kind == "eq" and kinds & {"apprenticeship", "internship"}) else 0.0
    out["start"] = 1.0 if not place.start or not p.earliest_start or p.earliest_start <= place.start else 0.0
    out["requirements"] = min(requirements(p, place, rules).values(), default=1.0)
    return out


def travel(p: ParticipantProfile, place: Place, rules: Rules) -> Travel:
    """The way from the participant's Gemeinde (or district) to the place's."""
    return rules.travel((p.municipality, p.district), (place.municipality, place.district), p.drives)


def requirements(p: ParticipantProfile, place: Place, rules: Rules) -> dict[str, float]:
    """The fit (0–1) of each requirement of the place that applies to this pair; the weakest one counts."""
    s = rules.settings
    out = {}
    if place.licence == "required":
        out["licence"] = 1.0 if p.licence else 0.0
    if place.kind == "apprenticeship" and place.school:
        # Not said: half, since a person has to look at the certificate anyway.
        out["school"] = 0.5 if p.school is None else 1.0 if p.school >= place.school else 0.0
    if place.kind == "job" and place.level == "skilled":
        partial = s.get("qualification_partial_share", 0.5)
        trained = p.training.get(place.trade)
        out["qualification"] = 1.0 if trained == "certificate" else partial if trained or \
            p.experience.get(place.trade, 0.0) >= s.get("experience_full_years", 3) else 0.0
    if p.work_permission == "not_allowed" or place.pending_approval is False and waits_for_approval(p):
        out["approval"] = 0.0
    if place.occupation in rules.reha:
        out["reha"] = s.get("reha_share", 0.5)
    return out


def waits_for_approval(p: ParticipantProfile) -> bool:
    """Whether the person still needs the Ausländerbehörde's approval: staff's record first, else their answer."""
    if p.work_permission in ("allowed", "needs_approval", "not_allowed"):
        return p.work_permission != "allowed"
    return bool(p.needs_approval)


def left_out(p: ParticipantProfile, place: Place) -> str | None:
    """Why a place is not proposed to the person at all, or None. Only what staff recorded rules a place out:
    the person's own answer may be wrong, so it only lowers the score and says "check it first"."""
    if p.work_permission == "not_allowed":
        return _("not proposed: not allowed to work at present (recorded by staff)")
    if p.work_permission == "needs_approval" and place.pending_approval is False:
        return _("not proposed: still needs the approval of the Ausländerbehörde (recorded by staff), and the "
                 "company takes only candidates who already have permission to work")
    return None


def _german_fit(has: str | None, required: str | None, support: bool, bridge: float) -> float:
    if not required:
        return 1.0
    if has not in GERMAN_LEVELS:
        return bridge / 2 if support else 0.0
    if GERMAN_LEVELS.index(has) >= GERMAN_LEVELS.index(required):
        return 1.0
    return bridge if support else 0.0


def hospitation_fit(h: AfterHospitation, rules: Rules) -> float | None:
    """The fit (0–1) of what a hospitation showed for the pair: the weakest of the answers given (the company's
    next step, the person's "would go again" and "wants to learn this Beruf"); None when neither side said any."""
    table = rules.hospitation
    given = ([OFFER if _offers(h) else h.company.step] if h.company and h.company.step else []) \
        + ([answer for answer in (h.person.again, h.person.learn) if answer] if h.person else [])
    return min((table.get(answer, 0.5) for answer in given), default=None)


#: The key of the rules' ``[hospitation]`` table for any offer of a place.
OFFER = "offer"


def _offers(h: AfterHospitation | None) -> str | None:
    """The kind of place the company offered after the hospitation (apprenticeship, eq, job, internship), or None."""
    step = h.company.step if h and h.company else None
    return step if step in PLACE_KINDS else None


def tier(m: Match, rules: Rules) -> int:
    """Where a pair stands before the scores count: 0 when the company offered a place after a hospitation and the
    person said no "no"; 2 when either side said no (no offer now, would not go again, does not want to learn
    this Beruf), still listed; 1 for every other pair. The rules' ``offer_first`` / ``no_last`` switch them off."""
    h = m.participant.after_hospitation.get(m.place.company_id)
    if h is None:
        return 1
    said_no = (h.company is not None and h.company.step == "none") or \
        (h.person is not None and "no" in (h.person.again, h.person.learn))
    if said_no:
        return 2 if rules.hospitation.get("no_last", 1) else 1
    return 0 if _offers(h) and rules.hospitation.get("offer_first", 1) else 1


def score(p: ParticipantProfile, place: Place, rules: Rules) -> Match:
    """Score one pair."""
    f = fits(p, place, rules)
    total = sum(rules.weights.get(name, 0.0) * value for name, value in f.items())
    best = rules.total_weight
    h = p.after_hospitation.get(place.company_id)
    fit = hospitation_fit(h, rules) if h else None
    if fit is not None:
        # Only this pair's best possible grows: the score moves toward what the hospitation showed.
        f[HOSPITATION] = fit
        total += rules.weights.get(HOSPITATION, 0.0) * fit
        best += rules.weights.get(HOSPITATION, 0.0)
    return Match(p, place, f, round(100 * total / best, 1))


def _better(m: Match, other: Match | None) -> bool:
    """Whether ``m`` is the place to show for its company rather than ``other``: the place the company offered after
    a hospitation (its kind in the hospitation's Beruf) first, then one of that kind, then the higher score."""
    if other is None:
        return True
    h = m.participant.after_hospitation.get(m.place.company_id)
    offered, trade = _offers(h), h.company.trade if h and h.company else None

    def rank(x: Match):
        return x.place.kind == offered and x.place.trade == trade, x.place.kind == offered, x.score
    return rank(m) > rank(other)


def with_offers(p: ParticipantProfile, places: list[Place], sites: Mapping[int, Place]) -> list[Place]:
    """``places``, and each place a company offered ``p`` after a hospitation (the offer's kind in the hospitation's
    Beruf) that its survey does not list open, as a place of its own (``Place.offered``): that company is suggested
    to the person even without open places. ``sites``: company id -> a place carrying only the company's own facts
    (where, requirements; ``CompanyOffer.site``). An offer without a Beruf (recorded before it was asked) points at
    the survey's places only."""
    listed = {(place.company_id, place.trade, place.kind) for place in places if place.count > 0}
    extra = []
    for company_id, h in sorted(p.after_hospitation.items()):
        kind, site = _offers(h), sites.get(company_id)
        if kind and h.company.trade and site is not None and (company_id, h.company.trade, kind) not in listed:
            extra.append(replace(site, trade=h.company.trade, kind=kind, count=1, offered=True))
    return places + extra if extra else places


def _with_hospitations(ranked: list[Match], others, limit: int, key) -> list[Match]:
    """The first ``limit`` of ``ranked``, and after them every other pair with feedback after a hospitation (a "no"
    moves a pair down, never silently out of the list)."""
    shown = heapq.nsmallest(limit, ranked, key=key)
    listed = {id(m) for m in shown}
    below = [m for m in ranked if id(m) not in listed and m.place.company_id in others(m)]
    return shown + sorted(below, key=key)


def rank_places(p: ParticipantProfile, places: list[Place], rules: Rules, limit: int = 10) -> list[Match]:
    """The best place per company for one participant, best first (ties: company name), after the ``tier`` that
    a hospitation's feedback gives; a company with feedback after a hospitation is always listed."""
    best: dict[int, Match] = {}
    for place in places:
        if place.count <= 0 or left_out(p, place):
            continue
        m = score(p, place, rules)
        if _better(m, best.get(place.company_id)):
            best[place.company_id] = m
    return _with_hospitations(list(best.values()), lambda m: p.after_hospitation, limit,
                              lambda m: (tier(m, rules), -m.score, m.place.company, m.place.trade))


def rank_participants(company_places: list[Place], participants: list[ParticipantProfile], rules: Rules,
                      limit: int = 10, site: Place | None = None) -> list[Match]:
    """The participants who fit one company's open places best, each with their best place, after the ``tier``
    that a hospitation's feedback gives; everyone with feedback after a hospitation there is listed. ``site``: the
    company's own facts, which make a place it offered someone after a hospitation (``with_offers``)."""
    open_places = [place for place in company_places if place.count > 0]
    sites = {site.company_id: site} if site is not None else {}
    matches = []
    for p in participants:
        chosen = None
        for m in (score(p, place, rules) for place in with_offers(p, open_places, sites) if not left_out(p, place)):
            chosen = m if _better(m, chosen) else chosen
        if chosen is not None:
            matches.append(chosen)
    return _with_hospitations(matches, lambda m: m.participant.after_hospitation, limit,
                              lambda m: (tier(m, rules), -m.score, m.participant.code))


def pair_scores(people: list[ParticipantProfile], places: list[Place], rules: Rules) -> dict[tuple[str, int], float]:
    """(participant code, company id) -> the score of the company's best open place for that person."""
    scores: dict[tuple[str, int], float] = {}
    for person in people:
        for place in places:
            if place.count > 0 and not left_out(person, place):
                key = (person.code, place.company_id)
                scores[key] = max(score(person, place, rules).score, scores.get(key, 0.0))
    return scores


def reasons(m: Match, rules: Rules, trade_label=lambda t: t) -> list[str]:
    """The reasons for a match in plain words, strongest first: what a hospitation there showed leads."""
    offered = [_("offered after the hospitation: the company's survey lists no such place open")] \
        if m.place.offered else []
    return hospitation_reasons(m.participant.after_hospitation.get(m.place.company_id), trade_label=trade_label) \
        + offered + _rule_reasons(m, rules, trade_label)


def _rule_reasons(m: Match, rules: Rules, trade_label) -> list[str]:
    p, place, f = m.participant, m.place, m.fits
    trade = trade_label(place.trade)
    out: list[tuple[float, str]] = []
    w = rules.weights
    years = p.experience.get(place.trade, 0.0)
    if years:
        # The plural form is chosen by the number (a fraction counts like "2": "0.5 years").
        count = int(years) if float(years).is_integer() else 2
        text = ngettext("experience in %(trade)s: %(years)s year", "experience in %(trade)s: %(years)s years", count,
                        trade=trade, years=_number(years))
        if place.trade in p.family_only:
            text = ngettext("experience in %(trade)s: %(years)s year, at home or in the family",
                            "experience in %(trade)s: %(years)s years, at home or in the family", count,
                            trade=trade, years=_number(years))
        out.append((w["experience"] * f["experience"], text))
    else:
        out.append((0, _("no experience in %(trade)s yet", trade=trade)))
    if f["wish"]:
        out.append((w["wish"], _("wishes to work in %(trade)s", trade=trade)))
    scale = rules.trade_interest.get(place.trade)
    if scale and scale in p.interests:
        mean = p.interests[scale]
        above = relative_to_own_average(p.interests)[scale]
        name = INTEREST_NAMES.get(scale, scale)
        # Compared with the person's own average of the six scales.
        high = rules.settings.get("interest_high_above_average", 0.5)
        level = _("high") if above >= high else _("medium") if above > -high else _("low")
        out.append((w["interest"] * f["interest"], _("interest profile %(scale)s %(level)s (%(mean)s of 3)",
                                                     scale=name, level=level, mean=_number(mean))))
    limit = p.travel_limit or int(rules.settings.get("default_travel_limit", 45))
    way = travel(p, place, rules)
    minutes = way.minutes
    mode = _("by car") if p.drives else _("by bus and train")
    if not way.known:
        out.append((0, _("travel time not known (a place elsewhere or not on the list of Gemeinden): ask how "
                         "long the way takes")))
    elif f["travel"] >= 1:
        out.append((w["travel"], _("about %(minutes)s min away %(mode)s", minutes=minutes, mode=mode)))
    else:
        out.append((w["travel"] * f["travel"], _("about %(minutes)s min away %(mode)s, more than the %(limit)s min "
                                                 "they can travel", minutes=minutes, mode=mode, limit=limit)))
    if place.german_required and not p.german:
        out.append((0, _("German %(need)s required; the person's German level is not known: ask",
                         need=place.german_required.upper())))
    elif place.german_required:
        has = p.german.upper()
        need = place.german_required.upper()
        if f["german"] >= 1:
            text = _("German %(need)s required, has %(has)s", need=need, has=has)
        elif place.language_support:
            text = _("German %(need)s required, has %(has)s → language support offered", need=need, has=has)
        else:
            text = _("German %(need)s required, has %(has)s, no language support offered", need=need, has=has)
        out.append((w["german"] * f["german"], text))
    if not f["kind"]:
        out.append((0, _("offers %(kind)s, which was not wished", kind=_kind(place.kind))))
    if place.start and p.earliest_start and not f["start"]:
        out.append((0, _("can start only on %(earliest)s, after the start on %(start)s",
                         earliest=p.earliest_start.isoformat(), start=place.start.isoformat())))
    out.extend(_requirement_reasons(p, place, rules, w.get("requirements", 0.0)))
    return [text for _weight, text in sorted(out, key=lambda x: -x[0])]


def _requirement_reasons(p: ParticipantProfile, place: Place, rules: Rules, weight: float) -> list[tuple[float, str]]:
    """A reason for each requirement of the place: met ones weigh their points, unmet ones come last."""
    checks = requirements(p, place, rules)
    out: list[tuple[float, str]] = []

    def said(name, met, partly, unmet):
        fit = checks[name]
        out.append((weight * fit, met if fit >= 1 else partly if fit > 0 else unmet))
    if "licence" in checks:
        said("licence", _("driving licence B required: has one"), "", _("driving licence B required: has none"))
    elif place.licence == "helpful" and p.licence:
        out.append((0, _("has a driving licence, which the company finds helpful")))
    if "school" in checks:
        said("school", _("school level meets the company's requirement (a certificate from abroad must be "
                         "equivalent)"),
             _("school level not stated; the company asks for a school certificate"),
             _("school level below the company's requirement"))
    if "qualification" in checks:
        said("qualification", _("vocational training with a certificate for a skilled job"),
             _("skilled job: training without a certificate or long experience, recognition needed first"),
             _("skilled job without a vocational training in this trade"))
    if "reha" in checks:
        out.append((weight * checks["reha"], _("Reha-Ausbildung (Fachpraktiker/in): only after the Agentur für "
                                               "Arbeit has found that the person needs one")))
    recorded = p.work_permission in ("allowed", "needs_approval")
    if place.pending_approval is False:
        # Until staff record the permission, the person's own answer may be wrong: the coordinator asks.
        out.append((0, _("the company takes only candidates who already have permission to work: has it "
                         "(recorded by staff)") if p.work_permission == "allowed" else
                    _("the company takes only candidates who already have permission to work, and the person "
                      "said they need help with it: check it first") if "approval" in checks else
                    _("the company takes only candidates who already have permission to work: check it first")))
    elif place.pending_approval and waits_for_approval(p):
        out.append((0, _("still needs the approval of the Ausländerbehörde (recorded by staff): the company also "
                         "takes candidates who wait for it") if recorded else
                    _("the company also takes candidates who still wait for the immigration office's approval")))
    elif place.pending_approval:
        out.append((0, _("the company also takes candidates who still wait for the immigration office's "
                         "approval")))
    if p.part_time and place.part_time is not None:
        out.append((0, _("wants part-time: the company offers it") if place.part_time else
                    _("wants part-time, which the company does not offer")))
    if place.sites and not p.drives and not place.drives_to_sites:
        out.append((0, _("work on building sites, and the company does not drive there: plan the way")))
    return out


def hospitation_reasons(h: AfterHospitation | None, dated: bool = True, trade_label=lambda t: t) -> list[str]:
    """What the feedback after a hospitation says about the pair, the company's first: each side's first
    sentence names the hospitation ("After the hospitation in Elektro on 3 March 2027: the company offers …")
    unless ``dated`` is False (a page that lists the hospitation itself)."""
    if h is None:
        return []
    out: list[str] = []
    named = None
    for feedback, sentences in ((h.company, _company_says), (h.person, _person_says)):
        said = sentences(feedback) if feedback else []
        if said and dated and (feedback.kind, feedback.on, feedback.trade) != named:
            named = (feedback.kind, feedback.on, feedback.trade)
            said[0] = _named(feedback, trade_label, said[0])
        out.extend(said)
    return out


def _named(feedback: Feedback, trade_label, reason: str) -> str:
    when = _date(feedback.on)
    if feedback.trade is None:
        return _("After the internship on %(date)s: %(reason)s", date=when, reason=reason) \
            if feedback.kind == "internship" else \
            _("After the hospitation on %(date)s: %(reason)s", date=when, reason=reason)
    trade = trade_label(feedback.trade)
    return _("After the internship in %(trade)s on %(date)s: %(reason)s", trade=trade, date=when, reason=reason) \
        if feedback.kind == "internship" else \
        _("After the hospitation in %(trade)s on %(date)s: %(reason)s", trade=trade, date=when, reason=reason)


def _company_says(c: Feedback) -> list[str]:
    if c.took_place is False:
        return [_("the company says it did not take place")]
    if c.step in PLACE_KINDS:
        offer = _kind(c.step)
        return [{"now": _("the company offers %(offer)s, to start at once", offer=offer),
                 "training_year": _("the company offers %(offer)s, to start with the training year in August or "
                                    "September", offer=offer),
                 "later": _("the company offers %(offer)s, to start later", offer=offer)}.get(
            c.starts, _("the company offers %(offer)s", offer=offer))]
    return {"later": [_("the company would take the person after a German course: plan one")],
            "none": [_("the company has no offer at present: proposed lower")],
            "open": [_("the company has not decided yet: ask again")]}.get(c.step, [])


def _person_says(v: Feedback) -> list[str]:
    return [text for text in (
        {"yes": _("the person would like to go there again"), "maybe": _("the person might go there again"),
         "no": _("the person would not go there again: proposed lower, talk it over first")}.get(v.again),
        {"yes": _("the person wants to learn this occupation"),
         "maybe": _("the person might want to learn this occupation"),
         "no": _("the person does not want to learn this occupation: proposed lower")}.get(v.learn),
        {"maybe": _("the way there was so-so for the person"),
         "no": _("the way there was hard for the person: plan it (ticket, bicycle, a lift)")}.get(v.way))
        if text]


def describe(place: Place, trade_label=lambda t: t, occupation_label=lambda o: o) -> str:
    """What a place offers, in a few words ("apprenticeship: Tischler/in (3 Jahre)", "job as a helper in …")."""
    trade = trade_label(place.trade)
    if place.kind == "apprenticeship" and place.occupation:
        return _("apprenticeship: %(occupation)s", occupation=occupation_label(place.occupation))
    if place.kind == "job":
        return _("job as a skilled worker in %(trade)s", trade=trade) if place.level == "skilled" \
            else _("job as a helper in %(trade)s", trade=trade)
    return {"apprenticeship": _("apprenticeship in %(trade)s", trade=trade),
            "eq": _("entry qualification (EQ) in %(trade)s", trade=trade),
            "internship": _("internship or hospitation in %(trade)s", trade=trade)}.get(place.kind, trade)


#: The kinds of place (``Place.kind``), which are also the offers a company makes after a hospitation.
PLACE_KINDS = ("apprenticeship", "eq", "job", "internship")


def _kind(kind: str) -> str:
    return {"apprenticeship": _("an apprenticeship"), "job": _("a job"), "internship": _("an internship"),
            "eq": _("an entry qualification (EQ)")}.get(kind, kind)


def _number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    # In the reader's language ("2,5" in German) wherever a locale is known (pages, commands).
    return format_decimal(round(value, 1), format="0.0") if has_app_context() else f"{value:.1f}"


def _date(day) -> str:
    # In the reader's language ("3. März 2027") wherever a locale is known.
    return format_date(day, format="long") if has_app_context() else day.isoformat()
