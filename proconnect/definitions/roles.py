"""Instrument roles: the forms the code relies on, declared once with the fields and choice values each needs.

A role names what a form is used for (the competence check feeds matching and profile sheets, the outcome
form the 75 % figure, ...). Code asks the role for the form id (``roles.OUTCOME.form_id()``) and for field ids
(``roles.OUTCOME.field("status")``) and writes neither anywhere else. An instance may point a role at another
form in its ``config.py``: ``INSTRUMENT_ROLES = {"outcome": "my-outcome"}``, or at ``None`` when it does
not use the feature. ``check_roles`` is what ``proconnect forms check`` and start-up run: a form of a role
that lacks a field, has it with another type or lacks a choice value the code relies on is an error at the
file and line of its newest version. A role's default form may be absent (its features stay off and their
pages say so); a form the instance names in ``INSTRUMENT_ROLES`` must exist.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from pathlib import Path
from typing import Mapping

from flask import current_app

from .errors import ErrorCode, Problem, closest, did_you_mean
from .model import PARTICIPANT_FIELD, FormDefinition

#: The config key that repoints roles: role name -> form id (or None: the feature is not used).
CONFIG_KEY = "INSTRUMENT_ROLES"


@dataclass(frozen=True)
class Need:
    """A field (or score) a role relies on, and the choice values (or matrix rows) the code gives a meaning."""

    id: str
    #: Field types that serve; empty for a score.
    types: tuple[str, ...] = ()
    #: Choice values (matrix: row ids) the code relies on -> what the code makes of each.
    values: Mapping[str, object] = dc_field(default_factory=dict)
    #: Choice values that stand for "none of these" rather than an item (a trade, an offer); never required.
    not_items: tuple[str, ...] = ()
    #: ``id`` is a template ("years_{}"): one such field for each item of this field.
    each: str = ""
    #: Asked by older versions only (or not by every version): the code still reads it from their answers,
    #: and ``forms check`` checks its type where a version has it, but the newest version need not ask it.
    optional: bool = False
    #: ``"<role>.<field>"``: its choice values must be those of that role's field (one list in two forms, as a
    #: Gemeinde of a company and of a participant). A form gets them with ``choices_of`` (``shared.py``).
    same_as: str = ""

    @property
    def score(self) -> bool:
        return not self.types


@dataclass(frozen=True)
class Role:
    """What a form is used for: its default form id and the fields the code reads from it."""

    name: str
    #: The form id when the instance does not repoint the role.
    default: str
    #: The features that read the form, for messages ("matching and profile sheets").
    uses: str
    needs: tuple[Need, ...] = ()
    #: Its answers belong to a participant (the participant code field is needed).
    participant: bool = False

    def form_id(self) -> str | None:
        """The form id the current app uses for this role (``None``: the instance does not use it)."""
        return form_ids(current_app.config.get(CONFIG_KEY))[self.name]

    def need(self, field_id: str) -> Need:
        """The declaration of a field or score. :raise KeyError: when the role does not declare it."""
        for need in self.needs:
            if need.id == field_id:
                return need
        raise KeyError(f"the {self.name} role declares no field '{field_id}'")

    def field(self, field_id: str, item: str | None = None) -> str:
        """The id of a declared field; with ``item``, the field for that item ("years_{}" -> "years_metal")."""
        need = self.need(field_id)
        return need.id.format(item) if item is not None else need.id

    def meanings(self, field_id: str) -> dict:
        """The choice values of a field the code relies on -> what the code makes of each."""
        return dict(self.need(field_id).values)

    def values(self, field_id: str, meaning=None) -> tuple[str, ...]:
        """The choice values of a field the code relies on; with ``meaning``, only those that mean it."""
        return tuple(value for value, means in self.need(field_id).values.items()
                     if meaning is None or means == meaning)

    def items(self, definition: FormDefinition, field_id: str) -> tuple[str, ...]:
        """The choice values of a field that are items (not "none"), as the form defines them."""
        need = self.need(field_id)
        return tuple(c.value for c in definition.field(need.id).choices if c.value not in need.not_items)

    def not_items(self, field_id: str) -> tuple[str, ...]:
        return self.need(field_id).not_items


def _values(*values: str) -> dict:
    return dict.fromkeys(values, True)


COMPETENCE_CHECK = Role(
    "competence_check", "competence-check", "matching, profile sheets and the funnel's 'checked' stage",
    participant=True, needs=(
        Need("trades", ("multiple",), not_items=("none",)),
        Need("years_{}", ("number",), each="trades"),
        Need("wish_trades", ("multiple",)),
        Need("wish_type", ("multiple",)),
        # Days from the check to the earliest start.
        Need("earliest_start", ("single",), {"now": 0, "months_3": 91, "months_6": 182, "year_or_later": 365}),
        # Driving licences that let a person drive to work.
        Need("licence_classes", ("multiple",), _values("b", "be", "c")),
        Need("transport", ("multiple",), {"car": "drives"}),
        # v1 and v2 asked the district; v3 asks the Gemeinde (municipality -> its district, for the companies'
        # districts; matching's travel table knows the Gemeinden themselves).
        Need("district", ("single",), optional=True),
        Need("municipality", ("single",), {
            "apen": "ammerland", "bad_zwischenahn": "ammerland", "edewecht": "ammerland", "rastede": "ammerland",
            "westerstede": "ammerland", "wiefelstede": "ammerland", "doetlingen": "lk_oldenburg",
            "ganderkesee": "lk_oldenburg", "grossenkneten": "lk_oldenburg", "harpstedt": "lk_oldenburg",
            "hatten": "lk_oldenburg", "hude": "lk_oldenburg", "wardenburg": "lk_oldenburg",
            "wildeshausen": "lk_oldenburg", "oldenburg_city": "oldenburg_city", "delmenhorst": "delmenhorst"},
            optional=True),
        # Where the experience in a trade comes from (since v3): work for a company or one's own business
        # counts as work; help at home or in the family does not make a person a skilled worker.
        Need("context_{}", ("multiple",), {"paid": "work", "self_employed": "work", "family": "family"},
             each="trades", optional=True),
        # Who wants to work part-time (parents, a language course beside): matching names whether a place offers it.
        Need("hours", ("single",), {"part_time": True}),
        # Longest acceptable travel time in minutes.
        Need("travel_time", ("single",), {"min_30": 30, "min_45": 45, "min_60": 60, "more": 90}),
        Need("german_level", ("single",), not_items=("none",)),
        *(Need(f"interest_{letter}") for letter in "riasec"),
        # Under 18: no night work (JArbSchG), vocational school compulsory.
        Need("age_band", ("single",), {"under_18": "minor"}, optional=True),
        # Readiness for an apprenticeship, for support planning (literacy course, AsA flex, BAB): the right
        # answers of the two picture tasks. Never on a profile sheet for companies, like support needs.
        Need("latin_script", ("single",), optional=True),
        Need("math_price", ("single",), {"eur_12": "right"}, optional=True),
        Need("math_length", ("single",), {"m1_50": "right"}, optional=True),
        Need("apprenticeship_pay", ("single",), optional=True),
        # A vocational training -> how far it counts for a skilled job (the trade it was in: training_trade).
        Need("training_done", ("single",), {"certificate": "certificate", "no_certificate": "partial"}),
        Need("training_trade", ("single",)),
        # School level -> its rank, compared with a company's school_required (the company survey's meanings).
        Need("school_level", ("single",), {"none": 0, "primary": 1, "middle": 2, "secondary": 3, "university": 4}),
        # Never on a profile sheet for companies: the first language (a proxy for origin), where a version asks it.
        Need("first_language", ("single",), optional=True),
        Need("first_language_other", ("text",), optional=True),
        # Never on a profile sheet for companies: support needs and the consents. Matching (staff only) reads
        # help asked for the permission to work as still waiting for the immigration office's approval.
        Need("support", ("multiple",), {"work_permit": "needs_approval"}),
        Need("consent", ("consent",)),
        Need("consent_companies", ("consent",)),
    ))
COMPANY_READINESS = Role(
    "company_readiness", "company-readiness", "the places and jobs that matching offers", needs=(
        Need("company_name", ("text",)),
        # Who may speak for the company's places.
        Need("respondent_role", ("single",), _values("owner", "hr", "trainer")),
        # v1 and v2 asked the district; v3 asks the Gemeinde from the competence check's own list (its district
        # is the check's meaning of it, and matching's travel table knows the way between two Gemeinden).
        Need("district", ("single",), optional=True),
        Need("municipality", ("single",), same_as="competence_check.municipality"),
        # A place not on the list ("Woanders"), as typed: the company record keeps it.
        Need("place", ("text",), optional=True),
        Need("sector", ("single",)),
        # v1 asked apprenticeship places per broad trade; its answers still count until a company answers anew.
        Need("apprenticeship_trades", ("multiple",), not_items=("none",), optional=True),
        Need("places_{}", ("number",), each="apprenticeship_trades", optional=True),
        Need("start_{}", ("date",), each="apprenticeship_trades", optional=True),
        # Since v2: places per Ausbildungsberuf (its trade is in the matching rules' [occupations]).
        Need("apprenticeships", ("multiple",), not_items=("none",)),
        Need("apprenticeship_places_{}", ("number",), each="apprenticeships"),
        Need("apprenticeship_start_{}", ("date",), each="apprenticeships"),
        # SVB jobs per trade (the competence check's trade values), for helpers and skilled workers.
        Need("job_trades", ("multiple",), not_items=("none",)),
        Need("helper_jobs_{}", ("number",), each="job_trades"),
        Need("skilled_jobs_{}", ("number",), each="job_trades"),
        Need("job_start", ("date",)),
        # Whether jobs and apprenticeships can be part-time.
        Need("job_part_time", ("yesno",)),
        Need("part_time_training", ("yesno",)),
        # Offers -> the kind of place; "eq" has its own places and trades since v2.
        Need("entry_offers", ("multiple",), {"hospitation": "internship", "internship": "internship", "eq": "eq"},
             not_items=("none",)),
        Need("entry_places", ("number",), optional=True),
        Need("trial_places", ("number",)),
        Need("eq_places", ("number",)),
        Need("eq_trades", ("multiple",)),
        # Matrix rows -> the kind of place they ask the German level for.
        Need("german_required", ("matrix",), {"apprenticeship": "apprenticeship", "helper": "helper",
                                              "skilled": "skilled"}),
        Need("language_support", ("multiple",), not_items=("none",)),
        Need("mentor_available", ("single",), _values("yes", "with_support")),
        # Requirements. School: the lowest competence-check school level (its ``school_level`` meanings) that
        # meets it; a foreign certificate counts when it is equivalent, which the reasons leave to a person.
        Need("school_required", ("single",), {"none": 0, "basic": 2, "intermediate": 2, "higher": 3}),
        Need("licence_required", ("single",), {"required": "required", "helpful": "helpful", "no": "no"}),
        Need("building_sites", ("single",), {"mostly": True, "sometimes": True, "no": False}),
        Need("transport_to_sites", ("yesno",)),
        # Whether the company waits for the immigration office's approval (Beschäftigungserlaubnis).
        Need("pending_approval", ("single",), {"yes": True, "with_help": True, "no": False}),
    ))
OUTCOME = Role(
    "outcome", "outcome", "the placement funnel, the 75 % figure and retention at six months", participant=True,
    needs=(
        # Status -> the stage of a participant's way it stands for. "placed" (started) and "signed" (a contract
        # signed, the start ahead) count toward the target; "ended": a placement ended early.
        Need("status", ("single",), {"apprenticeship": "placed", "svb_job": "placed", "contract_signed": "signed",
                                     "eq": "eq", "internship": "hospitation", "ended_early": "ended",
                                     "moved_away": "left", "left_project": "left"}),
        # Since when a status holds: the newest date is where a person stands.
        Need("status_date", ("date",)),
        Need("trade", ("single",)),
        # The company: typed up to version 2, chosen from the company records since (``choices_from``).
        Need("company", ("text",), optional=True),
        Need("company_record", ("record",)),
        # Why a placement ended early: the reasons beside retention.
        Need("ended_reason", ("single",)),
        # The follow-up about six months after a start: answer -> still there.
        Need("follow_up", ("single",), {"yes": True, "no": False}),
    ))
# Their pages show whatever the form asks.
TRAINING_FEEDBACK = Role("training_feedback", "training-feedback", "trainers' sessions with their QR code")
HOSPITATION_FEEDBACK = Role(
    "hospitation_feedback", "hospitation-feedback", "the feedback links of hospitations and matching", needs=(
        Need("company", ("record",), optional=True),
        Need("took_place", ("yesno",)),
        # The company's next step with this person -> what matching makes of it for the pair: an offer of a kind
        # of place (matching's place kinds), "later" (after a German course, since v3), no offer now, not decided.
        Need("next_step", ("single",), {"apprenticeship": "apprenticeship", "eq": "eq", "job": "job",
                                        "internship": "internship", "after_course": "later", "not_now": "none",
                                        "undecided": "open"}),
        # When an offer would start (since v3); matching says it with the offer.
        Need("offer_start", ("single",), {"now": "now", "training_year": "training_year", "later": "later"}),
    ))
#: The participant's own feedback after a hospitation: its link knows the code and the company it is about.
#: Matching reads, for that one pair, whether the person would go again, wants to learn the Beruf and how the way was.
HOSPITATION_VOICE = Role(
    "hospitation_voice", "hospitation-voice", "the participants' feedback links of hospitations and matching",
    participant=True, needs=(
        Need("company", ("record",)),
        Need("again", ("single",), {"yes": "yes", "maybe": "maybe", "no": "no"}),
        Need("learn_trade", ("single",), {"yes": "yes", "maybe": "maybe", "no": "no"}),
        Need("way", ("single",), {"yes": "yes", "so_so": "maybe", "no": "no"}),
    ))
MENTOR_LOG = Role("mentor_log", "mentor-log", "mentors' apprentice pages and coordinators' notifications",
                  participant=True, needs=(
                      Need("meeting_date", ("date",)),
                      # The traffic light: red tells coordinators who asked to be notified.
                      Need("status", ("single",), {"dropout_risk": "red"}),
                  ))

ROLES: dict[str, Role] = {r.name: r for r in (COMPETENCE_CHECK, COMPANY_READINESS, OUTCOME, TRAINING_FEEDBACK,
                                              MENTOR_LOG, HOSPITATION_FEEDBACK, HOSPITATION_VOICE)}
#: Roles in the order a cohort report shows their forms; other forms follow alphabetically.
REPORT_ORDER = (COMPETENCE_CHECK, COMPANY_READINESS, TRAINING_FEEDBACK, MENTOR_LOG, OUTCOME)


def relative_to_own_average(scores: Mapping[str, float]) -> dict[str, float]:
    """Each of a person's interest scores minus their own average of all of them.

    Some people like every activity, others none: what tells their trades apart is which scales lie above
    their own average, so reports and matching compare these, not the raw means.
    """
    if not scores:
        return {}
    average = sum(scores.values()) / len(scores)
    return {key: round(value - average, 4) for key, value in scores.items()}


def form_ids(configured: Mapping[str, str | None] | None) -> dict[str, str | None]:
    """Role name -> form id: the defaults, with what the instance's ``INSTRUMENT_ROLES`` repoints."""
    return {name: (configured or {}).get(name, role.default) for name, role in ROLES.items()}


