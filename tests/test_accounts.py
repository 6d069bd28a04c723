"""Signing in and out, one-time passwords, password rules, invitation and reset links, throttling, sessions."""
from __future__ import annotations

import html
import re
import time
from datetime import timedelta
from urllib.parse import unquote, urljoin

import pytest
from sqlalchemy import select

from proconnect.accounts.models import AccountToken, User
from proconnect.extensions import db
from proconnect.models_util import utcnow
from staff_helpers import CSRF, PASSWORD, Staff, account, people, staff, text  # noqa: F401

WRONG = "The account name or the password is wrong."


def test_a_coordinator_signs_in_sees_the_dashboard_and_signs_out(app, people, staff):
    browser = staff()
    assert "Sign in" in text(browser.get("/login"))
    signed_in = browser.login("coord1")
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/staff/"
    assert "Oldenburg 2027" in text(browser.get("/staff/"))
    out = browser.logout()
    assert out.status_code == 302 and out.headers["Location"] == "/login"
    assert browser.get("/staff/").headers["Location"].startswith("/login")


def test_the_sign_in_name_is_not_case_sensitive(app, people, staff):
    assert staff().login("COORD1").status_code == 302


def test_a_wrong_password_and_an_unknown_name_get_the_same_message(app, people, staff):
    browser = staff()
    wrong_password = browser.login("coord1", "not the password at all")
    unknown_name = browser.login("nobody", "not the password at all")
    assert wrong_password.status_code == unknown_name.status_code == 200
    assert WRONG in text(wrong_password) and WRONG in text(unknown_name)
    assert browser.get("/staff/").status_code == 302


def test_a_switched_off_account_cannot_sign_in_and_loses_its_open_session(app, people, staff):
    browser = staff("coord1")
    with app.app_context():
        db.session.get(User, people["coord1"]).active = False
        db.session.commit()
    assert browser.get("/staff/").headers["Location"].startswith("/login")
    assert WRONG in text(staff().login("coord1"))


def test_after_signing_in_the_page_asked_for_opens(app, people, staff):
    browser = staff()
    browser.get("/staff/cohorts/ol-2027")
    page = browser.client.post("/login", data={"username": "coord1", "password": PASSWORD,
                                               "csrf_token": browser.token("/login?next=/staff/cohorts/ol-2027"),
                                               "next": "/staff/cohorts/ol-2027"})
    assert page.headers["Location"] == "/staff/cohorts/ol-2027"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_after_signing_in_no_other_site_opens(app, people, staff, target):
    browser = staff()
    page = browser.client.post("/login", data={"username": "coord1", "password": PASSWORD,
                                               "csrf_token": browser.token(), "next": target})
    assert page.headers["Location"] == "/staff/"


#: Sign-in links an attacker could send: each ``next`` as it stands in the link's query string.
OFF_SITE = ["//evil.example/", "/\\evil.example/", "/%09/evil.example/", "/%0A/evil.example/", "/%0D/evil.example/",
            "%2F%2Fevil.example/", "/%5Cevil.example/", "\\\\evil.example/",
            "https://evil.example/", "http:evil.example", "HTTPS://evil.example/", "javascript:alert(1)",
            " //evil.example/", "/%20/evil.example/", "%09//evil.example/", "/%E2%80%8B/evil.example/",
            "/%EF%BC%8F/evil.example/", "%EF%BC%8F%EF%BC%8Fevil.example/", "/%E3%80%82/evil.example",
            "/%C2%A0/evil.example/", "//evil.example%E3%80%82com/", "/%7F/evil.example/", "/staff/%0A"]


@pytest.mark.parametrize("query", OFF_SITE)
def test_a_sign_in_link_never_leads_to_another_site(app, people, staff, query):
    browser = staff()
    page = browser.get(f"/login?next={query}")
    if re.search("[\x00-\x1f\x7f-\x9f]", unquote(query)):
        # A control character in the address is refused before anything else (request hygiene).
        assert page.status_code == 400
        return
    assert page.status_code == 200
    carried = html.unescape(re.search(r'name="next"[^>]*value="([^"]*)"', page.get_data(as_text=True)).group(1))
    signed_in = browser.client.post("/login", data={"username": "coord1", "password": PASSWORD,
                                                    "csrf_token": browser.token(), "next": carried})
    assert signed_in.status_code == 302
    location = signed_in.headers["Location"]
    # Read as a browser reads it: tabs and newlines dropped, backslashes taken for slashes.
    as_browser = re.sub(r"[\t\n\r]", "", location).replace("\\", "/")
    assert urljoin("http://127.0.0.1:5000/login", as_browser).startswith("http://127.0.0.1:5000/")
    assert location == "/staff/" or (location.startswith("/") and not location.startswith("//")
                                     and all(33 <= ord(c) < 127 for c in location))


