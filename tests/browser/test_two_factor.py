"""Two-factor sign-in in a real browser: an admin is led to enrolment, scans (here: types) the key, keeps the
recovery codes and signs in with a code next time; every page passes axe-core."""
from __future__ import annotations

import re

import pyotp

from staff_helpers import people  # noqa: F401
from .test_coordinator import DESKTOP, serious, sign_in


def test_an_admin_sets_up_two_factor_sign_in_and_signs_in_with_a_code(app, live_server, people, new_context, axe,
                                                                      tmp_path):
    app.config["TWO_FACTOR_ROLES"] = ("admin",)
    page = new_context(viewport=DESKTOP).new_page()
    sign_in(page, live_server, "admin1")
    assert page.url == f"{live_server}/staff/account/two-factor"
    assert page.get_by_text("Your account needs two-factor sign-in. Please set it up now.").is_visible()
    assert page.get_by_role("img", name="QR code for your authenticator app").is_visible()
    assert not serious(axe(page))
    secret = page.locator(".totp-secret").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)

    page.get_by_label("Code").fill("000000" if totp.now() != "000000" else "111111")
    page.get_by_role("button", name="Switch on two-factor sign-in").click()
    assert page.get_by_text("This code is not right.").is_visible()
    assert not serious(axe(page))
    page.get_by_label("Code").fill(totp.now())
    page.get_by_role("button", name="Switch on two-factor sign-in").click()
    assert page.get_by_role("heading", name="Your recovery codes").is_visible()
    codes = re.findall(r"[a-z0-9]{5}-[a-z0-9]{5}", page.locator(".recovery-codes").inner_text())
    assert len(codes) == 10
    assert not serious(axe(page))

    page.get_by_role("link", name="I have kept the codes, continue").click()
    assert page.url == f"{live_server}/staff/"
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "admin1")
    assert page.url == f"{live_server}/login/code"
    assert not serious(axe(page))
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Sign in").click()
    assert page.url == f"{live_server}/staff/"
    assert page.get_by_text("You signed in with a recovery code.").is_visible()
    page.goto(f"{live_server}/staff/account/two-factor")
    assert page.get_by_text("Unused recovery codes: 9 of 10.").is_visible()
    assert not serious(axe(page))
