"""Crawl many sites at once through one fetcher: hundreds of hosts in flight, each host polite."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Mapping
from functools import partial

from coldflow.research.crawl.page_kinds import PageKind
from coldflow.research.crawl.site_crawl import CrawledPage, PageError, SiteCrawl, crawl_site
from coldflow.research.fetch import Fetcher, FetchSettings
from coldflow.research.fetch.politeness import request_order

logger = logging.getLogger(__name__)

# Sites crawled at once at most. Far more than the requests in flight: a polite crawl spends
# most of each site's time waiting out the host's delay, holding no request slot, and slots
# that run short go to the sites that started first (see politeness.request_order).
SITES_IN_FLIGHT = 1000


async def crawl_many(
    domains: Iterable[str],
    settings: FetchSettings,
    *,
    budget: int = 8,
    previous: Mapping[str, SiteCrawl] | None = None,
    on_result: Callable[[int, SiteCrawl], None] | None = None,
    on_page: Callable[[int, CrawledPage], None] | None = None,
    site_concurrency: int | None = None,
) -> list[SiteCrawl]:
    """Crawl every domain; results come back in input order and, as each site finishes,
    through `on_result(position, crawl)`, `position` being the domain's index in `domains`;
    each page as it is fetched through `on_page(position, page)`. One site's failure never
    stops the others."""
    sites_at_once = asyncio.Semaphore(site_concurrency or SITES_IN_FLIGHT)
    earlier = previous or {}
    async with Fetcher(settings) as fetcher:

        async def crawl_one(position: int, domain: str) -> SiteCrawl:
            async with sites_at_once:
                request_order.set(position)
                try:
                    crawl = await crawl_site(
                        fetcher,
                        domain,
                        budget=budget,
                        previous=earlier.get(domain),
                        on_page=None if on_page is None else partial(on_page, position),
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
                on_result(position, crawl)
            return crawl

        async with asyncio.TaskGroup() as group:
            tasks = [
                group.create_task(crawl_one(position, domain))
                for position, domain in enumerate(domains)
            ]
    return [task.result() for task in tasks]
