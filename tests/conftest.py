"""Fixtures: the app built from the factory with a temporary instance folder, on SQLite and on PostgreSQL."""
from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import text
from werkzeug.datastructures import MultiDict

from proconnect import create_app
from proconnect.extensions import db

FIXTURE_FORMS = Path(__file__).parent / "fixtures" / "forms"


def _config(tmp_path: Path, uri: str, forms_dir: Path) -> dict:
    return {"TESTING": True, "INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": uri,
            "SECRET_KEY": "test-secret", "FORMS_DIR": str(forms_dir), "PUBLIC_URL": "http://127.0.0.1:5000",
            # PDFs render in the request; the tests of the worker itself (test_pdf_jobs.py) run the real one.
            "JOBS_IMMEDIATE": True,
            # Tests sign admins in with a password alone; tests/test_two_factor.py switches the requirement on
            # as production has it (config.defaults: TWO_FACTOR_ROLES = ("admin",)).
            "TWO_FACTOR_ROLES": ()}


def _migrate(uri: str, tmp_path: Path) -> None:
    from flask_migrate import upgrade
    app = create_app(_config(tmp_path, uri, FIXTURE_FORMS))
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite database, copied for each test (faster than migrating each time)."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.sqlite3"
    _migrate(f"sqlite:///{path}", folder)
    return path


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.fail("TEST_DATABASE_URL is not set: run the suite with 'make test', which starts PostgreSQL")
    _migrate(url, tmp_path_factory.mktemp("pg"))
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """The same test on both databases the app supports."""
    if request.param == "sqlite":
        path = tmp_path / "proconnect.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    from sqlalchemy import create_engine
    engine = create_engine(url)
    with engine.begin() as conn:
        # Every table the app knows (all models are imported once an app was created).
        tables = ", ".join(f'"{name}"' for name in db.metadata.tables)
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@pytest.fixture
def forms_dir() -> Path:
    return FIXTURE_FORMS


@pytest.fixture
def app(database_url, tmp_path, forms_dir):
    app = create_app(_config(tmp_path, database_url, forms_dir))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_cohort(app):
    """Factory: a cohort with sensible defaults."""
    from proconnect.cohorts.models import Cohort

    def make(slug="ol-2027", title="Oldenburg 2027"):
        with app.app_context():
            cohort = Cohort(slug=slug, title=title)
            db.session.add(cohort)
            db.session.commit()
            return cohort.id
    return make


@pytest.fixture
def make_link(app, make_cohort):
    """Factory: a distribution link (returns its token); creates the cohort when needed."""
    from proconnect.cohorts.models import Cohort
    from proconnect.links.models import Link

    def make(form_id="everything", version=None, language="de", **kw):
        with app.app_context():
            cohort = db.session.query(Cohort).first()
            cohort_id = cohort.id if cohort else make_cohort()
            link = Link(form_id=form_id, version=version, cohort_id=cohort_id, language=language, **kw)
            db.session.add(link)
            db.session.commit()
            return link.token
    return make


class _Inputs(HTMLParser):
    """Collects what a browser would send for a page's form as it stands (hidden, filled, checked)."""

    def __init__(self):
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "select" and "name" in a:
            # [name, first option's value, the selected one's]: a browser sends the selected option, else the first.
            self._select = [a["name"], None, None]
        elif tag == "option" and self._select is not None:
            if self._select[1] is None:
                self._select[1] = a.get("value", "")
            if "selected" in a:
                self._select[2] = a.get("value", "")
        elif tag == "input" and "name" in a:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self.values.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button"):
                self.values.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.values.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            name, first, chosen = self._select
            self.values.append((name, chosen if chosen is not None else first or ""))
            self._select = None


class Filler:
    """Fills in a form like a browser without JavaScript: what the page holds is sent back, plus ``answers``."""

    def __init__(self, client, token: str):
        self.client, self.token = client, token
        self.page = None

    @property
    def url(self):
        return f"/f/{self.token}"

    def _remember(self, response):
        self.page = response
        parser = _Inputs()
        parser.feed(response.get_data(as_text=True))
        self.hidden = parser.values
        return response

    def open(self, **query):
        return self._remember(self.client.get(self.url, query_string=query))

    def post(self, answers: dict | None = None, nav="next", drop=(), **extra):
        answers = answers or {}
        data = [(k, v) for k, v in self.hidden if k not in drop and k not in answers]
        for key, value in answers.items():
            data += [(key, v) for v in (value if isinstance(value, list) else [value])]
        data.append(("_nav", nav))
        self.last_post = data = MultiDict(data)
        response = self.client.post(self.url, data=data, **extra)
        if response.status_code != 303:
            self._remember(response)
        return response

    def replay(self):
        """POST exactly the same body again (a double tap, or a retry after a dropped connection)."""
        return self.client.post(self.url, data=self.last_post)

    def text(self) -> str:
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", self.page.get_data(as_text=True)))


@pytest.fixture
def filler(client):
    return lambda token: Filler(client, token)
