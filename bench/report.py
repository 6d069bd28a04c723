"""Report benchmark: aggregation, HTML and PDF time and peak memory for 1,000 / 10,000 / 100,000 competence checks.

Answers are made by the demo generator from the real ``competence-check`` definition (conditions, scores,
not-shown rows and all) and written straight into the tables in bulk, because submitting 100,000 forms
through the web would measure the form, not the report. Each size runs in a fresh process, so the peak
memory (ru_maxrss) belongs to that size alone.

Run: ``.venv/bin/python bench/report.py`` (SQLite in a temporary folder) or with
``--database postgresql+psycopg://postgres@127.0.0.1:55432/<db>`` (the tables are created there).

``--demo 40`` times the PDF a coordinator downloads instead: the cohort report of ``proconnect demo
--participants 40`` (5 instruments, ~165 responses), built, rendered to HTML and laid out to PDF ``--rounds``
times in one process (``--out`` keeps the PDF to look at).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

FORM = "competence-check"
LANGUAGES = ["ar", "fa", "uk", "de", "ps", "tr", "ti", "ru", "kmr", "ckb", "en"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="numbers of responses, comma-separated")
    parser.add_argument("--database", help="a PostgreSQL URL; default: SQLite in a temporary folder")
    parser.add_argument("--pdf-up-to", type=int, default=10000, help="render the PDF only up to this size")
    parser.add_argument("--demo", type=int, metavar="PARTICIPANTS",
                        help="time the PDF of a 'proconnect demo' cohort of this size instead")
    parser.add_argument("--rounds", type=int, default=3, help="with --demo: PDFs rendered one after another")
    parser.add_argument("--out", type=Path, help="with --demo: write the PDF here")
    parser.add_argument("--others", type=int, default=0,
                        help="also this many competence checks of another cohort, spread among the measured ones")
    parser.add_argument("--time-others", action="store_true",
                        help="also time the report of the other cohort (--others responses)")
    parser.add_argument("--repeat", type=int, default=1, help="build each report this many times, keep the best")
    parser.add_argument("--schema", metavar="REVISION",
                        help="with --keep: measure with the database migrated down to this revision (the before figure "
                             "of an index), e.g. 0019_notifications")
    parser.add_argument("--keep", type=Path, metavar="FOLDER",
                        help="fill the SQLite database in this folder once and reuse it in later runs (PostgreSQL: "
                             "the --database is reused); e.g. to measure a change without filling again")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a single size, in a child process
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--phase", choices=["fill", "measure"], help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _app(folder: Path, database: str | None):
    from proconnect import create_app
    uri = database or f"sqlite:///{folder / 'bench.sqlite3'}"
    return create_app({"INSTANCE_PATH": str(folder), "SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "bench",
                       "FORMS_DIR": str(REPO / "forms")})


def _pool(definition, size: int) -> list[tuple[str, dict, list[dict]]]:
    """``size`` distinct demo submissions: (language, payload, answer rows), reused round-robin below."""
    from proconnect.reports.demo import random_answers
    from proconnect.responses.util import answer_rows, compute_scores, payload
    rng, weights, pool = random.Random(size), {}, []
    for _ in range(size):
        language = rng.choice(LANGUAGES)
        values, shown = random_answers(definition, rng, language=language, code="X", today=date(2027, 6, 1),
                                       weights=weights)
        scores = compute_scores(definition, values)
        rows = answer_rows(definition, values, shown)
        rows += [{"field_id": s, "value_num": v} for s, v in scores.items() if v is not None]
        pool.append((language, payload(values, scores), rows))
    return pool


ANSWER_COLUMNS = ("response_id", "form_id", "cohort_id", "field_id", "shown", "value_text", "value_num", "value_date", "value_long")
RESPONSE_COLUMNS = ("id", "form_id", "version", "content_hash", "cohort_id", "language", "idempotency_key",
                    "participant_code", "submitted_at", "payload")


def fill(app, n: int, others: int = 0) -> int:
    """Write ``n`` competence checks with their answer rows in bulk; return the cohort id.

    2,000 distinct demo submissions (the pool) are cycled with fresh ids and codes: the report counts rows, it
    does not care whether two people answered alike, and generating 100,000 would take longer than the report.
    ``others`` more go to a second cohort, interleaved with the first one's (every k-th response is the
    measured cohort's), as responses of parallel cohorts arrive: the measured cohort's rows are spread
    over the whole table.

    Python writes the pool's answers once into a temporary table and the responses in bulk; the database
    copies each response's answers from its pool entry itself (``INSERT … SELECT``): for 100,000 responses
    (18.5 million answer rows) a tuple per answer row built in Python was most of a fill of 19 minutes.
    """
    from flask_migrate import upgrade
    from sqlalchemy import text

    from proconnect import forms_registry
    from proconnect.cohorts.models import Cohort
    from proconnect.extensions import db
    from proconnect.responses.models import FormVersion

    with app.app_context():
        postgres = db.engine.dialect.name == "postgresql"
        if postgres:
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade(directory=app.extensions["migrate"].directory)
        definition = forms_registry(app).get(FORM)
        cohort = Cohort(slug=f"bench-{n}", title=f"Benchmark {n}")
        other = Cohort(slug="bench-others", title="Other responses")
        db.session.add_all([cohort, other])
        db.session.add(FormVersion(form_id=FORM, version=definition.version, content_hash=definition.content_hash))
        db.session.commit()
        cohort_id, other_id = cohort.id, other.id
        pool = _pool(definition, min(n + others, 2000))
        total, every = n + others, (n + others) // n
        start = datetime(2027, 1, 1)
        payloads = [json.dumps(data) for _language, data, _rows in pool]
        pool_rows = [(slot, seq, r["field_id"], r.get("shown", True), r.get("value_text"), r.get("value_num"),
                      r.get("value_date"), r.get("value_long"))
                     for slot, (_language, _data, rows) in enumerate(pool) for seq, r in enumerate(rows)]

        def responses():
            measured = 0
            for i in range(total):
                mine = i % every == 0 and measured < n
                measured += mine
                yield (i + 1, FORM, definition.version, definition.content_hash, cohort_id if mine else other_id,
                       pool[i % len(pool)][0], f"bench-{n}-{i}", f"B{i:07d}",
                       start + timedelta(minutes=7 * i // max(every, 1)), payloads[i % len(pool)])

        # Indexes built once after the load, not row by row during it: several times faster for 100,000
        # responses (the same indexes in the end; the primary keys stay).
        if postgres:
            indexes = db.session.execute(text(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('answer', 'response') "
                "AND indexname NOT LIKE '%pkey' AND indexdef NOT LIKE 'CREATE UNIQUE%'")).all()
        else:
            indexes = db.session.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('answer', 'response') "
                "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'")).all()
        for name, _sql in indexes:
            db.session.execute(text(f'DROP INDEX "{name}"'))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()  # the fill's connection below changes the journal mode: it must be the only one
        copy_answers = (
            f"INSERT INTO answer ({', '.join(ANSWER_COLUMNS)}) "
            f"SELECT r.id, r.form_id, r.cohort_id, p.field_id, p.shown, p.value_text, p.value_num, p.value_date, p.value_long "
            f"FROM response r CROSS JOIN pool_answer p WHERE p.slot = (r.id - 1) % {len(pool)} ORDER BY r.id, p.seq")
        raw = db.engine.raw_connection()
        try:
            cur = raw.cursor()
            if postgres:
                # No foreign-key trigger per answer row (the rows are made consistent here).
                cur.execute("SET session_replication_role = replica")
                cur.execute("CREATE TEMPORARY TABLE pool_answer (slot int, seq int, field_id text, shown boolean, "
                            "value_text text, value_num float, value_date date, value_long text)")
                with cur.copy("COPY pool_answer FROM STDIN") as copy:
                    for row in pool_rows:
                        copy.write_row(row)
                with cur.copy(f"COPY response ({', '.join(RESPONSE_COLUMNS)}) FROM STDIN") as copy:
                    for row in responses():
                        copy.write_row(row)  # the payload as JSON text
            else:
                # Nothing of the fill needs to survive a crash: no journal, no fsync, no foreign-key checks.
                cur.execute("PRAGMA journal_mode = OFF")
                cur.execute("PRAGMA synchronous = OFF")
                cur.execute("PRAGMA foreign_keys = OFF")
                cur.execute("PRAGMA cache_size = -400000")
                cur.execute("CREATE TEMPORARY TABLE pool_answer (slot, seq, field_id, shown, value_text, value_num, "
                            "value_date, value_long)")
                # Dates as SQLAlchemy would store them.
                cur.executemany("INSERT INTO pool_answer VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                [r[:6] + (r[6].isoformat() if r[6] else None, r[7]) for r in pool_rows])
                cur.executemany(f"INSERT INTO response ({', '.join(RESPONSE_COLUMNS)}, test) VALUES "
                                f"({', '.join('?' * len(RESPONSE_COLUMNS))}, 0)",
                                (r[:-2] + (r[-2].strftime("%Y-%m-%d %H:%M:%S.%f"), r[-1]) for r in responses()))
            cur.execute("CREATE INDEX pool_answer_slot ON pool_answer (slot, seq)")
            cur.execute(copy_answers)
            raw.commit()
            for _name, sql in indexes:
                cur.execute(sql)
            if not postgres:
                cur.execute("PRAGMA journal_mode = WAL")
            raw.commit()
        finally:
            raw.close()
        if postgres:
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        return cohort_id


def _server_cpu():
    """A function returning the CPU seconds PostgreSQL spent for this session so far (0 for SQLite or a remote server).

    The session's backend process, plus the reaped children of the postmaster (parallel workers end with
    their query): read from /proc, so only for a server on this machine that this user may look at.
    """
    from sqlalchemy.exc import DBAPIError

    from proconnect.extensions import db
    if db.engine.dialect.name != "postgresql":
        return lambda: 0.0
    try:
        pid = db.session.scalar(db.text("SELECT pg_backend_pid()"))
        folder = db.session.scalar(db.text("SHOW data_directory"))
        postmaster = int(Path(folder, "postmaster.pid").read_text().split()[0])
        tick = os.sysconf("SC_CLK_TCK")

        def times(process, first):
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[first]) + int(fields[first + 1])) / tick

        times(pid, 11)
    except (OSError, ValueError, IndexError, DBAPIError):  # not superuser, or another machine's server
        return lambda: 0.0
    # utime + stime of the backend; cutime + cstime of the postmaster (its exited workers)
    return lambda: times(pid, 11) + times(postmaster, 13)


def measure(n: int, folder: Path, database: str | None, pdf: bool, also_others: bool = False,
            repeat: int = 1, schema: str | None = None) -> dict:
    """Time aggregation, HTML and PDF of the full cohort report (filled by an earlier process)."""
    from proconnect import forms_registry
    from proconnect.cohorts.models import Cohort
    from proconnect.extensions import db
    from proconnect.reports import aggregation
    from proconnect.reports.builder import build_cohort_report
    from proconnect.pdf import render_pdf
    from proconnect.reports.render import render_standalone

    from flask_migrate import downgrade, upgrade

    app = _app(folder, database)
    with app.app_context():
        # A kept database gets the migrations made since it was filled (e.g. new indexes), or is taken to the
        # revision asked for: the same rows measured with an older schema.
        if schema:
            try:
                downgrade(directory=app.extensions["migrate"].directory, revision=schema)
            except Exception:  # below the revision asked for (a database kept from an older tree): up, then
                upgrade(directory=app.extensions["migrate"].directory, revision=schema)
        else:
            upgrade(directory=app.extensions["migrate"].directory)
        answers = db.session.scalar(db.text("SELECT count(*) FROM answer"))
        others = db.session.scalar(db.text("SELECT count(*) FROM response r JOIN cohort c ON c.id = r.cohort_id "
                                           "WHERE c.slug = 'bench-others'"))
        cohort = db.session.scalar(db.select(Cohort).filter_by(slug=f"bench-{n}"))
        registry = forms_registry(app)
        runs, cpu, server = [], [], []
        server_cpu = _server_cpu()
        # The best of a few: on a shared machine one run can take twice as long as the next.
        for _ in range(repeat):
            t, c, s = time.perf_counter(), time.process_time(), server_cpu()
            report = build_cohort_report(registry, cohort, aggregation.Filters(cohort.id))
            runs.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            server.append(server_cpu() - s)
        aggregation_s = min(runs)
        t = time.perf_counter()
        html = render_standalone("reports/cohort_pdf.html", "de", report=report)
        html_s = time.perf_counter() - t
        pdf_s = pages = None
        if pdf:
            t = time.perf_counter()
            document = render_pdf(html)
            pdf_s = time.perf_counter() - t
            pages = document.count(b"/Type /Page\n") or document.count(b"/Type /Page")
        assert report.total_responses == n
        others_s = others_cpu = others_server = None
        if also_others and others:
            other = db.session.scalar(db.select(Cohort).filter_by(slug="bench-others"))
            t, c, s = time.perf_counter(), time.process_time(), server_cpu()
            assert build_cohort_report(registry, other, aggregation.Filters(other.id)).total_responses == others
            others_s, others_cpu = round(time.perf_counter() - t, 2), round(time.process_time() - c, 2)
            others_server = round(server_cpu() - s, 2)
    return {"responses": n, "others": others, "answer_rows": answers, "aggregation_s": round(aggregation_s, 2),
            "aggregation_runs": [round(r, 2) for r in runs],
            # SQLite works in this process: its CPU time is what a quiet machine's wall clock would show.
            "aggregation_cpu_s": round(min(cpu), 3),
            # PostgreSQL on this machine: the CPU of the session's server process and its parallel workers.
            "server_cpu_s": round(min(server), 3) if any(server) else None,
            "others_aggregation_s": others_s, "others_cpu_s": others_cpu, "others_server_cpu_s": others_server,
            "html_s": round(html_s, 2), "pdf_s": round(pdf_s, 2) if pdf_s else None, "pages": pages,
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def demo(participants: int, rounds: int, database: str | None, out: Path | None, profiles: int = 5) -> dict:
    """Fill ``proconnect demo`` into a fresh database and time its cohort report's PDF ``rounds`` times."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from proconnect import forms_registry
    from proconnect.cohorts.models import Cohort
    from proconnect.extensions import db
    from proconnect.pdf import render_pdf
    from proconnect.reports import aggregation
    from proconnect.reports.builder import build_cohort_report
    from proconnect.reports.demo import fill_demo
    from proconnect.reports.render import render_standalone

    with tempfile.TemporaryDirectory(prefix="bench-report-demo-") as folder:
        app = _app(Path(folder), database)
        with app.app_context():
            if db.engine.dialect.name == "postgresql":
                with db.engine.begin() as conn:
                    conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            upgrade(directory=app.extensions["migrate"].directory)
            cohort = Cohort(slug="demo", title="Demo-Kohorte")
            db.session.add(cohort)
            db.session.commit()
            # A fixed day: the same answers, dates and outcomes in every run.
            counts = fill_demo(forms_registry(app), cohort, participants, seed=1, today=date(2027, 6, 1))
            timings = []
            for _ in range(rounds):
                t0, c0 = time.perf_counter(), time.process_time()
                report = build_cohort_report(forms_registry(app), cohort, aggregation.Filters(cohort.id))
                t1 = time.perf_counter()
                html = render_standalone("reports/cohort_pdf.html", "de", report=report)
                t2, c2 = time.perf_counter(), time.process_time()
                document = render_pdf(html)
                t3, c3 = time.perf_counter(), time.process_time()
                timings.append((t1 - t0, t2 - t1, t3 - t2, c3 - c2, c3 - c0))
            # Profile sheets of the first participants with a competence check, one after another.
            from proconnect.reports.profile import build_profile
            from proconnect.reports.render import profile_pdf
            from proconnect.responses.models import Response
            codes = db.session.scalars(db.select(Response.participant_code).where(
                Response.cohort_id == cohort.id, Response.form_id == FORM).order_by(Response.id).limit(profiles)).all()
            sheets = []
            for code in codes:
                t0, c0 = time.perf_counter(), time.process_time()
                sheet = profile_pdf(build_profile(forms_registry(app), code, cohort.id))
                sheets.append((time.perf_counter() - t0, time.process_time() - c0,
                               sheet.count(b"/Type /Page\n") or sheet.count(b"/Type /Page")))
    if out:
        out.write_bytes(document)
    return {"responses": sum(counts.values()), "instruments": len(counts),
            "pages": document.count(b"/Type /Page\n") or document.count(b"/Type /Page"), "pdf_kb": len(document) // 1024,
            "elements": len(re.findall(r"<[a-zA-Z]", html)), "cells": len(re.findall(r"<t[dh][\s>]", html)),
            "images": html.count("<img"), "build_s": [round(t[0], 2) for t in timings],
            "html_s": [round(t[1], 2) for t in timings], "pdf_s": [round(t[2], 2) for t in timings],
            "pdf_cpu_s": [round(t[3], 2) for t in timings], "total_cpu_s": [round(t[4], 2) for t in timings],
            "profile_s": [round(t[0], 2) for t in sheets], "profile_cpu_s": [round(t[1], 2) for t in sheets],
            "profile_pages": [t[2] for t in sheets]}


