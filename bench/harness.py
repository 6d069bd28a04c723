"""What both benchmarks share: gunicorn servers they start and always stop, a proconnect instance in a
temporary folder, a small HTTP client that keeps its cookies like a browser, and the load runner."""
from __future__ import annotations

import argparse
import html
import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
WORKERS = 2


def parse_args(doc: str, count: str, default: int, what: str, argv=None, more=lambda parser: None):
    """The options both benchmarks share (clients, rounds) plus their own count (``--submissions``, ``--requests``).

    :param more: adds a benchmark's other options to the parser
    """
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--clients", type=int, default=20, help="concurrent browsers")
    parser.add_argument(f"--{count}", type=int, default=default, help=what)
    parser.add_argument("--rounds", type=int, default=4,
                        help="proconnect and the baseline take turns this many times, so a change in the "
                             "machine's other load hits both alike")
    more(parser)
    args = parser.parse_args(argv)
    if args.clients < 1 or args.rounds < 1 or getattr(args, count) < args.clients * args.rounds:
        parser.error(f"need at least one client and one round, and one of --{count} per client and round")
    return args


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """A gunicorn server (2 sync workers) in its own process group, stopped by that group's id.

    Use it as a context manager: the server is stopped on every way out, errors and Ctrl+C included.
    """

    def __init__(self, app: str, chdir: Path, env: dict, log: Path, ready_path: str = "/"):
        self.port = free_port()
        self.argv = [str(BIN / "gunicorn"), "--bind", f"{HOST}:{self.port}", "--workers", str(WORKERS),
                     "--chdir", str(chdir), "--log-level", "warning", app]
        self.env, self.log, self.ready_path = env, log, ready_path
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        with open(self.log, "ab") as out:
            # A session of its own: the master and its workers share one group id, the master's PID.
            self.process = subprocess.Popen(self.argv, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log.read_text()[-3000:]}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", self.ready_path)
                conn.getresponse().read()
                conn.close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s:\n{self.log.read_text()[-3000:]}")

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server's processes (master and workers) have used so far, from /proc."""
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # a process that ended meanwhile
            # After the command's name: state, ppid, pgrp, … utime and stime are the 12th and 13th.
            if int(fields[2]) == self.process.pid:
                total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """Stop the master and its workers (INT: gunicorn's quick shutdown; KILL after 10 s); wait for them."""
        if self.process is None or self.process.poll() is not None:
            return
        for sig, wait in ((signal.SIGINT, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
        # Workers that outlived their master would still hold the group id: ask once more.
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def stop_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so the servers' ``finally`` blocks run when the benchmark is killed."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def run_cli(env: dict, *args: str) -> str:
    """Run the ``proconnect`` console script; return what it printed. :raise RuntimeError: when it fails."""
    done = subprocess.run([str(BIN / "proconnect"), *args], env=env, cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"proconnect {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def proconnect_instance(folder: Path) -> tuple[dict, str]:
    """A fresh instance (SQLite) with the benchmark form, a cohort and a link.

    :return: ``(environment for the app, link token)``
    """
    from formdef import FORM_ID, write_forms

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update(PROCONNECT_INSTANCE=str(folder / "instance"), PROCONNECT_FORMS=str(write_forms(folder / "forms")),
               PYTHONDONTWRITEBYTECODE="1")
    run_cli(env, "init")
    run_cli(env, "cohorts", "create", "bench", "--title", "Benchmark")
    url = run_cli(env, "links", "create", "--form", FORM_ID, "--cohort", "bench").strip().splitlines()[-1]
    return env, url.rsplit("/f/", 1)[1]


def in_process(folder: Path):
    """A proconnect app in this process on a fresh instance of :func:`proconnect_instance` (the profilers).

    :return: ``(app, link token)``
    """
    env, token = proconnect_instance(folder)
    os.environ.update(PROCONNECT_INSTANCE=env["PROCONNECT_INSTANCE"], PROCONNECT_FORMS=env["PROCONNECT_FORMS"])
    for name in ("DATABASE_URL", "SECRET_KEY"):
        os.environ.pop(name, None)
    from proconnect import create_app
    return create_app(), token


_INPUT = re.compile(r"<input\b[^>]*>")
_ATTRIBUTE = re.compile(r'([a-zA-Z_:-]+)="([^"]*)"')


def hidden_inputs(page: str) -> list[tuple[str, str]]:
    """The hidden inputs of a page (csrf_token, _key, _page, carried answers), as a browser sends them.

    A regular expression, not an HTML parser: the client shares the cores with the server it measures.
    """
    pairs = []
    for tag in _INPUT.findall(page):
        attributes = dict(_ATTRIBUTE.findall(tag))
        if attributes.get("type") == "hidden" and attributes.get("name"):
            pairs.append((html.unescape(attributes["name"]), html.unescape(attributes.get("value", ""))))
    return pairs


class Client:
    """One browser: a new connection per request (gunicorn's sync workers close it), its own cookies."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    @classmethod
    def many(cls, port: int, n: int) -> list["Client"]:
        return [cls(port) for _ in range(n)]

    def request(self, method: str, path: str, pairs=None) -> tuple[int, dict, bytes]:
        headers = {"Accept-Language": "de"}
        body = None
        if pairs is not None:
            body = urlencode(pairs).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            for value in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    self.cookies[name] = morsel.value
            return response.status, dict(response.headers), data
        finally:
            conn.close()


@dataclass
class Load:
    """What one phase of load measured."""

    name: str
    count: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    #: CPU seconds the benchmark's own client threads used meanwhile (they share the cores with the server).
    client_cpu: float = 0.0

    def add(self, other: "Load") -> "Load":
        """Count another round of the same phase in."""
        self.count += other.count
        self.seconds += other.seconds
        self.latencies += other.latencies
        self.failures += other.failures
        self.client_cpu += other.client_cpu
        return self

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """Latency in milliseconds below which ``p`` percent of the requests finished."""
        if len(self.latencies) < 2:
            return (self.latencies or [0.0])[0] * 1000
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[int(p) - 1] * 1000


def spread(jobs: list, n: int) -> list[list]:
    """Deal ``jobs`` out to ``n`` clients in turn."""
    return [jobs[i::n] for i in range(n)]


def run_load(name: str, clients: list[Client], jobs: list[list], work) -> Load:
    """Run ``work(client, job)`` for each client's jobs (``jobs[i]`` for ``clients[i]``), a thread per client.

    ``work`` returns an error text or None; the clock runs from the moment all threads start together.
    """
    per_client = jobs
    load = Load(name)
    lock = threading.Lock()
    start = threading.Barrier(len(clients) + 1)

    def loop(client, mine):
        start.wait()
        for job in mine:
            began = time.perf_counter()
            try:
                error = work(client, job)
            except Exception as exc:  # a benchmark reports every failure, of any kind, and goes on
                error = f"{type(exc).__name__}: {exc}"
            took = time.perf_counter() - began
            with lock:
                load.latencies.append(took)
                load.count += error is None
                if error:
                    load.failures.append(error)

    threads = [threading.Thread(target=loop, args=(c, m), daemon=True) for c, m in zip(clients, per_client)]
    for t in threads:
        t.start()
    start.wait()
    began, cpu = time.perf_counter(), time.process_time()
    for t in threads:
        t.join()
    load.seconds = time.perf_counter() - began
    load.client_cpu = time.process_time() - cpu
    return load


def warm_up(clients: list[Client], path: str) -> None:
    """Two unmeasured GETs per client, so every worker has its connections and caches before the clock runs."""
    def get(client, _):
        client.request("GET", path)

    run_load("warm-up", clients, [[None] * 2 for _ in clients], get)


def print_loads(loads) -> None:
    """The table of phases, then the first few distinct failures of each."""
    print_table(["phase", "requests", "req/s", "p50 ms", "p95 ms", "failed", "client CPU"],
                [[load.name, str(len(load.latencies)), load.rate, load.percentile(50), load.percentile(95),
                  str(len(load.failures)), f"{load.client_cpu / load.seconds:.0%}" if load.seconds else "-"]
                 for load in loads])
    for load in loads:
        for failure in sorted(set(load.failures))[:5]:
            print(f"  {load.name}: {failure}")


def print_table(headers: list[str], rows: list[list]) -> None:
    """A compact, aligned table on stdout."""
    text = [[str(h) for h in headers]] + [[c if isinstance(c, str) else f"{c:,.1f}" for c in r] for r in rows]
    widths = [max(len(r[i]) for r in text) for i in range(len(headers))]
    for n, r in enumerate(text):
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
        if n == 0:
            print("  ".join("-" * w for w in widths))


def machine_load() -> str:
    """The machine's load before the benchmark began: other work on its cores makes the figures noisy."""
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores before the run"


def verdict(name: str, ratio: float, target: float = 0.5) -> str:
    return f"{name}: {ratio:.2f} x baseline (target >= {target}) -> {'met' if ratio >= target else 'MISSED'}"


def thanks_location(headers: dict, token: str) -> bool:
    return bool(re.search(rf"/f/{re.escape(token)}/thanks$", headers.get("Location", "")))
