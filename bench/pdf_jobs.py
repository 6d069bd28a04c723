"""PDF benchmark (issue 14): how long until a coordinator's cohort report is ready to download, and the longest
time one request holds a web worker meanwhile, with the PDF made in the request (``JOBS_IMMEDIATE``, as before
the job runner) and by ``proconnect jobs worker`` (as deployed). A tablet GETs a form page all along: its
slowest answer shows whether a report stalls the tablets.

Run: ``.venv/bin/python bench/pdf_jobs.py --help``. The instance is ``proconnect demo`` in a temporary folder
(SQLite), served by gunicorn with 2 sync workers, as ``make run`` does.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import BIN, REPO, Client, Server, machine_load, print_table, run_cli, stop_on_sigterm  # noqa: E402

COORDINATOR, PASSWORD = "bench-coordinator", "a long benchmark passphrase, not a real one"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ADD_COORDINATOR = f"""
from sqlalchemy import select
from proconnect import create_app
from proconnect.accounts.models import CohortMember, User
from proconnect.cohorts.models import Cohort
from proconnect.extensions import db
with create_app().app_context():
    user = User(username={COORDINATOR!r}, role="coordinator", must_change_password=False)
    user.set_password({PASSWORD!r})
    db.session.add(user)
    db.session.flush()
    db.session.add(CohortMember(account_id=user.id, cohort_id=db.session.scalar(select(Cohort.id).filter_by(slug="demo"))))
    db.session.commit()
"""


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--participants", type=int, default=40, help="size of the demo cohort")
    parser.add_argument("--rounds", type=int, default=2, help="reports per mode (each with other options)")
    parser.add_argument("--coordinators", type=int, default=2, help="coordinators who click 'PDF' at the same moment")
    parser.add_argument("--logs", action="store_true", help="print the servers' and the worker's logs at the end")
    parser.add_argument("--modes", default="in the request,worker", help="which of the two, comma-separated")
    parser.add_argument("--poll", type=float, default=0.25,
                        help="seconds between two looks at the progress page (a browser's refresh is 2 s)")
    return parser.parse_args(argv)


def instance(folder: Path, participants: int) -> tuple[dict, str]:
    """A fresh instance with the demo cohort, a coordinator of it and a competence-check link; (env, token)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "PROCONNECT_FORMS")}
    env.update(PROCONNECT_INSTANCE=str(folder / "instance"), PYTHONDONTWRITEBYTECODE="1", PYTHONWARNINGS="ignore")
    run_cli(env, "init")
    run_cli(env, "demo", "--participants", str(participants))
    subprocess.run([sys.executable, "-c", ADD_COORDINATOR], env=env, cwd=REPO, check=True)
    url = run_cli(env, "links", "create", "--form", "competence-check", "--cohort", "demo").strip().splitlines()[-1]
    return env, url.rsplit("/f/", 1)[1]


class Tablet(threading.Thread):
    """GETs a form page again and again until stopped; keeps every latency."""

    def __init__(self, port: int, token: str):
        super().__init__(daemon=True)
        self.client, self.path = Client(port), f"/f/{token}"
        self.latencies: list[float] = []
        self.halt = threading.Event()

    def run(self):
        while not self.halt.is_set():
            began = time.perf_counter()
            self.client.request("GET", self.path)
            self.latencies.append(time.perf_counter() - began)
            self.halt.wait(0.2)


def sign_in(port: int) -> Client:
    client = Client(port)
    token = CSRF.search(client.request("GET", "/login")[2].decode()).group(1)
    status, _headers, _body = client.request("POST", "/login", [("username", COORDINATOR), ("password", PASSWORD),
                                                               ("csrf_token", token)])
    if status != 302:
        raise RuntimeError(f"sign-in failed with {status}")
    return client


