"""How well coldflow reads real bounce, auto-reply and complaint mails.

    .venv/bin/python benchmarks/mail_classification.py [--samples DIR] [--verbose]

The samples folder holds eml/*.eml and truth.json (the expected reading of each file). Prints
kind accuracy, and for bounces the share of files with the right number of failed recipients,
of status codes right (where the truth has one) and of hard/not-hard agreement; then a
confusion table of kinds. Exits 1 when a figure is below its target.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from coldflow.listen.classify import classify  # noqa: E402

TARGETS = {"kind": 0.98, "recipient count": 0.95, "status": 0.95, "hard": 0.95}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=Path, default=REPO / "tests/listen/fixtures/sisimai")
    parser.add_argument("--verbose", action="store_true", help="list every disagreement")
    arguments = parser.parse_args()
    truth = json.loads((arguments.samples / "truth.json").read_text(encoding="utf-8"))

    tally: Counter[str] = Counter()
    confusion: Counter[tuple[str, str]] = Counter()
    disagreements: list[str] = []
    started = time.perf_counter()
    for expected in truth:
        raw = (arguments.samples / "eml" / expected["file"]).read_bytes()
        reading = classify(raw)
        confusion[(expected["kind"], reading.kind)] += 1
        tally["files"] += 1
        tally["kind right"] += reading.kind == expected["kind"]
        if reading.kind != expected["kind"]:
            disagreements.append(
                f"{expected['file']}: kind {reading.kind}, expected {expected['kind']}"
            )
        if expected["kind"] != "bounce":
            continue
        got, wanted = list(reading.recipients), expected["recipients"]
        tally["bounces"] += 1
        tally["count right"] += len(got) == len(wanted)
        if len(got) != len(wanted):
            disagreements.append(
                f"{expected['file']}: {len(got)} recipients, expected {len(wanted)}"
            )
        for position, want in enumerate(wanted):
            have = got[position] if position < len(got) else None
            tally["recipients"] += 1
            tally["hard right"] += have is not None and have.hard == want["hard"]
            if want["status"]:
                tally["with status"] += 1
                tally["status right"] += have is not None and have.status == want["status"]
            if (
                have is None
                or have.hard != want["hard"]
                or (want["status"] and have.status != want["status"])
            ):
                shown = f"{have.status} {have.reason} hard={have.hard}" if have else "missing"
                disagreements.append(
                    f"{expected['file']}#{position}: {shown}; expected {want['status']} "
                    f"{want['reason']} hard={want['hard']}"
                )
    elapsed = time.perf_counter() - started

    figures = {
        "kind": tally["kind right"] / tally["files"],
        "recipient count": tally["count right"] / max(tally["bounces"], 1),
        "status": tally["status right"] / max(tally["with status"], 1),
        "hard": tally["hard right"] / max(tally["recipients"], 1),
    }
    print(
        f"{tally['files']} mails ({tally['bounces']} bounces, {tally['recipients']} failed recipients)"
    )
    print(f"read in {elapsed:.2f} s ({1000 * elapsed / tally['files']:.1f} ms per mail)\n")
    for name, value in figures.items():
        verdict = "ok" if value >= TARGETS[name] else "BELOW TARGET"
        print(f"  {name:<16} {value:7.2%}   target {TARGETS[name]:.0%}   {verdict}")
    print("\nkinds (expected -> read):")
    for (expected_kind, read_kind), count in sorted(confusion.items()):
        print(f"  {expected_kind:<11} -> {read_kind:<11} {count}")
    if arguments.verbose and disagreements:
        print("\ndisagreements:")
        for line in disagreements:
            print(f"  {line}")
    return 0 if all(figures[name] >= TARGETS[name] for name in TARGETS) else 1


if __name__ == "__main__":
    sys.exit(main())