def report_order() -> list[str]:
    """The form ids of the current app's roles, in the order a report shows them."""
    return [f for f in (role.form_id() for role in REPORT_ORDER) if f]


def check_roles(registry, configured: Mapping[str, str | None] | None,
                forms_dir: Path | str = "forms") -> list[Problem]:
    """Check that the form of each role has what the role needs (in its newest version).

    A role the instance points at a form in ``INSTRUMENT_ROLES`` must find it; a default form that is
    missing only leaves its features off (the pages say so), and a role set to ``None`` is not checked.
    """
    configured = dict(configured or {})
    problems: list[Problem] = []
    ids = form_ids(configured)

    def values_of(shared: str) -> tuple[list[str], str] | None:
        # The values of the list a field must share, and where it is; None where that list is not there.
        name, field_id = shared.split(".", 1)
        source = registry.get(ids[name]) if ids.get(name) else None
        try:
            f = source.field(ROLES[name].field(field_id)) if source is not None else None
        except KeyError:
            return None
        return ([c.value for c in f.choices], f"'{source.id}' v{source.version}'s '{f.id}'") if f else None

    for name in sorted(set(configured) - set(ROLES)):
        code = ErrorCode.ROLE_005
        problems.append(Problem(CONFIG_KEY, 0, name, code, code.format(
            role=name, expected=", ".join(ROLES), hint=did_you_mean(name, ROLES))))
    for name, form_id in form_ids(configured).items():
        definition = registry.get(form_id) if form_id is not None else None
        if definition is not None:
            problems.extend(_check(ROLES[name], definition, values_of))
        elif form_id is not None and name in configured:
            code = ErrorCode.ROLE_001
            problems.append(Problem(f"{Path(forms_dir).name}/{form_id}", 0, "", code, code.format(
                role=name, form=form_id, hint=did_you_mean(form_id, [i.id for i in registry]))))
    return problems


