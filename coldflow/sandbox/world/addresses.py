"""How a company turns a person's name into an email address."""

from __future__ import annotations

import re
from collections.abc import Callable

from anyascii import anyascii

# German conventions spell umlauts out; anyascii would turn "ü" into plain "u".
_UMLAUT_EXPANSIONS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NOT_ADDRESS_CHARACTER = re.compile(r"[^a-z0-9-]")

PATTERNS: dict[str, Callable[[str, str], str]] = {
    "first.last": lambda f, last: f"{f}.{last}",
    "flast": lambda f, last: f"{f[0]}{last}",
    "first": lambda f, last: f,
    "firstlast": lambda f, last: f"{f}{last}",
    "f.last": lambda f, last: f"{f[0]}.{last}",
    "first_last": lambda f, last: f"{f}_{last}",
    "last.first": lambda f, last: f"{last}.{f}",
    "lastf": lambda f, last: f"{last}{f[0]}",
    "first.l": lambda f, last: f"{f}.{last[0]}",
    "last": lambda f, last: last,
    "first-last": lambda f, last: f"{f}-{last}",
}
# How often each pattern is picked; first.last and flast dominate in the wild.
PATTERN_WEIGHTS: dict[str, int] = {
    "first.last": 30,
    "flast": 14,
    "first": 12,
    "firstlast": 6,
    "f.last": 8,
    "first_last": 4,
    "last.first": 4,
    "lastf": 3,
    "first.l": 3,
    "last": 3,
    "first-last": 3,
}


def name_part(name: str, umlauts: str) -> str:
    """ "Müller-Lüdenscheidt" → "mueller-luedenscheidt"; "van der Berg" → "vanderberg"."""
    lowered = name.lower()
    if umlauts == "expand":
        lowered = lowered.translate(_UMLAUT_EXPANSIONS)
    return _NOT_ADDRESS_CHARACTER.sub("", anyascii(lowered).lower())


def local_part(pattern: str, given: str, family: str, umlauts: str) -> str:
    return PATTERNS[pattern](name_part(given, umlauts), name_part(family, umlauts))
