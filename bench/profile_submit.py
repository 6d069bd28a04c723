"""Profile of the POST that stores a competence check, in process (Flask test client, cProfile).

Builds the same instance and form as ``submit.py``, opens the form once per person, then profiles the
POSTs of every answer with ``_nav=submit``. Prints CPU per POST and the costliest calls; ``--out`` keeps
the raw profile for ``python -m pstats``. ``--steps`` instead times the steps of the POST without the profiler
(thread CPU per POST: storing, its commit, building the form, validating, …), which the profiler's own cost
distorts least. Run: ``.venv/bin/python bench/profile_submit.py --help``.
"""
from __future__ import annotations

import argparse
import cProfile
import functools
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
    parser.add_argument("--steps", action="store_true", help="thread CPU per POST of each step, without cProfile")
    args = parser.parse_args(argv)
    load_before = machine_load()
    spent = _time_steps() if args.steps else None
    with tempfile.TemporaryDirectory(prefix="proconnect-profile-") as tmp:
        app, token = in_process(Path(tmp))
        path, rng = f"/f/{token}", random.Random(1)
        people = [answers(n, rng)[0] for n in range(args.submissions + WARM_UP)]
        # Each browser posts the form it opened: the CSRF token is bound to its session.
        browsers = [_opened(app.test_client(), path, pairs) for pairs in people]
        for client, body in browsers[:WARM_UP]:
            _submit(client, path, body)
        if spent is not None:
            spent.clear()
            for client, body in browsers[WARM_UP:]:
                _submit(client, path, body)
            print(f"POST {path}: thread CPU per submission by step ({args.submissions} timed); {load_before}")
            for step, seconds in sorted(spent.items(), key=lambda item: -item[1]):
                print(f"  {step:40s} {seconds / args.submissions * 1000:6.3f} ms")
            return 0
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


def _time_steps() -> dict:
    """Wrap the POST's steps with thread-CPU timers; :return: step -> seconds, summed (nested steps overlap)."""
    import flask
    import wtforms.form
    from sqlalchemy.orm import scoping

    from proconnect.responses import flow, storage, views

    spent: dict = {}

    def timed(owner, name: str, step: str) -> None:
        original = getattr(owner, name, None)
        if original is None:
            return  # a step of another tree (the before and after trees are profiled with the same script)

        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            began = time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                spent[step] = spent.get(step, 0.0) + time.thread_time() - began
        setattr(owner, name, wrapper)

    timed(flask.Flask, "wsgi_app", "the whole request (Flask)")
    timed(flask.Flask, "preprocess_request", "before the view (body parsed, hygiene)")
    timed(flask.Flask, "finalize_request", "after the view (headers, session)")
    timed(wtforms.form.FormMeta, "__call__", "form: bind and process every field")
    timed(views, "read_answers", "read answers and conditions")
    timed(views, "_fixed", "prefilled values")
    timed(flow, "find_link", "link view")
    timed(flow, "open_link", "open the link (dates, version)")
    timed(flow, "unknown_inputs", "unknown inputs")
    timed(flow, "first_invalid_page", "validate every visible page")
    timed(flow, "store", "store: all of it")
    timed(storage, "_insert_answers", "store: answer rows (build, executemany)")  # before 14-submit
    if hasattr(storage, "AnswerInsert"):
        timed(storage.AnswerInsert, "params", "store: answer rows (build, before the first write)")
        timed(storage.AnswerInsert, "execute", "store: answer rows (executemany)")
    timed(scoping.scoped_session, "flush", "store: response row (ORM flush)")
    timed(scoping.scoped_session, "commit", "store: commit")
    return spent


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
