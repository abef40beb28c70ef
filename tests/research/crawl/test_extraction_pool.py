import asyncio
import dataclasses
import multiprocessing
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coldflow.research.crawl import CrawledPage, PageKind, SiteCrawl
from coldflow.research.extract import PageExtraction
from coldflow.research.extract.markup_bounds import ParsedHtml
from coldflow.research.extraction_pool import research_many, worker_count
from coldflow.research.site_research import (
    SiteResearch,
    extract_crawled_page,
    research_from_crawl,
    research_to_json,
)
from tests.research.crawl.company_sites import english_company, german_company
from tests.research.fetch.local_network import DnsServer, VirtualHosts, sandbox_settings

SITES = 8


# Page extractors for the tests, module-level so worker processes can run them. Where a page
# was extracted is noted in its `language`, which the tests read and put back.


def _extract_noting_the_process(
    page: CrawledPage, parsed: ParsedHtml | None = None
) -> PageExtraction | None:
    extraction = extract_crawled_page(page, parsed)
    if extraction is None:
        return None
    return dataclasses.replace(extraction, language=f"{extraction.language} pid {os.getpid()}")


def _extract_or_die_in_a_worker(
    page: CrawledPage, parsed: ParsedHtml | None = None
) -> PageExtraction | None:
    """Kills the worker process on the first page it gets; extracts normally anywhere else."""
    if multiprocessing.parent_process() is not None:
        os._exit(1)
    return extract_crawled_page(page, parsed)


def _extract_noting_parsed_pages(
    page: CrawledPage, parsed: ParsedHtml | None = None
) -> PageExtraction | None:
    extraction = extract_crawled_page(page, parsed)
    if extraction is None:
        return None
    note = "tree from the crawl" if parsed is not None else "parsed here"
    return dataclasses.replace(extraction, language=f"{extraction.language} {note}")


def _extract_failing_on_team_pages(
    page: CrawledPage, parsed: ParsedHtml | None = None
) -> PageExtraction | None:
    if page.kind == PageKind.TEAM:
        raise RuntimeError("a bug in extraction")
    return extract_crawled_page(page, parsed)


def _noted(research: SiteResearch) -> set[str]:
    """The notes of the research's extractions, which are put back as they were."""
    notes = set()
    for n, extraction in enumerate(research.extractions):
        language, note = extraction.language.split(" ", 1)
        research.extractions[n] = dataclasses.replace(
            extraction, language=None if language == "None" else language
        )
        notes.add(note)
    return notes


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


def _comparable(research: SiteResearch) -> dict:
    return research_to_json(research) | {"extractions": research.extractions}


def _without_times(research: SiteResearch) -> SiteResearch:
    research.extractions = [dataclasses.replace(x, extracted_at=None) for x in research.extractions]
    return research


def _extracted_here(crawl: SiteCrawl) -> dict:
    """What extracting a copy of the crawl in this process gives, each page parsed anew."""
    return _comparable(_without_times(research_from_crawl(pickle.loads(pickle.dumps(crawl)))))


def test_worker_processes_extract_what_the_crawling_process_would(dns: DnsServer) -> None:
    pairs, reported = _research_with(dns, workers=2, extract=_extract_noting_the_process)
    assert [crawl.domain for crawl, _ in pairs] == [f"pool{n}.example" for n in range(SITES)]
    workers = set()
    for crawl, research in pairs:
        notes = _noted(research)
        assert f"pid {os.getpid()}" not in notes
        workers |= notes
        assert research.people
        assert _comparable(_without_times(research)) == _extracted_here(crawl)
    assert workers
    # Reported once each, in the order the crawls finished (not necessarily input order).
    assert sorted(r.domain for r in reported) == sorted(c.domain for c, _ in pairs)


def test_a_worker_that_dies_costs_no_page(dns: DnsServer) -> None:
    pairs, reported = _research_with(dns, workers=2, extract=_extract_or_die_in_a_worker)
    assert len(pairs) == len(reported) == SITES
    for crawl, research in pairs:
        assert research.people
        assert len(research.extractions) == len(crawl.pages)
        assert _comparable(_without_times(research)) == _extracted_here(crawl)


