"""How long the competence check takes a slow reader: screens, answers and words on the way through it.

The estimate walks a version like a person on two typical ways (no work experience; two trades and a driving
licence), counts what that person sees and answers, and prices it for a slow reader of easy German on a tablet.
It is printed (``-s``) and written into forms/competence-check/README.md. The project aims at 15 minutes: the
newest version keeps to it without work experience and adds about a minute for each trade a person worked in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from proconnect.definitions.conditions import is_shown
from shipped_forms import FORMS, shipped_registry

README = FORMS / "competence-check" / "README.md"

#: A slow reader: 60 words a minute (a fluent adult reads 200-250), 8 seconds to take in a screen and press
#: "Weiter", 5 seconds to decide each answer. With these the model gives v2 the 18-20 minutes without work
#: experience that were observed at the first info events.
WORDS_PER_MINUTE = 90
SECONDS_PER_SCREEN = 8
SECONDS_PER_ANSWER = 6
PICTURED_SHARE = 0.5

NONE_OF_THESE = {"none", "no"}


@dataclass(frozen=True)
class Way:
    screens: int
    answers: int
    words: int

    @property
    def minutes(self) -> float:
        seconds = self.screens * SECONDS_PER_SCREEN + self.answers * SECONDS_PER_ANSWER
        return (seconds + self.words * 60 / WORDS_PER_MINUTE) / 60


def _words(*texts) -> int:
    return sum(len(re.findall(r"\w+", t or "")) for t in texts)


def _answers_of(definition, trades: list[str], licence: list[str]) -> dict:
    """What the person answers where the way depends on it (the rest is answered without changing the way)."""
    answers = {"trades": trades, "licence_classes": licence, "training_done": "no", "first_language": "ar",
               "language_course": "integration", "age_band": "age_25_34"}
    return {k: v for k, v in answers.items() if any(f.id == k for f in definition.fields)}


def walk(definition, trades: list[str], licence: list[str]) -> Way:
    """Screens, answers and words a person meets on one way through ``definition``."""
    answers = _answers_of(definition, trades, licence)
    screens = answers_count = 0
    read: set[str] = set()
    pictured: set[str] = set()
    for page in definition.pages:
        shown = [f for f in page.fields if is_shown(f.condition, answers)]
        if not any(f.answerable or f.type == "note" for f in shown):
            continue
        screens += 1
        read.add(page.title)
        for f in shown:
            read.update((f.label, f.help, f.text, f.extra.get("unsure"), *f.labels))
            for option in f.choices + f.rows:
                (pictured if option.image else read).add(option.label)
            if f.answerable:
                answers_count += len(f.answer_names())
    # A text met again (the faces' words, the trades in the wishes) is recognised, not read again; an option
    # with a picture is found by its picture and its words are only glanced at.
    pictured -= read
    return Way(screens, answers_count, round(_words(*read) + PICTURED_SHARE * _words(*pictured)))


def ways(version: int) -> dict[str, Way]:
    definition = shipped_registry().instruments["competence-check"].versions[version]
    return {"no work experience": walk(definition, ["none"], ["none"]),
            "two trades, driving licence": walk(definition, ["gastronomy", "logistics"], ["b"])}


def table() -> str:
    """The estimate as the README shows it."""
    lines = ["| version | way through the check | screens | answers | words | minutes |", "|---|---|---|---|---|---|"]
    for version in (2, 3, 4):
        for name, way in ways(version).items():
            lines.append(f"| v{version} | {name} | {way.screens} | {way.answers} | {way.words} | {way.minutes:.0f} |")
    return "\n".join(lines)


def test_v4_takes_a_slow_reader_15_minutes_and_about_one_more_for_each_trade_worked_in():
    v2, v3, v4 = ways(2), ways(3), ways(4)
    print("\n" + table())
    # The model reproduces what was observed with v2, so its figures for the later versions can be trusted.
    assert 18 <= v2["no work experience"].minutes <= 20
    # v3 asked what v2 did not (readiness: age, course, reading, two sums, pay; where experience comes from)
    # and still took two minutes less on each way.
    for name in v2:
        assert v3[name].minutes < v2[name].minutes - 1.5, name
    # v4 keeps all of it and leaves out what no report, match or plan needs (skills matrix, school years,
    # a third of the interest items, three of the seven work actions per trade).
    assert round(v4["no work experience"].minutes) == 15
    per_trade = (v4["two trades, driving licence"].minutes - v4["no work experience"].minutes) / 2
    assert per_trade <= 1.3
    for name in v3:
        assert v4[name].minutes < v3[name].minutes - 2, name
        # Shorter because there is less to read and decide, not because screens were crammed.
        assert v4[name].answers < v3[name].answers and v4[name].words < v3[name].words, name
        assert v4[name].answers / v4[name].screens <= v3[name].answers / v3[name].screens, name


def test_the_readme_prints_the_estimate_of_the_newest_version():
    assert table() in README.read_text(encoding="utf-8"), "copy the printed table into the README (pytest -s)"
