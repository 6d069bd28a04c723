"""URL rules of the match-making pages (staff only)."""
from flask import Blueprint

from . import views

bp = Blueprint("matching", __name__, url_prefix="/staff/cohorts/<slug>/matching", template_folder="templates")
bp.add_url_rule("", view_func=views.suggestions)
bp.add_url_rule("/decide", view_func=views.decide, methods=["POST"])
bp.add_url_rule("/speed-dating", view_func=views.speed_dating)
bp.add_url_rule("/pipeline", view_func=views.pipeline_page)
bp.add_url_rule("/hospitations", view_func=views.hospitations, methods=["GET", "POST"])