def test_the_first_sign_in_with_a_one_time_password_forces_a_new_password(app, runner, staff):
    created = runner.invoke(args=["init"])
    one_time = created.output.split("stored hashed):")[1].split()[0]
    browser = staff()
    first = browser.login("admin", one_time)
    assert first.headers["Location"] == "/account/password"
    # Every other page leads back to the password page until a new password is chosen.
    assert browser.get("/staff/audit").headers["Location"] == "/account/password"
    chosen = browser.post("/account/password", {"current_password": one_time, "new_password": "walnut tree by the Hunte",
                                                "confirm": "walnut tree by the Hunte"})
    assert chosen.status_code == 302
    assert browser.get("/staff/audit").status_code == 200
    assert not account(app, "admin").must_change_password
    browser.logout()
    assert browser.login("admin", one_time).status_code == 200
    assert browser.login("admin", "walnut tree by the Hunte").status_code == 302


@pytest.mark.parametrize("new, message", [
    ("short1", "Use at least 12 characters."),
    ("password1234", "This password is one of the most common ones."),
    ("coord1-is-my-password", "The password must not contain the account name."),
])
def test_a_weak_new_password_is_refused_with_the_reason(app, people, staff, new, message):
    browser = staff("coord1")
    page = browser.post("/account/password", {"current_password": PASSWORD, "new_password": new, "confirm": new})
    assert page.status_code == 400 and message in text(page)
    assert account(app, "coord1").check_password(PASSWORD)


def test_changing_the_password_needs_the_current_one_and_the_same_entry_twice(app, people, staff):
    browser = staff("coord1")
    wrong = browser.post("/account/password", {"current_password": "guess guess guess",
                                               "new_password": "walnut tree by the Hunte",
                                               "confirm": "walnut tree by the Hunte"})
    assert wrong.status_code == 400 and "This is not your current password." in text(wrong)
    differ = browser.post("/account/password", {"current_password": PASSWORD, "new_password": "walnut tree by the Hunte",
                                                "confirm": "walnut tree by the Hase"})
    assert differ.status_code == 400 and "The two entries differ." in text(differ)


def _invite(admin: Staff, username="newcoord", role="coordinator") -> str:
    page = admin.post("/staff/accounts/new", {"username": username, "role": role, "email": ""})
    assert page.status_code == 200, text(page)
    return re.search(r'class="secret-link">http://127\.0\.0\.1:5000(/account/set-password/[^<]+)<',
                     page.get_data(as_text=True)).group(1)


def test_an_invitation_link_sets_the_first_password_once(app, people, staff):
    path = _invite(staff("admin1"))
    newcomer = staff()
    form = newcomer.get(path)
    assert form.status_code == 200 and "newcoord" in text(form)
    done = newcomer.client.post(path, data={"new_password": "walnut tree by the Hunte",
                                            "confirm": "walnut tree by the Hunte", "csrf_token": newcomer.token(path)})
    assert done.headers["Location"] == "/login"
    assert newcomer.login("newcoord", "walnut tree by the Hunte").status_code == 302
    again = staff().get(path)
    assert again.status_code == 410 and "expired or was already used" in text(again)


def test_an_expired_invitation_is_gone_and_an_unknown_one_is_not_found(app, people, staff):
    path = _invite(staff("admin1"))
    with app.app_context():
        for row in db.session.scalars(select(AccountToken)):
            row.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert staff().get(path).status_code == 410
    unknown = staff().get("/account/set-password/" + "x" * 43)
    assert unknown.status_code == 404 and "newcoord" not in text(unknown)
    assert staff().get("/account/set-password/" + "x" * 500).status_code == 404


def test_only_a_digest_of_the_link_is_stored(app, people, staff):
    path = _invite(staff("admin1"))
    token = path.rsplit("/", 1)[1]
    with app.app_context():
        row = db.session.scalar(select(AccountToken))
        assert row.digest != token and row.digest == AccountToken.digest_of(token)


