"""What counts as a placement: the project's 75 % target, read from the outcome instrument.

"Placed" = an apprenticeship or a job subject to social insurance (SVB); every other status is reported
apart. Each participant counts with their newest outcome record.
"""
from __future__ import annotations

from collections import Counter
from datetime import date

from ..definitions.roles import COMPETENCE_CHECK, OUTCOME
from .aggregation import latest_values, participants
from .model import Bar, Funnel

#: Status values that count toward the target (the outcome role's "placed" values).
PLACED = OUTCOME.values("status", "placed")
#: Status values that are a step toward a placement (entry qualification, internship).
STEPS = OUTCOME.values("status", "eq") + OUTCOME.values("status", "hospitation")
TARGET = 0.75


def newest_statuses(cohort_id: int, until: date | None = None) -> Counter:
    """Each participant's newest outcome status, counted (empty when the instance has no outcome form)."""
    form_id = OUTCOME.form_id()
    if form_id is None:
        return Counter()
    return latest_values(cohort_id, form_id, OUTCOME.field("status"), until, OUTCOME.field("status_date"))


def funnel(cohort_id: int, until: date | None, registry, labels: dict[str, str], status_labels) -> Funnel:
    """The placement funnel of a cohort as it stands at ``until`` (default: now).

    :param labels: stage key -> label (``participants``, ``checked``, ``recorded``, ``on_the_way``, ``placed``)
    :param status_labels: status value -> label, in the outcome form's order
    """
    total = participants(cohort_id, until)
    available = registry.get(OUTCOME.form_id()) is not None
    statuses = newest_statuses(cohort_id, until) if available else Counter()
    recorded = sum(statuses.values())
    placed = sum(statuses[s] for s in PLACED)
    on_the_way = placed + sum(statuses[s] for s in STEPS)
    check = COMPETENCE_CHECK.form_id()
    checked = participants(cohort_id, until, check) if registry.get(check) else 0
    counts = {"participants": total, "checked": checked, "recorded": recorded, "on_the_way": on_the_way,
              "placed": placed}
    stages = [Bar(key, labels[key], n, 100 * n / total if total else None) for key, n in counts.items()]
    order = list(status_labels)
    status_bars = [Bar(value, status_labels.get(value, value), n, 100 * n / recorded if recorded else None)
                   for value, n in sorted(statuses.items(), key=lambda kv: (
                       order.index(kv[0]) if kv[0] in order else len(order), kv[0]))]
    needed = max(0, -(-int(TARGET * 100) * total // 100) - placed)
    return Funnel(participants=total, stages=stages, placed=placed, rate=placed / total if total else None,
                  target=TARGET, to_target=needed, statuses=status_bars, available=available)
