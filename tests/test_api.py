"""The read-only JSON API: token sign-in, scope, paging, aggregates, and schemathesis against its OpenAPI document."""
from __future__ import annotations

import threading
from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from werkzeug.serving import make_server

from proconnect import forms_registry
from proconnect.accounts.models import CohortMember, User
from proconnect.cohorts.models import Cohort
from proconnect.extensions import db
from proconnect.reports.api.models import ApiToken
from proconnect.reports.demo import fill_demo

# The API is read by partners on the real instruments.
from shipped_forms import forms_dir  # noqa: F401


@pytest.fixture
def world(app):
    """Two cohorts with demo answers; a coordinator of the first, a trainer; a token for each."""
    with app.app_context():
        registry = forms_registry(app)
        ol, dh = Cohort(slug="ol-2027", title="Oldenburg 2027"), Cohort(slug="dh-2027", title="Delmenhorst 2027")
        db.session.add_all([ol, dh])
        coordinator = User(username="coord", role="coordinator", password_hash="x", must_change_password=False)
        trainer = User(username="trainer", role="trainer", password_hash="x", must_change_password=False)
        admin = User(username="boss", role="admin", password_hash="x", must_change_password=False)
        db.session.add_all([coordinator, trainer, admin])
        db.session.flush()
        db.session.add(CohortMember(account_id=coordinator.id, cohort_id=ol.id))
        tokens = {}
        for user in (coordinator, trainer, admin):
            row, tokens[user.username] = ApiToken.issue(user, "test")
            db.session.add(row)
        db.session.commit()
        counts = fill_demo(registry, ol, participants=6, seed=3, today=date(2027, 5, 1))
        fill_demo(registry, dh, participants=2, seed=4, today=date(2027, 5, 1))
        return {"tokens": tokens, "counts": counts}


def call(client, path, token=None, **query):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(f"/api/v1{path}", query_string=query, headers=headers)


def test_every_call_needs_a_valid_token(client, world):
    for token in (None, "pcapi_not-a-real-token"):
        answer = call(client, "/cohorts", token)
        assert answer.status_code == 401 and answer.is_json and "token" in answer.json["error"]
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    wrong_scheme = client.get("/api/v1/cohorts", headers={"Authorization": f"Basic {world['tokens']['coord']}"})
    assert wrong_scheme.status_code == 401


def test_a_token_reads_what_its_owner_may_read(client, world):
    cohorts = call(client, "/cohorts", world["tokens"]["coord"]).json["items"]
    assert [c["slug"] for c in cohorts] == ["ol-2027"]
    assert cohorts[0]["responses"] == sum(world["counts"].values())
    assert call(client, "/responses", world["tokens"]["coord"], cohort="dh-2027").status_code == 404
    everything = call(client, "/cohorts", world["tokens"]["boss"]).json["items"]
    assert {c["slug"] for c in everything} == {"ol-2027", "dh-2027"}
    refused = call(client, "/cohorts", world["tokens"]["trainer"])
    assert refused.status_code == 403 and refused.is_json


def test_a_revoked_token_stops_working_at_once(app, client, world):
    token = world["tokens"]["coord"]
    assert call(client, "/cohorts", token).status_code == 200
    with app.app_context():
        from proconnect.models_util import utcnow
        db.session.scalars(db.select(ApiToken).join(User).where(User.username == "coord")).one().revoked_at = utcnow()
        db.session.commit()
    assert call(client, "/cohorts", token).status_code == 401


def test_only_a_hash_of_the_token_is_stored(app, world):
    with app.app_context():
        stored = [(t.token_hash, t.hint) for t in db.session.scalars(db.select(ApiToken))]
    for token in world["tokens"].values():
        assert all(token != h and len(h) == 64 for h, _ in stored)
        assert any(token.startswith(hint) for _, hint in stored)


def test_instruments_and_a_versions_codebook(client, world):
    token = world["tokens"]["coord"]
    items = {i["id"]: i for i in call(client, "/instruments", token).json["items"]}
    assert {"competence-check", "outcome", "company-readiness", "training-feedback", "mentor-log"} <= set(items)
    latest = items["outcome"]["latest"]
    codebook = call(client, f"/instruments/outcome/versions/{latest}", token).json
    status = next(c for c in codebook["columns"] if c["name"] == "status")
    assert "apprenticeship=Ausbildung begonnen" in status["values"] and status["type"] == "single"
    assert call(client, "/instruments/outcome/versions/99", token).status_code == 404
    assert call(client, "/instruments/nothing/versions/1", token).json["error"].startswith("no instrument")


