"""The shipped form definitions, loaded as the app loads them, for tests that read forms without an app.

Import with ``from shipped_forms import FORMS, shipped_registry``.
"""
from __future__ import annotations

from pathlib import Path

from proconnect.companies.source import NAME, SOURCE
from proconnect.definitions.registry import Registry, load_registry
from proconnect.fieldtypes import register_source

FORMS = Path(__file__).parent.parent / "forms"


def shipped_registry() -> Registry:
    """Every shipped form; the company records are registered as a source of choices first, as
    ``companies.init_app`` does before an app loads its forms (the outcome and hospitation forms choose from them)."""
    register_source(NAME, SOURCE)
    return load_registry(FORMS)
