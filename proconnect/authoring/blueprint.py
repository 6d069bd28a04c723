"""URL rules of the instruments area (under /staff/forms)."""
from flask import Blueprint

from . import views

bp = Blueprint("authoring", __name__, url_prefix="/staff/forms", template_folder="templates")
rule = bp.add_url_rule

rule("", view_func=views.index)
rule("/<form_id>/v<id:version>", view_func=views.version)
