import asyncio

from coldflow.research.crawl import PageKind, SiteCrawl, crawl_many
from tests.research.crawl.company_sites import english_company, german_company
from tests.research.fetch.local_network import (
    DnsServer,
    VirtualHosts,
    most_at_once,
    sandbox_settings,
    spaced_apart,
)

SITES = 40
DELAY = 0.15


def test_many_sites_are_crawled_in_parallel_and_politely(dns: DnsServer) -> None:
    domains = [f"company{n}.example" for n in range(SITES)]
    for domain in domains:
        dns.records[domain] = ["127.0.0.1"]
    reported: list[SiteCrawl] = []

    async def scenario() -> tuple[list[SiteCrawl], VirtualHosts, float]:
        async with VirtualHosts() as hosts:
            for n, domain in enumerate(domains):
                company = german_company if n % 2 else english_company
                hosts.add_site(domain, company(domain))
            settings = sandbox_settings(dns, hosts, per_host_delay=DELAY, per_host_concurrency=2)
            loop = asyncio.get_running_loop()
            started = loop.time()
            results = await crawl_many(
                domains, settings, on_result=lambda _, crawl: reported.append(crawl)
            )
            return results, hosts, loop.time() - started

    results, hosts, elapsed = asyncio.run(scenario())
    assert [r.domain for r in results] == domains
    assert sorted(r.domain for r in reported) == sorted(domains)
    for result in results:
        assert PageKind.TEAM in result.kinds and PageKind.ABOUT in result.kinds, result
    requests_per_site = len(hosts.hits) / SITES
    # Each site alone takes (requests - 1) delays; one after another they would take 40 times that.
    assert elapsed < SITES * (requests_per_site - 1) * DELAY / 4
    for domain in domains:
        assert spaced_apart([hit.started for hit in hosts.hits_for(domain)], DELAY), domain


def test_one_broken_site_does_not_stop_the_others(dns: DnsServer) -> None:
    dns.records["good.example"] = ["127.0.0.1"]

    async def scenario() -> list[SiteCrawl]:
        async with VirtualHosts() as hosts:
            hosts.add_site("good.example", english_company("good.example"))
            return await crawl_many(
                ["no-such-site.example", "good.example", "not a domain"],
                sandbox_settings(dns, hosts),
            )

    missing, good, invalid = asyncio.run(scenario())
    assert missing.errors[0].error == "dns: no such host no-such-site.example"
    assert PageKind.ABOUT in good.kinds
    assert invalid.errors[0].error == "invalid domain"


def test_a_polite_crawl_keeps_more_sites_in_flight_than_request_slots(dns: DnsServer) -> None:
    """A site waiting out its host's delay holds no request slot, so 4 slots serve 24 sites
    at once: the crawl takes about as long as one site, not 6 rounds of 4 sites."""
    sites, slots, delay = 24, 4, 0.25
    domains = [f"polite{n}.example" for n in range(sites)]
    for domain in domains:
        dns.records[domain] = ["127.0.0.1"]

    async def scenario() -> tuple[list[SiteCrawl], VirtualHosts, float]:
        async with VirtualHosts() as hosts:
            for domain in domains:
                hosts.add_site(domain, english_company(domain))
            settings = sandbox_settings(
                dns, hosts, per_host_delay=delay, per_host_concurrency=2, total_concurrency=slots
            )
            loop = asyncio.get_running_loop()
            started = loop.time()
            results = await crawl_many(domains, settings)
            return results, hosts, loop.time() - started

    results, hosts, elapsed = asyncio.run(scenario())
    assert all(PageKind.TEAM in r.kinds for r in results)
    one_site = (len(hosts.hits) / sites - 1) * delay
    assert elapsed < 2 * one_site
    assert most_at_once(hosts.hits) <= slots
    for domain in domains:
        assert spaced_apart([hit.started for hit in hosts.hits_for(domain)], delay), domain
