"""Profile of the form pages, in process (Flask test client, cProfile): the GET of the first page and the POSTs
that answer with the next page ("Next" on every page but the last).

Builds the same instance and form as ``render.py``. Prints CPU per request and the costliest calls; ``--out``
keeps the raw profile for ``python -m pstats``. Run: ``.venv/bin/python bench/profile_render.py --help``.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

from werkzeug.datastructures import MultiDict

sys.path.insert(0, str(Path(__file__).resolve().parent))

from formdef import PAGE_COUNT, answers, by_page  # noqa: E402
from harness import hidden_inputs, in_process, machine_load  # noqa: E402
from profile_submit import HEADERS, WARM_UP  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400, help="profiled requests of each kind (after 20)")
    parser.add_argument("--kind", choices=("get", "next", "both"), default="both",
                        help="profile the GET of the first page, the POSTs of 'Next', or both")
    parser.add_argument("--plain", action="store_true", help="time without the profiler (CPU per request only)")
    parser.add_argument("--out", help="write the raw profile to this file")
    parser.add_argument("--top", type=int, default=45, help="calls to print, by cumulative time")
    args = parser.parse_args(argv)
    load_before = machine_load()
    with tempfile.TemporaryDirectory(prefix="proconnect-profile-") as tmp:
        app, token = in_process(Path(tmp))
        path, rng = f"/f/{token}", random.Random(1)
        client = app.test_client()
        steps = _walks(client, path, rng, args.requests + WARM_UP)
        for _ in range(WARM_UP):
            client.get(path, headers=HEADERS)
        for body in steps[:WARM_UP]:
            _next(client, path, body)
        profile = cProfile.Profile()
        figures = []
        if args.kind in ("get", "both"):
            cpu = time.process_time()
            _profiling(profile, not args.plain)
            for _ in range(args.requests):
                client.get(path, headers=HEADERS)
            profile.disable()
            figures.append(f"GET first page {(time.process_time() - cpu) / args.requests * 1000:.2f} ms")
        if args.kind in ("next", "both"):
            cpu = time.process_time()
            _profiling(profile, not args.plain)
            for body in steps[WARM_UP:]:
                _next(client, path, body)
            profile.disable()
            figures.append(f"POST 'Next' {(time.process_time() - cpu) / args.requests * 1000:.2f} ms")
    print(f"{path}: CPU per request{'' if args.plain else ' under cProfile'}: {', '.join(figures)} ({args.requests} profiled of each); "
          f"{load_before}")
    if args.plain:
        return 0
    if args.out:
        profile.dump_stats(args.out)
    pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)
    return 0


def _profiling(profile: cProfile.Profile, on: bool) -> None:
    if on:
        profile.enable()


def _walks(client, path: str, rng: random.Random, count: int) -> list[MultiDict]:
    """``count`` bodies of "Next" as browsers walking through the form send them (every page but the last)."""
    bodies = []
    number = 0
    while len(bodies) < count:
        pages = by_page(answers(number, rng)[0])
        page = client.get(path, headers=HEADERS).get_data(as_text=True)
        for index in range(PAGE_COUNT - 1):
            body = MultiDict(hidden_inputs(page) + pages[index] + [("_nav", "next")])
            bodies.append(body)
            page = _next(client, path, body)
        number += 1
    return bodies[:count]


def _next(client, path: str, body: MultiDict) -> str:
    response = client.post(path, data=body, headers=HEADERS)
    if response.status_code != 200 or f'name="_page" value="{int(body["_page"]) + 1}"' not in response.get_data(
            as_text=True):
        raise SystemExit(f"'Next' did not answer with the next page: HTTP {response.status_code}, "
                         f"{response.get_data()[:300]!r}")
    return response.get_data(as_text=True)


if __name__ == "__main__":
    sys.exit(main())
