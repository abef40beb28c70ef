"""Research many sites with extraction in worker processes, fed by the crawl.

The crawl is mostly waiting and extraction is all CPU, so on a machine with more than one core
the crawl's event loop hands each page to a process pool as it arrives and keeps fetching; when
a site's crawl is done, its pages' extractions are merged here into the site's research. So
extraction runs while the crawl waits out politeness delays and slow pages, rather than after
each site. The pool is started on first use and kept for the life of the process, so later
batches (the orchestrator researches company by company) do not pay for starting workers
again. A page stays in this process until its extraction is back: when a worker dies, the pages
it held are extracted here and the pool is replaced once per batch (after a second death,
everything left in the batch is extracted here), so a crash costs time, never a page. A worker
ends with the process that started its pool, even when that one is killed.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial

from coldflow.research.crawl import CrawledPage, SiteCrawl, crawl_many
from coldflow.research.extract import PageExtraction
from coldflow.research.fetch import FetchSettings
from coldflow.research.garbage_collection import fewer_collections, pace_extraction_worker
from coldflow.research.site_research import (
    SiteResearch,
    extract_crawled_page,
    research_from_pages,
)

logger = logging.getLogger(__name__)

# (page, tree the crawl parsed or None) → the page's extraction, or None for an empty page.
ExtractPage = Callable[..., PageExtraction | None]
# Workers start from a process that has imported extraction once (a fork server), not from the
# crawling process with its event loop and sockets.
_PRELOAD = ["coldflow.research.site_research"]
# One pool per worker count, shared by every batch in this process.
_executors: dict[int, ProcessPoolExecutor] = {}
_executors_lock = threading.Lock()
# Pages sent to a worker at once, and how long the first of them waits for company.
_BATCH_PAGES = 16
_BATCH_SECONDS = 0.01


def worker_count(sites: int, workers: int | None = None) -> int:
    """Extraction processes for `sites` sites: by default one per core but the one the crawl
    needs; none (extract in this process) with `workers` 0, on one core, or for a single site.
    On 2 cores, one worker beside the crawl took the 300-company sandbox in 4.4-4.9 s against
    5.1-6.6 s in the crawling process (two workers had measured slower than none)."""
    if workers is None:
        workers = (os.cpu_count() or 1) - 1
    return 0 if workers <= 0 or sites <= 1 else workers


async def research_many(
    domains: Iterable[str],
    settings: FetchSettings,
    *,
    pages_per_site: int = 8,
    on_result: Callable[[SiteResearch], None] | None = None,
    workers: int | None = None,
    extract: ExtractPage = extract_crawled_page,
    previous: Mapping[str, SiteCrawl] | None = None,
) -> list[tuple[SiteCrawl, SiteResearch]]:
    """Crawl and extract every domain. Returns (crawl, research) pairs in input order and
    reports each research through `on_result` in the order the crawls finished. `previous`
    holds earlier crawls by domain, whose pages are asked for conditionally.

    `extract` runs in the workers, so it must be a module-level function.
    """
    domains = list(domains)
    count = worker_count(len(domains), workers)
    crawl_all = partial(crawl_many, domains, settings, budget=pages_per_site, previous=previous)
    with fewer_collections():
        if count == 0:
            return await _research_here(crawl_all, extract, on_result)
        return await _research_in_workers(crawl_all, _WorkerPool(count, extract), on_result)


# crawl_many with the domains and settings bound: takes on_result and on_page.
_CrawlAll = Callable[..., Awaitable[list[SiteCrawl]]]


async def _research_here(
    crawl_all: _CrawlAll, extract: ExtractPage, on_result: Callable[[SiteResearch], None] | None
) -> list[tuple[SiteCrawl, SiteResearch]]:
    researched: dict[int, SiteResearch] = {}

    def extract_here(position: int, crawl: SiteCrawl) -> None:
        outcomes: list[_Outcome] = []
        for page in crawl.pages:
            # The tree the crawl parsed for links is taken, so the crawl keeps none.
            parsed = crawl.parsed.pop(page.requested_url, None)
            try:
                outcomes.append(extract(page, parsed))
            except Exception as error:
                outcomes.append(error)
        researched[position] = research = _research_of(crawl, outcomes)
        if on_result is not None:
            on_result(research)

    crawls = await crawl_all(on_result=extract_here)
    return [(crawl, researched[position]) for position, crawl in enumerate(crawls)]


async def _research_in_workers(
    crawl_all: _CrawlAll, pool: _WorkerPool, on_result: Callable[[SiteResearch], None] | None
) -> list[tuple[SiteCrawl, SiteResearch]]:
    page_extractions: defaultdict[int, list[asyncio.Future]] = defaultdict(list)
    reports: dict[int, asyncio.Task[SiteResearch]] = {}
    last_report: asyncio.Task[SiteResearch] | None = None

    def fetched(position: int, page: CrawledPage) -> None:
        page_extractions[position].append(pool.submit(page))

    def crawled(position: int, crawl: SiteCrawl) -> None:
        nonlocal last_report
        # Workers parse for themselves (trees are not sent): free this process's copies.
        crawl.parsed.clear()
        extractions = page_extractions.pop(position, [])
        last_report = asyncio.ensure_future(_report(crawl, extractions, last_report, on_result))
        reports[position] = last_report

    crawls = await crawl_all(on_result=crawled, on_page=fetched)
    await asyncio.gather(*reports.values())
    return [(crawl, reports[position].result()) for position, crawl in enumerate(crawls)]


async def _report(
    crawl: SiteCrawl,
    extractions: list[asyncio.Future],
    before: asyncio.Task[SiteResearch] | None,
    on_result: Callable[[SiteResearch], None] | None,
) -> SiteResearch:
    if len(extractions) != len(crawl.pages):
        # The crawl broke inside (a bug, logged by crawl_many): its pages are not in it.
        for extraction in extractions:
            extraction.cancel()
        extractions = []
    research = _research_of(crawl, await asyncio.gather(*extractions, return_exceptions=True))
    if before is not None:
        # Reported in crawl order: wait for the site that finished crawling before this one.
        await before
    if on_result is not None:
        on_result(research)
    return research


def _research_of(crawl: SiteCrawl, outcomes: list) -> SiteResearch:
    """The site's research from its pages' extractions; a page whose extraction failed (a bug
    of ours, logged with its trace) costs that page, not the site or the batch."""
    pairs = zip(crawl.pages, outcomes, strict=True)
    failed = [(page, outcome) for page, outcome in pairs if isinstance(outcome, Exception)]
    for page, error in failed:
        logger.error("extraction of %s failed", page.url, exc_info=error)
    research = research_from_pages(
        crawl, [None if isinstance(o, Exception) else o for o in outcomes]
    )
    research.errors.extend(f"{page.url}: internal error during extraction" for page, _ in failed)
    return research


def _shared_executor(
    workers: int, broken: ProcessPoolExecutor | None = None
) -> ProcessPoolExecutor:
    """This process's pool of `workers` extraction processes, started on first use; `broken`
    is replaced with a new pool (unless another batch has replaced it already)."""
    with _executors_lock:
        executor = _executors.get(workers)
        if executor is None or executor is broken:
            if executor is not None:
                executor.shutdown(wait=False, cancel_futures=True)
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(_PRELOAD)
            executor = _executors[workers] = ProcessPoolExecutor(
                workers, mp_context=context, initializer=_start_worker
            )
        return executor


def _start_worker() -> None:
    """Each extraction process's initializer: collect at the crawl's pace, and exit when the
    process that started the pool is gone. Without that, a killed crawling process leaves its
    workers waiting forever on their task queue (each holds both ends of that pipe) and they in
    turn keep the fork server alive (each holds its "client alive" pipe)."""
    pace_extraction_worker()
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(
            target=_exit_when_ready, args=(parent.sentinel,), name="parent-watch", daemon=True
        ).start()


def _exit_when_ready(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(0)


class _WorkerPool:
    """One batch's use of the shared pool, with its fallback to extracting here.

    Pages travel to the workers in small batches (a handful of pages, or what arrived within
    a few milliseconds): handing the pool one page at a time cost the crawling process about
    0.7 ms a page in queue and thread traffic, half as much as fetching the page.
    """

    def __init__(self, workers: int, extract: ExtractPage) -> None:
        self._workers = workers
        self._extract = extract
        self._executor: ProcessPoolExecutor | None = _shared_executor(workers)
        self._restarts_left = 1
        self._waiting: list[tuple[CrawledPage, asyncio.Future[PageExtraction | None]]] = []
        self._sending: set[asyncio.Task[None]] = set()

    def submit(self, page: CrawledPage) -> asyncio.Future[PageExtraction | None]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[PageExtraction | None] = loop.create_future()
        self._waiting.append((page, future))
        if len(self._waiting) >= _BATCH_PAGES:
            self._send()
        elif len(self._waiting) == 1:
            loop.call_later(_BATCH_SECONDS, self._send)
        return future

    def _send(self) -> None:
        batch, self._waiting = self._waiting, []
        if batch:
            task = asyncio.ensure_future(self._extract_batch(batch))
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)

    async def _extract_batch(
        self, batch: list[tuple[CrawledPage, asyncio.Future[PageExtraction | None]]]
    ) -> None:
        pages = [page for page, _ in batch]
        outcomes = await self._extract_with_fallback(pages)
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            if future.done():
                continue
            if isinstance(outcome, BaseException):
                future.set_exception(outcome)
            else:
                future.set_result(outcome)

    async def _extract_with_fallback(self, pages: list[CrawledPage]) -> list[_Outcome]:
        executor = self._executor
        if executor is None:
            return _extract_each(self._extract, pages)
        try:
            return await asyncio.get_running_loop().run_in_executor(
                executor, _extract_each, self._extract, pages
            )
        except BrokenProcessPool:
            logger.warning("an extraction worker died; extracting %d pages here", len(pages))
            if self._executor is executor:
                # Later batches get a working pool either way; this one gives up after two.
                replacement = _shared_executor(self._workers, broken=executor)
                self._executor = replacement if self._restarts_left > 0 else None
                self._restarts_left -= 1
            return _extract_each(self._extract, pages)


_Outcome = PageExtraction | None | Exception


def _extract_each(extract: ExtractPage, pages: list[CrawledPage]) -> list[_Outcome]:
    """Each page's extraction, or the exception it raised: a bug that one page triggers
    costs that page, not the pages sent with it."""
    outcomes: list[_Outcome] = []
    for page in pages:
        try:
            outcomes.append(extract(page))
        except Exception as error:
            outcomes.append(error)
    return outcomes
