import asyncio
import multiprocessing
import os
import pickle

from coldflow.research.crawl import SiteCrawl
from coldflow.research.extraction_pool import research_many, worker_count
from coldflow.research.site_research import SiteResearch, research_from_crawl, research_to_json
from tests.research.crawl.company_sites import english_company, german_company
from tests.research.fetch.local_network import DnsServer, VirtualHosts, sandbox_settings

SITES = 8


def _research_noting_the_process(crawl: SiteCrawl) -> SiteResearch:
    research = research_from_crawl(crawl)
    research.errors.append(f"extracted in process {os.getpid()}")
    return research


def _research_or_die_in_a_worker(crawl: SiteCrawl) -> SiteResearch:
    """Kills the worker process on the first site it gets; extracts normally anywhere else."""
    if multiprocessing.parent_process() is not None:
        os._exit(1)
    return research_from_crawl(crawl)


def _research_noting_parsed_pages(crawl: SiteCrawl) -> SiteResearch:
    given = sorted(crawl.parsed)
    research = research_from_crawl(crawl)
    research.errors.append(f"parsed by the crawl: {given}, left: {sorted(crawl.parsed)}")
    return research


def _research_with(dns: DnsServer, **options) -> tuple[list, list[SiteResearch]]:
    domains = [f"pool{n}.example" for n in range(SITES)]
    for domain in domains:
        dns.records[domain] = ["127.0.0.1"]
    reported: list[SiteResearch] = []

    async def scenario() -> list:
        async with VirtualHosts() as hosts:
            for n, domain in enumerate(domains):
                hosts.add_site(domain, (german_company if n % 2 else english_company)(domain))
            settings = sandbox_settings(dns, hosts, per_host_delay=0.0)
            return await research_many(domains, settings, on_result=reported.append, **options)

    return asyncio.run(scenario()), reported


def _extracted_here(crawl: SiteCrawl) -> dict:
    return research_to_json(research_from_crawl(crawl))


def test_worker_processes_extract_what_the_crawling_process_would(dns: DnsServer) -> None:
    pairs, reported = _research_with(dns, workers=2, extract=_research_noting_the_process)
    assert [crawl.domain for crawl, _ in pairs] == [f"pool{n}.example" for n in range(SITES)]
    for crawl, research in pairs:
        assert research.errors.pop() != f"extracted in process {os.getpid()}"
        assert research.people
        assert research_to_json(research) == _extracted_here(crawl)
    # Reported once each, in the order the crawls finished (not necessarily input order).
    assert sorted(r.domain for r in reported) == sorted(c.domain for c, _ in pairs)


def test_a_worker_that_dies_costs_no_site(dns: DnsServer) -> None:
    pairs, reported = _research_with(dns, workers=2, extract=_research_or_die_in_a_worker)
    assert len(pairs) == len(reported) == SITES
    for crawl, research in pairs:
        assert research.people
        assert research_to_json(research) == _extracted_here(crawl)


def test_extraction_here_reuses_the_pages_the_crawl_parsed(dns: DnsServer) -> None:
    pairs, _ = _research_with(dns, workers=0, extract=_research_noting_parsed_pages)
    for crawl, research in pairs:
        note = research.errors.pop()
        # The home page was parsed for its links; extraction took that tree and left none.
        assert f"'{crawl.home_url}'" in note and note.endswith("left: []")
        assert research.people
        # The same as extracting a copy that parses every page itself.
        assert crawl.parsed == {}
        assert research_to_json(research) == _extracted_here(pickle.loads(pickle.dumps(crawl)))


def test_workers_get_no_trees_and_the_crawl_keeps_none(dns: DnsServer) -> None:
    pairs, _ = _research_with(dns, workers=2, extract=_research_noting_parsed_pages)
    for crawl, research in pairs:
        assert research.errors.pop() == "parsed by the crawl: [], left: []"
        assert crawl.parsed == {}
        assert research_to_json(research) == _extracted_here(crawl)


def test_one_pool_of_workers_serves_every_batch_of_the_process(dns: DnsServer) -> None:
    def worker_processes() -> set[str]:
        pairs, _ = _research_with(dns, workers=2, extract=_research_noting_the_process)
        return {research.errors[-1] for _, research in pairs}

    # Even after a batch whose workers all died, later batches get working ones.
    _research_with(dns, workers=2, extract=_research_or_die_in_a_worker)
    first, second = worker_processes(), worker_processes()
    assert f"extracted in process {os.getpid()}" not in first | second
    assert second <= first


def test_one_site_or_one_core_is_extracted_without_workers() -> None:
    assert worker_count(1, 4) == 0
    assert worker_count(300, 0) == 0
    assert worker_count(300, 1) == 1
    assert worker_count(300, 2) == 2
    assert worker_count(300) == (os.cpu_count() or 1) - 1
