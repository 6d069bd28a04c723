"""URL rules of the JSON API (``/api/v1``)."""
from flask import Blueprint

from . import keys, views

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.add_url_rule("/openapi.json", view_func=views.openapi)
bp.add_url_rule("/cohorts", view_func=views.cohorts)
bp.add_url_rule("/instruments", view_func=views.instruments)
bp.add_url_rule("/instruments/<path:form_id>/versions/<number>", view_func=views.version)
bp.add_url_rule("/responses", view_func=views.responses)
bp.add_url_rule("/aggregates", view_func=views.aggregates)
bp.add_url_rule("/<path:rest>", view_func=views.not_found)


@bp.after_request
def _no_store(response):
    # Answers about people: no cache (browser or proxy) may keep them.
    response.headers["Cache-Control"] = "no-store"
    return response


#: The web pages where people manage their API tokens (outside /reports/<slug>, so no cohort slug clashes).
keys_bp = Blueprint("api_keys", __name__, url_prefix="/api-keys")
keys_bp.add_url_rule("/", "index", view_func=keys.keys, methods=["GET", "POST"])
keys_bp.add_url_rule("/<id:token_id>/revoke", "revoke", view_func=keys.revoke, methods=["POST"])
