"""A competence-check-sized form made for the benchmarks, and answers to it.

The benchmarks write their own definition into a temporary forms folder, so their figures do not
change when the real instruments in ``forms/`` change.
"""
from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from proconnect.links.codes import ALPHABET

FORM_ID = "bench-check"

LANGUAGES = ["arabisch", "dari", "farsi", "paschtu", "tigrinya", "ukrainisch", "russisch", "tuerkisch", "kurdisch",
             "somali", "andere"]
TRADES = ["metall", "elektro", "holz", "bau", "kfz", "sanitaer", "maler", "lager", "gastro", "pflege", "reinigung",
          "garten"]
TASKS = ["schweissen", "bohren", "messen", "zeichnung", "montage", "kabel", "saegen", "fliesen", "streichen",
         "fahren", "lagern", "kochen"]
RIASEC = [f"riasec_{kind}{n}" for kind in "rieasc" for n in range(1, 7)]
HABITS = ["puenktlich", "team", "anweisung", "fragen", "frueh", "draussen", "schmutz", "stehen", "heben", "laerm",
          "ordnung", "sicherheit"]
YESNO = ["fuehrerschein", "auto", "schichtarbeit", "wochenende", "umzug", "praktikum", "kinderbetreuung",
         "gesundheit", "werkzeug", "computer"]
SCHOOLS = ["keine", "grundschule", "mittelschule", "oberschule", "studium"]
LEVELS = ["a0", "a1", "a2", "b1", "b2", "c1"]


def _choices(values: list[str]) -> str:
    return "[\n" + "".join(f'  {{ value = "{v}", label = "Antwort {v.capitalize()}" }},\n' for v in values) + "]"


def _rows(values: list[str]) -> str:
    return "[\n" + "".join(f'  {{ id = "{v}", label = "Tätigkeit {v.capitalize()}" }},\n' for v in values) + "]"


def definition_toml() -> str:
    """The TOML text of ``bench-check`` v1: 5 pages, about 95 answers, with conditions and scores."""
    parts = [f'[form]\nid = "{FORM_ID}"\nversion = 1\ntitle = "Kompetenz-Check (Benchmark)"\n'
             'description = "So groß wie der echte Kompetenz-Check, mit Seiten, Auswahl, Skalen und Matrix."\n']

    def field(**keys):
        lines = []
        for key, value in keys.items():
            if isinstance(value, bool):
                lines.append(f"{key} = {'true' if value else 'false'}")
            elif isinstance(value, (int, date)):
                lines.append(f"{key} = {value}")
            elif value.startswith("["):
                lines.append(f"{key} = {value}")
            else:
                lines.append(f'{key} = "{value}"')
        parts.append("[[fields]]\n" + "\n".join(lines) + "\n")

    field(id="p_person", type="page", label="Zur Person")
    field(id="participant_code", type="text", label="Ihr Teilnahme-Code", required=True, max_length=32)
    field(id="birth_year", type="number", label="In welchem Jahr sind Sie geboren?", min=1950, max=2010,
          required=True)
    field(id="first_language", type="single", label="Ihre erste Sprache", required=True,
          choices=_choices(LANGUAGES))
    field(id="german_level", type="single", label="Wie gut sprechen Sie Deutsch?", required=True,
          choices=_choices(LEVELS), style="cards")
    field(id="arrival", type="date", label="Seit wann sind Sie in Deutschland?", min=date(2000, 1, 1), max="today")
    field(id="consent", type="consent", label="Einwilligung", required=True,
          text="Ich bin einverstanden, dass meine Antworten gespeichert werden.\\n\\nIch kann jederzeit widerrufen.")

    field(id="p_school", type="page", label="Schule und Arbeit")
    field(id="school", type="single", label="Welche Schule haben Sie besucht?", choices=_choices(SCHOOLS))
    field(id="school_years", type="number", label="Wie viele Jahre?", min=0, max=20, unit="Jahre")
    field(id="trades", type="multiple", label="In welchen Bereichen haben Sie gearbeitet?",
          choices=_choices(TRADES), max_selected=6)
    field(id="metal_years", type="number", label="Wie viele Jahre Metall?", min=0, max=50,
          show_if="'metall' in trades")
    field(id="experience", type="matrix", label="Wie oft haben Sie das gemacht?", points=4,
          labels='["nie", "manchmal", "oft", "täglich"]', rows=_rows(TASKS))
    field(id="work_note", type="note", text="Es gibt keine falschen Antworten.")

    field(id="p_interest", type="page", label="Interessen")
    for item in RIASEC:
        field(id=item, type="scale", label=f"Das mache ich gern: {item}", points=5, low="gar nicht",
              high="sehr gern", required=True)

    field(id="p_habits", type="page", label="Arbeitsalltag")
    field(id="habits", type="matrix", label="Wie wichtig ist Ihnen das?", points=5, low="unwichtig",
          high="sehr wichtig", rows=_rows(HABITS), style="faces")
    for item in YESNO:
        field(id=item, type="yesno", label=f"Trifft zu: {item}?")
    field(id="license_class", type="single", label="Welche Klasse?", choices=_choices(["b", "be", "c", "ce"]),
          show_if="fuehrerschein == 'yes'")

    field(id="p_end", type="page", label="Zum Schluss")
    field(id="recommend", type="scale", label="Würden Sie pro:connect weiterempfehlen?", points=11, start=0,
          low="nein", high="sofort")
    field(id="wishes", type="longtext", label="Was wünschen Sie sich?")

    for kind in "rieasc":
        items = ", ".join(f'"riasec_{kind}{n}"' for n in range(1, 7))
        parts.append(f'[[scores]]\nid = "interest_{kind}"\nlabel = "Interesse {kind.upper()}"\nmethod = "mean"\n'
                     f'items = [{items}]\nreverse = ["riasec_{kind}6"]\n')
    parts.append('[[scores]]\nid = "experience_total"\nlabel = "Erfahrung"\nmethod = "sum"\n'
                 'items = [' + ", ".join(f'"experience.{t}"' for t in TASKS) + "]\n")
    return "\n".join(parts)


