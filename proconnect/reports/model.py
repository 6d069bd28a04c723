"""The report model: plain dataclasses the templates, the PDF and the JSON API read.

Counts that would describe fewer people than the report's threshold are already suppressed here
(``count`` is ``None`` and ``suppressed`` True), so no renderer can leak them by accident.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass
class Bar:
    """One labelled count with its share: a choice, a scale point, a month, a language, a funnel stage."""

    key: str
    label: str
    count: int | None
    #: Share in percent of the question's respondents (None when suppressed or without a base).
    percent: float | None = None
    suppressed: bool = False


@dataclass
class Numeric:
    """Distribution and summary of numbers (scale, number, matrix row, score)."""

    n: int | None
    mean: float | None = None
    median: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str = ""
    #: One bar per scale point, per distinct number, or per range of numbers.
    bars: list[Bar] = field(default_factory=list)
    #: The scale's possible range, to draw a mean on it (None for open numbers).
    scale: tuple[float, float] | None = None
    #: Answers that are no point ("nicht beurteilbar"): not in ``n``, the mean or the bars.
    unsure: int | None = 0


@dataclass
class MatrixRow:
    key: str
    label: str
    numeric: Numeric
    no_answer: int | None = None
    not_shown: int | None = None


@dataclass
class VersionCount:
    """How many responses one version contributed."""

    version: int
    responses: int | None


@dataclass
class TextItem:
    text: str
    language: str
    #: ``rtl`` for Arabic-script answers (decides the block's direction in the PDF).
    direction: str
    submitted_at: datetime


@dataclass
class Question:
    """One question of an instrument, merged over the versions that contain it."""

    id: str
    label: str
    type: str
    kind: str
    asked: int | None
    answered: int | None
    no_answer: int | None
    not_shown: int | None
    versions: list[VersionCount] = field(default_factory=list)
    #: Versions (with responses) that contain the question, when not all of them do.
    only_in: list[int] = field(default_factory=list)
    help: str = ""
    #: Title of the form page the question is on (a heading in the report when it changes).
    page: str = ""
    bars: list[Bar] = field(default_factory=list)
    numeric: Numeric | None = None
    matrix: list[MatrixRow] = field(default_factory=list)
    #: Matrix: the scale's points as (value, label).
    points: list[tuple[int, str]] = field(default_factory=list)
    #: Scale and matrix: the label of the answer that is no point, counted apart ("" when not offered).
    unsure_label: str = ""
    first: date | None = None
    last: date | None = None
    texts: list[TextItem] = field(default_factory=list)
    #: Free texts not listed (beyond the limit, or all of them in a report that leaves the project).
    texts_left_out: int = 0


@dataclass
class Section:
    """One instrument in the report."""

    form_id: str
    title: str
    responses: int | None
    versions: list[VersionCount]
    questions: list[Question]
    scores: list[Question] = field(default_factory=list)
    languages: list[Bar] = field(default_factory=list)


@dataclass
class Retention:
    """Who is still in their apprenticeship or job about six months after starting it (counts None: suppressed)."""

    #: People whose first start lies at least six months before the end of the period.
    due: int | None
    #: Still there: the follow-up says so, and nothing else was recorded within the six months.
    retained: int | None
    #: Another status within the six months (e.g. ended early), or the follow-up says no.
    ended: int | None
    #: Not followed up yet: no answer about the sixth month, and nothing ended.
    unknown: int | None
    #: ``retained / due`` (None: nobody is due, or suppressed).
    rate: float | None
    #: Why placements ended early within the six months, every reason apart.
    reasons: list[Bar] = field(default_factory=list)


@dataclass
class Funnel:
    """From participants to placements, against the project's 75 % target."""

    participants: int
    stages: list[Bar]
    placed: int | None
    rate: float | None
    target: float
    #: How many more placements reach the target (0 when it is reached; None when suppressed).
    to_target: int | None
    #: Latest status of each participant with an outcome, every status apart.
    statuses: list[Bar]
    #: False when no outcome instrument is installed.
    available: bool = True
    #: True: counted against the selected participants (``participants`` is their number); False: nobody in
    #: the cohort is marked selected yet, so everyone counts.
    selection: bool = False
    #: Participants not selected, and how many of them are placed: shown apart, never in the rate.
    not_selected: int | None = None
    not_selected_placed: int | None = None
    #: Retention six months after a start (None: no outcome instrument).
    retention: Retention | None = None


@dataclass
class Placements:
    """Placements in detail: how long from the check, where, in which trade; why people left."""

    #: Median days from the first competence check to the placement (None when suppressed or none).
    median_days: float | None
    placed_with_check: int | None
    by_trade: list[Bar]
    by_company: list[Bar]
    leaving: list[Bar]


@dataclass
class CohortReport:
    cohort_slug: str
    cohort_title: str
    language: str
    generated_at: datetime
    period: tuple[datetime | None, datetime | None]
    #: The report leaves the project: small cells are suppressed, free texts are not listed.
    funder: bool
    min_cell: int
    text_limit: int
    filters: dict
    participants: int | None
    #: All responses the selection covers (None when suppressed).
    total_responses: int | None
    responses: list[Bar]
    languages: list[Bar]
    #: Title of the instrument the language mix is counted in (None: all responses).
    languages_form: str | None
    funnel: Funnel
    sections: list[Section]
    placements: Placements | None = None
    #: The cohort's answers corrected by staff after they were sent and its voided responses (the method notes
    #: say so when there are any): ``{"corrected": n, "voided": n}``.
    corrections: dict[str, int] = field(default_factory=lambda: {"corrected": 0, "voided": 0})
