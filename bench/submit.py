"""Submission benchmark: concurrent browsers submit a competence-check-sized form to proconnect, and the same
bodies go to two bare Flask endpoints: the fair baseline, which checks every answer and stores the response
and its answer rows in a copy of proconnect's database, and one that inserts one row (for reference).

Prints submissions/s, p50/p95 latency, and the submissions stored vs sent; exits 1 only when a submission
was lost or stored twice. Run: ``.venv/bin/python bench/submit.py --help``.
"""
from __future__ import annotations

import random
import sqlite3
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from formdef import FORM_ID, answers, from_last_page  # noqa: E402
from harness import (BENCH, REPO, WORKERS, Client, Load, Server, hidden_inputs, machine_load, print_loads,  # noqa: E402
                     parse_args, proconnect_instance, run_load, spread, stop_on_sigterm, thanks_location, verdict,
                     warm_up)


def _more_options(parser):
    parser.add_argument("--double-taps", type=float, default=0.01,
                        help="share of extra submissions POSTed twice at the same moment, and of stored ones "
                             "POSTed again later (a retry); neither may be stored twice")
    parser.add_argument("--seed", type=int, default=1, help="seed of the random answers")


def main(argv=None) -> int:
    args = parse_args(__doc__, "submissions", 2000, "submissions in total (each: GET, then POST)", argv,
                      _more_options)
    stop_on_sigterm()
    load_before = machine_load()
    rng = random.Random(args.seed)
    twins = max(1, round(args.submissions * args.double_taps)) if args.double_taps > 0 else 0
    people = [answers(n, rng) for n in range(args.submissions + twins)]
    with tempfile.TemporaryDirectory(prefix="proconnect-bench-") as tmp:
        tmp = Path(tmp)
        env, token = proconnect_instance(tmp)
        # The fair baseline writes into a copy of the fresh database: same schema, same link, its own keys.
        with sqlite3.connect(tmp / "instance" / "proconnect.sqlite3") as source, \
                sqlite3.connect(tmp / "fair.sqlite3") as copy:
            source.backup(copy)
        bare_env = {**env, "BENCH_DB": str(tmp / "baseline.sqlite3"), "BENCH_CHECK_DB": str(tmp / "fair.sqlite3"),
                    "BENCH_FORM": str(Path(env["PROCONNECT_FORMS"]) / FORM_ID / "v1.toml")}
        # Both servers run all along; only the one under load uses the cores.
        with Server("wsgi:app", REPO, env, tmp / "proconnect.log") as ours, \
                Server("baseline_app:app", BENCH, bare_env, tmp / "baseline.log") as bare:
            run = Run(token, people, args, Client.many(ours.port, args.clients),
                      Client.many(bare.port, args.clients), (ours, bare))
            run.rounds()
            run.double_taps(ours.port, twins)
        stored = _stored(tmp / "instance" / "proconnect.sqlite3")
        with sqlite3.connect(tmp / "baseline.sqlite3") as conn:
            base_rows = conn.execute("SELECT count(*) FROM submission").fetchone()[0]
        fair = _stored(tmp / "fair.sqlite3")

    body_size = sum(len(urlencode(b)) for b in run.bodies if b) / max(1, sum(1 for b in run.bodies if b))
    n_answers = sum(len(p) for p, _ in people) / len(people)
    print(f"\nsubmit: {args.clients} clients, {args.submissions} submissions of ~{n_answers:.0f} answers "
          f"(~{body_size / 1024:.1f} KiB body) in {args.rounds} alternating rounds, gunicorn {WORKERS} sync "
          f"workers, SQLite WAL; {load_before}")
    print_loads((run.opened, run.posted, run.again, run.fair, run.base))

    codes = {people[n][0][0][1] for n in run.sent}
    expected_rows = sum(people[n][1] for n in run.sent)
    lost = len(codes - stored["codes"])
    problems = []
    if stored["responses"] != len(codes) or lost:
        problems.append(f"proconnect stored {stored['responses']} submissions of {len(codes)} sent ({lost} lost)")
    if stored["duplicate_keys"] or stored["duplicate_codes"]:
        problems.append(f"proconnect stored duplicates: {stored['duplicate_keys']} by idempotency key, "
                        f"{stored['duplicate_codes']} by participant code")
    if stored["answers"] != expected_rows:
        problems.append(f"proconnect stored {stored['answers']} answer rows, expected {expected_rows}")
    fair_rows = sum(len(people[n][0]) for n in run.sent if n < args.submissions)  # double taps went to proconnect
    if fair["responses"] != run.base_sent or fair["answers"] != fair_rows:
        problems.append(f"fair baseline stored {fair['responses']} of {run.base_sent} sent, "
                        f"{fair['answers']} answer rows of {fair_rows}")
    if base_rows != run.base_sent:
        problems.append(f"baseline stored {base_rows} rows of {run.base_sent} sent")
    print(f"\nstored: proconnect {stored['responses']} of {len(codes)} sent "
          f"({len(run.posted.latencies) + len(run.again.latencies)} POSTs with double taps and retries), "
          f"duplicates by idempotency key {stored['duplicate_keys']}, answer rows {stored['answers']} of "
          f"{expected_rows}; fair baseline {fair['responses']} of {run.base_sent}, answer rows {fair['answers']} of "
          f"{fair_rows}; one-row baseline {base_rows} of {run.base_sent}")
    cycle = run.posted.count / (run.opened.seconds + run.posted.seconds) if run.posted.seconds else 0.0
    print(f"submissions/s: proconnect {run.posted.rate:.1f}, fair baseline {run.fair.rate:.1f}, one-row baseline "
          f"{run.base.rate:.1f}; proconnect's full browser cycle (GET + POST) {cycle:.1f}/s")
    print("server CPU per request (gunicorn's master and workers, from /proc): " + ", ".join(
        f"{load.name.split(' (')[0]} {run.server_cpu.get(load.name, 0.0) / max(1, len(load.latencies)) * 1000:.2f} ms"
        for load in (run.opened, run.posted, run.fair, run.base)))
    print(f"proconnect / one-row baseline: {run.posted.rate / run.base.rate if run.base.rate else 0.0:.2f} "
          f"(for reference)")
    print(verdict("proconnect submit throughput vs the fair baseline",
                  run.posted.rate / run.fair.rate if run.fair.rate else 0.0))
    for problem in problems:
        print(f"CORRECTNESS FAILURE: {problem}")
    return 1 if problems else 0