def _check(role: Role, definition: FormDefinition, values_of=lambda shared: None) -> list[Problem]:
    fields = {f.id: f for f in definition.fields}
    scores = {s.id: s for s in definition.scores}
    problems: list[Problem] = []

    def problem(line, field_id, code, **kw):
        problems.append(Problem(definition.source, line, field_id, code, code.format(
            role=role.name, uses=role.uses, field=field_id, **kw)))

    needs = ((Need(PARTICIPANT_FIELD, ("text",)),) if role.participant else ()) + role.needs
    for need in needs:
        if need.each:
            of = fields.get(role.field(need.each))
            if of is None and need.optional:
                continue
            items = role.items(definition, need.each) if of is not None else ()
            wanted = [(need.id.format(item), f" (one for each choice of '{need.each}')") for item in items]
        else:
            wanted = [(need.id, "")]
        for field_id, why in wanted:
            if need.score:
                if field_id not in scores:
                    problem(1, field_id, ErrorCode.ROLE_002, expected="score", why=why,
                            hint=did_you_mean(field_id, scores))
                continue
            f = fields.get(field_id)
            expected = " or ".join(need.types)
            if f is None and need.each:
                # Missing for a new item: point at the field that offers the item.
                problem(of.line, field_id, ErrorCode.ROLE_002, expected=f"{expected} field", why=why, hint="")
                continue
            if f is None and need.optional:
                continue
            if f is None:
                # A renamed field is the likely cause: point at the field with the nearest id.
                answerable = [i for i, g in fields.items() if g.answerable]
                near = closest(field_id, answerable)
                problem(fields[near].line if near else 1, field_id, ErrorCode.ROLE_002, expected=f"{expected} field",
                        why=why, hint=did_you_mean(field_id, answerable))
                continue
            if f.type not in need.types:
                problem(f.line, field_id, ErrorCode.ROLE_003, expected=expected, got=f.type)
                continue
            # A question in rows (a matrix) offers its rows, any other its choices.
            offered = {c.value for c in (f.rows or f.choices)}
            for value in need.values:
                if value not in offered:
                    problem(f.line, field_id, ErrorCode.ROLE_004, value=value,
                            what="row" if f.rows else "choice")
            shared = values_of(need.same_as) if need.same_as else None
            if shared is not None:
                theirs, where = shared
                mine = [c.value for c in f.choices]
                diff = [f"'{v}' missing" for v in theirs if v not in mine] + \
                    [f"'{v}' not in it" for v in mine if v not in theirs]
                if diff:
                    problem(f.line, field_id, ErrorCode.ROLE_006, other=where, diff=", ".join(diff),
                            shared=need.same_as)
    return problems
