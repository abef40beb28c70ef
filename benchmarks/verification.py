"""Email verification throughput and accuracy on the sandbox's MX servers.

Verifies 2,000 addresses across 200 sandbox domains (each domain's people, topped up with
made-up colleagues) against MX servers that add 50 ms to every SMTP reply, in one batch; then
a sample of them one address per connection, sequentially, as the baseline. Prints
addresses/s for both and their ratio, the MX connections opened, and the batch's agreement
with the truth (valid / invalid / accept_all). Exits 1 when a target is missed:
agreement >= 0.99, at most one connection per MX host, >= 10x the baseline's throughput.

    .venv/bin/python benchmarks/verification.py [--companies 200] [--per-domain 10]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections import Counter

from coldflow.contacts.verify import MemoryCache, VerifySettings, VerifyStats, verify_many
from coldflow.sandbox.runner import RunningWorld, start_world
from coldflow.sandbox.world.truth import truth_document

REPLY_DELAY = 0.05
GREYLIST_SECONDS = 1.0
TARGET_AGREEMENT = 0.99
TARGET_RATIO = 10.0


def labelled_addresses(truth: dict, per_domain: int) -> list[tuple[str, str | None]]:
    """(address, expected verdict); None for addresses no RCPT probe can judge (accepted at
    RCPT time, bounced later)."""
    cases: list[tuple[str, str | None]] = []
    for company in truth["companies"]:
        domain = company["domain"]
        people = [(p["address"], p) for p in company["people"]][:per_domain]
        made_up = [
            (f"nobody.{n}@{domain}", {"deliverable": False, "bounces_after_accept": False})
            for n in range(per_domain - len(people))
        ]
        for address, person in people + made_up:
            cases.append((address, _expected(company, person)))
    return cases


def _expected(company: dict, person: dict) -> str | None:
    if not company["has_mx"]:
        return "invalid"
    if company["catch_all"]:
        return "accept_all"
    if person["bounces_after_accept"]:
        return None
    return "valid" if person["deliverable"] else "invalid"


def settings_for(running: RunningWorld) -> VerifySettings:
    return VerifySettings(
        nameserver=running.endpoints["dns"]["host"],
        nameserver_port=running.endpoints["dns"]["port"],
        allow_loopback=True,
        port_map={25: running.endpoints["mx"]["port"]},
        greylist_retry_delay=GREYLIST_SECONDS,
        total_connections=250,
    )


def mx_connections(running: RunningWorld) -> int:
    return running.mail.stats()["mx"]["connections"]


async def run(companies: int, per_domain: int, sample: int, seed: int) -> int:
    with tempfile.TemporaryDirectory() as state_dir:
        running = await start_world(
            state_dir,
            seed=seed,
            companies=companies,
            mail_options={"greylist_seconds": GREYLIST_SECONDS, "reply_delay": REPLY_DELAY},
        )
        try:
            return await measure(running, per_domain, sample, seed)
        finally:
            await running.stop()


async def measure(running: RunningWorld, per_domain: int, sample: int, seed: int) -> int:
    cases = labelled_addresses(truth_document(running.world), per_domain)
    addresses = [address for address, _ in cases]
    settings = settings_for(running)

    stats = VerifyStats()
    before = mx_connections(running)
    started = time.perf_counter()
    results = await verify_many(addresses, settings, MemoryCache(), stats)
    batch_seconds = time.perf_counter() - started
    batch_connections = mx_connections(running) - before

    judged = [(r, expected) for r, (_, expected) in zip(results, cases, strict=True) if expected]
    agreeing = sum(r.verdict == expected for r, expected in judged)
    agreement = agreeing / len(judged)
    confusion = Counter((expected, r.verdict) for r, expected in judged if r.verdict != expected)

    # The baseline: the same verifier, one address per call, so one connection per address.
    baseline_sample = random.Random(seed).sample(addresses, min(sample, len(addresses)))
    baseline_cache = MemoryCache()
    before = mx_connections(running)
    started = time.perf_counter()
    for address in baseline_sample:
        await verify_many([address], settings, baseline_cache)
    baseline_seconds = time.perf_counter() - started
    baseline_connections = mx_connections(running) - before

    batch_rate = len(addresses) / batch_seconds
    baseline_rate = len(baseline_sample) / baseline_seconds
    ratio = batch_rate / baseline_rate
    domains = len({a.rpartition("@")[2] for a in addresses})
    print(
        f"verification: {len(addresses)} addresses at {domains} sandbox domains, "
        f"{REPLY_DELAY * 1000:.0f} ms per SMTP reply, greylisting {GREYLIST_SECONDS:g} s"
    )
    print(
        f"  batched     {batch_rate:8.1f} addresses/s  ({batch_seconds:.2f} s, "
        f"{batch_connections} MX connections for {stats.mx_hosts_probed} MX hosts)"
    )
    print(
        f"  sequential  {baseline_rate:8.1f} addresses/s  ({len(baseline_sample)} addresses in "
        f"{baseline_seconds:.2f} s, {baseline_connections} MX connections)"
    )
    print(f"  ratio batched / sequential: {ratio:.1f}x (target >= {TARGET_RATIO:g}x)")
    print(
        f"  agreement with the truth: {agreement:.4f} over {len(judged)} addresses "
        f"(target >= {TARGET_AGREEMENT}); {len(cases) - len(judged)} accepted-then-bounced "
        "addresses left out (no RCPT probe can see a later bounce)"
    )
    print(f"  verdicts: {dict(Counter(r.verdict for r in results))}")
    for (expected, got), count in confusion.most_common():
        print(f"    expected {expected}, got {got}: {count}")

    missed = []
    if agreement < TARGET_AGREEMENT:
        missed.append("agreement")
    if batch_connections > stats.mx_hosts_probed:
        missed.append("one connection per MX host")
    if ratio < TARGET_RATIO:
        missed.append("throughput ratio")
    if missed:
        print(f"  MISSED: {', '.join(missed)}")
        return 1
    print("  all targets met")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=200)
    parser.add_argument("--per-domain", type=int, default=10)
    parser.add_argument("--baseline-sample", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    return asyncio.run(run(args.companies, args.per_domain, args.baseline_sample, args.seed))


if __name__ == "__main__":
    sys.exit(main())
