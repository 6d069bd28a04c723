"""The match-making rules: weights and tables from a TOML file (defaults in the package)."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

DEFAULT_RULES = Path(__file__).with_name("default_rules.toml")
GERMAN_LEVELS = ("a1", "a2", "b1", "b2", "c1", "c2")


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

    @property
    def total_weight(self) -> float:
        return sum(self.weights.values())

    def travel_minutes(self, a: str | None, b: str | None, by_car: bool, origin: str | None = None) -> int:
        """Door-to-door minutes between two districts (by car when the person can drive).

        :param origin: the person's Gemeinde, when known: its own time to district ``b`` comes first
        """
        table = self.car if by_car else self.public
        if origin and b and frozenset((origin, b)) in table:
            return table[frozenset((origin, b))]
        if not a or not b or "other" in (a, b):
            return self.unknown_travel
        if a == b:
            return self.same_district
        return table.get(frozenset((a, b)), self.unknown_travel)


def load_rules(path: Path | str | None = None) -> Rules:
    """Read the rules from ``path`` (default: the package's default_rules.toml)."""
    data = tomllib.loads(Path(path or DEFAULT_RULES).read_text(encoding="utf-8"))
    travel = data.get("travel", {})

    def pairs(table):
        return {frozenset(key.split(":")): int(minutes) for key, minutes in table.items()}

    occupations = data.get("occupations", {})

    return Rules(weights={k: float(v) for k, v in data["weights"].items()},
                 settings={k: float(v) for k, v in data.get("settings", {}).items()},
                 trade_interest=dict(data.get("trade_interest", {})),
                 same_district=int(travel.get("same_district", 25)), unknown_travel=int(travel.get("unknown", 60)),
                 public=pairs(travel.get("public", {})), car=pairs(travel.get("car", {})),
                 occupations={k: v["trade"] if isinstance(v, dict) else v for k, v in occupations.items()},
                 reha=frozenset(k for k, v in occupations.items() if isinstance(v, dict) and v.get("reha")))


def project_rules() -> Rules:
    """The project's rules: ``instances/matching.toml`` when present, else the defaults."""
    custom = Path(current_app.instance_path) / "matching.toml"
    return load_rules(custom if custom.is_file() else None)
