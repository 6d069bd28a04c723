"""Benchmark: match-making for 2,000 participants × 500 companies (targets: one list < 2 s, all < 60 s)."""
from __future__ import annotations

import argparse
import random
import resource
import time
from datetime import date, timedelta

from proconnect.matching.engine import rank_participants, rank_places, reasons
from proconnect.matching.profiles import ParticipantProfile, Place
from proconnect.matching.rules import GERMAN_LEVELS, load_rules

TRADES = ["metal", "electrical", "vehicles", "construction", "wood", "plumbing", "logistics", "gastronomy", "care",
          "agriculture", "retail", "it"]
DISTRICTS = ["ammerland", "lk_oldenburg", "oldenburg_city", "delmenhorst"]


def synthetic(n_people: int, n_companies: int, seed: int = 1):
    rng = random.Random(seed)
    today = date(2027, 3, 1)
    people = [ParticipantProfile(
        code=f"P{i:05d}", checked_on=today,
        experience={t: rng.choice([0.5, 1, 2, 4, 8]) for t in rng.sample(TRADES, rng.randint(0, 3))},
        wish_trades=frozenset(rng.sample(TRADES, rng.randint(1, 3))),
        wish_kinds=frozenset(rng.sample(["apprenticeship", "job", "internship"], rng.randint(1, 2))),
        interests={x: rng.uniform(1, 3) for x in "riasec"}, district=rng.choice(DISTRICTS),
        travel_limit=rng.choice([30, 45, 60]), drives=rng.random() < 0.3, german=rng.choice(GERMAN_LEVELS[:4]),
        earliest_start=today + timedelta(days=rng.choice([0, 91, 182]))) for i in range(n_people)]
    places = [Place(company_id=c, company=f"Company {c:03d}", trade=t, kind=rng.choice(["apprenticeship", "job"]),
                    count=rng.randint(0, 3), start=today + timedelta(days=rng.randint(30, 300)),
                    district=rng.choice(DISTRICTS), german_required=rng.choice([None, "a2", "b1", "b2"]),
                    language_support=rng.random() < 0.5)
              for c in range(n_companies) for t in rng.sample(TRADES, rng.randint(1, 3))]
    return people, places


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--companies", type=int, default=500)
    args = parser.parse_args()
    rules = load_rules()
    people, places = synthetic(args.participants, args.companies)
    t0 = time.perf_counter()
    one = rank_places(people[0], places, rules)
    texts = [reasons(m, rules) for m in one]
    t_one = time.perf_counter() - t0
    t0 = time.perf_counter()
    by_company: dict[int, list[Place]] = {}
    for p in places:
        by_company.setdefault(p.company_id, []).append(p)
    t1 = time.perf_counter()
    all_lists = {p.code: rank_places(p, places, rules) for p in people}
    t_people = time.perf_counter() - t1
    t1 = time.perf_counter()
    company_lists = {c: rank_participants(ps, people, rules) for c, ps in by_company.items()}
    t_companies = time.perf_counter() - t1
    t_all = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"participants × companies      {args.participants} × {args.companies} ({len(places)} places)")
    print(f"one participant's list        {t_one:8.3f} s   (target < 2 s; {len(texts)} suggestions with reasons)")
    print(f"lists for every participant   {t_people:8.2f} s")
    print(f"lists for every company       {t_companies:8.2f} s")
    print(f"whole matrix, both directions {t_all:8.2f} s   (target < 60 s)")
    print(f"peak memory                   {peak:8.0f} MB")
    assert len(all_lists) == len(people) and len(company_lists) == len(by_company)


if __name__ == "__main__":
    main()
