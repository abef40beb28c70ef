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
    for signature in SIGNATURES:
        current = found.get(signature.name)
        if current is not None and current.confidence >= signature.confidence:
            continue
        match = _compiled(signature).search(lowered[signature.where])
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


def _evidence(original: str, lowered: str, match: re.Match[str]) -> str:
    # Lower-casing keeps offsets unless the text has characters whose lower case is longer.
    text = original[match.start() : match.end()] if len(original) == len(lowered) else match.group()
    return text[:120]


@lru_cache(maxsize=len(SIGNATURES))
def _compiled(signature: Signature) -> re.Pattern[str]:
    # The patterns use no upper-case escapes (\S, \W, \D, \B), so lower-casing keeps their meaning.
    return re.compile(signature.pattern.lower(), re.M)
