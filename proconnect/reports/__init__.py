"""Cohort reports, participant profile sheets, CSV/XLSX exports and the read-only JSON API."""
from __future__ import annotations

from ..cohorts.sections import cohort_section
from .api import bp as api_bp, keys_bp
from .blueprint import bp


def init_app(app) -> None:
    """Register the report pages, the API, and the reports section on each cohort page of the dashboard."""
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(keys_bp)
    cohort_section("reports", "reports/_cohort_section.html", order=30)
