"""Real-browser fixtures: Debian's Chromium, driven by Playwright, against the app served on 127.0.0.1.

Reuse them in any module under ``tests/browser/``:

- ``browser`` (session): the one headless Chromium; ``new_context(**options)`` opens a fresh context
  (closed after the test); ``page`` is a page in a fresh German-speaking tablet-sized context.
- ``live_server``: base URL (``http://127.0.0.1:<port>``) of the ``app`` fixture, served in a thread.
- ``make_link(form_id="everything", **link_columns)``: the full URL of a new distribution link.
- ``axe(page)``: axe-core's violations on the page as it stands; ``screenshot(page, name)``: a PNG
  of the viewport in ``docs/screenshots/<name>.png``.

The app is on SQLite only: what a browser sees does not depend on the database.
"""
from __future__ import annotations

import io
import os
import shutil
import threading
from pathlib import Path

import pytest
from PIL import Image
from werkzeug.serving import WSGIRequestHandler, make_server

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
AXE_RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
TABLET = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}
# Running as root in a container without a display; no traffic may leave 127.0.0.1 (no DNS either).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright():
    """Playwright's sync API, started once for the session (it runs its own event loop in a greenlet)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright):
    """The one headless Chromium of the session (Debian's; a missing one fails, it is never downloaded)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run 'make test', which installs Debian's chromium")
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_context(browser):
    """Factory: a fresh browser context (German, tablet-sized unless told otherwise), closed after the test.

    :param options: anything ``browser.new_context`` takes, e.g. ``java_script_enabled=False``
    """
    contexts = []

    def make(**options):
        options = {"locale": "de-DE", "viewport": TABLET, **options}
        context = browser.new_context(**options)
        # A hung page should fail the test in seconds, not after Playwright's 30 s default; 15 s leaves room
        # for a loaded 2-core CI machine (5 s made a kiosk click time out once under double load).
        context.set_default_timeout(15000)
        contexts.append(context)
        return context
    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def database_url(sqlite_template, tmp_path) -> str:
    """Browser tests run on SQLite only (overrides the SQLite/PostgreSQL parametrisation)."""
    path = tmp_path / "proconnect.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


class _QuietHandler(WSGIRequestHandler):
    # pytest shows captured output of failing tests only, but one line per asset request drowns the useful ones.
    def log_request(self, code="-", size="-"):
        if str(code).startswith(("4", "5")) and code != 404:
            super().log_request(code, size)


def _closing(app):
    """``app``, but its answer is closed even when the browser hangs up while it is sent.

    Werkzeug's development server leaves an answer unclosed when the connection drops (a test moves on
    while a font still streams); the open file's ResourceWarning then fails whichever test runs next.
    """
    def wsgi(environ, start_response):
        answer = app(environ, start_response)
        try:
            yield from answer
        finally:
            if hasattr(answer, "close"):
                answer.close()
    return wsgi


@pytest.fixture
def live_server(app) -> str:
    """Serve ``app`` on 127.0.0.1 (free port) in a thread; :return: its base URL, without a trailing slash."""
    server = make_server("127.0.0.1", 0, _closing(app), threaded=True, request_handler=_QuietHandler)
    # A short poll interval makes shutdown take milliseconds instead of half a second per test.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def make_link(make_link, live_server):
    """Factory: a new distribution link (same arguments as the parent fixture); :return: its full URL."""
    def make(form_id="everything", **kw):
        return f"{live_server}/f/{make_link(form_id, **kw)}"
    return make


@pytest.fixture(scope="session")
def axe():
    """``axe(page)``: the axe-core violations (WCAG 2.1 A/AA and best practice) of the page as it stands."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run 'make test', which runs 'npm ci'")

    source = AXE.read_text()

    def run(page) -> list[dict]:
        # Evaluated through DevTools, which the page's Content-Security-Policy does not govern
        # (``add_script_tag`` inserts an inline script, which the CSP rightly blocks).
        if not page.evaluate("typeof window.axe === 'object'"):
            page.evaluate(source)
        result = page.evaluate("rules => axe.run(document, {runOnly: {type: 'tag', values: rules}})", AXE_RULES)
        return result["violations"]
    return run


@pytest.fixture(scope="session")
def screenshot():
    """``screenshot(page, name)``: save the viewport as ``docs/screenshots/<name>.png``; :return: its path."""
    def take(page, name: str, full_page: bool = False) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        png = page.screenshot(full_page=full_page, animations="disabled", caret="hide")
        # A 256-colour palette keeps flat UI shots sharp at about a third of the size (they live in git).
        out = io.BytesIO()
        Image.open(io.BytesIO(png)).convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT).save(
            out, "PNG", optimize=True)
        path.write_bytes(out.getvalue())
        return path
    return take
