"""A picture shows one thing: in the newest version of every shipped form, no picture stands for two meanings.

A participant who reads little learns a picture once and trusts it on every screen. The same file, or the same
drawing saved under another name, must therefore never mean two things (v2 of the competence check showed the
same cap for the wish "Ausbildung" and for school, and someone riding a bicycle for "repair a bicycle").
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

import pytest

from shipped_forms import FORMS, shipped_registry

#: Answers that say "no" or "none of these" mean the same wherever they are offered.
NO = {"no", "none"}


def meanings(definition) -> dict[str, set[str]]:
    """Picture file -> what it stands for: a question, a choice value (the same value in two questions, as a
    trade in "worked in" and "wishes", is one meaning), or one row of one matrix."""
    out: dict[str, set[str]] = defaultdict(set)
    for f in definition.fields:
        if f.image:
            out[f.image].add(f"question {f.id}")
        for choice in f.choices:
            if choice.image:
                out[choice.image].add("answer no" if choice.value in NO else f"answer {choice.value}")
        for row in f.rows:
            if row.image:
                out[row.image].add(f"row {f.id}.{row.value}")
    return out


def conflicts(definition, folder: Path) -> list[str]:
    """Each drawing (by its bytes) that stands for more than one thing, with the files and meanings."""
    by_drawing: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for image, meant in meanings(definition).items():
        digest = hashlib.sha256((folder / image).read_bytes()).hexdigest()
        by_drawing[digest][image] = meant
    found = []
    for files in by_drawing.values():
        meant = set().union(*files.values())
        if len(meant) > 1:
            found.append(f"{', '.join(sorted(files))}: {', '.join(sorted(meant))}")
    return sorted(found)


@pytest.mark.parametrize("form_id", sorted(p.name for p in FORMS.iterdir() if p.is_dir()))
def test_no_picture_stands_for_two_meanings_in_the_newest_version(form_id):
    instrument = shipped_registry().instruments[form_id]
    assert conflicts(instrument.latest, instrument.folder) == []


def test_the_check_catches_a_copied_picture_and_a_picture_reused_for_another_meaning():
    # v2 of the competence check, as shipped before v3: both kinds of mistake, 25 copied drawings among them.
    instrument = shipped_registry().instruments["competence-check"]
    found = conflicts(instrument.versions[2], instrument.folder)
    assert "img/school.svg, img/wish-apprenticeship.svg: answer apprenticeship, question school_level, " \
           "question school_years" in found
    assert any(line.startswith("img/interest-r2.svg, img/transport-bicycle.svg:") for line in found)
    assert any(line.startswith("img/support-language.svg:") or "img/german.svg, img/support-language.svg" in line
               for line in found)
    assert "img/certificate.svg: answer certificate, question german_certificate" in found
    assert len(found) >= 25


def test_v3_of_the_competence_check_shows_people_doing_the_activity_with_the_licence_beside_them():
    folder = FORMS / "competence-check" / "img"
    attribution = (folder / "ATTRIBUTION-openmoji.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in attribution and (folder / "LICENSE-openmoji.txt").is_file()
    v3 = shipped_registry().instruments["competence-check"].versions[3]
    repair = v3.field("like_r2")
    assert repair.label == "Ein Fahrrad oder ein Auto reparieren" and repair.image == "img/like-repair-vehicle.svg"
    assert "| `like-repair-vehicle.svg` | mechanic |" in attribution
    openmoji = {line.split("`")[1] for line in attribution.splitlines() if line.startswith("| `")}
    used = {x.removeprefix("img/") for f in v3.fields for x in (f.image, *(c.image for c in f.choices + f.rows)) if x}
    assert openmoji <= used
