"""Every route declares who may use it; the whole URL map is checked against one matrix."""
from __future__ import annotations

import pytest

from proconnect.access import PUBLIC, allow

#: endpoint -> roles allowed (PUBLIC: anyone). A new route without an entry here fails the suite.
ACCESS_MATRIX: dict[str, set[str]] = {
    "static": {PUBLIC},
    "index": {PUBLIC},
    "responses.fill": {PUBLIC},
    "responses.thanks": {PUBLIC},
    "responses.asset": {PUBLIC},
}


def test_every_route_has_the_rule_the_matrix_expects(app):
    from proconnect.access import rule_for
    with app.test_request_context():
        endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
        missing = sorted(endpoints - set(ACCESS_MATRIX))
        assert not missing, f"routes without an entry in ACCESS_MATRIX: {missing}"
        for endpoint in endpoints:
            assert rule_for(endpoint) == frozenset(ACCESS_MATRIX[endpoint]), endpoint


def test_a_route_without_a_rule_is_refused(app, client):
    app.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    page = client.get("/forgotten")
    assert page.status_code == 403 and "secret" not in page.get_data(as_text=True)


def test_a_staff_route_refuses_an_anonymous_visitor(app, client):
    app.add_url_rule("/staff-only", "staff_only", allow("coordinator")(lambda: "figures"))
    page = client.get("/staff-only")
    assert page.status_code in (302, 401) and "figures" not in page.get_data(as_text=True)


def test_unknown_roles_are_a_programming_error():
    with pytest.raises(ValueError):
        allow("superuser")
