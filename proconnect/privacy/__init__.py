"""Data protection: a participant's data exported and erased, retention per cohort."""
from __future__ import annotations

from flask import Blueprint


def init_app(app) -> None:
    """Templates and filters of the PDF export (the routes live in the staff dashboard)."""
    from ..pdf import clean, direction
    app.register_blueprint(Blueprint("privacy", __name__, template_folder="templates"))
    app.add_template_filter(clean, "pdf_clean")
    app.add_template_filter(direction, "pdf_direction")