def test_responses_come_page_by_page_with_filters(client, world):
    token = world["tokens"]["coord"]
    total = sum(world["counts"].values())
    first = call(client, "/responses", token, cohort="ol-2027", per_page=10).json
    assert (first["total"], first["pages"], len(first["items"])) == (total, -(-total // 10), 10)
    seen = [r["id"] for r in first["items"]]
    page = first
    while page["next"]:
        page = client.get(page["next"], headers={"Authorization": f"Bearer {token}"}).json
        seen += [r["id"] for r in page["items"]]
    assert len(seen) == len(set(seen)) == total and seen == sorted(seen)
    outcomes = call(client, "/responses", token, cohort="ol-2027", instrument="outcome", per_page=500).json
    assert outcomes["total"] == world["counts"]["outcome"]
    assert all(r["instrument"] == "outcome" and r["answers"]["status"] for r in outcomes["items"])
    assert all(r["participant_code"] for r in outcomes["items"])
    assert call(client, "/responses", token, cohort="ol-2027", version=99).json["total"] == 0
    late = call(client, "/responses", token, cohort="ol-2027", **{"from": "2030-01-01"}).json
    assert late["total"] == 0 and late["items"] == [] and late["next"] is None


@pytest.mark.parametrize("query, message", [
    ({}, "cohort: required"), ({"cohort": "ol-2027", "from": "gestern"}, "from: expected a date"),
    ({"cohort": "ol-2027", "per_page": "501"}, "per_page: expected a whole number from 1 to 500"),
    ({"cohort": "ol-2027", "instrument": "nope"}, "instrument: no instrument"),
    ({"cohort": "ol-2027", "page": "²"}, "page: expected a whole number"),
    ({"cohort": "ol-2027", "per_page": "9" * 5000}, "per_page: expected a whole number"),
    ({"cohort": "ol-2027", "version": "²"}, "version: expected a whole number"),
    ({"cohort": "ol-2027", "version": "99999999999"}, "version: expected a whole number"),
])
def test_a_bad_parameter_is_named_in_a_400(client, world, query, message):
    answer = call(client, "/responses", world["tokens"]["coord"], **query)
    assert answer.status_code == 400 and answer.json["error"].startswith(message)


@pytest.mark.parametrize("path", ["/responses", "/aggregates"])
@pytest.mark.parametrize("query, name", [
    ({"cohort": "ol-2027\x00"}, "cohort"), ({"cohort": "ol-2027", "instrument": "competence_check\x00"}, "instrument"),
    ({"cohort": "ol-2027", "from": "2027-01-01\x1f"}, "from"), ({"cohort": "ol-2027", "language": "de\x00"}, "language"),
])
def test_a_control_character_in_a_parameter_is_named_in_a_400(client, world, path, query, name):
    # PostgreSQL refuses a NUL in a query: a partner's broken call gets a named 400, never a 500.
    answer = call(client, path, world["tokens"]["coord"], **query)
    assert answer.status_code == 400 and answer.json["error"] == f"{name}: contains a control character"


def test_aggregates_are_the_report_model(app, client, world):
    token = world["tokens"]["coord"]
    data = call(client, "/aggregates", token, cohort="ol-2027").json
    assert data["cohort_slug"] == "ol-2027" and data["funnel"]["target"] == 0.75
    assert sum(b["count"] for b in data["responses"]) == sum(world["counts"].values())
    status = call(client, "/aggregates", token, cohort="ol-2027", instrument="outcome", funder="true").json
    assert status["funder"] is True
    for section in status["sections"]:
        for q in section["questions"]:
            assert q["texts"] == [] and all(b["count"] is None or b["count"] == 0 or b["count"] >= 5 for b in q["bars"])


def test_the_openapi_document_is_public_and_unknown_addresses_answer_in_json(client):
    doc = client.get("/api/v1/openapi.json")
    assert doc.status_code == 200 and doc.json["openapi"].startswith("3.0")
    assert set(doc.json["paths"]) == {"/cohorts", "/instruments", "/instruments/{instrument}/versions/{version}",
                                      "/responses", "/aggregates"}
    missing = client.get("/api/v1/nothing/here")
    assert missing.status_code == 404 and missing.is_json


def test_api_answers_are_never_cached(client, world):
    assert call(client, "/cohorts", world["tokens"]["coord"]).headers["Cache-Control"] == "no-store"


def test_api_keys_page_shows_a_new_key_once_and_revokes_it(app, world):
    from staff_helpers import Staff
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == "coord"))
        from werkzeug.security import generate_password_hash
        user.password_hash = generate_password_hash("a long and unusual test passphrase")
        db.session.commit()
    browser = Staff(app.test_client())
    assert browser.login("coord", "a long and unusual test passphrase").status_code == 302
    page = browser.post("/api-keys/", {"label": "Statistik"})
    html = page.get_data(as_text=True)
    import re
    token = re.search(r'class="code new-token">(pcapi_[^<]+)<', html).group(1)
    assert call(app.test_client(), "/cohorts", token).status_code == 200
    assert token not in browser.get("/api-keys/").get_data(as_text=True)
    with app.app_context():
        row = db.session.scalar(db.select(ApiToken).where(ApiToken.label == "Statistik"))
    assert browser.post(f"/api-keys/{row.id}/revoke").status_code == 302
    assert call(app.test_client(), "/cohorts", token).status_code == 401


class LiveServer:
    """The app served by werkzeug on 127.0.0.1 (a free port) in a thread, for schemathesis."""

    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.thread.join()


@pytest.fixture
def live(app, world):
    server = LiveServer(app)
    server.token = world["tokens"]["coord"]
    yield server
    server.stop()


def test_the_api_keeps_to_its_openapi_document(live):
    """Schemathesis reads the document from the running app and calls every operation with generated
    parameters: no server error, and no answer that contradicts the document."""
    schema = schemathesis.openapi.from_url(f"{live.url}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 5
    headers = {"Authorization": f"Bearer {live.token}"}
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(headers=headers)
        check()