def test_an_admin_issued_reset_link_replaces_a_forgotten_password(app, people, staff):
    admin = staff("admin1")
    page = admin.post(f"/staff/accounts/{people['mentor1']}/reset")
    path = re.search(r'5000(/account/set-password/[^<]+)<', page.get_data(as_text=True)).group(1)
    # A second reset makes the first link useless.
    second = admin.post(f"/staff/accounts/{people['mentor1']}/reset")
    assert staff().get(path).status_code == 410
    path = re.search(r'5000(/account/set-password/[^<]+)<', second.get_data(as_text=True)).group(1)
    mentor = staff()
    mentor.client.post(path, data={"new_password": "rain over Rastede", "confirm": "rain over Rastede",
                                   "csrf_token": mentor.token(path)})
    assert mentor.login("mentor1", "rain over Rastede").status_code == 302


def test_failed_sign_ins_to_one_account_are_throttled(app, people, staff):
    browser = staff()
    for _ in range(5):
        assert browser.login("coord1", "wrong wrong wrong").status_code == 200
    blocked = browser.login("coord1")  # even the right password now waits
    assert blocked.status_code == 429 and "Too many attempts" in text(blocked)
    # Another account is not affected by someone guessing at coord1.
    assert browser.login("coord2").status_code == 302


def test_failed_sign_ins_from_one_address_are_throttled_across_accounts(app, people, staff):
    app.config["LOGIN_LIMIT_PER_IP"] = "3 per 15 minutes"
    browser = staff()
    for name in ("coord1", "coord2", "mentor1"):
        assert browser.login(name, "wrong wrong wrong").status_code == 200
    assert browser.login("mentor2").status_code == 429
    elsewhere = staff().login("mentor2", environ_base={"REMOTE_ADDR": "127.0.0.9"})
    assert elsewhere.status_code == 302


def test_successful_sign_ins_are_not_counted(app, people, staff):
    for _ in range(8):
        browser = staff()
        assert browser.login("coord1").status_code == 302


def test_a_form_sent_without_its_csrf_token_is_refused(app, people, staff):
    browser = staff()
    page = browser.client.post("/login", data={"username": "coord1", "password": PASSWORD})
    assert page.status_code == 400 and browser.get("/staff/").status_code == 302
    signed_in = staff("coord1")
    forged = signed_in.client.post("/staff/cohorts/new", data={"slug": "forged", "title": "Forged"})
    assert forged.status_code == 400
    assert signed_in.client.post("/logout").status_code == 400
    assert signed_in.get("/staff/").status_code == 200


def session_cookie(response) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


def test_the_session_cookie_is_http_only_same_site_and_secure_over_https(app, people, staff):
    from proconnect import create_app
    cookie = session_cookie(staff().login("coord1"))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    secure_app = create_app({**app.config, "PUBLIC_URL": "https://forms.example.org", "SESSION_COOKIE_SECURE": None})
    assert secure_app.config["SESSION_COOKIE_SECURE"] is True
    client = secure_app.test_client()
    site = {"base_url": "https://forms.example.org"}
    token = CSRF.search(client.get("/login", **site).get_data(as_text=True)).group(1)
    page = client.post("/login", data={"username": "coord1", "password": PASSWORD, "csrf_token": token},
                       headers={"Referer": "https://forms.example.org/login"}, **site)
    assert page.status_code == 302
    assert "Secure" in session_cookie(page) and "HttpOnly" in session_cookie(page)
    with secure_app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_an_idle_session_ends(app, people, staff, monkeypatch):
    browser = staff("coord1")
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 61 * 60)
    page = browser.get("/staff/cohorts")
    assert page.headers["Location"].startswith("/login")
    assert "Your session has ended" in text(browser.get(page.headers["Location"]))


def test_a_busy_session_ends_after_its_lifetime_all_the_same(app, people, staff, monkeypatch):
    browser = staff("coord1")
    start = time.time()
    for seconds in range(50 * 60, 12 * 3600, 50 * 60):
        monkeypatch.setattr(time, "time", lambda s=seconds: start + s)
        assert browser.get("/staff/").status_code == 200
    monkeypatch.setattr(time, "time", lambda: start + 12 * 3600 + 60)
    assert browser.get("/staff/").headers["Location"].startswith("/login")


def test_a_session_cookie_taken_to_another_browser_is_worthless(app, people, staff):
    browser = staff("coord1")
    assert browser.get("/staff/", headers={"User-Agent": "another browser"}).headers["Location"].startswith("/login")


def test_staff_pages_send_the_security_headers(app, people, staff):
    page = staff("coord1").get("/staff/")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["X-Frame-Options"] == "DENY"


