"""URL rules of distribution: the kiosk's service worker, offline queue, staff PIN screen."""
from flask import Blueprint

from ..extensions import csrf
from . import kiosk

bp = Blueprint("distribution", __name__, template_folder="templates")
# At the root, so the worker's scope covers /f/... and /static/... (a worker controls only pages below it).
bp.add_url_rule("/sw.js", view_func=kiosk.service_worker)
bp.add_url_rule("/f/<token>/sync", view_func=kiosk.sync, methods=["POST"])
bp.add_url_rule("/f/<token>/staff", view_func=kiosk.staff, methods=["GET", "POST"])
# A queued submission may be sent hours later, when its page's CSRF token has expired; the sync
# endpoint requires a custom header instead, which no other site can send without CORS (see kiosk.py).
csrf.exempt(kiosk.sync)
bp.add_app_template_global(kiosk.kiosk_conditions)
bp.add_app_template_global(kiosk.kiosk_audio)
