"""The cycle collector paced for crawling and extraction.

CPython runs its cycle collector after every 700 container objects allocated and not yet freed,
and every tenth young collection walks the older objects too. A crawl allocates at a great rate
(futures, timer handles, responses, pages, extraction results arriving from the workers) and an
extraction worker keeps large per-line caches, so at that pace the collector took a sixth to a
fifth of the CPU of both on the 1000-company sandbox (2.4 s of 11.6 s in the crawling process,
1.8 s of 12-13 s in its worker), and in the crawling process each pass is a pause of the event loop
that every waiting site's next request sits out. Reference counting frees nearly everything a
crawl makes; the collector is only for cycles, so running it every 50,000 allocations instead
costs a few megabytes at most and leaves it almost no work.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Container objects allocated (net of those freed) between two young collections.
CRAWL_THRESHOLD = 50_000

_lock = threading.Lock()
_crawls_running = 0
_threshold_before: tuple[int, int, int] = gc.get_threshold()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect cycles less often while the block runs; crawls overlapping in threads share the
    change, and the last one to finish puts the process's own threshold back."""
    global _crawls_running, _threshold_before
    with _lock:
        if _crawls_running == 0:
            _threshold_before = gc.get_threshold()
            _collect_at_crawl_pace()
        _crawls_running += 1
    try:
        yield
    finally:
        with _lock:
            _crawls_running -= 1
            if _crawls_running == 0:
                gc.set_threshold(*_threshold_before)


def pace_extraction_worker() -> None:
    """A worker process's initializer: the modules it imported are never collected, so they are
    kept out of the collector's walks, and it collects at the crawl's pace for its whole life."""
    gc.freeze()
    _collect_at_crawl_pace()


def _collect_at_crawl_pace() -> None:
    """Young collections every CRAWL_THRESHOLD allocations (or less often, if the process
    already asked for that); how often the older generations follow is left as it was."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(CRAWL_THRESHOLD, young), middle, old)
