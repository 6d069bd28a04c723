"""Sections of a cohort's staff page that features contribute (distribution: "links", reports: "reports").

The staff pages (admin) draw them; the registry sits here, below every feature, so that a feature registers
its section without importing the staff pages above it.

A section is a template included on the cohort page with ``cohort``, ``figures`` and
``section`` (the dict its context function returned) in its context. Register one with ``cohort_section("links", "distribution/_cohort_links.html", order=20)``;
registering an existing name replaces that section.
"""
from __future__ import annotations

from typing import Callable

#: name -> (order, template, context function taking the cohort and returning extra template variables)
COHORT_SECTIONS: dict[str, tuple[int, str, Callable | None]] = {}


def cohort_section(name: str, template: str, order: int = 50, context: Callable | None = None) -> None:
    """Show ``template`` on every cohort page, sorted by ``order``."""
    COHORT_SECTIONS[name] = (order, template, context)


def sections_for(cohort) -> list[tuple[str, dict]]:
    """(template, extra context) of each section, in order."""
    return [(template, context(cohort) if context else {})
            for _order, template, context in sorted(COHORT_SECTIONS.values(), key=lambda s: s[0])]
