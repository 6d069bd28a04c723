"""Fixtures for the tests of the PDF worker: the app as deployed (jobs wait in SQLite in the instance folder)
and the real ``proconnect jobs worker`` process on the same instance folder and database."""
from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import _config
from proconnect import create_app
from proconnect.extensions import db

PROCONNECT = Path(sys.executable).parent / "proconnect"
PR_SET_PDEATHSIG = 1


def _stop_with_parent() -> None:
    """In the child: SIGINT when the test process dies (a killed test run must not leave a worker behind)."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGINT)


@pytest.fixture
def app(database_url, tmp_path, forms_dir):
    """The app as deployed: jobs wait in SQLite in the instance folder until a worker takes them."""
    app = create_app(_config(tmp_path, database_url, forms_dir) | {"JOBS_IMMEDIATE": False})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def worker(app, tmp_path):
    """Factory: start ``proconnect jobs worker`` on the same instance folder and database; stopped at the end."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env |= {"PROCONNECT_INSTANCE": str(tmp_path), "PYTHONWARNINGS": "ignore"}
    log = tmp_path / "worker.log"
    processes = []

    def start():
        config = {k: v for k, v in _config(tmp_path, app.config["SQLALCHEMY_DATABASE_URI"],
                                           Path(app.config["FORMS_DIR"])).items() if k != "INSTANCE_PATH"}
        # The mail server a test set up (tests/test_outbox_worker.py), as the web side knows it.
        config |= {k: v for k, v in app.config.items() if k.startswith("MAIL_")}
        (tmp_path / "config.py").write_text("".join(f"{k} = {v!r}\n" for k, v in config.items())
                                            + "JOBS_IMMEDIATE = False\nTESTING = False\n")
        with open(log, "ab") as out:
            processes.append(subprocess.Popen([str(PROCONNECT), "jobs", "worker"], env=env, stdout=out,
                                              stderr=subprocess.STDOUT, start_new_session=True,
                                              preexec_fn=_stop_with_parent))
    yield start
    for process in processes:
        # SIGINT: Huey's graceful stop; the worker is in a session of its own, stopped by its own id.
        process.send_signal(signal.SIGINT)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
