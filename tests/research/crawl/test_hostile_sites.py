import asyncio
import time

from coldflow.research.crawl import PageKind, SiteCrawl, crawl_site
from coldflow.research.fetch import Fetcher
from tests.research.crawl.company_sites import hostile_company
from tests.research.fetch.local_network import DnsServer, VirtualHosts, sandbox_settings

HOST = "broken-site.com"


def test_a_site_full_of_traps_is_crawled_without_a_crash(dns: DnsServer) -> None:
    dns.records[HOST] = ["127.0.0.1"]
    dns.records[f"intranet.{HOST}"] = ["10.0.0.8"]

    async def scenario() -> tuple[SiteCrawl, VirtualHosts]:
        async with VirtualHosts() as hosts:
            hosts.add_site(HOST, hostile_company(HOST))
            settings = sandbox_settings(dns, hosts, timeout=0.5, max_bytes=1_000_000)
            async with Fetcher(settings) as fetcher:
                return await crawl_site(fetcher, HOST), hosts

    started = time.monotonic()
    result, hosts = asyncio.run(scenario())
    assert time.monotonic() - started < 5
    assert [page.kind for page in result.pages] == [PageKind.HOME]
    errors = {e.kind: e.error for e in result.errors}
    assert errors == {
        PageKind.TEAM: "timeout after 0.5 s",
        PageKind.ABOUT: "redirect loop",
        PageKind.CONTACT: "too large: over 1 MB",
        PageKind.IMPRINT: "http 500",
        PageKind.CAREERS: "too large: over 1 MB",
        PageKind.BLOG: "http 404",
    }
    # The extra people page is on a subdomain that resolves into private address space.
    leadership = [e for e in result.errors if e.url == f"http://intranet.{HOST}/leadership"]
    assert [e.error for e in leadership] == ["refused: private address 10.0.0.8"]
    assert {hit.host for hit in hosts.hits} == {HOST}
