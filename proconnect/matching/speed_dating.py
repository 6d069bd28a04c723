"""Planning a speed-dating event: who sits with which company in which round, and when."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Meeting:
    round: int
    table: int
    company_id: int
    participant: str
    starts: datetime


@dataclass
class SpeedDatingPlan:
    """The timetable; ``missing`` lists wished pairs that found no slot."""

    meetings: list[Meeting] = field(default_factory=list)
    missing: list[tuple[str, int]] = field(default_factory=list)

    def rounds(self) -> list[list[Meeting]]:
        out: dict[int, list[Meeting]] = {}
        for m in self.meetings:
            out.setdefault(m.round, []).append(m)
        return [sorted(out[r], key=lambda m: m.table) for r in sorted(out)]


def plan_speed_dating(scores: dict[tuple[str, int], float], *, tables: int, rounds: int, start: datetime,
                      minutes: int = 10, pause: int = 2, min_score: float = 0.0) -> SpeedDatingPlan:
    """Seat the best-fitting pairs, never a pair twice, never more pairs at once than tables.

    :param scores: (participant code, company id) -> match score; pairs below ``min_score`` are not seated
    :param tables: tables in the room (at most this many conversations per round)
    :param rounds: number of rounds; a company and a participant each have one conversation per round
    :return: the plan, with the wished pairs that did not fit into ``missing``
    """
    if tables < 1 or rounds < 1:
        raise ValueError("a speed-dating event needs at least one table and one round")
    wished = sorted(((s, code, company) for (code, company), s in scores.items() if s >= min_score),
                    key=lambda x: (-x[0], x[1], x[2]))
    met: set[tuple[str, int]] = set()
    seen_by: dict[str, int] = {}
    company_turns: dict[int, int] = {}
    company_table: dict[int, int] = {}
    plan = SpeedDatingPlan()
    for r in range(rounds):
        busy_people: set[str] = set()
        busy_companies: set[int] = set()
        free_tables = set(range(1, tables + 1))
        seated = 0
        # Fairness first: those with fewer conversations so far choose first, then the better fit,
        # then the company that has talked least.
        order = sorted(((seen_by.get(code, 0), -s, company_turns.get(company, 0), code, company)
                        for s, code, company in wished if (code, company) not in met))
        starts = start + timedelta(minutes=r * (minutes + pause))
        for _n, _s, _t, code, company in order:
            if seated == tables:
                break
            if code in busy_people or company in busy_companies:
                continue
            # A company keeps its table where it can, so only the participants move.
            table = company_table.get(company)
            if table not in free_tables:
                table = min(free_tables)
            free_tables.discard(table)
            company_table[company] = table
            seated += 1
            busy_people.add(code)
            busy_companies.add(company)
            met.add((code, company))
            seen_by[code] = seen_by.get(code, 0) + 1
            company_turns[company] = company_turns.get(company, 0) + 1
            plan.meetings.append(Meeting(r + 1, table, company, code, starts))
    plan.missing = [(code, company) for _s, code, company in wished if (code, company) not in met]
    return plan
