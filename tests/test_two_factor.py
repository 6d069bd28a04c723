"""Two-factor sign-in for staff: enrolment by QR code, a code after the password, recovery codes, throttling,
the requirement for admins (or every role), and resets by an admin or on the command line."""
from __future__ import annotations

import re
import time

import pyotp
import pytest
from sqlalchemy import select, text as sql
from werkzeug.security import check_password_hash

from proconnect.accounts import two_factor
from proconnect.accounts.models import RecoveryCode, User
from proconnect.audit.models import AuditEvent
from proconnect.config import defaults
from proconnect.distribution import qr
from proconnect.extensions import db
from staff_helpers import CSRF, Staff, account, people, seed, staff, text  # noqa: F401

ENROL = "/staff/account/two-factor"
COHORT = "/staff/cohorts/ol-2027"
EXPORTS = ("/staff/cohorts/ol-2027/participants/K7Q2-H/export.json", "/reports/ol-2027/responses.csv?form=everything")
NOT_RIGHT = "This code is not right."


@pytest.fixture
def as_in_production(app, tmp_path):
    """The production requirement (the test configuration lets admins sign in with a password alone)."""
    app.config["TWO_FACTOR_ROLES"] = defaults(str(tmp_path))["TWO_FACTOR_ROLES"]


def enrol(app, name: str) -> tuple[pyotp.TOTP, list[str]]:
    """Switch two-factor sign-in on for ``name`` as the enrolment page does; :return: the app's TOTP and the codes."""
    with app.app_context():
        user = db.session.scalar(select(User).filter_by(username=name))
        two_factor.start_enrolment(user)
        codes = two_factor.switch_on(user)
        db.session.commit()
        return pyotp.TOTP(two_factor.secret(user)), codes


def send_code(browser: Staff, code: str):
    return browser.client.post("/login/code", data={"code": code, "csrf_token": browser.token("/login/code")})


def sign_in(staff, name: str, code: str) -> Staff:
    browser = staff()
    assert browser.login(name).headers["Location"] == "/login/code"
    assert send_code(browser, code).status_code == 302
    return browser


def wrong_code(totp: pyotp.TOTP) -> str:
    """A six-digit code none of the accepted steps has."""
    now = time.time()
    valid = {totp.at(now + offset) for offset in (-60, -30, 0, 30, 60)}
    return next(code for code in ("123456", "654321", "111111", "999999") if code not in valid)


def audit(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return db.session.scalars(select(AuditEvent).filter_by(action=action).order_by(AuditEvent.id)).all()


def secret_of(app, name: str) -> str | None:
    """The account's secret in clear, as the app opens it."""
    with app.app_context():
        return two_factor.secret(db.session.scalar(select(User).filter_by(username=name)))


def test_production_requires_it_for_admins_and_an_unknown_role_stops_start_up(app, tmp_path):
    from proconnect import create_app
    assert defaults(str(tmp_path))["TWO_FACTOR_ROLES"] == ("admin",)
    config = {k: v for k, v in app.config.items() if k in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "FORMS_DIR")}
    with pytest.raises(ValueError, match="TWO_FACTOR_ROLES"):
        create_app({**config, "TESTING": True, "INSTANCE_PATH": str(tmp_path), "TWO_FACTOR_ROLES": ("admins",)})


def test_a_coordinator_enrols_with_the_qr_code_and_a_first_code_and_gets_recovery_codes_once(app, people, staff):
    coord = staff("coord1")
    page = coord.get(ENROL)
    assert page.status_code == 200 and "Set up two-factor sign-in" in text(page)
    user = account(app, "coord1")
    secret = secret_of(app, "coord1")
    assert user.two_factor_on is False and len(secret) == 32
    # The QR code holds the otpauth address; the key is there to type in by hand, in groups of four.
    with app.test_request_context():
        uri = two_factor.provisioning_uri(user)
    assert uri.startswith("otpauth://totp/pro%3Aconnect:coord1?secret=" + secret)
    assert qr.svg_data_uri(uri) in page.get_data(as_text=True)
    assert " ".join(secret[i:i + 4] for i in range(0, 32, 4)) in text(page)
    assert coord.get(ENROL).status_code == 200 and secret_of(app, "coord1") == secret  # a reload keeps it

    totp = pyotp.TOTP(secret)
    refused = coord.post(ENROL, {"code": wrong_code(totp)})
    assert refused.status_code == 400 and NOT_RIGHT in text(refused)
    assert not account(app, "coord1").two_factor_on

    shown = coord.post(ENROL, {"code": totp.now()})
    assert shown.status_code == 200 and "They are shown only now." in text(shown)
    assert page.headers["Cache-Control"] == shown.headers["Cache-Control"] == "no-store"  # key and codes: no copies
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", shown.get_data(as_text=True))
    assert len(set(codes)) == 10
    assert account(app, "coord1").two_factor_on
    with app.app_context():
        stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not any(code.replace("-", "") in h or code in h for h in stored for code in codes)
    assert all(any(check_password_hash(h, code.replace("-", "")) for h in stored) for code in codes)
    assert [e.actor for e in audit(app, "two_factor_enabled")] == ["coord1"]
    # Afterwards the page shows the state, never the codes or the key again.
    again = coord.get(ENROL)
    assert "Two-factor sign-in is on since" in text(again) and codes[0] not in text(again) and "otpauth" not in \
        again.get_data(as_text=True)


