"""URL rules of the instruments area (under /staff/forms)."""
from flask import Blueprint

from ..file_uploads import receives_files
from . import views

bp = Blueprint("authoring", __name__, url_prefix="/staff/forms", template_folder="templates")
rule = bp.add_url_rule
VERSION = "/<form_id>/v<id:version>"

rule("", view_func=views.index)
rule("/upload", view_func=receives_files(views.upload, "DEFINITION_MAX_BYTES"), methods=["POST"])
rule(VERSION, view_func=views.version)
rule(f"{VERSION}.<any(toml, xlsx):file_type>", view_func=views.download)
rule(f"{VERSION}/publish", view_func=views.publish, methods=["POST"])
rule(f"{VERSION}/discard", view_func=views.discard, methods=["POST"])
rule(f"{VERSION}/test-link", view_func=views.test_link, methods=["POST"])
rule(f"{VERSION}/preview", view_func=views.preview)
rule(f"{VERSION}/preview/frame", view_func=views.preview_frame)
