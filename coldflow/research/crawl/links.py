"""The links of a page, with the words a visitor sees for each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urldefrag, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from coldflow.research.extract.link_resolution import href_resolver
from coldflow.research.extract.markup_bounds import parse_html
from coldflow.research.extract.text_cache import short_text_cache

_MAX_LINKS = 2000
_MAX_TEXT = 200
_MAX_HREF = 2048


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    text: str


def extract_links(html: str, base_url: str, *, limit: int = _MAX_LINKS) -> list[Link]:
    """Absolute http(s) links without fragments, in page order, at most `limit`."""
    return links_in_tree(parse_html(html).tree, base_url, limit=limit)


def links_in_tree(tree: LexborHTMLParser, base_url: str, *, limit: int = _MAX_LINKS) -> list[Link]:
    """extract_links over a page parsed with markup_bounds.parse_html (so that extraction can
    reuse the tree)."""
    base = base_url
    base_node = tree.css_first("base[href]")
    if base_node is not None:
        base = _absolute(href_resolver(base_url), base_node.attributes.get("href") or "")
        base = base or base_url
    resolve = href_resolver(base)
    links: list[Link] = []
    for node in tree.css("a[href]"):
        url = _absolute(resolve, node.attributes.get("href") or "")
        if url is None:
            continue
        links.append(Link(url, _visible_name(node)))
        if len(links) >= limit:
            break
    return links


def _visible_name(node: LexborNode) -> str:
    text = node.text(deep=True, separator=" ", strip=True)
    if not text:
        attributes = node.attributes
        text = attributes.get("aria-label") or attributes.get("title") or ""
        image = node.css_first("img[alt]")
        if not text and image is not None:
            text = image.attributes.get("alt") or ""
    return " ".join(text.split())[:_MAX_TEXT]


def _absolute(resolve: Callable[[str], str | None], href: str) -> str | None:
    href = href.strip()
    if not href or len(href) > _MAX_HREF:
        return None
    url = resolve(href)
    if url is None:
        return None
    return _crawlable(url)


@short_text_cache
def _crawlable(url: str) -> str | None:
    """The URL without its fragment if it is http(s) with a host, else None."""
    try:
        url = urldefrag(url).url
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return None
    except ValueError:
        return None
    return url
