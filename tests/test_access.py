"""Every route declares who may use it; the whole URL map is checked against one matrix, role by role."""
from __future__ import annotations

import pytest
from flask import request

from proconnect.access import PUBLIC, REFUSED, allow
from staff_helpers import ACCOUNTS, people, seed, staff  # noqa: F401

STAFF = {"admin", "coordinator", "trainer", "mentor"}
COORDINATION = {"admin", "coordinator"}

#: endpoint -> roles allowed (PUBLIC: anyone). A new route without an entry here fails the suite.
ACCESS_MATRIX: dict[str, set[str]] = {
    "static": {PUBLIC},
    "index": {PUBLIC},
    "responses.fill": {PUBLIC},
    "responses.thanks": {PUBLIC},
    "responses.asset": {PUBLIC},
    "distribution.service_worker": {PUBLIC},
    "distribution.sync": {PUBLIC},
    "distribution.check": {PUBLIC},
    "distribution.manifest": {PUBLIC},
    "favicon": {PUBLIC},
    "distribution.staff": {PUBLIC},
    "admin.link_create": COORDINATION,
    "admin.link_revoke": COORDINATION,
    "admin.link_qr": COORDINATION,
    "admin.link_poster": COORDINATION,
    "admin.cohort_cards": COORDINATION,
    "admin.test_answers": COORDINATION,
    "admin.test_answers_delete": COORDINATION,
    "authoring.index": COORDINATION,
    "authoring.version": COORDINATION,
    "authoring.upload": COORDINATION,
    "authoring.download": COORDINATION,
    "authoring.publish": COORDINATION,
    "authoring.discard": COORDINATION,
    "authoring.test_link": COORDINATION,
    "authoring.preview": COORDINATION,
    "authoring.preview_frame": COORDINATION,
    "recordings.version": COORDINATION,
    "recordings.page": COORDINATION,
    "recordings.upload": COORDINATION,
    "recordings.delete": COORDINATION,
    "recordings.invite": COORDINATION,
    "recordings.revoke": COORDINATION,
    # A volunteer's invitation link: no account; the signed link in the address is checked by the views.
    "recordings.invited": {PUBLIC},
    "recordings.invited_upload": {PUBLIC},
    "recordings.invited_delete": {PUBLIC},
    "recordings.audio": {PUBLIC},
    "accounts.login": {PUBLIC},
    "accounts.login_code": {PUBLIC},
    "accounts.set_password": {PUBLIC},
    "accounts.logout": STAFF,
    "accounts.password": STAFF,
    "handbook.index": STAFF,
    "handbook.page": STAFF,
    "admin.home": STAFF,
    "admin.cohorts": COORDINATION,
    "admin.cohort_new": COORDINATION,
    "admin.cohort": COORDINATION,
    "admin.cohort_edit": COORDINATION,
    "admin.participants": COORDINATION,
    "admin.participant": COORDINATION,
    "admin.participant_mentor": COORDINATION,
    "admin.participant_work_permission": COORDINATION,
    "admin.selection": COORDINATION,
    "admin.export": COORDINATION,
    "admin.erase": COORDINATION,
    "admin.responses": COORDINATION,
    "admin.selection": COORDINATION,
    "jobs.progress": COORDINATION,
    "jobs.download": COORDINATION,
    "admin.response": COORDINATION,
    "admin.response_correct": COORDINATION,
    "admin.response_void": COORDINATION,
    "admin.response_restore": COORDINATION,
    "admin.response_reassign": COORDINATION,
    "admin.response_review": COORDINATION,
    "admin.accounts": {"admin"},
    "admin.account_new": {"admin"},
    "admin.account": {"admin"},
    "admin.account_reset": {"admin"},
    "admin.account_two_factor_reset": {"admin"},
    "admin.two_factor": STAFF,
    "admin.two_factor_codes": STAFF,
    "admin.two_factor_off": STAFF,
    "admin.audit_log": {"admin"},
    "admin.sessions": {"admin", "trainer"},
    "admin.session_new": {"admin", "trainer"},
    "admin.session": {"admin", "trainer"},
    "admin.apprentices": {"admin", "mentor"},
    "admin.apprentice": {"admin", "mentor"},
    "matching.suggestions": COORDINATION,
    "matching.decide": COORDINATION,
    "matching.speed_dating": COORDINATION,
    "matching.pipeline_page": COORDINATION,
    "matching.hospitations": COORDINATION,
    # Company records are project-wide; readiness responses and typed names on them come from the person's cohorts.
    "companies.index": COORDINATION,
    "companies.create": COORDINATION,
    "companies.edit": COORDINATION,
    "companies.from_survey": COORDINATION,
    "companies.create_from_survey": COORDINATION,
    "companies.names": COORDINATION,
    "reports.index": COORDINATION,
    "reports.cohort": COORDINATION,
    "reports.cohort_pdf": COORDINATION,
    "reports.export_csv": COORDINATION,
    "reports.export_xlsx": COORDINATION,
    "reports.participants": COORDINATION,
    "reports.profile": COORDINATION,
    # A kept PDF's progress page and download: the feature that made it checked the cohort first.
    "jobs.progress": COORDINATION,
    "jobs.download": COORDINATION,
    "outbox.index": COORDINATION,
    "outbox.retry": COORDINATION,
    "outbox.send_now": COORDINATION,
    "outreach.index": COORDINATION,
    "outreach.remind": COORDINATION,
    "notifications.settings": COORDINATION,
    "api_keys.index": COORDINATION,
    "api_keys.revoke": COORDINATION,
    # The JSON API has no sessions: every call but the document carries an API token, checked by the API
    # itself (401 without one, 403 for a role that may not read it); see tests/test_api.py.
    "api.openapi": {PUBLIC},
    "api.cohorts": {PUBLIC},
    "api.instruments": {PUBLIC},
    "api.version": {PUBLIC},
    "api.responses": {PUBLIC},
    "api.aggregates": {PUBLIC},
    "api.not_found": {PUBLIC},
}

