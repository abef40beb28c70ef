"""The collector runs less often while research runs, and the process's own pace comes back."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from coldflow.research.garbage_collection import CRAWL_THRESHOLD, fewer_collections


@pytest.fixture
def own_threshold() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield gc.get_threshold()
    gc.set_threshold(*before)


def test_a_crawl_collects_less_often_and_puts_the_pace_back(
    own_threshold: tuple[int, int, int],
) -> None:
    with fewer_collections():
        assert gc.get_threshold() == (CRAWL_THRESHOLD, 10, 10)
    assert gc.get_threshold() == own_threshold


def test_the_pace_comes_back_after_an_error(own_threshold: tuple[int, int, int]) -> None:
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("crawl broke")
    assert gc.get_threshold() == own_threshold


def test_overlapping_crawls_restore_only_when_the_last_one_ends(
    own_threshold: tuple[int, int, int],
) -> None:
    """Crawls in two threads, ending in the order they started (not nested): the first to end
    must not restore the pace under the second, nor the second leave it raised."""
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[tuple[int, int, int]] = []

    def first() -> None:
        with fewer_collections():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with fewer_collections():
            second_in.set()
            first_out.wait(5)
            seen.append(gc.get_threshold())

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert seen == [(CRAWL_THRESHOLD, 10, 10)]
    assert gc.get_threshold() == own_threshold


def test_a_higher_threshold_of_the_process_is_kept(own_threshold: tuple[int, int, int]) -> None:
    gc.set_threshold(CRAWL_THRESHOLD * 2, 10, 10)
    with fewer_collections():
        assert gc.get_threshold()[0] == CRAWL_THRESHOLD * 2
    assert gc.get_threshold()[0] == CRAWL_THRESHOLD * 2


def test_an_extraction_worker_freezes_its_imports_and_keeps_the_crawl_pace() -> None:
    # In a process of its own, as in a worker: freezing is for the life of the process.
    program = (
        "import gc; from coldflow.research.garbage_collection import pace_extraction_worker;"
        "pace_extraction_worker(); print(gc.get_threshold()[0], gc.get_freeze_count() > 0)"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(CRAWL_THRESHOLD), "True"]
