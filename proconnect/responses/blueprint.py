"""URL rules of the response pages."""
from flask import Blueprint

from ..extensions import csrf
from . import views

bp = Blueprint("responses", __name__, template_folder="templates")
bp.add_url_rule("/f/<token>", view_func=views.fill, methods=["GET", "POST"])
bp.add_url_rule("/f/<token>/thanks", view_func=views.thanks)
bp.add_url_rule("/assets/<form_id>/<path:name>", view_func=views.asset)
# The form checks its own CSRF token, so an expired token re-renders the page with every answer kept.
csrf.exempt(views.fill)
