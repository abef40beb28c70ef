"""The focused crawl of one company site: home, then the best page of each wanted kind."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from urllib.parse import urlsplit

from coldflow.research.crawl.javascript_pages import looks_javascript_only
from coldflow.research.crawl.links import Link, links_in_tree
from coldflow.research.crawl.page_kinds import WANTED_KINDS, PageKind
from coldflow.research.crawl.selection import Candidate, choose_pages, rank_candidates, url_key
from coldflow.research.crawl.site_scope import site_key
from coldflow.research.crawl.sitemap_hints import sitemap_page_urls
from coldflow.research.extract.markup_bounds import ParsedHtml, parse_html
from coldflow.research.fetch import Fetcher, FetchResult

# Failures after which the other scheme may still work (no TLS, or TLS only).
_SCHEME_FALLBACK_ERRORS = ("connection failed", "connection lost", "tls error", "connect timeout")
_BLOCKED = "blocked by robots.txt"


@dataclass(frozen=True, slots=True)
class CrawledPage:
    # Where the page was found after redirects; `requested_url` is what the crawl asked for.
    url: str
    requested_url: str
    kind: PageKind
    status: int | None
    text: str
    encoding: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    # The server answered 304: `text` is the previous crawl's text.
    not_modified: bool = False
    # The text is the DOM after running the page's JavaScript in headless Chromium.
    rendered: bool = False


@dataclass(frozen=True, slots=True)
class PageError:
    url: str
    kind: PageKind
    error: str


@dataclass(frozen=True, slots=True)
class SiteCrawl:
    domain: str
    # The home page's final URL, or None when the site could not be reached.
    home_url: str | None
    pages: tuple[CrawledPage, ...] = ()
    errors: tuple[PageError, ...] = ()
    elapsed: float = 0.0
    # The pages the crawl parsed to find links, by requested URL: extraction in this process
    # takes (removes) each one instead of parsing the page again. Never pickled.
    parsed: dict[str, ParsedHtml] = field(default_factory=dict, compare=False, repr=False)

    def __getstate__(self) -> list:
        # A parsed tree cannot leave its process; a worker parses the page itself.
        return [{} if f.name == "parsed" else getattr(self, f.name) for f in fields(self)]

    def page(self, kind: PageKind) -> CrawledPage | None:
        return next((p for p in self.pages if p.kind == kind), None)

    @property
    def kinds(self) -> set[PageKind]:
        return {p.kind for p in self.pages}


async def crawl_site(
    fetcher: Fetcher,
    domain_or_url: str,
    *,
    budget: int = 8,
    previous: SiteCrawl | None = None,
    on_page: Callable[[CrawledPage], None] | None = None,
) -> SiteCrawl:
    """Fetch at most `budget` pages of one site. Never raises for what the site does.

    With `previous` (an earlier crawl of the site, texts included), pages are requested
    conditionally and a 304 answer reuses the earlier text. `on_page` gets each page as it
    is added, in the order of the result's `pages`, so work on it can start while the crawl
    waits for the rest.
    """
    crawl = _Crawl(fetcher, domain_or_url, budget, previous, on_page)
    await crawl.run()
    return crawl.result()


@dataclass
class _Crawl:
    fetcher: Fetcher
    domain: str
    budget: int
    previous: SiteCrawl | None
    on_page: Callable[[CrawledPage], None] | None = None
    started: float = field(default_factory=time.monotonic)
    pages: list[CrawledPage] = field(default_factory=list)
    errors: list[PageError] = field(default_factory=list)
    attempted: set[str] = field(default_factory=set)
    home_url: str | None = None
    parsed: dict[str, ParsedHtml] = field(default_factory=dict)

    async def run(self) -> None:
        home = await self._fetch_home()
        if home is None:
            return
        self.home_url = home.url
        site = site_key(urlsplit(home.url).hostname or "")
        home_links = self._links(home)
        candidates = rank_candidates(home_links, site=site, exclude=[home.url])
        if {c.kind for c in candidates} < set(WANTED_KINDS):

            def from_sitemaps(urls: list[str]) -> list[Candidate]:
                links = [Link(url, "") for url in urls]
                return rank_candidates(links, site=site, exclude=[home.url])

            def covers_every_kind(urls: list[str]) -> bool:
                kinds = {c.kind for c in candidates} | {c.kind for c in from_sitemaps(urls)}
                return kinds >= set(WANTED_KINDS)

            listed = await sitemap_page_urls(self.fetcher, home.url, enough=covers_every_kind)
            candidates = _merge(candidates, from_sitemaps(listed))

        candidates = await self._without_disallowed(candidates)
        first_round = await self._fetch_all(choose_pages(candidates, slots=self._slots_left()))
        # Team pages often hang below "about" or "company" rather than off the home page.
        missing = [kind for kind in WANTED_KINDS if kind not in self._kinds_found()]
        if missing and self._slots_left() > 0:
            deeper = [link for page in first_round for link in self._links(page)]
            deeper_candidates = rank_candidates(deeper, site=site, exclude=[home.url])
            candidates = _merge(candidates, await self._without_disallowed(deeper_candidates))
            await self._fetch_all(
                choose_pages(
                    candidates, slots=self._slots_left(), kinds=missing, attempted=self.attempted
                )
            )
        # Spare budget goes to more people pages ("leadership" beside "team").
        extra_team = [
            c
            for c in candidates
            if c.kind == PageKind.TEAM and url_key(c.url) not in self.attempted
        ]
        await self._fetch_all(extra_team[: self._slots_left()])

    def result(self) -> SiteCrawl:
        return SiteCrawl(
            domain=self.domain,
            home_url=self.home_url,
            pages=tuple(self.pages),
            errors=tuple(self.errors),
            elapsed=time.monotonic() - self.started,
            parsed=self.parsed,
        )

    def _links(self, page: CrawledPage) -> list[Link]:
        parsed = parse_html(page.text)
        self.parsed[page.requested_url] = parsed
        return links_in_tree(parsed.tree, page.url)

    async def _fetch_home(self) -> CrawledPage | None:
        start_urls = _start_urls(self.domain, self.fetcher.settings.default_scheme)
        if not start_urls:
            self.errors.append(PageError(self.domain[:200], PageKind.HOME, "invalid domain"))
            return None
        errors_before = len(self.errors)
        for url in start_urls:
            attempt_errors = len(self.errors)
            page, error = await self._fetch(url, PageKind.HOME)
            if page is not None:
                # The scheme that failed first is not worth reporting once the other worked.
                del self.errors[errors_before:attempt_errors]
                return page
            # robots.txt is the first request to a site, so its failure is the site's failure.
            cause = (error or "").removeprefix("robots.txt unreachable: ")
            if not cause.startswith(_SCHEME_FALLBACK_ERRORS):
                return None
        return None

    async def _without_disallowed(self, candidates: list[Candidate]) -> list[Candidate]:
        """Drop candidates robots.txt disallows, so the next best page of that kind gets the
        slot. A disallowed page that outranks every allowed one of its kind is reported."""
        allowed = await asyncio.gather(*(self.fetcher.robots_allow(c.url) for c in candidates))
        settled = {e.kind for e in self.errors if e.error == _BLOCKED}
        for candidate, ok in zip(candidates, allowed, strict=True):  # best first
            if not ok and candidate.kind not in settled:
                self.errors.append(PageError(candidate.url, candidate.kind, _BLOCKED))
            settled.add(candidate.kind)
        return [c for c, ok in zip(candidates, allowed, strict=True) if ok]

    async def _fetch_all(self, candidates: list[Candidate]) -> list[CrawledPage]:
        fetched = await asyncio.gather(*(self._fetch(c.url, c.kind) for c in candidates))
        return [page for page, _ in fetched if page is not None]

    async def _fetch(self, url: str, kind: PageKind) -> tuple[CrawledPage | None, str | None]:
        self.attempted.add(url_key(url))
        earlier = self._earlier(url)
        result = await self.fetcher.get(
            url,
            etag=earlier.etag if earlier else None,
            last_modified=earlier.last_modified if earlier else None,
        )
        if result.error is not None:
            self.errors.append(PageError(url, kind, result.error))
            return None, result.error
        page = _page_from(result, kind, earlier)
        if self.fetcher.settings.render_javascript and looks_javascript_only(page.text):
            page = await self._rendered(page)
        self.pages.append(page)
        if self.on_page is not None:
            self.on_page(page)
        return page, None

    async def _rendered(self, page: CrawledPage) -> CrawledPage:
        rendered = await self.fetcher.render(page.url)
        if rendered.error is not None:
            self.errors.append(PageError(page.url, page.kind, rendered.error))
            return page
        return CrawledPage(
            url=page.url,
            requested_url=page.requested_url,
            kind=page.kind,
            status=page.status,
            text=rendered.text,
            encoding=rendered.encoding,
            etag=page.etag,
            last_modified=page.last_modified,
            not_modified=page.not_modified,
            rendered=True,
        )

    def _earlier(self, url: str) -> CrawledPage | None:
        if self.previous is None:
            return None
        key = url_key(url)
        return next((p for p in self.previous.pages if url_key(p.requested_url) == key), None)

    def _kinds_found(self) -> set[PageKind]:
        return {p.kind for p in self.pages}

    def _slots_left(self) -> int:
        return max(0, self.budget - len(self.attempted))


def _page_from(result: FetchResult, kind: PageKind, earlier: CrawledPage | None) -> CrawledPage:
    if result.not_modified and earlier is not None:
        return CrawledPage(
            url=earlier.url,
            requested_url=result.url,
            kind=kind,
            status=result.status,
            text=earlier.text,
            encoding=earlier.encoding,
            etag=result.etag or earlier.etag,
            last_modified=result.last_modified or earlier.last_modified,
            not_modified=True,
        )
    return CrawledPage(
        url=result.final_url,
        requested_url=result.url,
        kind=kind,
        status=result.status,
        text=result.text,
        encoding=result.encoding,
        etag=result.etag,
        last_modified=result.last_modified,
        not_modified=result.not_modified,
    )


def _merge(first: list[Candidate], second: list[Candidate]) -> list[Candidate]:
    known = {url_key(c.url) for c in first}
    return sorted(
        first + [c for c in second if url_key(c.url) not in known], key=lambda c: -c.score
    )


def _start_urls(domain_or_url: str, default_scheme: str) -> list[str]:
    """The home URLs to try: the given URL, or the bare domain with each scheme."""
    text = domain_or_url.strip()
    if "://" in text:
        try:
            parts = urlsplit(text)
        except ValueError:
            return []
        return [text] if parts.scheme in ("http", "https") and parts.hostname else []
    host = text.split("/")[0].strip().rstrip(".").lower()
    if not host or any(ch.isspace() for ch in host) or "@" in host:
        return []
    other = "http" if default_scheme == "https" else "https"
    return [f"{default_scheme}://{host}/", f"{other}://{host}/"]
