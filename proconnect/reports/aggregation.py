"""Counting answers in the database: one grouped query per field type, never one row per response in Python.

Every function takes a ``Filters`` (cohort required) and returns plain numbers keyed by field id, so the
time and memory of a report grow with the number of questions and distinct values, not of responses.
The same SQL runs on SQLite and PostgreSQL.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..responses.models import Answer, Response

@dataclass(frozen=True)
class Filters:
    """Which responses a report or export covers. Only the cohort is required."""

    cohort_id: int
    form_id: str | None = None
    #: First and last day (both included) of the submission dates.
    since: date | None = None
    until: date | None = None
    link_id: int | None = None
    language: str | None = None

    def conditions(self, form_id: str | None = None) -> list:
        """SQL conditions on ``Response`` for these filters (``form_id`` narrows to one instrument)."""
        where = [Response.cohort_id == self.cohort_id]
        form_id = form_id or self.form_id
        if form_id:
            where.append(Response.form_id == form_id)
        if self.since:
            where.append(Response.submitted_at >= datetime.combine(self.since, time.min))
        if self.until:
            where.append(Response.submitted_at <= datetime.combine(self.until, time.max))
        if self.link_id:
            where.append(Response.link_id == self.link_id)
        if self.language:
            where.append(Response.language == self.language)
        return where


@dataclass
class Tally:
    """What the database counted for one answer name (a field, a matrix row or a score)."""

    #: version -> responses that answered it / that did not see it (hidden by a condition)
    answered: Counter = field(default_factory=Counter)
    not_shown: Counter = field(default_factory=Counter)
    #: value -> number of answers (choice values as text, numbers as float, dates by 'YYYY-MM')
    values: Counter = field(default_factory=Counter)
    #: Answers to a scale or matrix row that are no point ("don't know": a text, no number); not in ``answered``.
    unsure: int = 0
    first: date | None = None
    last: date | None = None


@dataclass(frozen=True)
class TextAnswer:
    """One free-text answer as listed in a report."""

    text: str
    language: str
    submitted_at: datetime
    version: int


def _answers(filters: Filters, form_id: str, names: list[str], *columns):
    """``SELECT columns`` over the answers with these names, of the responses the filters cover.

    Only the response is filtered by form: the database then reads the cohort's responses first and
    their answers through ``answer.response_id``, close together on disk, instead of jumping from the
    (form, field) index to every row of the table.
    """
    return (select(*columns).select_from(Response).join(Answer, Answer.response_id == Response.id)
            .where(Answer.field_id.in_(names), *filters.conditions(form_id)))


#: Reading a cohort's answers in the order of ``ix_answer_cohort_values`` (grouped as they are read) costs SQLite
#: about a fifth of reading the covered responses' answers one response after the other and sorting them to group
#: them (it has no hash aggregation): worth it while the covered responses are at least this share of the cohort's
#: responses to the form (a report without date, link or language filters covers all of them).
COHORT_ORDER_SHARE = 1 / 4


def _in_cohort_order(filters: Filters, form_id: str, versions: Counter) -> bool:
    """Whether the responses the filters cover are a large enough share to read the cohort's answers in cohort order.

    A share of the cohort's responses to the form on SQLite; PostgreSQL groups by hashing, in any order, and reads
    the cohort's range of the index only where the cohort holds that share of the form's responses: it multiplies
    the cohort's share of the answers by the covered share of the form's responses, so for a small cohort among
    many it expected a few hundred rows of 137,000 and sorted them in parallel on disk (1.5 x the CPU of reading
    the covered responses' answers); for one that holds most of the form's responses the range is the cheaper
    read (the multiple choices' rows alone, not every answer row of the table). Counts no more responses than
    the answer needs: the cost stays proportional to the covered ones.
    """
    covered = sum(versions.values())
    # The cohort's answers are read once per version.
    enough = int(covered / COHORT_ORDER_SHARE) // max(len(versions), 1)
    if not enough:
        return False
    of = [Response.form_id == form_id]
    if db.engine.dialect.name != "postgresql":
        of.append(Response.cohort_id == filters.cohort_id)
    some = select(Response.id).where(*of).limit(enough + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(some)) <= enough


def _grouped(filters: Filters, form_id: str, names: list[str], versions: Counter, columns: list, cohort_order: bool):
    """(version, *columns, count) of the answers with these names, grouped by ``columns``, version by version.

    Two shapes, the same rows: for a large share of the cohort's responses, the cohort's answers in index order,
    each kept if its response is covered (no sort, ``columns`` in the index's order); otherwise the covered
    responses' own answers (cost proportional to the covered responses).
    """
    if cohort_order:
        for version in sorted(versions):
            covered = select(Response.id).where(*filters.conditions(form_id), Response.version == version)
            query = (select(*columns, func.count())
                     .where(Answer.form_id == form_id, Answer.cohort_id == filters.cohort_id,
                            Answer.field_id.in_(names), Answer.response_id.in_(covered))
                     .group_by(*columns))
            for row in db.session.execute(query):
                yield (version, *row)
        return
    query = (_answers(filters, form_id, names, Response.version, *columns, func.count())
             .group_by(Response.version, *columns))
    yield from db.session.execute(query)


def tally(filters: Filters, form_id: str, kinds: dict[str, str], versions: Counter | None = None) -> dict[str, Tally]:
    """Count the answers of one instrument in one grouped pass over its rows (per version).

    Every answer row is grouped by what any kind of question needs (choice value, number, date); a multiple
    choice has one row per chosen value, numbered from 1, so its respondents are its rows numbered 1. Dates are
    counted by month, with their first and last day.

    :param kinds: answer name -> kind (``choice``, ``multi``, ``number``, ``date``, ``text``), as each field
                  type declares in ``FieldType.aggregation`` (scores count as ``number``)
    :param versions: version -> responses the filters cover (``responses_by_version``; counted here if not given)
    :return: answer name -> its ``Tally`` (also for names nobody answered)
    """
    result = {name: Tally() for name in kinds}
    if not kinds:
        return result
    if versions is None:
        versions = responses_by_version(replace(filters, form_id=form_id)).get(form_id, Counter())
    cohort_order = _in_cohort_order(filters, form_id, versions)
    # In the order of ix_answer_cohort_values, so that reading in cohort order needs no sort.
    groups = [Answer.field_id, Answer.value_text, Answer.shown, Answer.value_num, Answer.value_date]
    for version, name, text, shown, number, day, n in _grouped(filters, form_id, list(kinds), versions, groups,
                                                               cohort_order):
        t, kind = result[name], kinds[name]
        if not shown:
            # A hidden field has one row per answer name (``answer_rows``): one per response that did not see it.
            t.not_shown[version] += n
        elif kind == "multi":
            # One row per chosen value (``MultipleType.rows``), the first of each response's numbered 1.
            if text is not None:
                t.values[text] += n
            if number == 1:
                t.answered[version] += n
        elif kind == "number" and number is None and text is not None:
            t.unsure += n
        else:
            value = {"choice": text, "number": number}.get(kind)
            if kind == "date" and day is not None:
                value = f"{day.year:04d}-{day.month:02d}"
                t.first, t.last = min(t.first or day, day), max(t.last or day, day)
            if value is not None:
                t.values[value] += n
            t.answered[version] += n
    return result


def newest_texts(filters: Filters, form_id: str, name: str, limit: int) -> list[TextAnswer]:
    """The ``limit`` newest free-text answers to one field (the rest are counted, not loaded)."""
    query = (_answers(filters, form_id, [name], Answer.value_long, Response.language, Response.submitted_at,
                      Response.version)
             .where(Answer.shown, Answer.value_long.is_not(None))
             .order_by(Response.submitted_at.desc(), Answer.id.desc()).limit(limit))
    return [TextAnswer(*row) for row in db.session.execute(query)]


def responses_by_version(filters: Filters) -> dict[str, Counter]:
    """form id -> version -> number of responses the filters cover."""
    query = (select(Response.form_id, Response.version, func.count()).where(*filters.conditions())
             .group_by(Response.form_id, Response.version))
    out: dict[str, Counter] = {}
    for form_id, version, n in db.session.execute(query):
        out.setdefault(form_id, Counter())[version] = n
    return out


def languages(filters: Filters, form_id: str | None = None) -> Counter:
    """Language the form was filled in -> number of responses."""
    query = (select(Response.language, func.count()).where(*filters.conditions(form_id))
             .group_by(Response.language))
    return Counter(dict(db.session.execute(query).all()))


def period(filters: Filters) -> tuple[datetime | None, datetime | None]:
    """First and last submission the filters cover."""
    query = select(func.min(Response.submitted_at), func.max(Response.submitted_at)).where(*filters.conditions())
    return tuple(db.session.execute(query).one())


def _people(among: Select | None, outside: bool) -> list:
    """Conditions on ``Response`` that keep the participant codes ``among`` gives (or, ``outside``, the others)."""
    if among is None:
        return [Response.participant_code.is_not(None)]
    inside = Response.participant_code.in_(among)
    return [Response.participant_code.is_not(None), ~inside if outside else inside]


def participants(cohort_id: int, until: date | None = None, form_id: str | None = None,
                 among: Select | None = None, outside: bool = False) -> int:
    """Distinct participant codes with a response in the cohort (up to ``until``, in one form if given).

    :param among: a query of codes to count (the selected); with ``outside``, count the codes not in it
    """
    filters = Filters(cohort_id, form_id=form_id, until=until)
    query = select(func.count(Response.participant_code.distinct())).where(
        *filters.conditions(), *_people(among, outside))
    return db.session.scalar(query) or 0


def latest_values(cohort_id: int, form_id: str, field_id: str, until: date | None = None,
                  date_field: str | None = None, among: Select | None = None, outside: bool = False) -> Counter:
    """For each participant, the value of ``field_id`` in their newest response to ``form_id``; counted.

    Used for the outcome status: what counts is where each person stands now (or at ``until``).

    :param date_field: a date question that says since when the answer holds; newer dates win, then
                       newer submissions (a change recorded late still counts in its place)
    :param among: a query of the codes to count (as in ``participants``), ``outside``: the others
    """
    filters = Filters(cohort_id, form_id=form_id, until=until)
    since = aliased(Answer)
    order = [Response.submitted_at.desc(), Response.id.desc()]
    if date_field:
        order.insert(0, since.value_date.desc().nulls_last())
    newest = func.row_number().over(partition_by=Response.participant_code, order_by=order)
    ranked = (select(Answer.value_text.label("value"), newest.label("rank"))
              .select_from(Response)
              .join(Answer, and_(Answer.response_id == Response.id, Answer.field_id == field_id, Answer.shown)))
    if date_field:
        ranked = ranked.outerjoin(since, and_(since.response_id == Response.id, since.field_id == date_field))
    ranked = ranked.where(*filters.conditions(), *_people(among, outside)).subquery()
    query = select(ranked.c.value, func.count()).where(ranked.c.rank == 1).group_by(ranked.c.value)
    return Counter(dict(db.session.execute(query).all()))


def answers_by_participant(cohort_id: int, form_id: str, field_ids: list[str], until: date | None = None,
                           among: Select | None = None) -> dict[str, list[dict]]:
    """Each participant's responses to ``form_id`` with the answers to ``field_ids`` (choice or date), oldest first.

    For records a person has a few of (outcomes), where a figure depends on their order: one row per answer,
    never one per response of the whole cohort's forms.

    :return: code -> [{"submitted": datetime, field id: value, ...}, ...]
    """
    filters = Filters(cohort_id, form_id=form_id, until=until)
    rows = db.session.execute(
        select(Response.id, Response.participant_code, Response.submitted_at, Answer.field_id, Answer.value_text,
               Answer.value_date)
        .join(Answer, Answer.response_id == Response.id)
        .where(*filters.conditions(), *_people(among, False), Answer.shown, Answer.field_id.in_(field_ids))
        .order_by(Response.submitted_at, Response.id))
    records: dict[int, dict] = {}
    out: dict[str, list[dict]] = {}
    for rid, code, submitted, field_id, text, day in rows:
        if rid not in records:
            records[rid] = {"submitted": submitted}
            out.setdefault(code, []).append(records[rid])
        records[rid][field_id] = day if day is not None else text
    return out
