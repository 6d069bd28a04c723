"""The shipped form definitions (the repository's ``forms/``), for tests that read them or start the app on them.

Import with ``from shipped_forms import FORMS, shipped_registry``; a module whose app starts with the shipped
forms instead of the fixture forms imports the fixture: ``from shipped_forms import forms_dir  # noqa: F401``.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from proconnect.companies.source import NAME, SOURCE
from proconnect.definitions.registry import Registry, load_registry
from proconnect.fieldtypes import register_source

FORMS = Path(__file__).parent.parent / "forms"


@pytest.fixture
def forms_dir() -> Path:
    """The shipped forms, in place of conftest's fixture forms, for the ``app`` fixture to start with."""
    return FORMS


def shipped_registry() -> Registry:
    """Every shipped form; the company records are registered as a source of choices first, as
    ``companies.init_app`` does before an app loads its forms (the outcome and hospitation forms choose from them)."""
    register_source(NAME, SOURCE)
    return load_registry(FORMS)
