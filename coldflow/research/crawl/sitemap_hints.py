"""Page URLs from a site's sitemaps (named in robots.txt, else /sitemap.xml), bounded.

Every sitemap file costs a request to the site, which politeness spaces a delay apart from
the last; so the sitemaps of an index most likely to list a company's own pages are read
first, and reading stops as soon as the caller has what it was looking for.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from yarl import URL

from coldflow.research.fetch import Fetcher
from coldflow.research.fetch.sitemaps import parse_sitemap

_MAX_SITEMAP_FILES = 3
_MAX_URLS = 5000
# Names of sitemaps listing pages (Yoast's page-sitemap.xml, WordPress's
# wp-sitemap-posts-page-1.xml, sitemap-pages.xml), and of those listing posts, products or
# taxonomies, which are read last.
_PAGES_NAME = re.compile(r"(?<![a-z])pages?(?![a-z])")
_OTHER_NAME = re.compile(r"post|product|categor|tag|author|image|video|news|article|event")
_LISTS_PAGES, _UNKNOWN, _LISTS_OTHER = 0, 1, 2


async def sitemap_page_urls(
    fetcher: Fetcher, site_url: str, *, enough: Callable[[list[str]], bool] | None = None
) -> list[str]:
    """The page URLs the site's sitemaps list; reading stops once `enough(urls so far)`."""
    rules = await fetcher.robots(site_url)
    queue = rules.sitemaps() or [str(URL(site_url).origin() / "sitemap.xml")]
    pages: list[str] = []
    fetched = 0
    seen: set[str] = set()
    pages_listed = False
    while queue and fetched < _MAX_SITEMAP_FILES and len(pages) < _MAX_URLS:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        # Once the sitemap of pages was read, posts and products have nothing to add.
        if pages_listed and _listing(url) == _LISTS_OTHER:
            continue
        fetched += 1
        result = await fetcher.get(url)
        if not result.ok:
            continue
        sitemap = parse_sitemap(result.text, limit=_MAX_URLS)
        if sitemap.is_index:
            queue = sorted(queue + list(sitemap.urls), key=_listing)
            continue
        pages.extend(sitemap.urls)
        pages_listed = pages_listed or _listing(url) == _LISTS_PAGES
        if enough is not None and enough(pages):
            break
    return pages[:_MAX_URLS]


def _listing(sitemap_url: str) -> int:
    """What a sitemap named in an index lists, by its file name (the order to read them in)."""
    name = sitemap_url.rstrip("/").rsplit("/", 1)[-1].lower()
    if _PAGES_NAME.search(name):
        return _LISTS_PAGES
    return _LISTS_OTHER if _OTHER_NAME.search(name) else _UNKNOWN
