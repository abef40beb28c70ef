"""Crawl many sites at once through one fetcher: hundreds of hosts in flight, each host polite."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Mapping

from coldflow.research.crawl.page_kinds import PageKind
from coldflow.research.crawl.site_crawl import PageError, SiteCrawl, crawl_site
from coldflow.research.fetch import Fetcher, FetchSettings

logger = logging.getLogger(__name__)


async def crawl_many(
    domains: Iterable[str],
    settings: FetchSettings,
    *,
    budget: int = 8,
    previous: Mapping[str, SiteCrawl] | None = None,
    on_result: Callable[[SiteCrawl], None] | None = None,
    site_concurrency: int | None = None,
) -> list[SiteCrawl]:
    """Crawl every domain; results come back in input order and, as each site finishes,
    through `on_result`. One site's failure never stops the others."""
    sites_at_once = asyncio.Semaphore(site_concurrency or settings.total_concurrency)
    earlier = previous or {}
    async with Fetcher(settings) as fetcher:

        async def crawl_one(domain: str) -> SiteCrawl:
            async with sites_at_once:
                try:
                    crawl = await crawl_site(
                        fetcher, domain, budget=budget, previous=earlier.get(domain)
                    )
                except Exception:
                    # A bug of ours must cost one site, not the batch; the log keeps the trace.
                    logger.exception("crawl of %s failed", domain)
                    crawl = SiteCrawl(
                        domain=domain,
                        home_url=None,
                        errors=(PageError(domain, PageKind.HOME, "internal error during crawl"),),
                    )
            if on_result is not None:
                on_result(crawl)
            return crawl

        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(crawl_one(domain)) for domain in domains]
    return [task.result() for task in tasks]
