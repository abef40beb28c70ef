"""Spintax: `{Hi|Hello|Hey}` picks one option, nesting allowed (`{Hi|{Hello|Hey} there}`).

Resolved on the template source before Jinja runs, so text that comes from variables (a scraped
post title with braces in it) is never spun. Jinja's own `{{ … }}`, `{% … %}` and `{# … #}` are
kept whole and may sit inside an option. Braces that are not spintax (no `|` at their top level,
or never closed) stay as they are.

The choice is deterministic: the same seed gives the same text every time.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass

# Jinja delimiters are atoms for the spintax parser: their braces are not spintax braces.
_TOKENS = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|[{}|]|[^{}|]+", re.DOTALL)


@dataclass
class _Group:
    """A `{…}` group: options separated by top-level pipes; each option a list of parts."""

    options: list[list[_Group | str]]


def spin(source: str, seed: str) -> str:
    """The source with every spintax group replaced by one of its options."""
    if "{" not in source:
        return source
    rng = random.Random(int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big"))
    parts = _parse(_TOKENS.findall(source))
    return "".join(_resolve(part, rng) for part in parts)


def has_spintax(source: str) -> bool:
    return any(isinstance(part, _Group) for part in _parse(_TOKENS.findall(source)))


def _parse(tokens: list[str]) -> list[_Group | str]:
    """Top-level parts; unbalanced braces and top-level pipes are literal text."""
    parts: list[_Group | str] = []
    position = 0
    while position < len(tokens):
        token = tokens[position]
        if token == "{":
            group, after = _parse_group(tokens, position + 1)
            if group is None:
                parts.append(token)
                position += 1
            else:
                parts.append(group)
                position = after
        else:
            parts.append(token)
            position += 1
    return parts


def _parse_group(tokens: list[str], position: int) -> tuple[_Group | None, int]:
    """Parse after an opening brace up to its closing one; None when it is never closed."""
    options: list[list[_Group | str]] = [[]]
    while position < len(tokens):
        token = tokens[position]
        if token == "}":
            return _Group(options), position + 1
        if token == "|":
            options.append([])
            position += 1
        elif token == "{":
            inner, after = _parse_group(tokens, position + 1)
            if inner is None:
                return None, position
            options[-1].append(inner)
            position = after
        else:
            options[-1].append(token)
            position += 1
    return None, position


def _resolve(part: _Group | str, rng: random.Random) -> str:
    if isinstance(part, str):
        return part
    if len(part.options) == 1:
        # `{word}` is not spintax: keep the braces, resolve what is inside.
        return "{" + "".join(_resolve(p, rng) for p in part.options[0]) + "}"
    option = part.options[rng.randrange(len(part.options))]
    return "".join(_resolve(p, rng) for p in option)
