"""What counts as a placement: the project's 75 % target, read from the outcome instrument.

"Placed" = an apprenticeship or a job subject to social insurance (SVB); every other status is reported
apart. Each participant counts with their newest outcome record. The target counts against the selected
participants (``links.selection``); while nobody in a cohort is selected, against everyone.
"""
from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import Select

from ..definitions.roles import COMPETENCE_CHECK, OUTCOME
from ..links.selection import any_selected, selected_codes
from .aggregation import latest_values, participants
from .model import Bar, Funnel

#: Status values that count toward the target (the outcome role's "placed" values).
PLACED = OUTCOME.values("status", "placed")
#: Status values that are a step toward a placement (entry qualification, internship).
STEPS = OUTCOME.values("status", "eq") + OUTCOME.values("status", "hospitation")
TARGET = 0.75


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


def funnel(cohort_id: int, until: date | None, registry, labels: dict[str, str], status_labels) -> Funnel:
    """The placement funnel of a cohort as it stands at ``until`` (default: now).

    Counted against the selected participants once anybody is selected, the others apart; before that,
    against everyone (``Funnel.selection`` is False and the pages say that nobody is marked selected).

    :param labels: stage key -> label (``participants`` or ``selected``, ``checked``, ``recorded``,
                   ``on_the_way``, ``placed``)
    :param status_labels: status value -> label, in the outcome form's order
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
    if chosen is not None:
        result.not_selected = participants(cohort_id, until, among=chosen, outside=True)
        others = newest_statuses(cohort_id, until, chosen, outside=True) if available else Counter()
        result.not_selected_placed = placed_count(others)
    return result
