"""From database counts and form models to the report model: versions merged by field id, small cells suppressed.

Nothing here renders or queries per response; ``aggregation`` counts, this module arranges.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Callable

from flask_babel import force_locale

from ..cohorts.models import Cohort
from ..corrections import service as corrections
from ..definitions.model import Field, FormDefinition
from ..definitions.roles import COMPETENCE_CHECK, OUTCOME, report_order
from ..links.models import Link
from ..links.selection import selected_codes
from ..extensions import db
from ..fieldtypes import Summary, field_type
from ..i18n import form_translator
from ..models_util import utcnow
from ..pdf import clean, direction
from ..responses.storage import PARTICIPANT_FIELD
from . import aggregation as agg
from . import placement
from .formatting import Formatter
from .model import (Bar, CohortReport, Funnel, MatrixRow, Numeric, Placements, Question, Section, TextItem,
                    VersionCount)
from .texts import funnel_stages, language_name

#: Open numbers with more distinct values than this are shown in ranges.
MAX_NUMBER_BARS = 12
#: A date question spanning more months than this is counted per year.
MAX_MONTH_BARS = 24
#: What other features lend the cohort report, by name. "placements": (cohort id, the selected codes or None for
#: everyone) -> each participant's way to a placement (match-making's pipeline, registered by ``matching.init_app``; match-making reads the reports'
#: placement figures, so it sits above the reports and they cannot import it). Missing: no such part.
SOURCES: dict[str, Callable] = {}


@dataclass(frozen=True)
class Privacy:
    """The small-numbers rule of a report that leaves the project (funder report)."""

    funder: bool = False
    min_cell: int = 5

    def count(self, n: int | None) -> int | None:
        """``n``, or ``None`` when it describes fewer people than the threshold (but not nobody)."""
        if n is None or not self.funder or n == 0 or n >= self.min_cell:
            return n
        return None

    def bars(self, bars: list[Bar], exclusive: bool) -> list[Bar]:
        """Suppress small bars; for categories that add up to a known total, also the next smallest,
        so the suppressed one cannot be worked out by subtraction."""
        if not self.funder:
            return bars
        for bar in bars:
            if self.count(bar.count) is None:
                bar.count, bar.percent, bar.suppressed = None, None, True
        if exclusive and sum(b.suppressed for b in bars) == 1:
            rest = [b for b in bars if not b.suppressed and b.count]
            if rest:
                smallest = min(rest, key=lambda b: b.count)
                smallest.count, smallest.percent, smallest.suppressed = None, None, True
        return bars


def ordered_form_ids(form_ids) -> list[str]:
    """Forms in the order a report shows them: the roles' forms in their order, others alphabetically."""
    known = [f for f in report_order() if f in form_ids]
    return known + sorted(set(form_ids) - set(known))


def merged_fields(definitions: list[FormDefinition]) -> list[tuple[Field, list[int], FormDefinition]]:
    """Answerable fields of several versions merged by id, in the newest version's order.

    A field only in older versions follows the field it followed there.

    :param definitions: versions, oldest first
    :return: (the newest definition of the field, the versions containing it, the newest such version)
    """
    order: list[str] = []
    newest: dict[str, tuple[Field, FormDefinition]] = {}
    versions: dict[str, list[int]] = {}
    for definition in reversed(definitions):
        previous = None
        for f in definition.answer_fields:
            versions.setdefault(f.id, []).insert(0, definition.version)
            if f.id not in newest:
                newest[f.id] = (f, definition)
                order.insert(order.index(previous) + 1 if previous is not None else 0, f.id)
            previous = f.id
    return [(newest[i][0], versions[i], newest[i][1]) for i in order]


def page_titles(definition: FormDefinition) -> dict[str, str]:
    """Field id -> title of its page ("" on a first page that only carries the form's title)."""
    return {f.id: "" if page.title == definition.title else page.title
            for page in definition.pages for f in page.fields}


def merged_choices(definitions: list[FormDefinition], field_id: str, attr: str = "choices") -> list[tuple[str, str]]:
    """(value, label) of a field's choices (or matrix rows) over all versions, newest label first."""
    out: dict[str, str] = {}
    for definition in reversed(definitions):
        try:
            f = definition.field(field_id)
        except KeyError:
            continue
        for c in getattr(f, attr):
            out.setdefault(c.value, c.label)
    # Newest order first, then values only older versions offered.
    return list(out.items())


