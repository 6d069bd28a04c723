"""URL rules of the staff pages (all under /staff)."""
from flask import Blueprint

from .views import auditlog, cohorts, corrections, links, participants, people, roles, test_answers, two_factor


bp = Blueprint("admin", __name__, url_prefix="/staff", template_folder="templates")
rule = bp.add_url_rule
GET_POST = ["GET", "POST"]

rule("/", view_func=cohorts.home)
rule("/cohorts", view_func=cohorts.cohorts)
rule("/cohorts/new", view_func=cohorts.cohort_new, methods=GET_POST)
rule("/cohorts/<slug>", view_func=cohorts.cohort)
rule("/cohorts/<slug>/edit", view_func=cohorts.cohort_edit, methods=GET_POST)

# A cohort's links and cards (the cohort page shows them as its "links" section).
rule("/cohorts/<slug>/links/new", view_func=links.link_create, methods=["POST"])
rule("/cohorts/<slug>/cards", view_func=links.cohort_cards, methods=["POST"])
rule("/cohorts/<slug>/test-answers", view_func=test_answers.test_answers)
rule("/cohorts/<slug>/test-answers/delete", view_func=test_answers.test_answers_delete, methods=["POST"])
rule("/links/<id:link_id>/revoke", view_func=links.link_revoke, methods=["POST"])
rule("/links/<id:link_id>/qr.<any(png, svg):kind>", view_func=links.link_qr)
rule("/links/<id:link_id>/poster.pdf", view_func=links.link_poster)
bp.record_once(links.register_section)

rule("/cohorts/<slug>/participants", view_func=participants.participants)
rule("/cohorts/<slug>/participants/selection", view_func=participants.selection, methods=["POST"])
rule("/cohorts/<slug>/participants/<code:code>", view_func=participants.participant)
rule("/cohorts/<slug>/participants/<code:code>/mentor", view_func=participants.participant_mentor, methods=["POST"])
rule("/cohorts/<slug>/participants/<code:code>/work-permission", view_func=participants.participant_work_permission,
     methods=["POST"])
rule("/cohorts/<slug>/participants/<code:code>/export.<fmt>", view_func=participants.export)
rule("/cohorts/<slug>/participants/<code:code>/erase", view_func=participants.erase, methods=GET_POST)
rule("/cohorts/<slug>/responses", view_func=participants.responses)
rule("/cohorts/<slug>/responses/<id:response_id>", view_func=corrections.response)
rule("/cohorts/<slug>/responses/<id:response_id>/correct", view_func=corrections.response_correct, methods=GET_POST)
rule("/cohorts/<slug>/responses/<id:response_id>/void", view_func=corrections.response_void, methods=["POST"])
rule("/cohorts/<slug>/responses/<id:response_id>/restore", view_func=corrections.response_restore, methods=["POST"])
rule("/cohorts/<slug>/responses/<id:response_id>/reassign", view_func=corrections.response_reassign,
     methods=["POST"])
rule("/cohorts/<slug>/responses/<id:response_id>/review", view_func=corrections.response_review, methods=["POST"])

rule("/accounts", view_func=people.accounts)
rule("/accounts/new", view_func=people.account_new, methods=GET_POST)
rule("/accounts/<id:account_id>", view_func=people.account, methods=GET_POST)
rule("/accounts/<id:account_id>/reset", view_func=people.account_reset, methods=["POST"])
rule("/accounts/<id:account_id>/two-factor/reset", view_func=people.account_two_factor_reset, methods=["POST"])
rule("/audit", view_func=auditlog.audit_log)

# One's own account: two-factor sign-in.
rule("/account/two-factor", view_func=two_factor.two_factor, methods=GET_POST)
rule("/account/two-factor/recovery-codes", view_func=two_factor.two_factor_codes, methods=["POST"])
rule("/account/two-factor/off", view_func=two_factor.two_factor_off, methods=["POST"])

rule("/sessions", view_func=roles.sessions)
rule("/sessions/new", view_func=roles.session_new, methods=GET_POST)
rule("/sessions/<id:session_id>", view_func=roles.session)
rule("/apprentices", view_func=roles.apprentices)
rule("/apprentices/<slug>/<code:code>", view_func=roles.apprentice)
