"""URL rules of distribution: the kiosk's service worker, offline queue, staff PIN screen (the coordinators'
link and card pages are staff pages: admin/views/links.py)."""
from flask import Blueprint

from ..extensions import csrf
from ..responses.views import show_kiosks_with
from . import kiosk

bp = Blueprint("distribution", __name__, template_folder="templates")
# At the root, so the worker's scope covers /f/... and /static/... (a worker controls only pages below it).
bp.add_url_rule("/sw.js", view_func=kiosk.service_worker)
bp.add_url_rule("/f/<token>/sync", view_func=kiosk.sync, methods=["POST"])
bp.add_url_rule("/f/<token>/manifest.webmanifest", view_func=kiosk.manifest)
bp.add_url_rule("/f/<token>/check", view_func=kiosk.check, methods=["POST"])
bp.add_url_rule("/f/<token>/staff", view_func=kiosk.staff, methods=["GET", "POST"])
# A kiosk link opens at the web form's address, which then shows the kiosk's screens.
bp.record_once(lambda state: show_kiosks_with(state.app, kiosk.SCREENS))
# A queued submission may be sent hours later, when its page's CSRF token has expired; the sync
# endpoint requires a custom header instead, which no other site can send without CORS (see kiosk.py).
csrf.exempt(kiosk.sync)
# The screen check stores nothing and needs the same header (a page open longer than its token lives asks too).
csrf.exempt(kiosk.check)