def test_enrolling_ends_the_sessions_signed_in_with_the_password_alone(app, people, staff):
    coord, elsewhere = staff("coord1"), staff("coord1")
    coord.get(ENROL)
    totp = pyotp.TOTP(secret_of(app, "coord1"))
    assert coord.post(ENROL, {"code": totp.now()}).status_code == 200
    assert coord.get(COHORT).status_code == 200
    assert elsewhere.get(COHORT).headers["Location"].startswith("/login")


def test_after_the_password_the_code_signs_in_and_opens_the_page_asked_for(app, people, staff):
    totp, _codes = enrol(app, "coord1")
    browser = staff()
    token = browser.token(f"/login?next={COHORT}")
    asked = browser.client.post("/login", data={"username": "coord1", "password": "a long and unusual test passphrase",
                                                "next": COHORT, "csrf_token": token})
    assert asked.headers["Location"] == "/login/code"
    page = browser.get("/login/code")
    assert page.status_code == 200 and "six-digit code" in text(page)
    assert 'autocomplete="one-time-code"' in page.get_data(as_text=True)
    done = send_code(browser, totp.now())
    assert done.headers["Location"] == COHORT
    assert browser.get(COHORT).status_code == 200
    assert audit(app, "login")[-1].details == {"second_factor": "app"}


def test_a_half_signed_in_session_opens_no_staff_page_and_no_export(app, people, staff, seed):
    seed(people["ol-2027"])
    enrol(app, "coord1")
    browser = staff()
    assert browser.login("coord1").headers["Location"] == "/login/code"
    for url in (COHORT, "/staff/", ENROL, *EXPORTS):
        page = browser.get(url)
        assert page.status_code == 302 and page.headers["Location"].startswith("/login?"), url
    assert browser.client.post("/logout").status_code in (302, 400)
    assert browser.get(COHORT).headers["Location"].startswith("/login?")


def test_the_step_between_password_and_code_expires(app, people, staff, monkeypatch):
    totp, _codes = enrol(app, "coord1")
    browser = staff()
    browser.login("coord1")
    token = browser.token("/login/code")
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 5 * 60 + 1)
    late = browser.client.post("/login/code", data={"code": totp.at(now + 5 * 60 + 1), "csrf_token": token})
    assert late.headers["Location"] == "/login"
    assert "Please sign in again." in text(browser.get("/login"))
    assert browser.get(COHORT).headers["Location"].startswith("/login?")


def test_the_step_between_password_and_code_ends_when_the_account_is_reset(app, people, staff):
    totp, _codes = enrol(app, "coord1")
    browser = staff()
    browser.login("coord1")
    token = browser.token("/login/code")
    assert staff("admin1").post(f"/staff/accounts/{people['coord1']}/reset").status_code == 200
    refused = browser.client.post("/login/code", data={"code": totp.now(), "csrf_token": token})
    assert refused.headers["Location"] == "/login"
    assert browser.get(COHORT).headers["Location"].startswith("/login?")


def test_a_code_of_the_step_before_is_accepted_an_older_one_is_not(app, people, staff):
    totp, _codes = enrol(app, "coord1")
    browser = staff()
    browser.login("coord1")
    stale = send_code(browser, totp.at(time.time() - 60))
    assert stale.status_code == 400 and NOT_RIGHT in text(stale)
    assert send_code(browser, totp.at(time.time() - 30)).status_code == 302


def test_a_code_works_once(app, people, staff):
    totp, _codes = enrol(app, "coord1")
    code = totp.now()
    sign_in(staff, "coord1", code)
    # Someone who watched the code being typed tries it at once, with the password.
    onlooker = staff()
    onlooker.login("coord1")
    replayed = send_code(onlooker, code)
    assert replayed.status_code == 400 and NOT_RIGHT in text(replayed)
    assert onlooker.get(COHORT).headers["Location"].startswith("/login?")
    assert send_code(onlooker, totp.at(time.time() + 30)).status_code == 302  # the next code works