def one_report(client: Client, min_cell: int, poll: float) -> tuple[float, float, int]:
    """Click "PDF" and follow the progress page until the download arrives.

    :return: (seconds until the PDF is in hand, the longest single request, bytes)
    """
    longest = 0.0

    def get(path):
        nonlocal longest
        began = time.perf_counter()
        answer = client.request("GET", path)
        longest = max(longest, time.perf_counter() - began)
        return answer

    began = time.perf_counter()
    status, headers, body = get(f"/reports/demo/report.pdf?min_cell={min_cell}")
    if status == 303:
        progress = headers["Location"]
        while True:
            status, _headers, page = get(progress)
            if status != 200 or b"/download" in page:
                break
            if b"pdf-job-failed" in page:
                raise RuntimeError("the PDF job failed")
            time.sleep(poll)
        status, headers, body = get(progress + "/download")
    if status != 200 or not body.startswith(b"%PDF"):
        raise RuntimeError(f"no PDF: {status}")
    return time.perf_counter() - began, longest, len(body)


def _clicks(clients: list[Client], options: list[int], poll: float) -> list:
    """Every coordinator clicks at the same moment (each a report with its own options); their outcomes."""
    results: list = [None] * len(clients)

    def click(i):
        try:
            results[i] = one_report(clients[i], options[i], poll)
        except Exception as exc:  # a benchmark reports every failure and goes on
            results[i] = exc
    threads = [threading.Thread(target=click, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _row(mode: str, label: str, results: list, slowest: float) -> list:
    done = [r for r in results if not isinstance(r, Exception)]
    failed = [f"{type(r).__name__}: {r}"[:40] for r in results if isinstance(r, Exception)]
    return [mode, label, max((r[0] for r in done), default=0.0), max((r[1] for r in done), default=0.0),
            slowest * 1000, f"{len(done)}/{len(results)}" + (f" ({failed[0]})" if failed else "")]


def measure(mode: str, env: dict, token: str, folder: Path, args) -> list[list]:
    rows = []
    worker = None
    # Each mode makes its own PDFs: none kept from the other.
    shutil.rmtree(Path(env["PROCONNECT_INSTANCE"]) / "pdfs", ignore_errors=True)
    with Server("wsgi:app", REPO, env, folder / f"gunicorn-{mode.replace(' ', '-')}.log") as server:
        try:
            if mode == "worker":
                with open(folder / "worker.log", "ab") as out:
                    # In a session of its own; stopped by its own id below.
                    worker = subprocess.Popen([str(BIN / "proconnect"), "jobs", "worker"], env=env, cwd=REPO,
                                              stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
            clients = [sign_in(server.port) for _ in range(args.coordinators)]
            for n in range(args.rounds):
                tablet = Tablet(server.port, token)
                tablet.start()
                options = [5 + n * args.coordinators + i for i in range(args.coordinators)]
                results = _clicks(clients, options, args.poll)
                tablet.halt.set()
                tablet.join()
                rows.append(_row(mode, str(n + 1), results, max(tablet.latencies, default=0.0)))
            # The same clicks again, data unchanged: the kept files.
            options = [5 + (args.rounds - 1) * args.coordinators + i for i in range(args.coordinators)]
            rows.append(_row(mode, "again", _clicks(clients, options, args.poll), 0.0))
        finally:
            if worker is not None:
                worker.send_signal(signal.SIGINT)
                try:
                    worker.wait(30)
                except subprocess.TimeoutExpired:
                    worker.kill()
    return rows


def main(argv=None) -> int:
    args = parse_args(argv)
    stop_on_sigterm()
    print(machine_load())
    with tempfile.TemporaryDirectory(prefix="proconnect-bench-pdf-") as tmp:
        folder = Path(tmp)
        env, token = instance(folder, args.participants)
        try:
            rows = []
            for mode in args.modes.split(","):
                rows += measure(mode, env | ({"PROCONNECT_JOBS_IMMEDIATE": "1"} if mode != "worker" else {}), token,
                                folder, args)
        finally:
            for log in sorted(folder.glob("*.log")):
                if args.logs:
                    print(f"--- {log.name}:\n{log.read_text()[-4000:]}", file=sys.stderr)
    print()
    print_table(["PDF made", "round", "all ready after s", "longest request s", "tablet slowest ms", "PDFs"], rows)
    print(f"\n{args.coordinators} coordinators click 'PDF' at once (each other options). 'again': the same clicks "
          "with unchanged data (kept files).\n'tablet slowest': the slowest GET of a form page meanwhile. gunicorn: "
          "2 sync workers, 30 s timeout.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
