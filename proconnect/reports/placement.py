"""What counts as a placement: the project's 75 % target, read from the outcome instrument.

"Placed" = an apprenticeship or a job subject to social insurance (SVB) begun, or a contract signed for one;
every other status is reported apart. Each participant counts with their newest outcome record. The target counts against the selected
participants (``links.selection``); while nobody in a cohort is selected, against everyone. Retention: who is
still there six months after their first start.
"""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import Select

from ..definitions.roles import COMPETENCE_CHECK, OUTCOME
from ..links.selection import any_selected, selected_codes
from .aggregation import answers_by_participant, latest_values, participants
from .model import Bar, Funnel, Retention

#: Status values of a start: an apprenticeship or a job subject to social insurance (the role's "placed" values).
STARTED = OUTCOME.values("status", "placed")
#: Status values that count toward the target: a start, or a contract signed for one whose start is ahead
#: (as funders count a placement, "Vermittlung", from the signed contract).
PLACED = STARTED + OUTCOME.values("status", "signed")
#: Status values that are a step toward a placement (entry qualification, internship).
STEPS = OUTCOME.values("status", "eq") + OUTCOME.values("status", "hospitation")
TARGET = 0.75
#: Retention is asked about six months (26 weeks) after the first day of an apprenticeship or job.
RETENTION_DAYS = 182


def newest_statuses(cohort_id: int, until: date | None = None, among: Select | None = None,
                    outside: bool = False) -> Counter:
    """Each participant's newest outcome status, counted (empty when the instance has no outcome form).

    :param among: count only these codes (the selected); with ``outside``, only the others
    """
    form_id = OUTCOME.form_id()
    if form_id is None:
        return Counter()
    return latest_values(cohort_id, form_id, OUTCOME.field("status"), until, OUTCOME.field("status_date"),
                         among=among, outside=outside)


def basis(cohort_id: int, until: date | None = None) -> Select | None:
    """The codes the target counts against: the selected, or ``None`` (everyone) while nobody is selected."""
    return selected_codes(cohort_id, until) if any_selected(cohort_id, until) else None


def placed_count(statuses: Counter) -> int:
    """How many of the counted statuses are placements."""
    return sum(statuses[s] for s in PLACED)


def funnel(cohort_id: int, until: date | None, registry, labels: dict[str, str], status_labels,
           reason_labels: dict[str, str] | None = None) -> Funnel:
    """The placement funnel of a cohort as it stands at ``until`` (default: now).

    Counted against the selected participants once anybody is selected, the others apart; before that,
    against everyone (``Funnel.selection`` is False and the pages say that nobody is marked selected).

    :param labels: stage key -> label (``participants`` or ``selected``, ``checked``, ``recorded``,
                   ``on_the_way``, ``placed``)
    :param status_labels: status value -> label, in the outcome form's order
    :param reason_labels: reason for ending early -> label
    """
    chosen = basis(cohort_id, until)
    total = participants(cohort_id, until, among=chosen)
    available = registry.get(OUTCOME.form_id()) is not None
    statuses = newest_statuses(cohort_id, until, chosen) if available else Counter()
    recorded = sum(statuses.values())
    placed = placed_count(statuses)
    on_the_way = placed + sum(statuses[s] for s in STEPS)
    check = COMPETENCE_CHECK.form_id()
    checked = participants(cohort_id, until, check, among=chosen) if registry.get(check) else 0
    counts = {"selected" if chosen is not None else "participants": total, "checked": checked,
              "recorded": recorded, "on_the_way": on_the_way, "placed": placed}
    stages = [Bar(key, labels[key], n, 100 * n / total if total else None) for key, n in counts.items()]
    order = list(status_labels)
    status_bars = [Bar(value, status_labels.get(value, value), n, 100 * n / recorded if recorded else None)
                   for value, n in sorted(statuses.items(), key=lambda kv: (
                       order.index(kv[0]) if kv[0] in order else len(order), kv[0]))]
    needed = max(0, -(-int(TARGET * 100) * total // 100) - placed)
    result = Funnel(participants=total, stages=stages, placed=placed, rate=placed / total if total else None,
                    target=TARGET, to_target=needed, statuses=status_bars, available=available,
                    selection=chosen is not None)
    if available:
        result.retention = retention(cohort_id, until, chosen, reason_labels)
    if chosen is not None:
        result.not_selected = participants(cohort_id, until, among=chosen, outside=True)
        others = newest_statuses(cohort_id, until, chosen, outside=True) if available else Counter()
        result.not_selected_placed = placed_count(others)
    return result


def retention(cohort_id: int, until: date | None = None, among: Select | None = None,
              reason_labels: dict[str, str] | None = None) -> Retention:
    """Who is still in their apprenticeship or job six months after their first start (as at ``until``).

    Due: the first start (the date of the first record of a started status) lies at least ``RETENTION_DAYS``
    before ``until`` (default: today). Ended: a record of another status dated within those six months (e.g.
    ended early, searching), or the newest follow-up says no. Still there: the newest follow-up says yes and
    nothing ended. The rest are not followed up yet; the rate counts them as not (yet) confirmed.
    """
    status, since = OUTCOME.field("status"), OUTCOME.field("status_date")
    follow, why = OUTCOME.field("follow_up"), OUTCOME.field("ended_reason")
    still_there = OUTCOME.meanings("follow_up")
    as_of = until or date.today()
    due = retained = ended = 0
    reasons: Counter = Counter()
    records = answers_by_participant(cohort_id, OUTCOME.form_id(), [status, since, follow, why], until, among)
    for rows in records.values():
        dated = sorted((r.get(since) or r["submitted"].date(), r["submitted"], i, r)
                       for i, r in enumerate(rows) if r.get(status))
        start = next((on for on, _at, _i, r in dated if r[status] in STARTED), None)
        if start is None or start + timedelta(days=RETENTION_DAYS) > as_of:
            continue
        due += 1
        end = start + timedelta(days=RETENTION_DAYS)
        left = next((r for on, _at, _i, r in dated if start < on <= end and r[status] not in PLACED), None)
        answers = [still_there.get(r.get(follow)) for on, _at, _i, r in dated if on >= start and r.get(follow)]
        answers = [a for a in answers if a is not None]
        if left is not None:
            ended += 1
            if left.get(why):
                reasons[left[why]] += 1
        elif answers and answers[-1]:
            retained += 1
        elif answers:
            ended += 1
    labels = reason_labels or {}
    total = sum(reasons.values())
    return Retention(due=due, retained=retained, ended=ended, unknown=due - retained - ended,
                     rate=retained / due if due else None,
                     reasons=[Bar(key, labels.get(key, key), n, 100 * n / total) for key, n in sorted(reasons.items(), key=lambda kv: (-kv[1], str(kv[0])))])
