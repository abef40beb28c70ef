"""Measure extraction speed over the stored fixtures (quality: benchmarks/extraction_quality.py).

    .venv/bin/python -m tests.research.extract.measure_extraction speed [--rounds 20]

Not a test (timings vary with the machine); the numbers go into reports.
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    speed = commands.add_parser("speed")
    speed.add_argument("--rounds", type=int, default=20)
    arguments = parser.parse_args()
    measure_speed(arguments.rounds)


if __name__ == "__main__":
    main()