#: Screens of the form (the definition starts with a page break, so page 0 is the first screen).
PAGE_COUNT = definition_toml().count('type = "page"')


def from_last_page(hidden: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The page's hidden inputs as the last page carries them: every earlier screen has been shown.

    One POST with every answer stands for the walk through the pages; its body is what the last page sends.
    """
    last = {"_page": str(PAGE_COUNT - 1), "_seen": ",".join(str(i) for i in range(PAGE_COUNT - 1))}
    return [(name, last.get(name, value)) for name, value in hidden]


def write_forms(folder: Path) -> Path:
    """Write the benchmark form into ``folder/<form-id>/v1.toml`` and return ``folder``."""
    (folder / FORM_ID).mkdir(parents=True, exist_ok=True)
    (folder / FORM_ID / "v1.toml").write_text(definition_toml(), encoding="utf-8")
    return folder


def participant_code(number: int) -> str:
    """A distinct free code per number in the characters a card carries (a cohort without cards takes it)."""
    digits = ""
    for _ in range(6):
        number, digit = divmod(number, len(ALPHABET))
        digits = ALPHABET[digit] + digits
    return f"B{digits}"


def answers(number: int, rng: random.Random) -> tuple[list[tuple[str, str]], int]:
    """One person's answers as form pairs, and how many answer rows (with scores) storing them makes.

    Every shown question is answered; a question hidden by its condition is not sent and stores one
    "not shown" row.
    """
    pairs = [("participant_code", participant_code(number)), ("birth_year", str(rng.randint(1960, 2005))),
             ("first_language", rng.choice(LANGUAGES)), ("german_level", rng.choice(LEVELS)),
             ("arrival", f"20{rng.randint(10, 23)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"), ("consent", "y"),
             ("school", rng.choice(SCHOOLS)), ("school_years", str(rng.randint(0, 12)))]
    trades = rng.sample(TRADES, rng.randint(1, 6))
    pairs += [("trades", t) for t in trades]
    rows = 8 + len(trades) + 1  # metal_years: an answer or a "not shown" row
    if "metall" in trades:
        pairs.append(("metal_years", str(rng.randint(0, 20))))
    pairs += [(f"experience__{t}", str(rng.randint(1, 4))) for t in TASKS]
    pairs += [(item, str(rng.randint(1, 5))) for item in RIASEC]
    pairs += [(f"habits__{h}", str(rng.randint(1, 5))) for h in HABITS]
    yesno = [(item, rng.choice(["yes", "no"])) for item in YESNO]
    pairs += yesno
    if dict(yesno)["fuehrerschein"] == "yes":
        pairs.append(("license_class", rng.choice(["b", "be", "c", "ce"])))
    pairs += [("recommend", str(rng.randint(0, 10))), ("wishes", "Eine Ausbildung im Handwerk. " * 4)]
    rows += len(TASKS) + len(RIASEC) + len(HABITS) + len(YESNO) + 1 + 2
    scores = 7
    return pairs, rows + scores


#: The answer names each screen asks, in page order (what "Next" on that page sends).
_PAGE_NAMES = [
    {"participant_code", "birth_year", "first_language", "german_level", "arrival", "consent"},
    {"school", "school_years", "trades", "metal_years", *(f"experience__{t}" for t in TASKS)},
    set(RIASEC),
    {*(f"habits__{h}" for h in HABITS), *YESNO, "license_class"},
    {"recommend", "wishes"},
]


def by_page(pairs: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """One person's answer pairs split by the screen that asks them."""
    return [[(name, value) for name, value in pairs if name in names] for names in _PAGE_NAMES]
