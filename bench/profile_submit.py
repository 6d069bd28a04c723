"""Profile of the POST that stores a competence check, in process (Flask test client, cProfile).

Builds the same instance and form as ``submit.py``, opens the form once per person, then profiles the
POSTs of every answer with ``_nav=submit``. Prints CPU per POST and the costliest calls; ``--out`` keeps
the raw profile for ``python -m pstats``. Run: ``.venv/bin/python bench/profile_submit.py --help``.
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

from formdef import answers, from_last_page  # noqa: E402
from harness import hidden_inputs, in_process, machine_load  # noqa: E402

WARM_UP = 20
HEADERS = {"Accept-Language": "de"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=300, help="profiled POSTs (after 20 unprofiled)")
    parser.add_argument("--out", help="write the raw profile to this file")
    parser.add_argument("--top", type=int, default=40, help="calls to print, by cumulative time")
    args = parser.parse_args(argv)
    load_before = machine_load()
    with tempfile.TemporaryDirectory(prefix="proconnect-profile-") as tmp:
        app, token = in_process(Path(tmp))
        path, rng = f"/f/{token}", random.Random(1)
        people = [answers(n, rng)[0] for n in range(args.submissions + WARM_UP)]
        # Each browser posts the form it opened: the CSRF token is bound to its session.
        browsers = [_opened(app.test_client(), path, pairs) for pairs in people]
        for client, body in browsers[:WARM_UP]:
            _submit(client, path, body)
        profile, cpu = cProfile.Profile(), time.process_time()
        profile.enable()
        for client, body in browsers[WARM_UP:]:
            _submit(client, path, body)
        profile.disable()
        cpu = time.process_time() - cpu
    print(f"POST {path}: {cpu / args.submissions * 1000:.2f} ms CPU per submission under cProfile "
          f"({args.submissions} profiled); {load_before}")
    if args.out:
        profile.dump_stats(args.out)
    pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)
    return 0


def _opened(client, path: str, pairs: list) -> tuple:
    """``(client, body)``: the client has opened the form; the body is what its last page sends."""
    page = client.get(path, headers=HEADERS).get_data(as_text=True)
    return client, MultiDict(from_last_page(hidden_inputs(page)) + pairs + [("_nav", "submit")])


def _submit(client, path: str, body: MultiDict) -> None:
    response = client.post(path, data=body, headers=HEADERS)
    if response.status_code != 303 or not response.headers["Location"].endswith("/thanks"):
        raise SystemExit(f"the POST was not stored: HTTP {response.status_code}, {response.get_data()[:300]!r}")


if __name__ == "__main__":
    sys.exit(main())
