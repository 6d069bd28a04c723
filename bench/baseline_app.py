"""The bare Flask app the benchmarks compare proconnect with (``gunicorn baseline_app:app``).

``POST /submit`` parses the form body and inserts one row into SQLite (WAL, the pragmas proconnect
uses); ``POST /check`` (the fair baseline) parses the same body, checks every answer against the form's
definition and stores the response and its answer rows in proconnect's schema (``fair_check``);
``GET /page`` renders a static template as big as proconnect's form page; ``POST /next`` parses the body and
renders the page after the sent ``_page`` as proconnect answered "Next" (``next-<n>.html``). Configured by
``BENCH_DB`` (SQLite file), ``BENCH_CHECK_DB`` (a copy of proconnect's database), ``BENCH_FORM`` (the definition's
TOML file), ``BENCH_PAGE`` (the template's file) and ``BENCH_NEXT_PAGES`` (the folder of the next pages).
"""
import os
import secrets
import sqlite3
from pathlib import Path

from flask import Flask, redirect, render_template, request
from jinja2 import DictLoader

import fair_check

app = Flask(__name__)
page = Path(os.environ["BENCH_PAGE"]).read_text(encoding="utf-8") if os.environ.get("BENCH_PAGE") else ""
_next = Path(os.environ["BENCH_NEXT_PAGES"]) if os.environ.get("BENCH_NEXT_PAGES") else None
app.jinja_loader = DictLoader({"page.html": page, **({p.name: p.read_text(encoding="utf-8")
                                                      for p in _next.glob("next-*.html")} if _next else {})})
_connection: sqlite3.Connection | None = None
_check: tuple | None = None


def connection() -> sqlite3.Connection:
    # One connection per worker process, opened after gunicorn forked it.
    global _connection
    if _connection is None:
        _connection = sqlite3.connect(os.environ["BENCH_DB"], timeout=15)
        for pragma in ("busy_timeout=15000", "journal_mode=WAL", "synchronous=NORMAL"):
            _connection.execute(f"PRAGMA {pragma}")
        _connection.execute("CREATE TABLE IF NOT EXISTS submission (id INTEGER PRIMARY KEY, "
                            "idempotency_key TEXT UNIQUE, participant_code TEXT, body TEXT)")
    return _connection


@app.get("/")
def ready():
    return "ok"


@app.post("/submit")
def submit():
    form = request.form
    db = connection()
    with db:
        db.execute("INSERT OR IGNORE INTO submission (idempotency_key, participant_code, body) VALUES (?, ?, ?)",
                   (form["_key"], form.get("participant_code"), request.get_data(as_text=True)))
    return redirect("/thanks", 303)


def check_store() -> tuple:
    """``(connection, form header, answer checks, (cohort id, link id))``, made once per worker after the fork."""
    global _check
    if _check is None:
        conn = sqlite3.connect(os.environ["BENCH_CHECK_DB"], timeout=15)
        for pragma in ("busy_timeout=15000", "journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
            conn.execute(f"PRAGMA {pragma}")
        link = conn.execute("SELECT cohort_id, id FROM link ORDER BY id LIMIT 1").fetchone()
        _check = (conn, *fair_check.rules(os.environ["BENCH_FORM"]), link)
    return _check


@app.post("/check")
def check():
    conn, form, table, link = check_store()
    try:
        fair_check.store(conn, form, table, request.form.items(multi=True), request.form["_key"], link)
    except fair_check.Invalid as exc:
        return f"invalid answer: {exc}", 400
    return redirect("/thanks", 303)


@app.get("/page")
def render_page():
    return render_template("page.html", key=secrets.token_urlsafe(24))


@app.post("/next")
def next_page():
    return render_template(f"next-{int(request.form['_page']) + 1}.html", key=request.form["_key"])