def test_staff_templates_hold_no_inline_script_or_style():
    from pathlib import Path
    root = Path(__file__).resolve().parents[1] / "proconnect"
    folders = ["accounts", "admin", "handbook", "privacy", "templates/staff"]
    offenders = []
    for folder in folders:
        for path in (root / folder).rglob("*.html"):
            html = path.read_text()
            if path.parent.name == "privacy":
                continue  # the PDF templates never reach a browser
            if re.search(r"<script(?![^>]*\bsrc=)|\sstyle=|<style|\son[a-z]+=", html):
                offenders.append(str(path))
    assert not offenders


def test_a_locked_out_admin_gets_a_password_link_on_the_command_line(app, people, runner, staff):
    listed = runner.invoke(args=["accounts", "list"])
    assert "admin1" in listed.output and "coordinator" in listed.output
    result = runner.invoke(args=["accounts", "reset", "ADMIN1"])
    assert result.exit_code == 0, result.output
    path = re.search(r"http://127\.0\.0\.1:5000(/account/set-password/\S+)", result.output).group(1)
    browser = staff()
    browser.client.post(path, data={"new_password": "moorland by the Jade", "confirm": "moorland by the Jade",
                                    "csrf_token": browser.token(path)})
    assert browser.login("admin1", "moorland by the Jade").status_code == 302
    unknown = runner.invoke(args=["accounts", "reset", "nobody"])
    assert unknown.exit_code == 2 and "no active account 'nobody'" in unknown.output


NEW_PASSWORD = "walnut tree by the Hunte"
EXPORT = "/reports/ol-2027/responses.csv?form=everything"


def _copy_of_session(app, browser: Staff) -> Staff:
    """Another browser holding a copy of ``browser``'s session cookie, as someone who took it would."""
    name = app.config["SESSION_COOKIE_NAME"]
    other = Staff(app.test_client())
    other.client.set_cookie(name, browser.client.get_cookie(name).value)
    return other


def _sign_out(app, people, staff, coord):
    coord.logout()


def _change_password(app, people, staff, coord):
    changed = coord.post("/account/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                               "confirm": NEW_PASSWORD})
    assert changed.status_code == 302
    # The device that changed it stays signed in.
    assert coord.get("/staff/cohorts/ol-2027").status_code == 200


def _issue_reset(app, people, staff, coord):
    assert staff("admin1").post(f"/staff/accounts/{people['coord1']}/reset").status_code == 200


def _use_reset_link(app, people, staff, coord):
    page = staff("admin1").post(f"/staff/accounts/{people['coord1']}/reset")
    path = re.search(r'5000(/account/set-password/[^<]+)<', page.get_data(as_text=True)).group(1)
    holder = staff()
    done = holder.client.post(path, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
                                          "csrf_token": holder.token(path)})
    assert done.headers["Location"] == "/login"


def _edit_coord1(staff, people, **changes):
    data = {"role": "coordinator", "email": "", "active": "y", "cohorts": [str(people["ol-2027"])], **changes}
    saved = staff("admin1").post(f"/staff/accounts/{people['coord1']}", {k: v for k, v in data.items() if v})
    assert saved.status_code == 302, text(saved)


def _switch_off_and_on(app, people, staff, coord):
    _edit_coord1(staff, people, active=None)
    _edit_coord1(staff, people)  # switched on again: the old sessions stay ended


def _change_role(app, people, staff, coord):
    _edit_coord1(staff, people, role="trainer")
    _edit_coord1(staff, people, role="coordinator")


@pytest.mark.parametrize("end", [_sign_out, _change_password, _issue_reset, _use_reset_link, _switch_off_and_on,
                                 _change_role], ids=lambda end: end.__name__.strip("_"))
def test_a_copied_session_cookie_stops_working_on_every_device(app, people, staff, end):
    coord = staff("coord1")
    copy = _copy_of_session(app, coord)
    assert copy.get("/staff/cohorts/ol-2027").status_code == 200
    assert copy.get(EXPORT).status_code == 200
    end(app, people, staff, coord)
    assert copy.get("/staff/cohorts/ol-2027").headers["Location"].startswith("/login")
    refused = copy.get(EXPORT)
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/login")
    assert "text/csv" not in refused.content_type


def test_signing_out_ends_the_sessions_on_other_devices_too(app, people, staff):
    laptop, phone = staff("coord1"), staff("coord1")
    laptop.logout()
    assert phone.get("/staff/").headers["Location"].startswith("/login")
    assert staff("coord1").get("/staff/").status_code == 200  # signing in again works


def test_signing_in_sets_no_remember_me_cookie(app, people, staff):
    signed_in = staff().login("coord1")
    assert not any("remember_token" in cookie for cookie in signed_in.headers.getlist("Set-Cookie"))
