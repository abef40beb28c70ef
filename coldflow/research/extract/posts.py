"""Recent posts (blog, news, press) with their dates: JSON-LD articles, a single article's
meta tags, and listings where each entry holds a title (heading or link) and a date
(<time datetime> or a written date)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from coldflow.research.extract.facts import Post
from coldflow.research.extract.page import Page
from coldflow.research.extract.structured_data import StructuredItem, of_type, text_value
from coldflow.research.extract.text_dates import find_date, parse_iso_date, without_dates
from coldflow.research.extract.text_lines import Line, heading_level

MAX_POSTS = 50
_ANCESTOR_LIMIT = 8
_MAX_DATE_LINE_CHARS = 80
_TITLE_WINDOW = 4
_ARTICLE_TYPES = ("BlogPosting", "NewsArticle", "Article", "TechArticle", "Report", "PressRelease")
_NOT_TITLES = re.compile(
    r"^(?:read more|more|weiterlesen|mehr(?: lesen| erfahren)?|continue reading|learn more|"
    r"zum artikel|zum beitrag|details|→|»|›)\W*$",
    re.I,
)
_LISTING_PATH = re.compile(
    r"/(?:blog|news|aktuelles|neuigkeiten|presse|press|insights|articles?|journal|magazin|beitraege|updates)\b",
    re.I,
)


def find_posts(page: Page, items: list[StructuredItem]) -> list[Post]:
    posts: dict[tuple[str, date], Post] = {}

    def add(
        title: str, url: str | None, published: date | None, method: str, confidence: float
    ) -> None:
        title = " ".join(title.split())[:300]
        if title and published is not None and len(posts) < MAX_POSTS:
            posts.setdefault(
                (title.lower(), published),
                Post(title, url, published, method, confidence, page.url),
            )

    for item in of_type(items, *_ARTICLE_TYPES):
        properties = item.properties
        url = text_value(properties.get("url")) or text_value(properties.get("mainEntityOfPage"))
        published = parse_iso_date(
            text_value(properties.get("datePublished")) or text_value(properties.get("dateCreated"))
        )
        title = text_value(properties.get("headline")) or text_value(properties.get("name")) or ""
        add(title, page.absolute(url) if url else None, published, item.method, 0.95)
    if (page.meta("og:type") or "").lower() == "article":
        published = parse_iso_date(page.meta("article:published_time", "og:published_time"))
        add(page.meta("og:title") or page.title or "", page.url, published, "meta", 0.8)
    for title, url, published, method in _listing_entries(page):
        add(title, url, published, method, 0.85 if method == "time_element" else 0.75)
    return list(posts.values())


def _listing_entries(page: Page) -> list[tuple[str, str | None, date, str]]:
    lines = page.lines
    dated: list[tuple[int, date, str]] = []
    for index, line in enumerate(lines):
        if line.in_chrome:
            continue
        published = parse_iso_date(line.datetime) if line.datetime else None
        method = "time_element"
        # A linked line may carry the title too: "<a>Acme raises seed round</a> — 3 October 2024".
        limit = _MAX_DATE_LINE_CHARS * 2 if line.href else _MAX_DATE_LINE_CHARS
        if published is None and len(line.text) <= limit:
            published = find_date(line.text)
            method = "text_date"
        if published is not None:
            dated.append((index, published, method))
    if not dated:
        return []
    listing_page = bool(_LISTING_PATH.search(page.url))
    chains: dict[int, list[int]] = {}
    date_counts = Counter(a for index, _, _ in dated for a in _chain(lines[index], chains))
    entries = []
    for index, published, method in dated[: MAX_POSTS * 2]:
        entry = _entry_container(lines[index], chains, date_counts)
        if entry is None:
            continue
        title_line = _title_line(lines, index, entry, chains)
        if title_line is None:
            title_line = _titled_date_line(lines[index])
        if title_line is None:
            continue
        # Elsewhere (a home page's "latest news"), only a machine-readable date next to a link
        # to the post counts: a lone date on an imprint ("Stand: 01.01.2024") is no post.
        if not listing_page and (method != "time_element" or title_line.href is None):
            continue
        url = page.absolute(title_line.href) if title_line.href else None
        entries.append((title_line.text, url, published, method))
    return entries


def _chain(line: Line, chains: dict[int, list[int]]) -> list[int]:
    key = line.node.mem_id
    if key not in chains:
        chain = []
        node = line.node
        while node is not None and len(chain) < _ANCESTOR_LIMIT:
            chain.append(node.mem_id)
            node = node.parent
        chains[key] = chain
    return chains[key]


def _entry_container(
    line: Line, chains: dict[int, list[int]], date_counts: Counter[int]
) -> int | None:
    """The largest ancestor of a date line holding no other date: one listing entry."""
    entry = None
    for ancestor in _chain(line, chains):
        if date_counts[ancestor] > 1:
            break
        entry = ancestor
    return entry


def _title_line(
    lines: list[Line], index: int, entry: int, chains: dict[int, list[int]]
) -> Line | None:
    """The entry's heading, else its longest link text, near the date line."""
    candidates = []
    for other in range(max(0, index - _TITLE_WINDOW), min(len(lines), index + _TITLE_WINDOW + 1)):
        line = lines[other]
        if other == index or entry not in _chain(line, chains):
            continue
        if _NOT_TITLES.match(line.text) or len(line.text) < 8:
            continue
        if find_date(line.text) is not None and len(line.text) <= _MAX_DATE_LINE_CHARS:
            continue
        rank = (heading_level(line) is not None, line.href is not None, len(line.text))
        candidates.append((rank, line))
    if not candidates:
        return None
    return max(candidates, key=lambda c: c[0])[1]


def _titled_date_line(line: Line) -> Line | None:
    """ "<a>Acme raises seed round</a> — 3 October 2024": title and date on one linked line."""
    if line.href is None:
        return None
    title = without_dates(line.text).strip(" -–—|·,")
    if len(title) < 8 or find_date(title) is not None:
        return None
    return Line(title, (title,), line.node, line.tag, line.href, line.datetime, line.in_chrome)
