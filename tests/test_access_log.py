"""The access log gunicorn writes with ``make run``'s logger names no personal link, invitation or participant code."""
from __future__ import annotations

import http.client
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flask import url_for

from proconnect.serving import HIDDEN, redact
from smtp_server import free_port

ROOT = Path(__file__).resolve().parents[1]
#: Arguments of the routes whose value opens something or names a participant.
SECRET_ARGUMENTS = {"token": "Zq3xY9kP2mLw8RtV", "code": "K7Q2-HX4M"}


def test_every_route_that_carries_a_link_token_or_a_participant_code_is_redacted(app):
    with app.test_request_context():
        routes = [rule for rule in app.url_map.iter_rules() if set(rule.arguments) & set(SECRET_ARGUMENTS)]
        assert len(routes) >= 10  # personal links, invitations, participant pages
        for rule in routes:
            url = url_for(rule.endpoint, **{a: SECRET_ARGUMENTS.get(a, "x") if a not in ("version", "invitation_id")
                                            else 1 for a in rule.arguments}, _external=False)
            hidden = redact(f"GET {url} HTTP/1.1")
            for value in SECRET_ARGUMENTS.values():
                assert value not in hidden, f"{rule.rule}: {hidden}"


@pytest.mark.parametrize("sent, logged", [
    ("/f/Zq3xY9kP2mLw8RtV?lang=ar", f"/f/{HIDDEN}?lang=ar"),
    ("/f/Zq3xY9kP2mLw8RtV/thanks", f"/f/{HIDDEN}/thanks"),
    ("/staff/cohorts/ol-2027/participants/K7Q2-HX4M/export.json",
     f"/staff/cohorts/ol-2027/participants/{HIDDEN}/export.json"),
    ("/staff/cohorts/ol-2027/participants?code=K7Q2-HX4M&page=2", f"/staff/cohorts/ol-2027/participants?code={HIDDEN}&page=2"),
    ("/staff/cohorts/ol-2027/participants", "/staff/cohorts/ol-2027/participants"),
])
def test_only_the_secret_part_of_an_address_is_replaced(sent, logged):
    assert redact(sent) == logged


def test_gunicorn_logs_the_request_without_the_token_and_with_everything_else(tmp_path):
    # A real gunicorn worker with the logger make run uses, serving a stand-in app (what is logged does not
    # depend on the app) that redirects as the form does after the last page.
    (tmp_path / "standin.py").write_text(
        "def app(environ, start_response):\n"
        "    start_response('303 See Other', [('Location', environ['PATH_INFO'] + '/thanks'),\n"
        "                                     ('Set-Cookie', 'session=abc')])\n"
        "    return [b'']\n")
    log = tmp_path / "access.log"
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--chdir", str(tmp_path),
         "--logger-class", "proconnect.serving.RedactingLogger", "--access-logfile", str(log),
         "--access-logformat", '%(h)s "%(r)s" %(s)s "%(f)s" %({location}o)s %({set-cookie}o)s', "standin:app"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("POST", "/f/Zq3xY9kP2mLw8RtV?lang=ar", body=b"",
                                   headers={"Referer": "http://127.0.0.1/f/Zq3xY9kP2mLw8RtV"})
                assert connection.getresponse().status == 303
                connection.close()
                break
            except ConnectionRefusedError:
                time.sleep(0.1)
        for _ in range(50):
            if log.exists() and log.read_text():
                break
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=10)
    line = log.read_text()
    assert "Zq3xY9kP2mLw8RtV" not in line and "abc" not in line
    assert f'127.0.0.1 "POST /f/{HIDDEN}?lang=ar HTTP/1.1" 303 "http://127.0.0.1/f/{HIDDEN}" /f/{HIDDEN}/thanks ' \
           f"{HIDDEN}" in line

