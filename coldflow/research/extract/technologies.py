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
    haystacks = {
        "script_src": "\n".join(page.script_srcs),
        "link_href": "\n".join(page.link_hrefs),
        "generator": "\n".join(page.metas.get("generator", [])),
        "inline": "\n".join(page.inline_scripts),
        "html": page.html[:_MAX_HTML_CHARS],
    }
    found: dict[str, Technology] = {}
    for signature in SIGNATURES:
        current = found.get(signature.name)
        if current is not None and current.confidence >= signature.confidence:
            continue
        match = _compiled(signature).search(haystacks[signature.where])
        if match:
            found[signature.name] = Technology(
                signature.name,
                signature.category,
                match.group()[:120],
                signature.where,
                signature.confidence,
                page.url,
            )
    return list(found.values())


@lru_cache(maxsize=len(SIGNATURES))
def _compiled(signature: Signature) -> re.Pattern[str]:
    flags = re.M if signature.where == "generator" else re.I
    return re.compile(signature.pattern, flags)
