"""Measure extraction: speed over the stored fixtures, and quality against the sandbox's truth.

    .venv/bin/python -m tests.research.extract.measure_extraction speed [--rounds 20]
    .venv/bin/python -m tests.research.extract.measure_extraction sandbox [--seed 1] [--companies 60]

Not a test (timings vary with the machine); the numbers go into reports.
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from coldflow.research.extract import extract_page

FIXTURES = Path(__file__).parent / "fixtures"


def measure_speed(rounds: int) -> None:
    pages = [
        (path.read_bytes(), f"https://{path.stem.replace('_', '-')}.de/")
        for path in sorted(FIXTURES.glob("*.html"))
    ]
    total_bytes = sum(len(body) for body, _ in pages) * rounds
    started = time.perf_counter()
    for _ in range(rounds):
        for body, url in pages:
            extract_page(body, url)
    elapsed = time.perf_counter() - started
    count = len(pages) * rounds
    print(f"{count} pages ({total_bytes / count / 1024:.1f} KiB average) in {elapsed:.2f} s")
    print(f"{count / elapsed:.1f} pages/s, {elapsed / count * 1000:.2f} ms/page")


def measure_sandbox(seed: int, companies: int) -> None:
    from coldflow.sandbox.world.generate import generate_world

    world = generate_world(seed=seed, companies=companies)
    email_hits = email_misses = email_extra = 0
    person_hits = person_misses = person_extra = 0
    pages = 0
    elapsed = 0.0
    for company in world.companies:
        found_emails: set[str] = set()
        found_people: dict[str, set[str]] = {}
        for path, page in world.sites[company.host].pages.items():
            if page.status != 200 or "html" not in page.content_type:
                continue
            declared = re.search(r"charset=([\w-]+)", page.content_type)
            started = time.perf_counter()
            extraction = extract_page(
                page.body, company.url(path), encoding=declared.group(1) if declared else None
            )
            elapsed += time.perf_counter() - started
            pages += 1
            found_emails |= {email.address for email in extraction.emails}
            for person in extraction.people:
                found_people.setdefault(_folded(person.name), set()).add(_folded(person.title))
        truth_emails = {p.address.lower() for p in company.people if p.extractable}
        truth_emails |= {g.address.lower() for g in company.generic_addresses if g.extractable}
        email_hits += len(truth_emails & found_emails)
        email_misses += len(truth_emails - found_emails)
        email_extra += len(found_emails - truth_emails)
        truth_people = {
            _folded(p.name.full): _folded(p.title) for p in company.people if p.listed_on
        }
        for name, title in truth_people.items():
            if title in found_people.get(name, ()):
                person_hits += 1
            else:
                person_misses += 1
        person_extra += sum(
            1 for name, titles in found_people.items() if truth_people.get(name) not in titles
        )
    print(f"{pages} pages, {pages / elapsed:.1f} pages/s")
    print(
        f"emails: recall {email_hits / (email_hits + email_misses):.3f}, "
        f"precision {email_hits / max(1, email_hits + email_extra):.3f}"
    )
    precision = person_hits / max(1, person_hits + person_extra)
    recall = person_hits / max(1, person_hits + person_misses)
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    print(f"people (name + title): precision {precision:.3f}, recall {recall:.3f}, F1 {f1:.3f}")


def _folded(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    speed = commands.add_parser("speed")
    speed.add_argument("--rounds", type=int, default=20)
    sandbox = commands.add_parser("sandbox")
    sandbox.add_argument("--seed", type=int, default=1)
    sandbox.add_argument("--companies", type=int, default=60)
    arguments = parser.parse_args()
    if arguments.command == "speed":
        measure_speed(arguments.rounds)
    else:
        measure_sandbox(arguments.seed, arguments.companies)


if __name__ == "__main__":
    main()