def test_extraction_here_reuses_the_pages_the_crawl_parsed(dns: DnsServer) -> None:
    pairs, _ = _research_with(dns, workers=0, extract=_extract_noting_parsed_pages)
    for crawl, research in pairs:
        # The home page was parsed for its links and extraction took that tree; the crawl
        # keeps none.
        home = research.extractions[0]
        assert home.url == crawl.home_url and home.language.endswith(" tree from the crawl")
        _noted(research)
        assert research.people
        assert crawl.parsed == {}
        # The same as extracting a copy that parses every page itself.
        assert _comparable(_without_times(research)) == _extracted_here(crawl)


def test_workers_get_no_trees_and_the_crawl_keeps_none(dns: DnsServer) -> None:
    pairs, _ = _research_with(dns, workers=2, extract=_extract_noting_parsed_pages)
    for crawl, research in pairs:
        assert _noted(research) == {"parsed here"}
        assert crawl.parsed == {}
        assert _comparable(_without_times(research)) == _extracted_here(crawl)


def test_one_pool_of_workers_serves_every_batch_of_the_process(dns: DnsServer) -> None:
    def worker_processes() -> set[str]:
        pairs, _ = _research_with(dns, workers=2, extract=_extract_noting_the_process)
        return {note for _, research in pairs for note in _noted(research)}

    # Even after a batch whose workers all died, later batches get working ones.
    _research_with(dns, workers=2, extract=_extract_or_die_in_a_worker)
    first, second = worker_processes(), worker_processes()
    assert f"pid {os.getpid()}" not in first | second
    assert second <= first


@pytest.mark.parametrize("workers", [0, 2])
def test_a_page_whose_extraction_fails_costs_that_page_only(dns: DnsServer, workers: int) -> None:
    pairs, reported = _research_with(dns, workers=workers, extract=_extract_failing_on_team_pages)
    assert len(pairs) == len(reported) == SITES
    for crawl, research in pairs:
        team = [page.url for page in crawl.pages if page.kind == PageKind.TEAM]
        assert team
        failed = [e for e in research.errors if e.endswith("internal error during extraction")]
        assert failed == [f"{url}: internal error during extraction" for url in team]
        # Every other page was extracted: the company facts of its home page are there.
        assert len(research.extractions) == len(crawl.pages) - len(team)
        assert research.company["name"].value


def test_one_site_or_one_core_is_extracted_without_workers() -> None:
    assert worker_count(1, 4) == 0
    assert worker_count(300, 0) == 0
    assert worker_count(300, 1) == 1
    assert worker_count(300, 2) == 2
    assert worker_count(300) == (os.cpu_count() or 1) - 1


_KILLED_WITH_A_POOL = """
import os, signal
from coldflow.research.extraction_pool import _shared_executor
if __name__ == "__main__":
    pool = _shared_executor(2)
    print(*{pool.submit(os.getpid).result() for _ in range(8)}, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_workers_and_their_fork_server_end_when_the_crawling_process_is_killed(tmp_path) -> None:
    script = tmp_path / "killed_with_a_pool.py"
    script.write_text(_KILLED_WITH_A_POOL)
    # Output to a file: left-over workers would hold a pipe open.
    output = tmp_path / "workers.txt"
    with output.open("w") as stdout:
        ran = subprocess.run([sys.executable, str(script)], stdout=stdout, timeout=60)
    assert ran.returncode == -9
    workers = [int(pid) for pid in output.read_text().split()]
    assert workers
    # A worker's parent is the fork server.
    alive = set(workers) | {_parent_of(pid) for pid in workers} - {None}
    deadline = time.monotonic() + 10
    while alive and time.monotonic() < deadline:
        alive = {pid for pid in alive if Path(f"/proc/{pid}").exists() and not _zombie(pid)}
        time.sleep(0.05)
    assert not alive, f"still running after their parent was killed: {sorted(alive)}"


def _parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True