#: A value for each URL argument, so every route can be requested (real objects where the tests make them).
SAMPLE_ARGS = {"slug": "ol-2027", "code": "K7Q2-H", "token": "not-a-real-token-0123456789", "account_id": 1,
               "response_id": 1, "session_id": 1, "form_id": "everything", "name": "img/metal.svg",
               "filename": "style.css", "token_id": 1, "link_id": 1, "kind": "png", "fmt": "pdf", "key": "0123456789abcdef",
               "version": 1, "mail_id": 1, "file_type": "toml", "lang": "ps", "invitation_id": 1,
               "company_id": 1}
#: The account signing in for each role in the walk below.
VISITORS = {"anonymous": None, "admin": "admin1", "coordinator": "coord1", "trainer": "trainer1",
            "mentor": "mentor1"}


def test_every_route_has_the_rule_the_matrix_expects(app):
    from proconnect.access import rule_for
    with app.test_request_context():
        endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
        missing = sorted(endpoints - set(ACCESS_MATRIX))
        assert not missing, f"routes without an entry in ACCESS_MATRIX: {missing}"
        for endpoint in endpoints:
            assert rule_for(endpoint) == frozenset(ACCESS_MATRIX[endpoint]), endpoint


def _requests(app):
    """(endpoint, method, url) for every route, sign-out last (it ends the session being walked)."""
    with app.test_request_context():
        from flask import url_for
        rules = sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint == "accounts.logout", r.rule))
        for rule in rules:
            method = "GET" if "GET" in rule.methods else "POST"
            url = url_for(rule.endpoint, **{a: SAMPLE_ARGS.get(a, "x") for a in rule.arguments})
            yield rule.endpoint, method, url


@pytest.mark.parametrize("visitor", list(VISITORS))
def test_each_role_gets_exactly_the_routes_the_matrix_gives_it(app, people, seed, staff, visitor):
    """Walk the whole URL map as an anonymous visitor and as each role; refused means 403 (or sign-in)."""
    @app.after_request
    def _tell(response):
        # Tells a refusal by the rule apart from a view's own 403/404 for an object (a closed link, ...).
        response.headers["X-Refused-By-Rule"] = "yes" if request.environ.get(REFUSED) else "no"
        return response

    seed(people["ol-2027"])
    # Forms are sent without a token here; the CSRF check has its own tests.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    browser = staff(VISITORS[visitor])
    wrong = []
    for endpoint, method, url in _requests(app):
        allowed = PUBLIC in ACCESS_MATRIX[endpoint] or visitor in ACCESS_MATRIX[endpoint]
        response = browser.client.open(url, method=method)
        refused = response.headers["X-Refused-By-Rule"] == "yes"
        status = response.status_code
        response.close()  # static files are streamed from an open file
        if status >= 500:
            wrong.append(f"{method} {url}: server error {status}")
        elif allowed and refused:
            wrong.append(f"{method} {url}: refused ({status}) but the matrix allows {visitor}")
        elif not allowed and not refused:
            wrong.append(f"{method} {url}: {status}, not refused for {visitor}")
        elif not allowed and visitor == "anonymous" and not response.headers.get("Location", "").startswith("/login"):
            wrong.append(f"{method} {url}: {status} instead of the sign-in page")
        elif not allowed and visitor != "anonymous" and status != 403:
            wrong.append(f"{method} {url}: {status} instead of 403 for {visitor}")
    assert not wrong, "\n".join(wrong)


def test_the_walk_covers_every_role_of_the_accounts(people):
    assert set(VISITORS) - {"anonymous"} == set(ACCOUNTS.values())


def test_a_route_without_a_rule_is_refused(app, client):
    app.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    page = client.get("/forgotten")
    assert page.status_code == 403 and "secret" not in page.get_data(as_text=True)


def test_a_staff_route_sends_an_anonymous_visitor_to_the_sign_in_page(app, client):
    app.add_url_rule("/staff-only", "staff_only", allow("coordinator")(lambda: "figures"))
    page = client.get("/staff-only")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login?next=/staff-only")
    assert "figures" not in page.get_data(as_text=True)


def test_database_ids_in_addresses_are_bounded(app, people, staff):
    """``<int:>`` takes any size and PostgreSQL's integer overflows (a server error): routes use ``<id:>``."""
    from werkzeug.routing import IntegerConverter
    unbounded = [rule.rule for rule in app.url_map.iter_rules()
                 for converter in rule._converters.values() if type(converter) is IntegerConverter]
    assert not unbounded
    assert staff("admin1").get("/staff/links/99999999999/qr.png").status_code == 404


def test_unknown_roles_are_a_programming_error():
    with pytest.raises(ValueError):
        allow("superuser")
