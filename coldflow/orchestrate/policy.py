"""The orchestrator's rules as plain data: what each stage works on, how much of it at once,
and when a failed item is tried again or set aside."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

# Stages with work items, in pipeline order. Enrolment and sending belong to the dispatcher
# (coldflow.send.schedule), reading answers to the inbox poll (coldflow.listen); the
# orchestrator hands them over after compose.
PIPELINE = ("discover", "research", "contacts", "leads", "compose")
# Later stages first: a lead that can be written to now goes before another company is
# crawled, so the first emails leave while research is still going (streaming).
WORK_ORDER = tuple(reversed(PIPELINE))
NEXT_STAGE = dict(zip(PIPELINE, PIPELINE[1:], strict=False))

SUBJECT = {
    "discover": "query_batch",
    "research": "company",
    "contacts": "company",
    "leads": "company",
    "compose": "lead",
}


@dataclass(frozen=True)
class StageLimits:
    # Items one claim takes (and one run handles together: a research batch is crawled in
    # one event loop, many sites at once, each saved and handed on as it finishes; a contacts
    # batch is verified in one pass over its domains, so its greylisting retries overlap).
    batch: int
    # Items of this stage running at once across all workers.
    concurrency: int


LIMITS: dict[str, StageLimits] = {
    # A normal campaign's query batches in one claim: they run one after the other (no more
    # load on the search provider than one item at a time), and every company they find is
    # queued together, so research can crawl them in one batch instead of a big one and a
    # few stragglers.
    "discover": StageLimits(batch=4, concurrency=8),
    # Large: a site's crawl is mostly waiting (politeness delays, slow pages), so one loop
    # crawling many sites costs hardly more than one; and a batch no longer waits for its
    # slowest site before the others go on to contacts.
    "research": StageLimits(batch=48, concurrency=96),
    # Every batch waits out a greylisting retry once, however many domains it holds.
    "contacts": StageLimits(batch=48, concurrency=96),
    "leads": StageLimits(batch=16, concurrency=64),
    "compose": StageLimits(batch=25, concurrency=100),
}

# Queries run by one discover item.
QUERIES_PER_BATCH = 10
# Companies whose fit to the ICP is below this are kept but not researched for the campaign.
MIN_FIT = 0.5
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600


def query_batches(query_limit: int, per_batch: int = QUERIES_PER_BATCH) -> list[tuple[int, int]]:
    """The (start, stop) slices of the generated queries, one discover item each."""
    return [(s, min(s + per_batch, query_limit)) for s in range(0, max(query_limit, 0), per_batch)]


def backoff(attempts: int, base: float = BACKOFF_BASE_SECONDS) -> timedelta:
    """How long a failed item waits before its next attempt: doubling from `base`, capped."""
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS))


def after_failure(attempts: int, max_attempts: int) -> str:
    """ "queued" to try again later, "parked" when it has failed too often."""
    return "parked" if attempts >= max_attempts else "queued"


def claimable(stage: str, running: int) -> int:
    """How many items a worker may claim now, with `running` of the stage already going."""
    limits = LIMITS[stage]
    return max(0, min(limits.batch, limits.concurrency - running))
