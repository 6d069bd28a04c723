"""URL rules of the recordings: staff pages under a version's address, a volunteer's under ``/record``."""
from flask import Blueprint

from ..file_uploads import receives_files
from . import views

bp = Blueprint("recordings", __name__, template_folder="templates")
rule = bp.add_url_rule
VERSION = "/staff/forms/<form_id>/v<id:version>/recordings"

rule(VERSION, view_func=views.version)
rule(f"{VERSION}/invitations", view_func=views.invite, methods=["POST"])
rule(f"{VERSION}/<lang>", view_func=views.page)
rule(f"{VERSION}/<lang>/<key>", view_func=receives_files(views.upload, "RECORDING_MAX_BYTES"), methods=["POST"])
rule(f"{VERSION}/<lang>/<key>/delete", view_func=views.delete, methods=["POST"])
rule("/staff/recordings/invitations/<id:invitation_id>/revoke", view_func=views.revoke, methods=["POST"])

rule("/record/<token>", view_func=views.invited)
rule("/record/<token>/<key>", view_func=receives_files(views.invited_upload, "RECORDING_MAX_BYTES"),
     methods=["POST"])
rule("/record/<token>/<key>/delete", view_func=views.invited_delete, methods=["POST"])

rule("/recordings/<form_id>/<lang>/<filename>", view_func=views.audio)
