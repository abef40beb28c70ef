"""robots.txt: fetched once per origin, parsed with protego, read as RFC 9309 says."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from protego import Protego
from yarl import URL

from coldflow.research.fetch.result import FetchResult

# RFC 9309 asks crawlers to parse at least 500 KiB.
ROBOTS_MAX_BYTES = 512 * 1024


@dataclass(frozen=True, slots=True)
class RobotsRules:
    # None: no usable robots.txt, everything is allowed.
    parser: Protego | None = None
    # Set when robots.txt was unreachable: RFC 9309 then means "disallow everything".
    error: str | None = None

    def allows(self, url: str, user_agent: str) -> bool:
        if self.error is not None:
            return False
        return self.parser is None or bool(self.parser.can_fetch(url, user_agent))

    def crawl_delay(self, user_agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(user_agent)
        return float(delay) if delay is not None else None

    def sitemaps(self) -> list[str]:
        return [] if self.parser is None else list(self.parser.sitemaps)


def rules_from_fetch(result: FetchResult) -> RobotsRules:
    if result.status is None:
        return RobotsRules(error=f"robots.txt unreachable: {result.error}")
    if result.status >= 500 or result.status == 429:
        return RobotsRules(error=f"robots.txt unreachable: http {result.status}")
    if not result.ok:
        # 4xx, or an unusable answer (too large, redirect loop…): treated as "no rules".
        return RobotsRules()
    try:
        return RobotsRules(parser=Protego.parse(result.text))
    except Exception:
        # protego is not built for hostile input; a file it cannot read gives no rules.
        return RobotsRules()


class RobotsCache:
    """One robots.txt lookup per origin for the lifetime of the cache (one crawl).

    A robots.txt that redirects to another origin's /robots.txt (example.com to
    www.example.com, http to https) is that origin's file too: it is kept for both, so the
    site the crawl lands on does not cost a second request, a politeness delay apart.
    """

    def __init__(self, fetch: Callable[[str], Awaitable[FetchResult]]) -> None:
        self._fetch = fetch
        self._rules: dict[str, asyncio.Future[RobotsRules]] = {}

    async def rules_for(self, url: URL) -> RobotsRules:
        origin = str(url.origin())
        known = self._rules.get(origin)
        if known is None:
            known = asyncio.ensure_future(self._load(origin))
            self._rules[origin] = known
        return await asyncio.shield(known)

    async def _load(self, origin: str) -> RobotsRules:
        result = await self._fetch(origin + "/robots.txt")
        rules = rules_from_fetch(result)
        if result.redirects and result.status is not None and result.status < 500:
            final = URL(result.final_url)
            if final.path == "/robots.txt" and str(final.origin()) not in self._rules:
                settled = asyncio.get_running_loop().create_future()
                settled.set_result(rules)
                self._rules[str(final.origin())] = settled
        return rules

    def close(self) -> None:
        for known in self._rules.values():
            known.cancel()
        self._rules.clear()
