"""The participant profile sheet: one person's competence check in German, for companies.

Built from the definition the person answered, page by page, so a new version of the instrument needs
no change here. Answers are language-independent values shown with their German labels; free texts stay
in the original. What a company has no business knowing stays off the sheet: the first language and the
language the check was filled in (proxies for origin), support needs, the consents, and the outcome history
(it names other companies). Everything on it is the person's own statement (Selbstauskunft).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import force_locale
from sqlalchemy import select

from ..cohorts.models import Cohort
from ..definitions.model import FormDefinition
from ..definitions.roles import COMPETENCE_CHECK, relative_to_own_average
from ..extensions import db
from ..fieldtypes import field_type, stored_value
from ..models_util import utcnow
from ..pdf import clean, direction
from ..responses.models import Answer, Response
from ..responses.storage import PARTICIPANT_FIELD

#: Never on a sheet that goes to companies: the first language (a proxy for origin), support needs, what plans
#: them (reading, the sums, whether the pay of an apprenticeship is enough) and the consent answers themselves.
LEFT_OUT = frozenset({PARTICIPANT_FIELD, *(COMPETENCE_CHECK.field(f) for f in (
    "first_language", "first_language_other", "support", "latin_script", "math_price", "math_length",
    "apprenticeship_pay", "consent", "consent_companies"))})
#: The answer that allows showing the profile to companies.
COMPANY_CONSENT = COMPETENCE_CHECK.field("consent_companies")


class NoProfile(LookupError):
    """No competence check is stored for this participant code."""


@dataclass
class ProfileItem:
    label: str
    value: str = ""
    #: Free text in the person's words: (text, direction); which language it is stays off the sheet.
    text: tuple[str, str] | None = None
    #: Matrix rows as (row label, chosen point label).
    rows: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ProfileSection:
    title: str
    items: list[ProfileItem]


@dataclass
class Interest:
    """One interest scale: its mean, where that lies on the scale (0–100 %), and how far above or below the
    person's own average of all scales it lies (what tells their interests apart)."""

    label: str
    value: float | None
    percent: float | None
    relative: float | None = None


@dataclass
class ProfileSheet:
    code: str
    cohort_title: str
    generated_at: datetime
    submitted_at: datetime
    language: str
    version: int
    #: How many competence checks the person has (the newest is shown).
    checks: int
    company_consent: bool | None
    sections: list[ProfileSection]
    interests: list[Interest]
    interest_scale: tuple[int, int] | None


def _answers(response_id: int) -> dict[str, list]:
    """Answer name -> stored values of one response (one person: loading the rows is fine here)."""
    out: dict[str, list] = {}
    rows = db.session.execute(select(Answer.field_id, Answer.shown, Answer.value_text, Answer.value_num,
                                     Answer.value_date, Answer.value_long)
                              .where(Answer.response_id == response_id).order_by(Answer.id))
    for row in rows:
        if row.shown:
            out.setdefault(row.field_id, []).append(stored_value(row))
    return out


def _item(f, values: dict) -> ProfileItem | None:
    """One question as its type writes the answer (German: the sheet is built under the German locale)."""
    handler = field_type(f)
    parts = [(part, handler.value_of(values[name])) for name, part in handler.parts(f) if values.get(name)]
    if not parts:
        return None
    if any(part for part, _value in parts):
        return ProfileItem(f.label, rows=[(part, handler.text(f, value)) for part, value in parts])
    value = parts[0][1]
    if handler.free_text:
        text = clean(str(value))
        return ProfileItem(f.label, text=(text, direction(text)))
    return ProfileItem(f.label, handler.text(f, value))


def _interests(definition: FormDefinition, values: dict) -> tuple[list[Interest], tuple[int, int] | None]:
    """Scores whose items are all scale questions (the interest profile), as bars on the scale's range."""
    bars, scale = [], None
    for s in definition.scores:
        items = []
        for item in s.items:
            try:
                items.append(definition.field(item))
            except KeyError:
                items = []
                break
        if not items or any(not f.points for f in items) or s.method != "mean":
            continue
        low, high = min(f.start for f in items), max(f.start + f.points - 1 for f in items)
        scale = (low, high)
        got = values.get(s.id)
        value = float(got[0]) if got else None
        percent = 100 * (value - low) / (high - low) if value is not None and high > low else None
        bars.append(Interest(s.label, value, percent))
    relative = relative_to_own_average({i: bar.value for i, bar in enumerate(bars) if bar.value is not None})
    for i, bar in enumerate(bars):
        bar.relative = relative.get(i)
    return bars, scale


def _score_items(definition: FormDefinition) -> set[str]:
    return {item for s in definition.scores for item in s.items}


def has_profile(code: str, cohort_id: int) -> bool:
    """Whether a competence check in the cohort carries this participant code (as stored)."""
    return db.session.scalar(select(Response.id).where(
        Response.form_id == COMPETENCE_CHECK.form_id(), Response.participant_code == code,
        Response.cohort_id == cohort_id).limit(1)) is not None


def build_profile(registry, code: str, cohort_id: int) -> ProfileSheet:
    """The profile sheet of one participant code in one cohort, from their newest competence check there.

    :raise NoProfile: when no competence check of the cohort carries this code
    """
    form_id = COMPETENCE_CHECK.form_id()
    checks = db.session.scalars(select(Response).where(
        Response.form_id == form_id, Response.cohort_id == cohort_id, Response.participant_code == code)
        .order_by(Response.submitted_at.desc(), Response.id.desc())).all()
    if not checks:
        raise NoProfile(code)
    response = checks[0]
    definition = registry.get(form_id, response.version)
    if definition is None:
        raise NoProfile(code)
    values = _answers(response.id)
    # Items of a score (the 30 interest questions) are summed up by the score's chart, not listed.
    skip = LEFT_OUT | _score_items(definition)
    sections = []
    with force_locale("de"):
        for page in definition.pages:
            items = [item for f in page.fields if f.answerable and f.id not in skip
                     for item in [_item(f, values)] if item is not None]
            if items:
                sections.append(ProfileSection(page.title, items))
    interests, scale = _interests(definition, values)
    consent = None
    if any(f.id == COMPANY_CONSENT for f in definition.answer_fields):
        consent = values.get(COMPANY_CONSENT, [None])[0] == "yes"
    cohort = db.session.get(Cohort, response.cohort_id)
    return ProfileSheet(code=code, cohort_title=cohort.title if cohort else "", generated_at=utcnow(),
                        submitted_at=response.submitted_at, language=response.language, version=response.version,
                        checks=len(checks), company_consent=consent, sections=sections, interests=interests,
                        interest_scale=scale)
