"""Resolving a page's hrefs to absolute URLs, fast where a site repeats itself.

A path from the root ("/team") or a URL with a host resolves the same from every page of the
site: urljoin then reads only the base's scheme and host. Most links are such, and navigation
repeats them on every page, so they are resolved once per origin (see text_cache).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from coldflow.research.extract.text_cache import short_text_cache

_WEB_SCHEMES = ("http", "https")
# urlsplit drops tabs and newlines: "/\t/x" reads as "//x", a host, so neither pattern takes them.
_ROOT_PATH = re.compile(r"/(?!/)[^\t\r\n]*\Z")
_WITH_HOST = re.compile(r"https?://[^/?#\t\r\n]", re.I)


def web_origin(url: str) -> str | None:
    """ "scheme://netloc" of an http(s) URL with a host, else None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in _WEB_SCHEMES or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def href_resolver(base: str) -> Callable[[str], str | None]:
    """resolve_href for one page's hrefs, each resolved once: navigation repeats the same
    hrefs in header, footer and sidebar."""
    origin = web_origin(base)
    resolved: dict[str, str | None] = {}

    def resolve(href: str) -> str | None:
        if href not in resolved:
            resolved[href] = resolve_href(base, origin, href)
        return resolved[href]

    return resolve


def resolve_href(base: str, origin: str | None, href: str) -> str | None:
    """urljoin(base, href), or None where urljoin fails; `origin` is web_origin(base)."""
    if origin is not None and (_ROOT_PATH.match(href) or _WITH_HOST.match(href)):
        return _resolve_from_origin(href, origin)
    try:
        return urljoin(base, href)
    except ValueError:
        return None


@short_text_cache
def _resolve_from_origin(href: str, origin: str) -> str | None:
    try:
        return urljoin(origin, href)
    except ValueError:
        return None
