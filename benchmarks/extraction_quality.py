"""Extraction quality on the sandbox, scored against its truth, with a regex-only baseline.

Every HTML page of every sandbox company goes through `extract_page`; the figures are precision
and recall for emails (of the extractable ones), people by name, people by name and title, and
company facts (name, city, founding year). The baseline is what a plain email regex over the
raw page finds (it finds no people and no facts).

    .venv/bin/python benchmarks/extraction_quality.py [--seed 1] [--companies 60]

Exits 1 when a target is missed: email recall >= 0.97, precision >= 0.99, name+title F1 >= 0.90.

With `--annotated DIR` it scores saved pages you annotated by hand instead: DIR holds the HTML
files and a `truth.json` listing, for each file, `{"file", "url", "people": [{"name",
"title"}], "emails": [...], "phones": [...]}` (the page's own staff only; phones as written).
Names compare as one person does across spellings ("Dr. Max Müller" = "Max Mueller").
It prints the same figures, phones too, and each page's misses and extras; no targets apply.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from coldflow.research.extract import extract_page
from coldflow.research.extract.person_candidate import name_key
from coldflow.sandbox.world.generate import generate_world

EMAIL = re.compile(rb"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


@dataclass
class Score:
    hits: int = 0
    misses: int = 0
    extra: int = 0

    def add(self, truth: set, found: set) -> None:
        self.hits += len(truth & found)
        self.misses += len(truth - found)
        self.extra += len(found - truth)

    @property
    def precision(self) -> float:
        return self.hits / max(1, self.hits + self.extra)

    @property
    def recall(self) -> float:
        return self.hits / max(1, self.hits + self.misses)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / max(1e-9, p + r)

    def line(self, label: str) -> str:
        return (
            f"  {label:<22} precision {self.precision:.3f}  recall {self.recall:.3f}  "
            f"F1 {self.f1:.3f}"
        )


def folded(text) -> str:
    return " ".join(str(text or "").split()).casefold()


def digits(phone: str) -> str:
    """The last eight digits: a number as written locally and in E.164 compare equal."""
    return re.sub(r"\D", "", phone)[-8:]


def annotated(directory: Path) -> int:
    truth = json.loads((directory / "truth.json").read_text("utf-8"))
    emails, names, names_titles, phones, regex_emails = Score(), Score(), Score(), Score(), Score()
    for page in truth:
        body = next(directory.rglob(page["file"])).read_bytes()
        extraction = extract_page(body, page["url"])
        found = {
            "emails": {e.address.lower() for e in extraction.emails},
            "names": {name_key(p.name) for p in extraction.people},
            "titled": {(name_key(p.name), folded(p.title)) for p in extraction.people},
            "phones": {digits(p.display) for p in extraction.phones},
        }
        expected = {
            "emails": {e.lower() for e in page["emails"]},
            "names": {name_key(p["name"]) for p in page["people"]},
            "titled": {(name_key(p["name"]), folded(p["title"])) for p in page["people"]},
            "phones": {digits(p) for p in page["phones"]},
        }
        regex_emails.add(
            expected["emails"], {m.decode("latin-1").lower() for m in EMAIL.findall(body)}
        )
        for score, key in (
            (emails, "emails"),
            (names, "names"),
            (names_titles, "titled"),
            (phones, "phones"),
        ):
            score.add(expected[key], found[key])
            missed, extra = expected[key] - found[key], found[key] - expected[key]
            if missed or extra:
                print(f"{page['file']} {key}: missed {sorted(missed)} extra {sorted(extra)}")
    print(f"extraction_quality: {len(truth)} annotated pages in {directory}")
    print("coldflow")
    for score, label in (
        (emails, "emails"),
        (names, "people (name)"),
        (names_titles, "people (name + title)"),
        (phones, "phones"),
    ):
        print(score.line(label))
    print("regex-only baseline")
    print(regex_emails.line("emails"))
    print(
        f"ratio of email recall, coldflow / regex: {emails.recall / max(1e-9, regex_emails.recall):.2f}x"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--companies", type=int, default=60)
    parser.add_argument("--annotated", type=Path, help="score hand-annotated pages in this folder")
    args = parser.parse_args()
    if args.annotated:
        return annotated(args.annotated)

    world = generate_world(seed=args.seed, companies=args.companies)
    emails, names, names_titles, facts = Score(), Score(), Score(), Score()
    regex_emails = Score()
    pages, elapsed = 0, 0.0
    for company in world.companies:
        found_emails: set[str] = set()
        regex_found: set[str] = set()
        found_people: set[tuple[str, str]] = set()
        found_facts: set[tuple[str, str]] = set()
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
            found_emails |= {e.address.lower() for e in extraction.emails}
            regex_found |= {m.decode("latin-1").lower() for m in EMAIL.findall(page.body)}
            found_people |= {(folded(p.name), folded(p.title)) for p in extraction.people}
            for key in ("name", "city", "founding_year"):
                if key in extraction.company:
                    found_facts.add((key, folded(extraction.company[key].value)))

        truth_emails = {p.address.lower() for p in company.people if p.extractable}
        truth_emails |= {g.address.lower() for g in company.generic_addresses if g.extractable}
        emails.add(truth_emails, found_emails)
        regex_emails.add(truth_emails, regex_found)
        listed = [p for p in company.people if p.listed_on]
        names.add({folded(p.name.full) for p in listed}, {n for n, _ in found_people})
        names_titles.add({(folded(p.name.full), folded(p.title)) for p in listed}, found_people)
        truth_facts = {
            ("name", folded(company.name)),
            ("city", folded(company.city)),
            ("founding_year", folded(company.founded)),
        }
        facts.add(
            truth_facts, found_facts & {(k, v) for k, v in found_facts if k in dict(truth_facts)}
        )

    print(
        f"extraction_quality: {pages} pages of {args.companies} sandbox companies (seed {args.seed}), "
        f"{pages / elapsed:.0f} pages/s"
    )
    print("coldflow")
    print(emails.line("emails"))
    print(names.line("people (name)"))
    print(names_titles.line("people (name + title)"))
    print(facts.line("company facts"))
    print("regex-only baseline")
    print(regex_emails.line("emails"))
    print("  people and facts       (a regex finds none)")
    print(
        f"ratio of email recall, coldflow / regex: {emails.recall / max(1e-9, regex_emails.recall):.2f}x"
    )
    ok = emails.recall >= 0.97 and emails.precision >= 0.99 and names_titles.f1 >= 0.90
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
