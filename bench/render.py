"""Render benchmark: requests/s for GET of proconnect's form page vs a bare Flask route rendering a Jinja
template of the same size (the baseline).

Run: ``.venv/bin/python bench/render.py --help``.
"""
from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (BENCH, REPO, WORKERS, Client, Load, Server, machine_load, parse_args,  # noqa: E402
                     print_loads, proconnect_instance, run_load, spread, stop_on_sigterm, verdict, warm_up)


def main(argv=None) -> int:
    args = parse_args(__doc__, "requests", 2000, "GET requests per server", argv)
    stop_on_sigterm()
    load_before = machine_load()
    with tempfile.TemporaryDirectory(prefix="proconnect-bench-") as tmp:
        tmp = Path(tmp)
        env, token = proconnect_instance(tmp)
        path = f"/f/{token}"
        with Server("wsgi:app", REPO, env, tmp / "proconnect.log") as ours_server:
            ours_clients = Client.many(ours_server.port, args.clients)
            warm_up(ours_clients, path)
            page = ours_clients[0].request("GET", path)[2]
            template = tmp / "page.html"
            template.write_text(_as_template(page), encoding="utf-8")
            # Both servers run all along; only the one under load uses the cores.
            with Server("baseline_app:app", BENCH, {**env, "BENCH_PAGE": str(template)},
                        tmp / "baseline.log") as base_server:
                base_clients = Client.many(base_server.port, args.clients)
                warm_up(base_clients, "/page")
                base_page = base_clients[0].request("GET", "/page")[2]
                ours, base = Load("proconnect: form page"), Load("baseline: static Jinja template")
                for numbers in _rounds(args):
                    ours.add(run_load(ours.name, ours_clients, numbers, _getter(path)))
                    base.add(run_load(base.name, base_clients, numbers, _getter("/page")))

    print(f"\nrender: {args.clients} clients, {args.requests} GET requests per server in {args.rounds} alternating "
          f"rounds, gunicorn {WORKERS} sync workers; {load_before}")
    print_loads((ours, base))
    print(f"page size: proconnect {len(page):,} bytes, baseline {len(base_page):,} bytes")
    print(verdict("proconnect render throughput", ours.rate / base.rate if base.rate else 0.0))
    return 0


def _rounds(args) -> list[list[list[int]]]:
    """For each round, each client's share of the requests."""
    mine = spread(list(range(args.requests)), args.clients)
    return [[numbers[r::args.rounds] for numbers in mine] for r in range(args.rounds)]


def _getter(path: str):
    def get(client: Client, _) -> str | None:
        status, _, data = client.request("GET", path)
        return None if status == 200 else f"HTTP {status} {data[:120]!r}"
    return get


def _as_template(page: bytes) -> str:
    """Proconnect's page as a static Jinja template of the same size; only the form's key is filled in."""
    html = page.decode()
    parts = re.split(r'(?<=name="_key" value=")[^"]*', html, maxsplit=1)
    return "{{ key }}".join("{% raw %}" + part + "{% endraw %}" for part in parts)


if __name__ == "__main__":
    sys.exit(main())
