"""URL rules of distribution: the kiosk's service worker, offline queue, staff PIN screen."""
from flask import Blueprint

from ..extensions import csrf
from ..responses.views import show_kiosks_with
from . import kiosk, staff

bp = Blueprint("distribution", __name__, template_folder="templates")
# At the root, so the worker's scope covers /f/... and /static/... (a worker controls only pages below it).
bp.add_url_rule("/sw.js", view_func=kiosk.service_worker)
bp.add_url_rule("/f/<token>/sync", view_func=kiosk.sync, methods=["POST"])
bp.add_url_rule("/f/<token>/staff", view_func=kiosk.staff, methods=["GET", "POST"])
# A kiosk link opens at the web form's address, which then shows the kiosk's screens.
bp.record_once(lambda state: show_kiosks_with(state.app, kiosk.SCREENS))
# A queued submission may be sent hours later, when its page's CSRF token has expired; the sync
# endpoint requires a custom header instead, which no other site can send without CORS (see kiosk.py).
csrf.exempt(kiosk.sync)
# The coordinators' pages (under the staff area; the cohort page shows the links section).
bp.add_url_rule("/staff/cohorts/<slug>/links/new", view_func=staff.link_create, methods=["POST"])
bp.add_url_rule("/staff/cohorts/<slug>/cards", view_func=staff.cohort_cards, methods=["POST"])
bp.add_url_rule("/staff/links/<id:link_id>/revoke", view_func=staff.link_revoke, methods=["POST"])
bp.add_url_rule("/staff/links/<id:link_id>/qr.<any(png, svg):kind>", view_func=staff.link_qr)
bp.add_url_rule("/staff/links/<id:link_id>/poster.pdf", view_func=staff.link_poster)
bp.record_once(staff.register_section)
