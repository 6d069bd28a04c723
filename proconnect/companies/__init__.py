"""Company records (project-wide), the staff pages that keep them, and the choice of a company in forms.

``init_app`` runs before the forms are loaded: it registers the records as the source of
``choices_from = "companies"`` (the loader checks that name) and tells links that a company's personal link
knows its company.
"""
from __future__ import annotations

from ..fieldtypes import register_source
from ..links.prefill import prefill_with
from .blueprint import bp
from .links import company_values, listed_record
from .source import NAME, SOURCE, company_names


def init_app(app) -> None:
    """Company records as a source of choices and the company of a personal link (before the forms load)."""
    register_source(NAME, SOURCE)
    prefill_with(app, company_values)


def register_pages(app) -> None:
    """The staff pages (once the app's URL converters exist)."""
    app.register_blueprint(bp)


__all__ = ["company_names", "init_app", "listed_record", "register_pages"]
