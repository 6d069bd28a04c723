"""The match-making rules: weights and tables from a TOML file (defaults in the package)."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

DEFAULT_RULES = Path(__file__).with_name("default_rules.toml")
DEFAULT_TRAVEL = Path(__file__).with_name("travel_times.toml")
#: A place matching cannot locate: "Woanders" in the Gemeinde list, "Anderswo" among the districts.
ELSEWHERE = "other"


@dataclass(frozen=True)
class Travel:
    """The way between a participant and a place: minutes, and whether the travel table knows the pair."""

    minutes: int
    #: False: a place is elsewhere or not on the list; ``minutes`` is then the rules' ``unknown`` value
    known: bool = True
GERMAN_LEVELS = ("a1", "a2", "b1", "b2", "c1", "c2")
#: The rule that counts only for a pair with feedback after a hospitation: its weight is not part of the best
#: possible score of any other pair.
HOSPITATION = "hospitation"


@dataclass(frozen=True)
class Rules:
    """Weights, settings and tables that decide how participants and places fit."""

    weights: dict[str, float]
    settings: dict[str, float]
    trade_interest: dict[str, str]
    same_district: int
    unknown_travel: int
    public: dict[frozenset, int] = field(default_factory=dict)
    car: dict[frozenset, int] = field(default_factory=dict)
    #: Ausbildungsberuf (the company survey's value) -> trade
    occupations: dict[str, str] = field(default_factory=dict)
    #: Ausbildungsberufe that are Reha-Ausbildungen (Fachpraktiker/in)
    reha: frozenset[str] = frozenset()
    #: After a hospitation: what each answer makes of the pair's fit (offer, later, open, none; yes, maybe, no)
    #: and ``offer_first`` (1: an offer puts the pair first unless the person said no)
    hospitation: dict[str, float] = field(default_factory=dict)

    @property
    def total_weight(self) -> float:
        """The best possible points of a pair without feedback after a hospitation."""
        return sum(weight for name, weight in self.weights.items() if name != HOSPITATION)

    def travel(self, person: tuple[str | None, str | None], place: tuple[str | None, str | None],
               by_car: bool) -> Travel:
        """Door-to-door minutes from a participant to a place (by car when the person can drive).

        Each side is ``(Gemeinde, district)``, either may be None. The most precise pair the table knows
        counts: Gemeinde to Gemeinde, then a Gemeinde to the other side's district, then district to district.
        A side that is elsewhere ("Woanders") or not located at all makes the travel time unknown.
        """
        table = self.car if by_car else self.public
        if ELSEWHERE in (person[0], place[0]):
            return Travel(self.unknown_travel, known=False)
        for a, b in ((person[0], place[0]), (person[0], place[1]), (person[1], place[0]), (person[1], place[1])):
            if not a or not b or ELSEWHERE in (a, b):
                continue
            if frozenset((a, b)) in table:
                return Travel(table[frozenset((a, b))])
            if a == b:
                return Travel(self.same_district)
        return Travel(self.unknown_travel, known=False)


def load_rules(path: Path | str | None = None, travel_path: Path | str | None = None) -> Rules:
    """Read the rules from ``path`` (default: the package's default_rules.toml) and the travel table from
    ``travel_path`` (default: travel_times.toml); a ``[travel]`` table in the rules (an older copy of them)
    adds to the travel table and wins over it."""
    data = tomllib.loads(Path(path or DEFAULT_RULES).read_text(encoding="utf-8"))
    defaults = tomllib.loads(DEFAULT_RULES.read_text(encoding="utf-8")) if path else data
    travel = tomllib.loads(Path(travel_path or DEFAULT_TRAVEL).read_text(encoding="utf-8"))
    own = data.get("travel", {})

    def pairs(mode):
        table = {**travel.get(mode, {}), **own.get(mode, {})}
        return {frozenset(key.split(":")): int(minutes) for key, minutes in table.items()}

    occupations = data.get("occupations", {})

    # A copy of the rules made before the hospitation rule existed gets the default one (a weight of 0 ends it).
    weights = {**data["weights"], HOSPITATION: data["weights"].get(HOSPITATION, defaults["weights"][HOSPITATION])}
    return Rules(weights={k: float(v) for k, v in weights.items()},
                 settings={k: float(v) for k, v in data.get("settings", {}).items()},
                 trade_interest=dict(data.get("trade_interest", {})),
                 same_district=int(own.get("same_district", travel.get("same_district", 25))),
                 unknown_travel=int(own.get("unknown", travel.get("unknown", 60))),
                 public=pairs("public"), car=pairs("car"),
                 occupations={k: v["trade"] if isinstance(v, dict) else v for k, v in occupations.items()},
                 reha=frozenset(k for k, v in occupations.items() if isinstance(v, dict) and v.get("reha")),
                 hospitation={k: float(v) for k, v in {**defaults.get(HOSPITATION, {}),
                                                      **data.get(HOSPITATION, {})}.items()})


def project_rules() -> Rules:
    """The project's rules: ``instances/matching.toml`` and ``instances/travel_times.toml`` when present,
    else the defaults."""
    custom = Path(current_app.instance_path) / "matching.toml"
    travel = Path(current_app.instance_path) / "travel_times.toml"
    return load_rules(custom if custom.is_file() else None, travel if travel.is_file() else None)
