"""Kiosks reconnecting after a dropped Wi-Fi: 30 tablets each send 50 queued submissions at once.

Each simulated kiosk does what kiosk.js does when the network returns: it POSTs its outbox to
``/f/<token>/sync``, one submission after the other, each with the idempotency key made when the
person started. A share of the replies is "lost" (the kiosk sends that submission again, as it
would after a dropped reply), so exactly-once is measured under load, not assumed.

Prints the time to drain every outbox, submissions sent vs stored (must be equal) and duplicates
(must be 0). Runs gunicorn (2 workers) on SQLite by default, or on ``--database-url``.
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import secrets
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from formdef import FORM_ID, answers, write_forms  # noqa: E402
from harness import HOST, Server, proconnect_instance, run_cli, stop_on_sigterm  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--kiosks", type=int, default=30, help="tablets reconnecting at once")
    parser.add_argument("--queued", type=int, default=50, help="submissions waiting on each tablet")
    parser.add_argument("--lost-replies", type=float, default=0.1,
                        help="share of replies lost on the way back (the kiosk sends those again)")
    parser.add_argument("--database-url", help="PostgreSQL URL (an empty database); default: SQLite")
    return parser.parse_args(argv)


class Kiosk(threading.Thread):
    """One tablet draining its outbox over one keep-alive connection, as kiosk.js does."""

    def __init__(self, number: int, port: int, token: str, outbox: list[str], lost: float, start: threading.Event):
        super().__init__(daemon=True)
        self.port, self.path, self.outbox, self.lost, self.start_signal = port, f"/f/{token}/sync", outbox, lost, start
        self.device = f"bench-kiosk-{number:03d}"
        self.rng = random.Random(number)
        self.statuses: list[str] = []
        self.latencies: list[float] = []
        self.failures: list[str] = []

    def _post(self, conn, body: str) -> tuple[int, str]:
        began = time.perf_counter()
        conn.request("POST", self.path, body, {"Content-Type": "application/x-www-form-urlencoded",
                                               "X-Proconnect-Queue": "1"})
        response = conn.getresponse()
        data = response.read().decode()
        self.latencies.append(time.perf_counter() - began)
        return response.status, data

    def run(self):
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        self.start_signal.wait()
        while self.outbox:
            body = self.outbox[0] + "&" + urlencode({"_kiosk": self.device, "_pending": len(self.outbox) - 1})
            try:
                status, data = self._post(conn, body)
            except (OSError, http.client.HTTPException) as exc:
                self.failures.append(repr(exc))
                conn.close()
                conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
                continue
            if status != 200:
                self.failures.append(f"{status}: {data[:200]}")
                self.outbox.pop(0)
                continue
            kind = "stored" if '"stored"' in data else "duplicate" if '"duplicate"' in data else data
            self.statuses.append(kind)
            if self.rng.random() < self.lost:
                continue  # the reply never arrived: the same submission goes out again
            self.outbox.pop(0)
        conn.close()


def outbox_of(kiosk: int, queued: int, rng: random.Random) -> tuple[list[str], set[str]]:
    bodies, keys = [], set()
    for i in range(queued):
        key = secrets.token_urlsafe(24)
        keys.add(key)
        pairs, _ = answers(kiosk * 1000 + i, rng)
        bodies.append(urlencode(pairs + [("_key", key), ("_nav", "submit"), ("_lang", rng.choice(["ar", "fa", "uk"]))]))
    return bodies, keys


def instance(folder: Path, database_url: str | None) -> dict:
    """A fresh instance with the benchmark form and a cohort, on SQLite or an empty PostgreSQL database."""
    if not database_url:
        return proconnect_instance(folder)[0]
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(DATABASE_URL=database_url, PROCONNECT_INSTANCE=str(folder / "instance"),
               PROCONNECT_FORMS=str(write_forms(folder / "forms")), PYTHONDONTWRITEBYTECODE="1")
    run_cli(env, "init")
    run_cli(env, "cohorts", "create", "bench", "--title", "Benchmark")
    return env


def count_stored(env: dict, keys: set[str]) -> tuple[int, int, int]:
    """Responses stored, how many of them repeat a key, and how many sent keys are missing."""
    from sqlalchemy import create_engine, text
    url = env.get("DATABASE_URL") or f"sqlite:///{Path(env['PROCONNECT_INSTANCE']) / 'proconnect.sqlite3'}"
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        rows = [r[0] for r in conn.execute(text("SELECT idempotency_key FROM response WHERE form_id = :f"),
                                           {"f": FORM_ID})]
    engine.dispose()
    return len(rows), len(rows) - len(set(rows)), len(keys - set(rows))


def main(argv=None) -> int:
    args = parse_args(argv)
    stop_on_sigterm()
    with tempfile.TemporaryDirectory(prefix="kiosk-sync-") as tmp:
        folder = Path(tmp)
        env = instance(folder, args.database_url)
        url = run_cli(env, "links", "create", "--form", FORM_ID, "--cohort", "bench", "--kiosk", "--pin", "4711")
        token = url.strip().splitlines()[0].rsplit("/f/", 1)[1]
        rng = random.Random(6)
        outboxes, sent = [], set()
        for k in range(args.kiosks):
            bodies, keys = outbox_of(k, args.queued, rng)
            outboxes.append(bodies)
            sent |= keys
        with Server("wsgi:app", Path(__file__).resolve().parent.parent, env, folder / "gunicorn.log") as server:
            start = threading.Event()
            kiosks = [Kiosk(k, server.port, token, outboxes[k], args.lost_replies, start) for k in range(args.kiosks)]
            for kiosk in kiosks:
                kiosk.start()
            began = time.perf_counter()
            start.set()
            for kiosk in kiosks:
                kiosk.join()
            drained = time.perf_counter() - began
        stored, duplicates, missing = count_stored(env, sent)
    statuses = [s for k in kiosks for s in k.statuses]
    latencies = sorted(x for k in kiosks for x in k.latencies)
    failures = [f for k in kiosks for f in k.failures]
    print(f"kiosks {args.kiosks} x queued {args.queued} = sent {len(sent)} submissions "
          f"({len(statuses)} POSTs, {statuses.count('duplicate')} answered 'duplicate' after a lost reply)")
    print(f"time to drain: {drained:.1f} s ({len(statuses) / drained:.0f} POSTs/s); per POST median "
          f"{statistics.median(latencies) * 1000:.0f} ms, p95 {latencies[int(len(latencies) * 0.95)] * 1000:.0f} ms")
    print(f"stored {stored} vs sent {len(sent)}: {'equal' if stored == len(sent) and not missing else 'NOT EQUAL'}")
    print(f"duplicates: {duplicates}; missing: {missing}; failed requests: {len(failures)}")
    for failure in failures[:5]:
        print(f"  {failure}")
    return 0 if stored == len(sent) and not duplicates and not missing and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
