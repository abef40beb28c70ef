"""Page URLs from a site's sitemaps (named in robots.txt, else /sitemap.xml), bounded."""

from __future__ import annotations

from yarl import URL

from coldflow.research.fetch import Fetcher
from coldflow.research.fetch.sitemaps import parse_sitemap

_MAX_SITEMAP_FILES = 3
_MAX_URLS = 5000


async def sitemap_page_urls(fetcher: Fetcher, site_url: str) -> list[str]:
    rules = await fetcher.robots(site_url)
    queue = rules.sitemaps() or [str(URL(site_url).origin() / "sitemap.xml")]
    pages: list[str] = []
    fetched = 0
    seen: set[str] = set()
    while queue and fetched < _MAX_SITEMAP_FILES and len(pages) < _MAX_URLS:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        fetched += 1
        result = await fetcher.get(url)
        if not result.ok:
            continue
        sitemap = parse_sitemap(result.text, limit=_MAX_URLS)
        if sitemap.is_index:
            queue.extend(sitemap.urls)
        else:
            pages.extend(sitemap.urls)
    return pages[:_MAX_URLS]
