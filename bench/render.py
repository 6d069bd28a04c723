"""Render benchmark: requests/s of proconnect's form pages vs a bare Flask route rendering a Jinja template of the
same bytes (the baseline): the GET of the first page, and the POST of "Next" that answers with the next page.

Run: ``.venv/bin/python bench/render.py --help``.
"""
from __future__ import annotations

import random
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from formdef import PAGE_COUNT, answers, by_page  # noqa: E402
from harness import (BENCH, REPO, WORKERS, Client, Load, Server, hidden_inputs, machine_load,  # noqa: E402
                     parse_args, print_loads, proconnect_instance, run_load, spread, stop_on_sigterm, verdict,
                     warm_up)


def main(argv=None) -> int:
    args = parse_args(__doc__, "requests", 2000, "requests per server and kind (GET, 'Next')", argv)
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
            (tmp / "page.html").write_text(_as_template(page), encoding="utf-8")
            # Each browser walks through the form once; "Next" is then measured with the bodies it sent.
            rng = random.Random(1)
            walks = [_walk(client, path, number, rng) for number, client in enumerate(ours_clients)]
            for index, reply in enumerate(walks[0][1], start=1):
                (tmp / f"next-{index}.html").write_text(_as_template(reply), encoding="utf-8")
            # Both servers run all along; only the one under load uses the cores.
            with Server("baseline_app:app", BENCH, {**env, "BENCH_PAGE": str(tmp / "page.html"),
                                                     "BENCH_NEXT_PAGES": str(tmp)}, tmp / "baseline.log") as base_server:
                base_clients = Client.many(base_server.port, args.clients)
                warm_up(base_clients, "/page")
                base_page = base_clients[0].request("GET", "/page")[2]
                ours, base = Load("proconnect: first page (GET)"), Load("baseline: static Jinja template")
                ours_next, base_next = Load("proconnect: 'Next' (POST)"), Load("baseline: POST, template")
                bodies = [bodies for bodies, _replies in walks]
                for numbers in _rounds(args):
                    ours.add(run_load(ours.name, ours_clients, numbers, _getter(path)))
                    base.add(run_load(base.name, base_clients, numbers, _getter("/page")))
                    ours_next.add(run_load(ours_next.name, ours_clients, numbers, _poster(path, bodies)))
                    base_next.add(run_load(base_next.name, base_clients, numbers, _poster("/next", bodies)))

    print(f"\nrender: {args.clients} clients, {args.requests} requests per server and kind in {args.rounds} "
          f"alternating rounds, gunicorn {WORKERS} sync workers; {load_before}")
    print_loads((ours, base, ours_next, base_next))
    print(f"first page: proconnect {len(page):,} bytes, baseline {len(base_page):,} bytes; 'Next' answers with pages "
          f"2-{PAGE_COUNT} of {', '.join(f'{len(r):,}' for r in walks[0][1])} bytes (the baseline the same)")
    print(verdict("proconnect first page (GET)", ours.rate / base.rate if base.rate else 0.0))
    print(verdict("proconnect 'Next' (POST)", ours_next.rate / base_next.rate if base_next.rate else 0.0))
    return 0


def _walk(client: Client, path: str, number: int, rng: random.Random) -> tuple[list, list[bytes]]:
    """One person through the form with "Next" on every page but the last.

    :return: ``(the bodies sent, the pages they were answered with)``
    """
    answered = by_page(answers(number, rng)[0])
    page = client.request("GET", path)[2]
    bodies, replies = [], []
    for index in range(PAGE_COUNT - 1):
        body = hidden_inputs(page.decode()) + answered[index] + [("_nav", "next")]
        status, _, page = client.request("POST", path, body)
        if status != 200 or _next_page(index) not in page:
            raise RuntimeError(f"'Next' on page {index + 1} did not answer with the next page: HTTP {status}")
        bodies.append(body)
        replies.append(page)
    return bodies, replies


def _next_page(index: int) -> bytes:
    return f'name="_page" value="{index + 1}"'.encode()


def _rounds(args) -> list[list[list[int]]]:
    """For each round, each client's share of the requests."""
    mine = spread(list(range(args.requests)), args.clients)
    return [[numbers[r::args.rounds] for numbers in mine] for r in range(args.rounds)]


def _getter(path: str):
    def get(client: Client, _) -> str | None:
        status, _, data = client.request("GET", path)
        return None if status == 200 else f"HTTP {status} {data[:120]!r}"
    return get


def _poster(path: str, bodies: list[list]):
    """POST "Next" with the bodies browser ``i`` sent on its walk (``bodies[i]``), page after page, again and again.

    A "Next" stores nothing, so the same body may be sent any number of times. Browser ``i`` of ``n`` is given the
    request numbers ``i``, ``i + n``, … (``_rounds``): proconnect's and the baseline's browser ``i`` send the same.
    """
    def post(client: Client, number: int) -> str | None:
        # Each browser takes its pages in turn (a thread of its own: no lock needed).
        index = client.sent = (getattr(client, "sent", -1) + 1) % (PAGE_COUNT - 1)
        browser = number % len(bodies)
        status, _, data = client.request("POST", path, bodies[browser][index])
        if status != 200 or _next_page(index) not in data:
            return f"HTTP {status} {data[:120]!r}"
        return None
    return post


def _as_template(page: bytes) -> str:
    """Proconnect's page as a static Jinja template of the same size; only the form's key is filled in."""
    html = page.decode()
    parts = re.split(r'(?<=name="_key" value=")[^"]*', html, maxsplit=1)
    return "{{ key }}".join("{% raw %}" + part + "{% endraw %}" for part in parts)


if __name__ == "__main__":
    sys.exit(main())