def _child(*args) -> dict:
    command = [sys.executable, __file__, *map(str, args)]
    out = subprocess.run(command, check=True, capture_output=True, text=True,
                         env=os.environ | {"PYTHONWARNINGS": "ignore"}).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.demo:
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores before the run", flush=True)
        r = demo(args.demo, args.rounds, args.database, args.out)
        print(json.dumps(r))
        print(f"\ndemo of {args.demo} participants: {r['responses']} responses in {r['instruments']} instruments, "
              f"{r['pages']} pages, {r['pdf_kb']} KB; HTML {r['elements']:,} elements, {r['cells']:,} table cells, "
              f"{r['images']:,} images")
        print(f"CPU of this process: PDF {', '.join(f'{s:.2f}s' for s in r['pdf_cpu_s'])}, report + HTML + PDF "
              f"{', '.join(f'{s:.2f}s' for s in r['total_cpu_s'])} (what a quiet machine's wall clock would show)")
        print(f"wall clock: PDF {', '.join(f'{s:.2f}s' for s in r['pdf_s'])} (best {min(r['pdf_s']):.2f}s; report built in "
              f"{min(r['build_s']):.2f}s, HTML {min(r['html_s']):.2f}s)")
        best = min(r["total_cpu_s"])
        print(f"target <= 4 s for report + HTML + PDF (CPU, best round): {best:.2f}s, {'met' if best <= 4 else 'NOT met'}")
        print(f"profile sheets ({', '.join(map(str, r['profile_pages']))} pages): CPU "
              f"{', '.join(f'{s:.2f}s' for s in r['profile_cpu_s'])}, wall {', '.join(f'{s:.2f}s' for s in r['profile_s'])}")
        return 0
    if args.one and args.phase == "fill":
        t = time.perf_counter()
        fill(_app(Path(args.folder), args.database), args.one, args.others)
        print(json.dumps({"fill_s": round(time.perf_counter() - t, 1)}))
        return 0
    if args.one:
        print(json.dumps(measure(args.one, Path(args.folder), args.database, args.one <= args.pdf_up_to,
                                 args.time_others, args.repeat, args.schema)))
        return 0
    results = []
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores before the run", flush=True)
    for n in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory(prefix="bench-report-") as temporary:
            folder = args.keep or temporary
            common = ["--one", n, "--folder", folder, "--pdf-up-to", args.pdf_up_to, "--others", args.others] + (
                ["--database", args.database] if args.database else []) + (["--time-others"] if args.time_others else []) + ["--repeat", args.repeat] + (
                ["--schema", args.schema] if args.schema else [])
            marker = Path(folder) / f"filled-{n}-{args.others}"
            if args.keep and marker.exists():
                filled = json.loads(marker.read_text()) | {"reused": True}
            else:
                marker.unlink(missing_ok=True)
                # Filling and measuring in separate processes: the peak memory is the report's alone.
                filled = _child(*common, "--phase", "fill")
                if args.keep:
                    marker.write_text(json.dumps(filled))
            results.append(filled | _child(*common, "--phase", "measure"))
            print(json.dumps(results[-1]), flush=True)
    print()
    print(f"{'responses':>10} {'others':>8} {'answer rows':>12} {'fill':>8} {'aggregation':>12} {'HTML':>7} {'PDF':>7} {'pages':>6} "
          f"{'peak MB':>8}")
    for r in results:
        pdf = f"{r['pdf_s']:.2f}s" if r["pdf_s"] is not None else "–"
        print(f"{r['responses']:>10,} {r['others']:>8,} {r['answer_rows']:>12,} {r['fill_s']:>7.1f}s {r['aggregation_s']:>11.2f}s "
              f"{r['html_s']:>6.2f}s {pdf:>7} {r['pages'] or '–':>6} {r['peak_mb']:>8}")
    if len(results) > 1:
        small, large = results[0], results[-1]
        target = 2 * small["aggregation_s"] + 1
        verdict = "met" if large["aggregation_s"] <= target else "NOT met"
        print(f"\naggregation at {large['responses']:,}: {large['aggregation_s']:.2f}s; target 2 x "
              f"{small['aggregation_s']:.2f}s + 1s = {target:.2f}s: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
