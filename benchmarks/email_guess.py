"""Email-guess quality on the sandbox's ground truth, leave-one-out.

For every person of every sandbox company: learn the domain's pattern from the company's other
people, guess the held-out person's address, and check it against the truth. Prints top-1 and
top-3 accuracy against the "always first.last" and "majority template" baselines, and the
calibration of the confidences.

    .venv/bin/python benchmarks/email_guess.py [--companies 300] [--seed 1]
"""

from __future__ import annotations

import argparse
import sys

from coldflow.contacts.patterns.evaluation import leave_one_out
from coldflow.contacts.patterns.learning import KnownAddress
from coldflow.sandbox.world import generate_world
from coldflow.sandbox.world.truth import truth_document


def sandbox_cases(companies: int, seed: int) -> dict[str, list[KnownAddress]]:
    truth = truth_document(generate_world(seed=seed, companies=companies))
    cases: dict[str, list[KnownAddress]] = {}
    for company in truth["companies"]:
        people = [
            KnownAddress(name=p["name"]["full"], email=p["address"])
            for p in company["people"]
            if p.get("address")
        ]
        if len(people) >= 2:
            cases[company["domain"]] = people
    return cases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    result = leave_one_out(sandbox_cases(args.companies, args.seed))
    print(f"email_guess: {result.cases} held-out people at {args.companies} sandbox companies")
    print(f"  coldflow           top-1 {result.top1:.3f}   top-3 {result.top3:.3f}")
    print(
        f"  majority template  top-1 {result.majority_top1:.3f}   top-3 {result.majority_top3:.3f}"
    )
    print(f"  always first.last  top-1 {result.first_last_top1:.3f}")
    print(f"  explainable by any template: {result.explainable:.3f}")
    ratio = result.top1 / result.first_last_top1 if result.first_last_top1 else float("inf")
    print(f"  ratio top-1 coldflow / first.last: {ratio:.2f}x")
    print("  calibration over each case's top 3: confidence bin, n, mean confidence, hit rate")
    for row in result.calibration:
        print(
            f"    {row.low:.1f}-{row.high:.1f}  {row.candidates:>5}  "
            f"{row.mean_confidence:.3f}  {row.hit_rate:.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
