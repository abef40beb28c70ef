"""Technology fingerprints: which signatures (technology_signatures.SIGNATURES) the page shows."""

from __future__ import annotations

import re
from functools import lru_cache

from coldflow.research.extract.facts import Technology
from coldflow.research.extract.page import Page
from coldflow.research.extract.technology_signatures import SIGNATURES, Signature

# Raw markup searched, in characters: fingerprints sit in the head and the first screens.
_MAX_HTML_CHARS = 1_000_000


def find_technologies(page: Page) -> list[Technology]:
    originals = {
        "script_src": "\n".join(page.script_srcs),
        "link_href": "\n".join(page.link_hrefs),
        "generator": "\n".join(page.metas.get("generator", [])),
        "inline": "\n".join(page.inline_scripts),
        "html": page.html[:_MAX_HTML_CHARS],
    }
    # Matching lower-cased text with lower-cased patterns is several times faster than
    # case-insensitive matching, which defeats the regex engine's literal search.
    lowered = {where: text.lower() for where, text in originals.items()}
    found: dict[str, Technology] = {}
    for signature, pattern in _candidates(lowered):
        current = found.get(signature.name)
        if current is not None and current.confidence >= signature.confidence:
            continue
        text = lowered[signature.where]
        match = pattern.search(text)
        if match:
            found[signature.name] = Technology(
                signature.name,
                signature.category,
                _evidence(originals[signature.where], lowered[signature.where], match),
                signature.where,
                signature.confidence,
                page.url,
            )
    return list(found.values())


def _candidates(lowered: dict[str, str]) -> list[tuple[Signature, re.Pattern[str]]]:
    """The signatures that can match, in SIGNATURES order. Most signatures are absent from a
    page: each distinct required literal is looked for once per page, and a signature none of
    whose literals occurs is ruled out without running its pattern."""
    matchers, without_literals, signatures_by_literal = _literal_index()
    candidates = set(without_literals)
    for (where, literal), indexes in signatures_by_literal.items():
        if literal in lowered[where]:
            candidates.update(indexes)
    return [matchers[index] for index in sorted(candidates)]


@lru_cache(maxsize=1)
def _literal_index() -> tuple[
    list[tuple[Signature, re.Pattern[str]]], list[int], dict[tuple[str, str], list[int]]
]:
    """The matchers; the indexes of those without required literals; and, for each (where,
    literal), the indexes of the signatures that need it (one of their literals)."""
    matchers = []
    without_literals = []
    signatures_by_literal: dict[tuple[str, str], list[int]] = {}
    for index, (signature, pattern, literals) in enumerate(_matchers()):
        matchers.append((signature, pattern))
        if not literals:
            without_literals.append(index)
        for literal in literals:
            signatures_by_literal.setdefault((signature.where, literal), []).append(index)
    return matchers, without_literals, signatures_by_literal


def _evidence(original: str, lowered: str, match: re.Match[str]) -> str:
    # Lower-casing keeps offsets unless the text has characters whose lower case is longer.
    text = original[match.start() : match.end()] if len(original) == len(lowered) else match.group()
    return text[:120]


@lru_cache(maxsize=1)
def _matchers() -> tuple[tuple[Signature, re.Pattern[str], tuple[str, ...]], ...]:
    """Each signature with its compiled pattern and required literals, prepared once (looking
    them up per signature and page cost as much as the matching)."""
    return tuple(
        (signature, _compiled(signature), _required_literals(signature)) for signature in SIGNATURES
    )


def _compiled(signature: Signature) -> re.Pattern[str]:
    # The patterns use no upper-case escapes (\S, \W, \D, \B), so lower-casing keeps their meaning.
    return re.compile(signature.pattern.lower(), re.M)


# Below this length a literal rules out too little to be worth testing first.
_MIN_LITERAL_CHARS = 3
_SPECIAL = frozenset(".^$*+?{}[]()|")


def _required_literals(signature: Signature) -> tuple[str, ...]:
    """One literal per top-level alternative of the pattern, which every match of that
    alternative starts with; empty when some alternative has no such literal."""
    literals = []
    for branch in _top_level_branches(signature.pattern.lower()):
        literal = _leading_literal(branch)
        if len(literal) < _MIN_LITERAL_CHARS:
            return ()
        literals.append(literal)
    return tuple(literals)


def _top_level_branches(pattern: str) -> list[str]:
    branches, start, depth, in_class, index = [], 0, 0, False, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            branches.append(pattern[start:index])
            start = index + 1
        index += 1
    branches.append(pattern[start:])
    return branches


def _leading_literal(branch: str) -> str:
    chars: list[str] = []
    index = 0
    while index < len(branch):
        char = branch[index]
        if char == "\\" and index + 1 < len(branch):
            escaped = branch[index + 1]
            if escaped == "b":
                # A word boundary matches no character: the literal goes on after it.
                index += 2
                continue
            if escaped.isalnum():
                break
            char, step = escaped, 2
        elif char in _SPECIAL:
            # A quantifier makes the character before it optional or repeated.
            if char in "?*{" and chars:
                chars.pop()
            break
        else:
            step = 1
        chars.append(char)
        index += step
    return "".join(chars)
