"""URL rules of signing in and out and of passwords."""
from flask import Blueprint

from . import views

bp = Blueprint("accounts", __name__, template_folder="templates")
bp.add_url_rule("/login", view_func=views.login, methods=["GET", "POST"])
bp.add_url_rule("/login/code", view_func=views.login_code, methods=["GET", "POST"])
bp.add_url_rule("/logout", view_func=views.logout, methods=["POST"])
bp.add_url_rule("/account/password", view_func=views.password, methods=["GET", "POST"])
bp.add_url_rule("/account/set-password/<token>", view_func=views.set_password, methods=["GET", "POST"])