def _post(client: Client, path: str, body, ok) -> str | None:
    status, headers, data = client.request("POST", path, body)
    if status == 303 and ok(headers):
        return None
    return f"HTTP {status} {data[:120]!r}"


class Run:
    """The load on both servers and what was sent; each browser only ever posts forms it opened itself."""

    def __init__(self, token: str, people: list, args, ours: list[Client], bare: list[Client], servers: tuple):
        self.path, self.token, self.people, self.args = f"/f/{token}", token, people, args
        self.ours, self.bare = ours, bare
        #: (proconnect's server, the baselines' server), and the CPU each used under each phase's load
        self.servers, self.server_cpu = servers, {}
        self.bodies: list = [None] * len(people)
        self.sent: set[int] = set()
        self.base_sent = 0
        self.opened = Load("proconnect: open form (GET)")
        self.posted = Load("proconnect: submit (POST)")
        self.again = Load("proconnect: double taps + retries")
        self.fair = Load("fair baseline: check + store answers (POST)")
        self.base = Load("baseline: insert one row (POST)")

    def open_form(self, client: Client, n: int) -> str | None:
        status, _, data = client.request("GET", self.path)
        if status != 200:
            return f"HTTP {status} {data[:120]!r}"
        self.bodies[n] = from_last_page(hidden_inputs(data.decode())) + self.people[n][0] + [("_nav", "submit")]
        return None

    def submit(self, client: Client, n: int) -> str | None:
        if self.bodies[n] is None:
            return "not opened"
        self.sent.add(n)  # from many threads: set.add is atomic
        return _post(client, self.path, self.bodies[n], lambda h: thanks_location(h, self.token))

    def submit_bare(self, client: Client, n: int) -> str | None:
        if self.bodies[n] is None:
            return "not opened"
        return _post(client, "/submit", self.bodies[n], lambda h: h.get("Location", "").endswith("/thanks"))

    def submit_fair(self, client: Client, n: int) -> str | None:
        if self.bodies[n] is None:
            return "not opened"
        return _post(client, "/check", self.bodies[n], lambda h: h.get("Location", "").endswith("/thanks"))

    def rounds(self) -> None:
        """Each round: proconnect's browsers open their forms, then submit them; then the baselines' turns."""
        warm_up(self.ours, self.path)
        warm_up(self.bare, "/")
        n_clients, n_rounds = len(self.ours), self.args.rounds
        mine = spread(list(range(self.args.submissions)), n_clients)
        for r in range(n_rounds):
            jobs = [numbers[r::n_rounds] for numbers in mine]
            self._phase(self.opened, self.ours, jobs, self.open_form)
            self._phase(self.posted, self.ours, jobs, self.submit)
            self.base_sent += sum(self.bodies[n] is not None for numbers in jobs for n in numbers)
            self._phase(self.fair, self.bare, jobs, self.submit_fair)
            self._phase(self.base, self.bare, jobs, self.submit_bare)

    def _phase(self, load: Load, clients: list[Client], jobs: list, work) -> None:
        """One round of a phase, with the CPU the server under load used meanwhile (the other one idles)."""
        server = self.servers[0] if clients is self.ours else self.servers[1]
        before = server.cpu_seconds()
        load.add(run_load(load.name, clients, jobs, work))
        self.server_cpu[load.name] = self.server_cpu.get(load.name, 0.0) + server.cpu_seconds() - before

    def double_taps(self, port: int, twins: int) -> None:
        """Two copies of one browser send the same new submission at once; a retry sends a stored one again.

        Both must be answered with the thank-you page, and nothing may be stored twice.
        """
        browsers, jobs = [], []
        for n in range(self.args.submissions, self.args.submissions + twins):
            owner = self.ours[n % len(self.ours)]
            if self.open_form(owner, n) is not None:
                continue
            for _ in range(2):
                twin = Client(port)
                twin.cookies = dict(owner.cookies)
                browsers.append(twin)
                jobs.append([n])
        for n in random.Random(self.args.seed + 1).sample(sorted(self.sent), min(twins, len(self.sent))):
            browsers.append(self.ours[n % len(self.ours)])
            jobs.append([n])
        if browsers:
            self.again.add(run_load(self.again.name, browsers, jobs, self.submit))


def _stored(db: Path) -> dict:
    """Counts in proconnect's database: responses, duplicates, answer rows, participant codes."""
    with sqlite3.connect(db) as conn:
        responses, keys, distinct_codes = conn.execute(
            "SELECT count(*), count(DISTINCT idempotency_key), count(DISTINCT participant_code) FROM response"
        ).fetchone()
        answers_count = conn.execute("SELECT count(*) FROM answer").fetchone()[0]
        codes = {row[0] for row in conn.execute("SELECT participant_code FROM response")}
    return {"responses": responses, "duplicate_keys": responses - keys, "duplicate_codes": responses - distinct_codes,
            "answers": answers_count, "codes": codes}


if __name__ == "__main__":
    sys.exit(main())
