"""Sign-in guessing behind the documented reverse proxy: the real client is counted (trusted proxies), and an
account's holder still signs in from a browser that signed in before while a guesser is throttled (device
cookies, OWASP)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from proconnect import web
from proconnect.accounts.devices import COOKIE
from proconnect.audit.models import AuditEvent
from proconnect.config import trusted_proxies
from proconnect.extensions import db
from staff_helpers import CSRF, PASSWORD, people, staff  # noqa: F401

WRONG_PASSWORD = "wrong wrong wrong"
GUESSER, COORDINATOR, ELSEWHERE = "203.0.113.9", "198.51.100.7", "192.0.2.44"


@pytest.fixture
def proxied(app):
    """The app as the README deploys it: one reverse proxy in front (``TRUSTED_PROXIES = 1``); every request
    reaches the app from the proxy's address, 127.0.0.1."""
    app.config["TRUSTED_PROXIES"] = 1
    web.trust_proxies(app)
    return app


def at(browser, address: str):
    """``browser`` as a client at ``address``, as the proxy reports it."""
    browser.client.environ_base["HTTP_X_FORWARDED_FOR"] = address
    return browser


def audit_addresses(app, action: str) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.ip).filter_by(action=action).order_by(AuditEvent.id)))


def test_behind_the_proxy_one_guesser_does_not_lock_out_the_other_staff(proxied, people, staff):
    guesser = at(staff(), GUESSER)
    for name in ("coord2", "mentor1", "mentor2", "trainer1") * 5:
        assert guesser.login(name, WRONG_PASSWORD).status_code == 200
    assert guesser.login("admin1", WRONG_PASSWORD).status_code == 429
    assert at(staff(), COORDINATOR).login("coord1").status_code == 302


def test_behind_the_proxy_the_audit_log_and_the_session_know_the_real_client(proxied, people, staff):
    at(staff(), GUESSER).login("coord1", WRONG_PASSWORD)
    assert audit_addresses(proxied, "login_failed") == [GUESSER]
    coordinator = at(staff(), COORDINATOR)
    assert coordinator.login("coord1").status_code == 302
    assert audit_addresses(proxied, "login") == [COORDINATOR]
    assert coordinator.get("/staff/").status_code == 200
    # The same cookie from another client is a stolen one, even though both come through the proxy.
    assert at(coordinator, ELSEWHERE).get("/staff/").headers["Location"].startswith("/login")


def test_behind_the_proxy_an_address_the_client_wrote_itself_is_ignored(proxied, people, staff):
    proxied.config["LOGIN_LIMIT_PER_IP"] = "3 per 15 minutes"
    guesser = staff()
    for n, name in enumerate(("coord2", "mentor1", "mentor2")):
        # The proxy appends the address it was reached from to whatever the client sent.
        guesser.client.environ_base["HTTP_X_FORWARDED_FOR"] = f"198.51.100.{n}, {GUESSER}"
        assert guesser.login(name, WRONG_PASSWORD).status_code == 200
    assert guesser.login("trainer1").status_code == 429
    assert audit_addresses(proxied, "login_failed") == [GUESSER] * 3


def test_without_trusted_proxies_a_forwarded_address_is_ignored(app, people, staff):
    app.config["LOGIN_LIMIT_PER_IP"] = "3 per 15 minutes"
    guesser = staff()
    for n, name in enumerate(("coord2", "mentor1", "mentor2")):
        # A guesser writing a new address into the header each time is still one client.
        guesser.client.environ_base["HTTP_X_FORWARDED_FOR"] = f"198.51.100.{n}"
        assert guesser.login(name, WRONG_PASSWORD).status_code == 200
    assert guesser.login("trainer1").status_code == 429
    assert audit_addresses(app, "login_failed") == ["127.0.0.1"] * 3


@pytest.mark.parametrize("value", ["yes", "-1", "1.5", "6", True])
def test_trusted_proxies_is_a_small_number_or_start_up_stops(value):
    with pytest.raises(ValueError, match="TRUSTED_PROXIES must be the number of reverse proxies"):
        trusted_proxies(value)
    assert trusted_proxies("2") == 2 and trusted_proxies(0) == 0


def test_the_holder_signs_in_from_a_browser_that_signed_in_before_while_a_guesser_is_throttled(proxied, people,
                                                                                                staff):
    own = at(staff(), COORDINATOR)
    assert own.login("coord1").status_code == 302
    own.logout()
    guesser = at(staff(), GUESSER)
    for _ in range(5):
        assert guesser.login("coord1", WRONG_PASSWORD).status_code == 200
    # The account's count is full: a guesser, and a new browser even with the right password, must wait ...
    assert guesser.login("coord1").status_code == 429
    assert at(staff(), COORDINATOR).login("coord1").status_code == 429
    # ... but the browser coord1 signed in with before is counted on its own.
    assert own.login("coord1").status_code == 302


def test_a_device_cookie_that_fails_too_often_is_locked_out_itself(proxied, people, staff):
    own = at(staff(), COORDINATOR)
    assert own.login("coord1").status_code == 302
    own.logout()
    for _ in range(5):
        assert own.login("coord1", WRONG_PASSWORD).status_code == 200
    assert own.login("coord1").status_code == 429
    # Its failures filled neither the account's count nor the address's.
    assert at(staff(), COORDINATOR).login("coord1").status_code == 302


def test_a_device_cookie_counts_only_for_its_account_and_only_as_the_app_signed_it(proxied, people, staff):
    own = at(staff(), COORDINATOR)
    assert own.login("coord2").status_code == 302
    own.logout()
    cookie = own.client.get_cookie(COOKIE, path="/login")
    for _ in range(5):
        at(staff(), GUESSER).login("coord1", WRONG_PASSWORD)
    # coord2's cookie is no pass for coord1, and an altered cookie is none at all.
    assert own.login("coord1").status_code == 429
    forged = at(staff(), ELSEWHERE)
    forged.client.set_cookie(COOKIE, cookie.value[:-2] + "xx", path="/login")
    for _ in range(5):
        at(staff(), GUESSER).login("coord2", WRONG_PASSWORD)
    assert forged.login("coord2").status_code == 429
    assert own.login("coord2").status_code == 302


def test_the_device_cookie_is_sent_only_to_the_sign_in_page_and_never_to_scripts(app, people, staff):
    app.config["SESSION_COOKIE_SECURE"] = True
    client, site = app.test_client(), {"base_url": "https://localhost"}
    token = CSRF.search(client.get("/login", **site).get_data(as_text=True)).group(1)
    signed_in = client.post("/login", data={"username": "coord1", "password": PASSWORD, "csrf_token": token},
                            headers={"Referer": "https://localhost/login"}, **site)
    header = next(h for h in signed_in.headers.getlist("Set-Cookie") if h.startswith(COOKIE + "="))
    assert "Path=/login" in header and "HttpOnly" in header and "Secure" in header
    assert "SameSite=Strict" in header and "Max-Age=15552000" in header
    failed = staff().login("coord1", WRONG_PASSWORD)
    assert not any(h.startswith(COOKIE + "=") for h in failed.headers.getlist("Set-Cookie"))