def test_wrong_codes_are_throttled_per_account_even_from_new_sessions(app, people, staff):
    totp, _codes = enrol(app, "coord1")
    enrol(app, "coord2")
    attacker = staff()
    for _ in range(5):
        attacker.login("coord1")
        assert send_code(attacker, wrong_code(totp)).status_code == 400
    again = staff()
    again.login("coord1")
    blocked = send_code(again, totp.now())  # even the right code now waits
    assert blocked.status_code == 429
    assert len(audit(app, "two_factor_failed")) == 5
    assert again.get(COHORT).headers["Location"].startswith("/login?")
    # Another account is not affected.
    other = staff()
    other.login("coord2")
    assert send_code(other, wrong_code(totp)).status_code == 400


def test_a_recovery_code_signs_in_once(app, people, staff):
    _totp, codes = enrol(app, "coord1")
    browser = sign_in(staff, "coord1", codes[3].upper().replace("-", " "))
    assert "You signed in with a recovery code. Unused recovery codes: 9;" in text(browser.get("/staff/"))
    assert browser.get(COHORT).status_code == 200
    assert [e.details for e in audit(app, "recovery_code_used")] == [{"left": 9}]
    browser.logout()
    again = staff()
    again.login("coord1")
    refused = send_code(again, codes[3])
    assert refused.status_code == 400 and NOT_RIGHT in text(refused)
    assert send_code(again, codes[4]).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(app, people, staff):
    totp, old = enrol(app, "coord1")
    browser = sign_in(staff, "coord1", totp.now())
    refused = browser.post(f"{ENROL}/recovery-codes", {"renew-code": wrong_code(totp)})
    assert refused.status_code == 400 and NOT_RIGHT in text(refused)
    shown = browser.post(f"{ENROL}/recovery-codes", {"renew-code": totp.at(time.time() + 30)})
    new = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", shown.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    later = staff()
    later.login("coord1")
    assert send_code(later, old[0]).status_code == 400
    assert send_code(later, new[0]).status_code == 302


def test_an_admin_without_two_factor_can_do_nothing_before_enrolling(app, people, staff, seed, as_in_production):
    seed(people["ol-2027"])
    admin = staff()
    signed_in = admin.login("admin1")
    assert signed_in.headers["Location"] == ENROL
    for url in ("/staff/", "/staff/accounts", "/staff/audit", COHORT, *EXPORTS, "/account/password"):
        assert admin.get(url).headers["Location"] == ENROL, url
    assert admin.post(f"/staff/accounts/{people['coord1']}/reset").headers["Location"] == ENROL
    page = admin.get(ENROL)
    assert "Your account needs two-factor sign-in" in text(page)
    totp = pyotp.TOTP(secret_of(app, "admin1"))
    assert admin.post(ENROL, {"code": totp.now()}).status_code == 200
    assert admin.get("/staff/accounts").status_code == 200
    assert admin.get(EXPORTS[1]).status_code == 200
    # Coordinators are not required to, unless the setting says every role.
    assert staff("coord1").get(COHORT).status_code == 200
    app.config["TWO_FACTOR_ROLES"] = ("admin", "coordinator", "trainer", "mentor")
    assert staff().login("coord1").headers["Location"] == ENROL


def test_where_the_role_requires_it_it_cannot_be_switched_off_otherwise_it_can(app, people, staff, as_in_production):
    totp, _codes = enrol(app, "admin1")
    admin = sign_in(staff, "admin1", totp.now())
    assert "Switch off" not in text(admin.get(ENROL))
    assert admin.post(f"{ENROL}/off", {"off-code": totp.at(time.time() + 30)}).status_code == 403
    coord_totp, _codes = enrol(app, "coord1")
    coord = sign_in(staff, "coord1", coord_totp.now())
    assert coord.post(f"{ENROL}/off", {"off-code": wrong_code(coord_totp)}).status_code == 400
    assert coord.post(f"{ENROL}/off", {"off-code": coord_totp.at(time.time() + 30)}).status_code == 302
    assert not account(app, "coord1").two_factor_on
    assert staff("coord1").get(COHORT).status_code == 200


def test_an_admin_resets_a_lost_second_factor_the_sessions_end_and_it_is_logged(app, people, staff):
    totp, _codes = enrol(app, "coord1")
    coord = sign_in(staff, "coord1", totp.now())
    admin = staff("admin1")
    listed = admin.get("/staff/accounts?role=coordinator")
    assert re.search(r"coord1</a> <span class=\"badge\">two-factor</span>", listed.get_data(as_text=True))
    page = admin.get(f"/staff/accounts/{people['coord1']}")
    assert "On since" in text(page) and "Reset two-factor sign-in" in text(page)
    done = admin.post(f"/staff/accounts/{people['coord1']}/two-factor/reset")
    assert done.headers["Location"] == f"/staff/accounts/{people['coord1']}"
    assert coord.get(COHORT).headers["Location"].startswith("/login?")
    state = account(app, "coord1")
    assert not state.two_factor_on and state.totp_secret_sealed is None
    with app.app_context():
        assert db.session.scalars(select(RecoveryCode)).all() == []
    [entry] = audit(app, "two_factor_reset")
    assert (entry.actor, entry.target, entry.details) == ("admin1", "account coord1", {"was_on": True})
    assert staff("coord1").get(COHORT).status_code == 200  # a coordinator: the password alone again


