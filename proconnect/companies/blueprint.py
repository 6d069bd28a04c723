"""URL rules of the company records' staff pages (coordinators and admins)."""
from flask import Blueprint

from . import views

bp = Blueprint("companies", __name__, url_prefix="/staff/companies", template_folder="templates")
bp.add_url_rule("", view_func=views.index)
bp.add_url_rule("/new", view_func=views.create, methods=["GET", "POST"])
bp.add_url_rule("/<id:company_id>", view_func=views.edit, methods=["GET", "POST"])
bp.add_url_rule("/from-survey", view_func=views.from_survey)
bp.add_url_rule("/from-survey/<id:response_id>", view_func=views.create_from_survey, methods=["POST"])
bp.add_url_rule("/names", view_func=views.names, methods=["GET", "POST"])
