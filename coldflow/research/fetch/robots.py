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
    """One robots.txt lookup per origin for the lifetime of the cache (one crawl)."""

    def __init__(self, fetch: Callable[[str], Awaitable[FetchResult]]) -> None:
        self._fetch = fetch
        self._rules: dict[str, asyncio.Task[RobotsRules]] = {}

    async def rules_for(self, url: URL) -> RobotsRules:
        origin = str(url.origin())
        task = self._rules.get(origin)
        if task is None:
            task = asyncio.ensure_future(self._load(origin))
            self._rules[origin] = task
        return await asyncio.shield(task)

    async def _load(self, origin: str) -> RobotsRules:
        return rules_from_fetch(await self._fetch(origin + "/robots.txt"))

    def close(self) -> None:
        for task in self._rules.values():
            task.cancel()
        self._rules.clear()
