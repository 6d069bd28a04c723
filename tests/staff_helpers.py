"""Helpers for the staff-side tests: accounts per role, signing in like a browser, stored responses.

Import the fixtures into a test module with ``from staff_helpers import people, staff, seed  # noqa: F401``.
"""
from __future__ import annotations

import re
import secrets
from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from proconnect.accounts.models import CohortMember, User
from proconnect.cohorts.models import Cohort
from proconnect.links.models import Link
from proconnect.extensions import db
from proconnect.models_util import utcnow
from proconnect.responses.models import Answer, Response

PASSWORD = "a long and unusual test passphrase"
# One scrypt hash for every test account: hashing costs about 50 ms each time.
_HASH = generate_password_hash(PASSWORD)
#: One account per role, plus a coordinator of another cohort.
ACCOUNTS = {"admin1": "admin", "coord1": "coordinator", "coord2": "coordinator", "trainer1": "trainer",
            "mentor1": "mentor", "mentor2": "mentor"}
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

#: The answers of the "everything" fixture form, page by page, as a browser sends them.
PAGE_ONE = {"participant_code": "K7Q2-H", "name": "Sami", "story": "Ich habe in Aleppo gearbeitet.",
            "years": "3,5", "trade": "metal", "metal_detail": "Geländer geschweißt", "skills": ["measure", "weld"]}
PAGE_TWO = {"likes_building": "3", "licence": "yes", "start": "2027-08-01", "often__saw": "4", "often__drill": "1",
            "consent": "y"}


@pytest.fixture
def people(app) -> dict[str, int]:
    """Accounts by name -> id; cohort ``ol-2027`` (coord1, trainer1) and ``dh-2027`` (coord2)."""
    with app.app_context():
        ol = Cohort(slug="ol-2027", title="Oldenburg 2027")
        dh = Cohort(slug="dh-2027", title="Delmenhorst 2027")
        db.session.add_all([ol, dh])
        users = {name: User(username=name, role=role, password_hash=_HASH, must_change_password=False)
                 for name, role in ACCOUNTS.items()}
        db.session.add_all(users.values())
        db.session.flush()
        db.session.add_all([CohortMember(account_id=users["coord1"].id, cohort_id=ol.id),
                            CohortMember(account_id=users["trainer1"].id, cohort_id=ol.id),
                            CohortMember(account_id=users["coord2"].id, cohort_id=dh.id)])
        db.session.commit()
        return {name: user.id for name, user in users.items()} | {"ol-2027": ol.id, "dh-2027": dh.id}


class Staff:
    """A browser of a staff member: signs in through the login page and sends forms with their CSRF token."""

    def __init__(self, client):
        self.client = client
        # English pages, whatever the catalogs say: the tests read the English source texts.
        client.set_cookie("lang", "en")

    def token(self, url: str = "/login") -> str:
        # Followed like a browser: an admin who must set up two-factor sign-in first lands on that page.
        match = CSRF.search(self.client.get(url, follow_redirects=True).get_data(as_text=True))
        assert match, f"no CSRF token on {url}"
        return match.group(1)

    def login(self, username: str, password: str = PASSWORD, **extra):
        return self.client.post("/login", data={"username": username, "password": password,
                                                "csrf_token": self.token("/login")}, **extra)

    def post(self, url: str, data: dict | None = None, **extra):
        """POST ``data`` with the CSRF token of the signed-in session."""
        token = self.token("/account/password")
        return self.client.post(url, data={**(data or {}), "csrf_token": token}, **extra)

    def get(self, url: str, **extra):
        return self.client.get(url, **extra)

    def logout(self):
        return self.post("/logout")


@pytest.fixture
def staff(app):
    """Factory: a signed-in staff browser (``staff("coord1")``), each with its own cookies."""
    def make(username: str | None = None) -> Staff:
        browser = Staff(app.test_client())
        if username:
            response = browser.login(username)
            assert response.status_code == 302, response.get_data(as_text=True)
        return browser
    return make


def text(response) -> str:
    """A page's words as a person reads them: tags dropped, white space folded."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def account(app, name: str) -> User:
    """The account ``name`` as stored now (detached, to read its columns outside the app context)."""
    with app.app_context():
        user = db.session.scalar(select(User).filter_by(username=name))
        db.session.expunge(user)
        return user


def add_link(app, cohort_id: int, form_id: str = "everything", **columns) -> str:
    with app.app_context():
        link = Link(form_id=form_id, cohort_id=cohort_id, **columns)
        db.session.add(link)
        db.session.commit()
        return link.token


@pytest.fixture
def seed(app, filler):
    """Factory: submit the "everything" form through the cohort's link, as a browser would.

    :return: the filler after submission
    """
    links: dict[int, str] = {}

    def submit(cohort_id: int, code: str = "K7Q2-H", **changes):
        if cohort_id not in links:
            links[cohort_id] = add_link(app, cohort_id, event="Infoveranstaltung 3. März")
        f = filler(links[cohort_id])
        f.open()
        page_one = {**PAGE_ONE, "participant_code": code, **{k: v for k, v in changes.items() if k in PAGE_ONE}}
        page_two = {**PAGE_TWO, **{k: v for k, v in changes.items() if k in PAGE_TWO}}
        assert f.post(page_one).status_code == 200
        assert f.post(page_two, nav="submit").status_code == 303
        return f
    return submit


def add_outcome(app, cohort_id: int, code: str, status: str, days_ago: int = 0):
    """An outcome record as the outcome instrument stores it (status in ``Answer.value_text``)."""
    with app.app_context():
        response = Response(form_id="outcome", version=1, content_hash="x" * 64, cohort_id=cohort_id,
                            language="de", idempotency_key=secrets.token_urlsafe(24), participant_code=code,
                            submitted_at=utcnow() - timedelta(days=days_ago), payload={"answers": {"status": status}})
        response.answers = [Answer(form_id="outcome", cohort_id=cohort_id, field_id="status", value_text=status)]
        db.session.add(response)
        db.session.commit()