def test_the_last_admin_who_lost_the_phone_is_reset_on_the_command_line(app, people, staff, runner,
                                                                        as_in_production):
    totp, _codes = enrol(app, "admin1")
    admin = sign_in(staff, "admin1", totp.now())
    result = runner.invoke(args=["accounts", "reset-two-factor", "ADMIN1"])
    assert result.exit_code == 0, result.output
    assert "Two-factor sign-in of admin1 is reset" in result.output
    assert admin.get("/staff/").headers["Location"].startswith("/login?")
    [entry] = audit(app, "two_factor_reset")
    assert (entry.actor, entry.target) == ("cli", "account admin1")
    # The admin signs in with the password and must set it up again before anything else.
    assert staff().login("admin1").headers["Location"] == ENROL
    unknown = runner.invoke(args=["accounts", "reset-two-factor", "nobody"])
    assert unknown.exit_code == 2 and "no active account 'nobody'" in unknown.output


def test_a_borrowed_session_cannot_guess_codes_for_new_recovery_codes(app, people, staff):
    totp, _codes = enrol(app, "coord1")
    browser = sign_in(staff, "coord1", totp.now())
    for _ in range(5):
        assert browser.post(f"{ENROL}/recovery-codes", {"renew-code": wrong_code(totp)}).status_code == 400
    assert browser.post(f"{ENROL}/recovery-codes", {"renew-code": totp.at(time.time() + 30)}).status_code == 429
    assert browser.post(f"{ENROL}/off", {"off-code": totp.at(time.time() + 30)}).status_code == 429
    # The count is the account's: the sign-in code step waits too.
    later = staff()
    later.login("coord1")
    assert send_code(later, totp.at(time.time() + 30)).status_code == 429


def test_the_database_keeps_the_secret_encrypted_a_copy_of_it_alone_makes_no_codes(app, people, staff):
    totp, _codes = enrol(app, "coord1")
    with app.app_context():
        stored = db.session.scalar(sql("SELECT totp_secret_sealed FROM account WHERE username = 'coord1'"))
    assert totp.secret not in stored and totp.secret.lower() not in stored.lower()
    # A database copied to a server with another secret key opens nothing.
    app.config["SECRET_KEY"] = "another server"
    assert secret_of(app, "coord1") is None
    # A rotated key with the old one among the fallbacks still signs in.
    app.config["SECRET_KEY_FALLBACKS"] = ["test-secret"]
    assert secret_of(app, "coord1") == totp.secret
    browser = staff()
    browser.login("coord1")
    assert send_code(browser, totp.now()).headers["Location"] == "/staff/"


def test_a_secret_no_key_opens_refuses_app_codes_in_words_and_a_recovery_code_still_signs_in(app, people, staff):
    totp, codes = enrol(app, "coord1")
    app.config["SECRET_KEY"] = "a new key, the old one lost"
    browser = staff()
    browser.login("coord1")
    refused = send_code(browser, totp.now())
    assert refused.status_code == 400
    assert "Codes from your app cannot be checked on this server at the moment" in text(refused)
    assert send_code(browser, codes[0]).status_code == 302
    # Enrolling again gives a new secret the new key opens.
    admin = staff("admin1")
    admin.post(f"/staff/accounts/{people['coord1']}/two-factor/reset")
    staff("coord1").get(ENROL)
    assert len(secret_of(app, "coord1")) == 32


def test_an_upgrade_seals_secrets_kept_in_clear_and_a_downgrade_opens_them_again(app, people):
    from flask_migrate import downgrade, upgrade
    totp, _codes = enrol(app, "coord1")
    with app.app_context():
        directory = app.extensions["migrate"].directory
        db.session.remove()
        try:
            downgrade(directory=directory, revision="0022_link_view_state")
            with db.engine.connect() as conn:
                assert conn.scalar(sql("SELECT totp_secret FROM account WHERE username = 'coord1'")) == totp.secret
        finally:
            upgrade(directory=directory)
        with db.engine.connect() as conn:
            stored = conn.scalar(sql("SELECT totp_secret_sealed FROM account WHERE username = 'coord1'"))
    assert totp.secret not in stored
    assert secret_of(app, "coord1") == totp.secret
