"""URL rules of the coordinators' report pages."""
from flask import Blueprint

from . import views

bp = Blueprint("reports", __name__, template_folder="templates", url_prefix="/reports")
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/<slug>", view_func=views.cohort)
bp.add_url_rule("/<slug>/report.pdf", "cohort_pdf", view_func=views.cohort_pdf_view)
bp.add_url_rule("/<slug>/responses.csv", view_func=views.export_csv)
bp.add_url_rule("/<slug>/responses.xlsx", view_func=views.export_xlsx)
bp.add_url_rule("/<slug>/participants", view_func=views.participants)
bp.add_url_rule("/<slug>/participants/<code:code>/profile.pdf", view_func=views.profile)
