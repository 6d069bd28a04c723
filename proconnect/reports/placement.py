"""What counts as a placement: the project's 75 % target, read from the outcome instrument.

"Placed" = an apprenticeship or a job subject to social insurance (SVB); every other status is reported
apart. Each participant counts with their newest outcome record.
"""
from __future__ import annotations

from collections import Counter
from datetime import date

from .aggregation import latest_values, participants
from .model import Bar, Funnel

OUTCOME_FORM = "outcome"
STATUS_FIELD = "status"
#: Since when a status holds: the newest date is where a person stands.
STATUS_DATE_FIELD = "status_date"
#: Status values that count toward the target.
PLACED = ("apprenticeship", "svb_job")
#: Status values that are a step toward a placement (entry qualification, internship, hospitation).
STEPS = ("eq", "internship", "hospitation")
TARGET = 0.75
#: The competence check: having done it is the funnel's second stage.
CHECK_FORM = "competence-check"


def funnel(cohort_id: int, until: date | None, registry, labels: dict[str, str], status_labels) -> Funnel:
    """The placement funnel of a cohort as it stands at ``until`` (default: now).

    :param labels: stage key -> label (``participants``, ``checked``, ``recorded``, ``on_the_way``, ``placed``)
    :param status_labels: status value -> label, in the outcome form's order
    """
    total = participants(cohort_id, until)
    available = registry.get(OUTCOME_FORM) is not None
    statuses = latest_values(cohort_id, OUTCOME_FORM, STATUS_FIELD, until, STATUS_DATE_FIELD) if available else Counter()
    recorded = sum(statuses.values())
    placed = sum(statuses[s] for s in PLACED)
    on_the_way = placed + sum(statuses[s] for s in STEPS)
    checked = participants(cohort_id, until, CHECK_FORM) if registry.get(CHECK_FORM) else 0
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