def _median(distribution: Counter) -> float | None:
    n = sum(distribution.values())
    if not n:
        return None
    ordered = sorted(distribution.items())

    def nth(k):  # 0-based k-th value in sorted order
        seen = 0
        for value, count in ordered:
            seen += count
            if k < seen:
                return value
    return (nth((n - 1) // 2) + nth(n // 2)) / 2


def numeric_summary(distribution: Counter, privacy: Privacy, fmt: Formatter,
                    points: list[tuple[float, str]] | None = None, unit: str = "", scale=None) -> Numeric:
    """Mean, median, range and bars of a distribution (value -> count) counted by the database.

    :param points: the scale's points (value, label): one bar each, also for points nobody chose
    :param scale: the lowest and highest possible value (a score's ranges then start at the lowest)
    """
    n = sum(distribution.values())
    numeric = Numeric(n=privacy.count(n), unit=unit, scale=scale)
    if n and numeric.n is not None:
        # fsum: the same mean whatever order the database gave the groups in (a plain sum's last bit depends on it).
        numeric.mean = math.fsum(v * c for v, c in distribution.items()) / n
        numeric.median = _median(distribution)
        if not privacy.funder:
            # A minimum or maximum is one person's answer: never in a report that leaves the project.
            numeric.low, numeric.high = min(distribution), max(distribution)
    if points is not None:
        bars = [Bar(_key(v), label, distribution.get(v, 0)) for v, label in points]
    elif not distribution:
        bars = []
    elif len(distribution) <= MAX_NUMBER_BARS and scale is None:
        bars = [Bar(_key(v), fmt.value(v), c) for v, c in sorted(distribution.items())]
    else:
        bars = _ranges(distribution, fmt, scale)
    for bar in bars:
        bar.percent = 100 * bar.count / n if n else None
    numeric.bars = privacy.bars(bars, exclusive=True)
    return numeric


def _key(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _nice_step(span: float, bins: int) -> float:
    raw = span / bins
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def _ranges(distribution: Counter, fmt: Formatter, scale=None, bins: int = 8) -> list[Bar]:
    """Counts in equal ranges with round limits; on a scale (a score), half points from its lowest value,
    the last range closed so the top of the scale has a place."""
    low, high = scale if scale else (min(distribution), max(distribution))
    step = 0.5 if scale and high - low <= 6 else _nice_step(high - low, bins)
    start = low if scale else math.floor(low / step) * step
    last = max(0, math.ceil((high - start) / step) - 1) if scale else int((max(distribution) - start) // step)
    counts = Counter()
    for value, count in distribution.items():
        counts[min(int((value - start) // step), last)] += count
    bars = []
    for i in range(last + 1):
        a, b = start + i * step, start + (i + 1) * step
        label = f"{fmt.value(a)} – {fmt.value(b)}" if scale and i == last else f"{fmt.value(a)} – < {fmt.value(b)}"
        bars.append(Bar(_key(a), label, counts[i]))
    return bars


class ReportBuilder:
    """Builds a ``CohortReport`` for one cohort, filters, language and privacy rule."""

    def __init__(self, registry, cohort: Cohort, filters: agg.Filters, *, language: str = "de",
                 privacy: Privacy = Privacy(), text_limit: int = 50):
        self.registry, self.cohort, self.filters = registry, cohort, filters
        self.language, self.privacy, self.text_limit = language, privacy, text_limit
        self.fmt = Formatter(language, privacy.min_cell)
        #: form id -> the languages its responses were given in, counted once per report
        self._form_languages: dict[str, Counter] = {}

    def build(self) -> CohortReport:
        with force_locale(self.language):
            return self._build()

    def _build(self) -> CohortReport:
        counts = agg.responses_by_version(self.filters)
        sections = [self.section(form_id, counts[form_id]) for form_id in ordered_form_ids(counts)
                    if self.registry.get(form_id) is not None]
        # The language mix that matters is the participants': their competence check when there is one.
        check = COMPETENCE_CHECK.form_id()
        language_form = check if check in counts else None
        # The check's own section counted them already.
        languages = self._form_languages.get(language_form) or agg.languages(self.filters, language_form)
        total_responses = sum(sum(c.values()) for c in counts.values())
        funnel = self._funnel()
        # Before anybody is selected the funnel counts everyone with a response: the same number.
        everyone = funnel.participants if not funnel.selection else agg.participants(self.cohort.id, self.filters.until)
        p = self.privacy
        return CohortReport(
            cohort_slug=self.cohort.slug, cohort_title=self.cohort.title, language=self.language,
            generated_at=utcnow(), period=agg.period(self.filters), funder=p.funder, min_cell=p.min_cell,
            text_limit=self.text_limit, filters=self._filter_description(),
            participants=p.count(everyone),
            total_responses=p.count(total_responses),
            responses=p.bars([Bar(s.form_id, s.title, n, 100 * n / total_responses)
                              for s in sections for n in [sum(counts[s.form_id].values())]], True),
            languages=self._languages(languages, sum(languages.values())),
            languages_form=next((s.title for s in sections if s.form_id == language_form), None),
            funnel=funnel, sections=sections, placements=self._placements(funnel),
            corrections=corrections.counts(self.cohort.id))

    def _placements(self, funnel: Funnel) -> Placements | None:
        """Time to placement, placements per trade and company, reasons for leaving (match-making's pipeline)."""
        ways_of = SOURCES.get("placements")
        if ways_of is None:
            return None
        # The funnel asked already whether anybody is selected.
        chosen = selected_codes(self.cohort.id, self.filters.until) if funnel.selection else None
        ways = ways_of(self.cohort.id, None if chosen is None else set(db.session.scalars(chosen)))
        if not ways.timelines or not (ways.placed_by_trade or ways.leaving):
            return None
        p = self.privacy
        placed = sum(ways.placed_by_trade.values())
        outcome = self.registry.get(OUTCOME.form_id())
        labels = {}
        if outcome is not None:
            # forms check makes sure the outcome form has both fields.
            tr = self._tr(outcome.id)
            for field_id in (OUTCOME.field("status"), OUTCOME.field("trade")):
                labels.update({c.value: tr(c.label) for c in outcome.field(field_id).choices})

        def bars(counter, total):
            # Most first, ties by name: the same report whatever order the database gave the rows in.
            return p.bars([Bar(key, labels.get(key, key), n, 100 * n / total if total else None)
                           for key, n in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))],
                          exclusive=True)
        with_check = len(ways.days_to_placement)
        shown = p.count(with_check)
        return Placements(median_days=ways.median_days if shown else None, placed_with_check=shown,
                          by_trade=bars(ways.placed_by_trade, placed), by_company=bars(ways.placed_by_company, placed),
                          leaving=bars(ways.leaving, sum(ways.leaving.values())))

    def _filter_description(self) -> dict:
        f = self.filters
        out = {}
        if f.form_id:
            definition = self.registry.get(f.form_id)
            out["form"] = self._tr(f.form_id)(definition.title) if definition else f.form_id
        if f.since or f.until:
            out["period"] = (f.since, f.until)
        if f.link_id:
            link = db.session.get(Link, f.link_id)
            out["link"] = (link.event or link.form_id) if link else str(f.link_id)
        if f.language:
            out["language"] = f.language
        return out

    def _languages(self, counts: Counter, total: int) -> list[Bar]:
        bars = [Bar(code, language_name(code, self.language), n, 100 * n / total if total else None)
                for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
        return self.privacy.bars(bars, exclusive=True)

    def _funnel(self):
        outcome = self.registry.get(OUTCOME.form_id())
        status_labels, reason_labels = {}, {}
        if outcome is not None:
            # No KeyError to catch: forms check makes sure the outcome form has these fields.
            tr = self._tr(outcome.id)
            status_labels = {c.value: tr(c.label) for c in outcome.field(OUTCOME.field("status")).choices}
            reason_labels = {c.value: tr(c.label) for c in outcome.field(OUTCOME.field("ended_reason")).choices}
        funnel = placement.funnel(self.cohort.id, self.filters.until, self.registry, funnel_stages(),
                                  status_labels, reason_labels)
        if self.privacy.funder and funnel.retention is not None:
            r = self.privacy
            kept = funnel.retention
            kept.due, kept.retained, kept.ended, kept.unknown = (
                r.count(kept.due), r.count(kept.retained), r.count(kept.ended), r.count(kept.unknown))
            if kept.retained is None or kept.due is None:
                kept.rate = None
            kept.reasons = r.bars(kept.reasons, exclusive=True)
        if self.privacy.funder:
            funnel.stages = self.privacy.bars(funnel.stages, exclusive=False)
            funnel.statuses = self.privacy.bars(funnel.statuses, exclusive=True)
            funnel.not_selected = self.privacy.count(funnel.not_selected)
            funnel.not_selected_placed = self.privacy.count(funnel.not_selected_placed)
            if self.privacy.count(funnel.placed) is None:
                # The rate and the distance to the target would give the suppressed count away.
                funnel.placed = funnel.rate = funnel.to_target = None
        return funnel

    def _tr(self, form_id):
        return form_translator(form_id)

    # -- one instrument -------------------------------------------------------------------------------------

    def section(self, form_id: str, version_counts: Counter) -> Section:
        instrument = self.registry.instruments[form_id]
        definitions = [instrument.versions[v] for v in sorted(version_counts) if v in instrument.versions]
        tr = self._tr(form_id)
        merged = [m for m in merged_fields(definitions) if m[0].id != PARTICIPANT_FIELD]
        fields = [(f, vs) for f, vs, _d in merged]
        titles = {d.version: page_titles(d) for d in definitions}
        scores = self._merged_scores(definitions)
        kinds = {}
        for f, _versions in fields:
            for name in f.answer_names():
                kinds[name] = field_type(f).aggregation
        kinds.update({s.id: "number" for s, _v in scores})
        tallies = agg.tally(self.filters, form_id, kinds, version_counts)
        questions = [self.question(form_id, f, vs, definitions, version_counts, tallies, tr) for f, vs in fields]
        for q, (f, _vs, d) in zip(questions, merged):
            q.page = tr(titles[d.version].get(f.id, ""))
        score_questions = [self.score(s, vs, definitions, version_counts, tallies[s.id], tr) for s, vs in scores]
        p = self.privacy
        total = sum(version_counts.values())
        return Section(
            form_id=form_id, title=tr(instrument.latest.title), responses=p.count(total),
            versions=[VersionCount(v, p.count(n)) for v, n in sorted(version_counts.items())],
            questions=questions, scores=score_questions,
            languages=self._languages(self._form_languages.setdefault(form_id, agg.languages(self.filters, form_id)),
                                      total))

    def _merged_scores(self, definitions):
        seen: dict[str, tuple] = {}
        for definition in reversed(definitions):
            for s in definition.scores:
                if s.id not in seen:
                    seen[s.id] = (s, [])
                seen[s.id][1].insert(0, definition.version)
        return list(seen.values())

    def _base(self, f_id, label, f_type, kind, versions, version_counts, tally, help_text="") -> Question:
        p = self.privacy
        asked = sum(version_counts[v] for v in versions)
        answered, not_shown = sum(tally.answered.values()), sum(tally.not_shown.values())
        with_responses = sorted(version_counts)
        return Question(
            id=f_id, label=label, type=f_type, kind=kind, asked=p.count(asked), answered=p.count(answered),
            no_answer=p.count(asked - answered - not_shown - tally.unsure), not_shown=p.count(not_shown),
            versions=[VersionCount(v, p.count(version_counts[v])) for v in versions],
            only_in=versions if versions != with_responses else [], help=help_text)

    def question(self, form_id, f: Field, versions, definitions, version_counts, tallies, tr) -> Question:
        """One question as its type summarises it (``FieldType.summary``), from the database's counts."""
        summary = field_type(f).summary(f, tr, merged_choices(definitions, f.id), merged_choices(definitions, f.id, "rows"))
        kind = summary.kind
        if kind == "matrix":
            return self.matrix(f, summary, versions, version_counts, tallies, tr)
        t = tallies[f.id]
        q = self._base(f.id, tr(f.label), f.type, kind, versions, version_counts, t, tr(f.help) if f.help else "")
        answered = sum(t.answered.values())
        if kind in ("choice", "multi"):
            summary, counted = field_type(f).tallied(
                f, summary, {name: tallies[name].values for name in f.answer_names() if name in tallies},
                texts=not self.privacy.funder)
            options = list(summary.options)
            known = {v for v, _l in options}
            options += [(v, v) for v in sorted(counted) if v not in known]
            q.bars = self.privacy.bars([Bar(v, label, counted.get(v, 0),
                                            100 * counted.get(v, 0) / answered if answered else None)
                                        for v, label in options], exclusive=kind == "choice")
        elif kind == "number":
            points = [(float(v), label) for v, label in summary.points] if summary.points is not None else None
            q.numeric = numeric_summary(t.values, self.privacy, self.fmt, points, unit=summary.unit,
                                        scale=summary.scale)
            q.numeric.unsure, q.unsure_label = self.privacy.count(t.unsure), summary.unsure
        elif kind == "date":
            q.first, q.last = (t.first, t.last) if not self.privacy.funder else (None, None)
            q.bars = self._date_bars(t.values)
        elif kind == "text":
            if not self.privacy.funder and self.text_limit > 0:
                q.texts = [TextItem(clean(a.text), a.language, direction(clean(a.text)), a.submitted_at)
                           for a in agg.newest_texts(self.filters, form_id, f.id, self.text_limit)]
            q.texts_left_out = answered - len(q.texts)
        return q

    def _date_bars(self, months: Counter) -> list[Bar]:
        if not months:
            return []
        keys = sorted(months)
        first, last = keys[0], keys[-1]
        span = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:]) - int(first[5:]) + 1
        if span > MAX_MONTH_BARS:
            counts = Counter()
            for key, n in months.items():
                counts[key[:4]] += n
            bars = [Bar(str(y), str(y), counts.get(str(y), 0)) for y in range(int(first[:4]), int(last[:4]) + 1)]
        else:
            y, m = int(first[:4]), int(first[5:])
            bars = []
            for _month in range(span):
                key = f"{y:04d}-{m:02d}"
                bars.append(Bar(key, key, months.get(key, 0)))
                y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        total = sum(months.values())
        for bar in bars:
            bar.percent = 100 * bar.count / total
        return self.privacy.bars(bars, exclusive=True)

    def matrix(self, f: Field, summary: Summary, versions, version_counts, tallies, tr) -> Question:
        """Rows × one scale; each row counts its own answers, the question only who did not see it."""
        rows = [(value, label, tallies.get(f"{f.id}.{value}", agg.Tally())) for value, label in summary.rows]
        # Rows share the question's condition: a hidden question hides every row.
        hidden = max((t for _v, _l, t in rows), key=lambda t: sum(t.not_shown.values()), default=agg.Tally())
        q = self._base(f.id, tr(f.label), f.type, "matrix", versions, version_counts,
                       agg.Tally(not_shown=hidden.not_shown), tr(f.help) if f.help else "")
        q.answered = q.no_answer = None
        asked = sum(version_counts[v] for v in versions)
        q.points, q.unsure_label = list(summary.points), summary.unsure
        points = [(float(v), lab) for v, lab in q.points]
        for value, label, t in rows:
            numeric = numeric_summary(t.values, self.privacy, self.fmt, points, scale=summary.scale)
            numeric.unsure = self.privacy.count(t.unsure)
            answered, not_shown = sum(t.answered.values()), sum(t.not_shown.values())
            q.matrix.append(MatrixRow(value, label, numeric,
                                      self.privacy.count(asked - answered - not_shown - t.unsure),
                                      self.privacy.count(not_shown)))
        return q

    def score(self, s, versions, definitions, version_counts, tally, tr) -> Question:
        q = self._base(s.id, tr(s.label), "score", "score", versions, version_counts, tally,
                       tr(s.help) if s.help else "")
        q.not_shown = None
        scale = None
        if s.method == "mean":
            fields = []
            for item in s.items:
                for d in reversed(definitions):
                    try:
                        fields.append(d.field(item.split(".")[0]))
                        break
                    except KeyError:
                        continue
            if fields:
                scale = (min(x.start for x in fields), max(x.start + x.points - 1 for x in fields))
        q.numeric = numeric_summary(tally.values, self.privacy, self.fmt, scale=scale)
        return q


def build_cohort_report(registry, cohort: Cohort, filters: agg.Filters, *, language: str = "de",
                        funder: bool = False, min_cell: int = 5, text_limit: int = 50) -> CohortReport:
    """The report model of one cohort (see ``ReportBuilder``)."""
    return ReportBuilder(registry, cohort, filters, language=language, privacy=Privacy(funder, min_cell),
                         text_limit=text_limit).build()
