"""Read sitemap.xml files without an XML parser: hostile sitemaps can carry entity bombs and
broken markup, and all a focused crawl needs from them is the <loc> URLs."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# Bounded and without "<" inside, so unclosed tags cannot make the scan quadratic.
_LOC = re.compile(r"<(?:\w+:)?loc>([^<]{1,2100})</(?:\w+:)?loc>", re.IGNORECASE)
_INDEX = re.compile(r"<(?:\w+:)?sitemapindex[\s>]", re.IGNORECASE)
_MAX_URL_LENGTH = 2048


@dataclass(frozen=True, slots=True)
class Sitemap:
    # Page URLs (a <urlset>), or further sitemaps when `is_index` (a <sitemapindex>).
    urls: tuple[str, ...]
    is_index: bool


def parse_sitemap(text: str, *, limit: int = 5000) -> Sitemap:
    urls: list[str] = []
    for match in _LOC.finditer(text):
        url = html.unescape(match.group(1)).strip()
        if url.startswith(("http://", "https://")) and len(url) <= _MAX_URL_LENGTH:
            urls.append(url)
            if len(urls) >= limit:
                break
    return Sitemap(tuple(dict.fromkeys(urls)), is_index=bool(_INDEX.search(text[:4096])))
