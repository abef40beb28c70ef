"""Guess a person's email address from the addresses known at their domain.

The entry points behind `coldflow email-guess`: one person (`guess_email`) or a JSON-lines batch
(`guess_batch`), one case per line:

    in:  {"domain": "acme.de", "name": "Anna Berg", "known": [{"name": …, "email": …}, …]}
    out: {"pattern": "{first}.{last}", "support": 3, "conflicts": [{"pattern": …, "support": …}],
          "candidates": [{"email": …, "confidence": 0.87, "guessed": true}, …]}

An address published for the very person asked about is returned first with "guessed": false;
every other address is a guess and marked as one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from email.utils import parseaddr

from coldflow.contacts.names import PersonName, parse_name, same_person
from coldflow.contacts.patterns.candidates import DEFAULT_LIMIT, Candidate, generate_candidates
from coldflow.contacts.patterns.learning import DomainPattern, KnownAddress, learn_pattern

# A batch line longer than this is not a reasonable case; it is refused, not parsed.
MAX_LINE_LENGTH = 1_000_000
MAX_KNOWN_PER_CASE = 5_000


@dataclass(frozen=True)
class EmailGuess:
    domain: str
    name: PersonName
    pattern: DomainPattern
    candidates: tuple[Candidate, ...]

    def as_dict(self) -> dict:
        return {
            "pattern": self.pattern.best,
            "support": self.pattern.support,
            "conflicts": [
                {"pattern": fit.template, "support": fit.support} for fit in self.pattern.conflicts
            ],
            "candidates": [
                {"email": c.email, "confidence": c.confidence, "guessed": c.guessed}
                for c in self.candidates
            ],
        }


def parse_known(text: str) -> KnownAddress:
    """'Anna Berg <anna.berg@acme.de>' (or a bare address) as a known address."""
    name, email = parseaddr(text)
    return KnownAddress(name=name.strip(), email=email.strip())


def guess_email(
    domain: str,
    name: str | PersonName,
    known: Iterable[KnownAddress] = (),
    limit: int = DEFAULT_LIMIT,
) -> EmailGuess:
    domain = normalise_domain(domain)
    known = list(known)
    parsed = parse_name(name) if isinstance(name, str) else name
    pattern = learn_pattern(known, domain)
    found = _published_for(parsed, known, domain)
    guesses = [
        c for c in generate_candidates(pattern, parsed, domain, limit) if c.email not in found
    ]
    published = [Candidate(email, 1.0, "published", guessed=False) for email in found]
    return EmailGuess(domain, parsed, pattern, tuple((published + guesses)[:limit]))


def guess_batch(lines: Iterable[str | Mapping]) -> Iterator[dict]:
    """One output per case, in input order; a broken case yields {"error": …}, never an exception."""
    for number, line in enumerate(lines, start=1):
        if isinstance(line, str) and not line.strip():
            continue
        try:
            case = _read_case(line)
            result = guess_email(case["domain"], case["name"], case["known"]).as_dict()
        except _BadCase as error:
            result = {"error": f"line {number}: {error}"}
        yield result


def normalise_domain(domain: str) -> str:
    """'https://www.Acme.de/team' or '@acme.de' → 'acme.de'."""
    domain = re.sub(r"^[a-z][a-z0-9+.-]*://", "", domain.strip().lower())
    domain = domain.split("/")[0].split("?")[0].lstrip("@").rstrip(".")
    return domain.removeprefix("www.")


class _BadCase(ValueError):
    pass


def _read_case(line: str | Mapping) -> dict:
    if isinstance(line, str):
        if len(line) > MAX_LINE_LENGTH:
            raise _BadCase("line too long")
        try:
            line = json.loads(line)
        except ValueError as error:
            raise _BadCase(f"not JSON ({error.__class__.__name__}: {error})") from None
    if not isinstance(line, Mapping):
        raise _BadCase("a case must be a JSON object")
    domain, name, known = line.get("domain"), line.get("name"), line.get("known", [])
    if not isinstance(domain, str) or not normalise_domain(domain):
        raise _BadCase('missing "domain"')
    if not isinstance(name, str) or parse_name(name).is_empty:
        raise _BadCase('missing "name"')
    if not isinstance(known, list):
        raise _BadCase('"known" must be a list')
    return {"domain": domain, "name": name, "known": _known(known[:MAX_KNOWN_PER_CASE])}


def _known(items: list) -> list[KnownAddress]:
    """The well-formed entries; a broken entry teaches nothing and is skipped."""
    known = []
    for item in items:
        if isinstance(item, str):
            known.append(parse_known(item))
        elif isinstance(item, Mapping):
            name, email = item.get("name"), item.get("email")
            if isinstance(name, str) and isinstance(email, str):
                known.append(KnownAddress(name, email))
    return known


def _published_for(name: PersonName, known: list[KnownAddress], domain: str) -> list[str]:
    return [
        item.email.strip().lower()
        for item in known
        if item.email.strip().lower().endswith("@" + domain) and same_person(name, item.name)
    ]
