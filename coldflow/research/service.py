"""Researching companies: crawl their sites and extract, many at once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping

from coldflow.config.loader import Config
from coldflow.network import Network
from coldflow.research.crawl import SiteCrawl
from coldflow.research.extraction_pool import research_many
from coldflow.research.fetch import FetchSettings
from coldflow.research.site_research import SiteResearch


def fetch_settings(config: Config, network: Network) -> FetchSettings:
    return FetchSettings(
        per_host_delay=config["CRAWL_DELAY"],
        total_concurrency=config["CRAWL_CONCURRENCY"],
        nameserver=network.nameserver,
        nameserver_port=network.nameserver_port,
        allow_loopback=network.allow_loopback,
        port_map={k: v for k, v in network.port_map.items() if k in (80, 443)},
        # The sandbox serves plain HTTP only (it has no certificates to offer).
        default_scheme="http" if network.sandbox else "https",
        render_javascript=config["RENDER_JAVASCRIPT"],
        chromium_path=str(config["CHROMIUM_PATH"]),
    )


def research_domains(
    domains: Iterable[str],
    settings: FetchSettings,
    *,
    pages_per_site: int = 8,
    on_result: Callable[[SiteResearch], None] | None = None,
    previous: Mapping[str, SiteCrawl] | None = None,
) -> list[SiteResearch]:
    """Crawl and extract every domain (in worker processes beside the crawl on more than one
    core); results in input order, and each through `on_result` in the order the crawls
    finished. `previous` (see store.previous_crawls) makes unchanged pages cost a 304."""
    researched = asyncio.run(
        research_many(
            domains,
            settings,
            pages_per_site=pages_per_site,
            on_result=on_result,
            previous=previous,
        )
    )
    return [research for _, research in researched]
