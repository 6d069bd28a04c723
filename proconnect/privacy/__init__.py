"""Data protection: a participant's data exported and erased, retention per cohort."""
from __future__ import annotations

from flask import Blueprint

#: Only templates (the PDF export); the routes live in the staff dashboard.
bp = Blueprint("privacy", __name__, template_folder="templates")
