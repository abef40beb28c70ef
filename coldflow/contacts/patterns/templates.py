"""Address templates: how a company builds a local part from a person's name.

A template is a string of tokens and separators, "{first}.{last}" or "{f}{last}". Tokens:
{first} and {f} (given name, its initial), {middle} and {m} (first middle name, its initial),
{last} and {l} (family name, its initial). A template that names a middle name still applies to
people without one: the middle token and its separator drop out ("{first}.{m}.{last}" gives
"anna.berg" for Anna Berg), which is what mail systems do.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

TOKENS = ("first", "f", "middle", "m", "last", "l")
# Stands for "the template's own separator" inside a token value: a double family name written
# "anna.meyer.schulz" under {first}.{last} but "ameyerschulz" under {f}{last}.
SEPARATOR_MARK = "\x00"

# How often companies use each template, in percent, when nothing is known about a domain.
# Order of magnitude from published surveys of corporate address formats; the learner only needs
# the ranking and rough ratios, the data of a domain quickly outweighs them.
POPULARITY: dict[str, float] = {
    "{first}.{last}": 40,
    "{first}": 13,
    "{f}{last}": 11,
    "{first}{last}": 6,
    "{f}.{last}": 5,
    "{last}": 2.5,
    "{first}_{last}": 2,
    "{last}{f}": 1.5,
    "{first}{l}": 1.5,
    "{last}.{first}": 1.5,
    "{first}-{last}": 1,
    "{last}{first}": 1,
    "{first}.{l}": 0.8,
    "{f}{l}": 0.8,
    "{first}.{m}.{last}": 0.8,
    "{f}{m}{last}": 0.6,
    "{f}{m}{l}": 0.4,
    "{f}_{last}": 0.4,
    "{last}_{first}": 0.4,
    "{last}.{f}": 0.4,
    "{first}.{middle}.{last}": 0.3,
    "{first}{m}{last}": 0.2,
    "{f}.{m}.{last}": 0.2,
    "{f}-{last}": 0.2,
    "{last}-{first}": 0.2,
    "{first}_{l}": 0.2,
    "{last}_{f}": 0.2,
    "{l}{first}": 0.2,
    "{l}.{first}": 0.1,
    "{first}{l}{m}": 0.1,
}

_PIECES = re.compile(r"\{(\w+)\}|([^{}]+)")
_OPTIONAL = ("middle", "m")


@dataclass(frozen=True)
class Template:
    text: str
    # ("token", name) or ("literal", text), in order.
    pieces: tuple[tuple[str, str], ...]
    separator: str
    tokens: frozenset[str]


@cache
def parse_template(text: str) -> Template:
    pieces: list[tuple[str, str]] = []
    for token, literal in _PIECES.findall(text):
        if token and token not in TOKENS:
            raise ValueError(f"unknown token {{{token}}} in template {text!r}")
        pieces.append(("token", token) if token else ("literal", literal))
    separator = next((value for kind, value in pieces if kind == "literal"), "")
    tokens = frozenset(value for kind, value in pieces if kind == "token")
    return Template(text, tuple(pieces), separator, tokens)


TEMPLATES: tuple[Template, ...] = tuple(parse_template(text) for text in POPULARITY)


def present_pieces(template: Template, has_middle: bool) -> tuple[tuple[str, str], ...]:
    """The template's pieces for a person with or without a middle name."""
    pieces = list(template.pieces)
    if not has_middle:
        for name in _OPTIONAL:
            if name in template.tokens:
                pieces = _without(pieces, name)
    return tuple(pieces)


def render(template: Template, values: Mapping[str, str | None]) -> str | None:
    """The local part for these token values, or None when a needed token has no value."""
    pieces = present_pieces(template, bool(values.get("m")))
    out = []
    for kind, value in pieces:
        if kind == "literal":
            out.append(value)
            continue
        token = values.get(value)
        if not token:
            return None
        out.append(token.replace(SEPARATOR_MARK, template.separator))
    return "".join(out)


def _without(pieces: list[tuple[str, str]], name: str) -> list[tuple[str, str]]:
    index = pieces.index(("token", name))
    # Drop the token with the separator before it, or after it when it comes first.
    if index > 0 and pieces[index - 1][0] == "literal":
        return pieces[: index - 1] + pieces[index + 1 :]
    if index + 1 < len(pieces) and pieces[index + 1][0] == "literal":
        return pieces[:index] + pieces[index + 2 :]
    return pieces[:index] + pieces[index + 1 :]
